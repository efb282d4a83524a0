import { execFileSync } from 'node:child_process';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

/**
 * Lint checks what git tracks: whatever git ignores (a scratch tmp/, coverage/, .env, and also
 * .git/info/exclude and the user's global excludes) is ignored here too, as git itself lists it.
 * Outside a git checkout only the fixed ignores below apply.
 */
function gitIgnored() {
  try {
    return execFileSync(
      'git',
      ['ls-files', '--others', '--ignored', '--exclude-standard', '--directory'],
      { cwd: import.meta.dirname, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
    )
      .split('\n')
      .filter(Boolean)
      .map((path) => path.replace(/[*?[\]{}()!\\]/g, '\\$&'));
  } catch {
    return [];
  }
}

/**
 * src/ is layered, one folder per stage, and imports only point down this list (the top imports
 * the rest): main.ts and index.ts, report/, run/, hindsite/, settings/, model/. A file may import
 * files of its own folder and of the folders below it, never one above. Circles inside a folder
 * are caught by __tests__/layout.test.ts.
 */
const LAYERS = ['model', 'settings', 'hindsite', 'run', 'report'];
const layerRules = LAYERS.map((layer, index) => ({
  files: [`src/${layer}/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            group: [
              ...LAYERS.slice(index + 1).map((above) => `../${above}/*`),
              '../main.js',
              '../index.js',
            ],
            message: `src/${layer}/ may import only its own folder and ${LAYERS.slice(0, index).join(', ') || 'nothing else in src/'} (imports point down: main, report, run, hindsite, settings, model).`,
          },
        ],
      },
    ],
  },
}));

export default tseslint.config(
  { ignores: ['dist/', 'coverage/', 'node_modules/', ...gitIgnored()] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
  },
  {
    files: ['**/*.ts'],
    rules: {
      // A switch over a union names every case, so that a new verdict or state cannot be missed.
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: false },
      ],
      '@typescript-eslint/no-floating-promises': 'error',
    },
  },
  {
    // Tests fake async interfaces (a list page, a bulk call) with async functions that have
    // nothing to await: that is their point, not a slip.
    files: ['__tests__/**/*.ts'],
    rules: { '@typescript-eslint/require-await': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    languageOptions: {
      globals: globals.node,
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
  ...layerRules,
);
