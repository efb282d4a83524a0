/**
 * Jest's transformer for the project's TypeScript: esbuild strips the types, file by file, as
 * ts-jest did with `isolatedModules` (neither checks types: `npm run typecheck` does). esbuild does
 * it in a fraction of the time and needs no TypeScript compiler loaded in each worker, which was
 * most of the cost of a run with an empty cache (a fresh clone, CI).
 *
 * It also adds the coverage (`canInstrument`), with the @babel/core and babel-plugin-istanbul that
 * jest would use and the options it gives them, rather than leaving that to jest, whose way cost
 * 3 to 6 s of the ~50 s of CPU time of a run on a 2-core machine (cold cache), for nothing:
 * - jest handed istanbul the source map as the string esbuild returns, which istanbul spread into
 *   an object of one key per character (up to 9,000 keys per file), written into the instrumented
 *   module, built again by every module in every test file, sent to the main process after each
 *   test file (65 MB of JSON a run), and useless there: the report could not map the coverage
 *   back to the .ts files, and counted the lines of esbuild's output. Here istanbul gets the map
 *   itself, and the report counts the lines of the .ts files.
 * - istanbul writes a file's coverage data (every statement, function and branch location) into
 *   the module as an object literal, which every test file's context compiles and runs again; here
 *   it is JSON.parse of one string, which V8 reads about three times faster.
 * - No source map inline in the code, where jest's babel looked for it: jest maps stack traces with
 *   the map returned here, so a stack through src/ still names the line of the .ts file.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { transformSync, version } from 'esbuild';

const ROOT = new URL('../../', import.meta.url);
/** The compiler options esbuild reads (target, class fields, module syntax): tsconfig.json, which
 * is plain JSON here. */
const tsconfig = readFileSync(new URL('tsconfig.json', ROOT), 'utf8');
const { compilerOptions } = JSON.parse(tsconfig);
const self = readFileSync(new URL(import.meta.url), 'utf8');

/** The instrumenter jest's own transform would load (its dependencies, not the project's). */
const fromJest = createRequire(createRequire(import.meta.url).resolve('@jest/transform'));
/** For the cache key: their versions, without loading them. */
const babelVersion = fromJest('@babel/core/package.json').version;
const istanbulVersion = fromJest('babel-plugin-istanbul/package.json').version;
/**
 * Loaded on the first file to instrument: each worker loads this file, and with a warm cache
 * (every run after the first) none has anything to instrument; loading babel costs ~0.2 s of CPU.
 */
let instrumenter;
const loadInstrumenter = () =>
  (instrumenter ??= {
    babel: fromJest('@babel/core'),
    istanbul: fromJest('babel-plugin-istanbul').default,
  });

/** Runs after istanbul's own Program exit, which put the coverage function first in the module:
 * its `var coverageData = {...}` becomes `var coverageData = JSON.parse("...")`. */
function coverageDataAsJson({ types: t }) {
  return {
    visitor: {
      Program: {
        exit(program) {
          const [coverageFunction] = program.get('body');
          if (!coverageFunction?.isFunctionDeclaration()) return;
          for (const statement of coverageFunction.get('body.body')) {
            if (!statement.isVariableDeclaration()) continue;
            const [declarator] = statement.get('declarations');
            if (!declarator.get('id').isIdentifier({ name: 'coverageData' })) continue;
            const { confident, value } = declarator.get('init').evaluate();
            if (!confident) throw new Error(`Cannot read the coverage data of ${this.filename}`);
            declarator
              .get('init')
              .replaceWith(
                t.callExpression(t.memberExpression(t.identifier('JSON'), t.identifier('parse')), [
                  t.stringLiteral(JSON.stringify(value)),
                ]),
              );
            return;
          }
        },
      },
    },
  };
}

export default {
  canInstrument: true,

  /** Changes with the file, the options, esbuild, babel, istanbul, tsconfig.json and this file. */
  getCacheKey(source, filename, { configString, instrument, supportsStaticESM }) {
    return createHash('sha256')
      .update(
        [
          source,
          filename,
          configString,
          instrument,
          supportsStaticESM,
          version,
          babelVersion,
          istanbulVersion,
          tsconfig,
          self,
        ].join('\0'),
      )
      .digest('hex');
  },

  /** ES modules for the tests; CommonJS where jest requires the file (globalSetup, globalTeardown). */
  process(source, filename, { supportsStaticESM, instrument, config }) {
    const stripped = transformSync(source, {
      loader: 'ts',
      format: supportsStaticESM ? 'esm' : 'cjs',
      target: compilerOptions.target.toLowerCase(),
      sourcefile: filename,
      sourcemap: 'external',
      sourcesContent: false,
      tsconfigRaw: { compilerOptions },
    });
    const map = JSON.parse(stripped.map);
    if (!instrument) return { code: stripped.code, map };
    // The options jest gives babel and istanbul when it instruments (@jest/transform), less the
    // inline map and the `istanbul ignore next` comments it adds for a second instrumenter.
    const { babel, istanbul } = loadInstrumenter();
    const { code, map: instrumentedMap } = babel.transformSync(stripped.code, {
      babelrc: false,
      configFile: false,
      filename,
      inputSourceMap: map,
      sourceMaps: true,
      plugins: [
        [
          istanbul,
          {
            compact: false,
            cwd: config.rootDir,
            exclude: [],
            extension: false,
            inputSourceMap: map,
            useInlineSourceMaps: false,
          },
        ],
        coverageDataAsJson,
      ],
    });
    return { code, map: instrumentedMap };
  },
};
