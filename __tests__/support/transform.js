/**
 * Jest's transformer for the project's TypeScript: esbuild strips the types, file by file, as
 * ts-jest did with `isolatedModules` (neither checks types: `npm run typecheck` does). esbuild does
 * it in a fraction of the time and needs no TypeScript compiler loaded in each worker, which was
 * most of the cost of a run with an empty cache (a fresh clone, CI). Coverage is added afterwards
 * by jest's babel-plugin-istanbul, which maps it back to the TypeScript through the source map;
 * the map is also inline in the code, where babel looks for it when it maps the instrumented code,
 * so that a stack trace through src/ names the line of the .ts file.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { transformSync, version } from 'esbuild';

const ROOT = new URL('../../', import.meta.url);
/** The compiler options esbuild reads (target, class fields, module syntax): tsconfig.json, which
 * is plain JSON here. */
const tsconfig = readFileSync(new URL('tsconfig.json', ROOT), 'utf8');
const { compilerOptions } = JSON.parse(tsconfig);
const self = readFileSync(new URL(import.meta.url), 'utf8');

export default {
  /** Changes with the file, the options, esbuild, tsconfig.json and this transformer. */
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
          tsconfig,
          self,
        ].join('\0'),
      )
      .digest('hex');
  },

  /** ES modules for the tests; CommonJS where jest requires the file (globalSetup, globalTeardown). */
  process(source, filename, { supportsStaticESM }) {
    const { code, map } = transformSync(source, {
      loader: 'ts',
      format: supportsStaticESM ? 'esm' : 'cjs',
      target: compilerOptions.target.toLowerCase(),
      sourcefile: filename,
      sourcemap: 'both',
      sourcesContent: false,
      tsconfigRaw: { compilerOptions },
    });
    return { code, map };
  },
};
