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

export default tseslint.config(
  { ignores: ['dist/', 'coverage/', 'node_modules/', ...gitIgnored()] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
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
);
