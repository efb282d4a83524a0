/**
 * undici is replaced by a stub (stubs/undici, through package.json "overrides"): @actions/http-client
 * imports only its ProxyAgent, for fetch-style callers behind a proxy, which this action never is.
 * These check that the replacement is what npm installs from the lock file, that anything using it
 * fails at once with a message that says why, and that http-client imports nothing else from it.
 * That the bundle carries the stub, and still works through a proxy, is __tests__/bundle.e2e.test.ts.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HttpClient } from '@actions/http-client';
import { ProxyAgent, STUB_MESSAGE } from 'undici';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const readJson = (path: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(ROOT, path), 'utf8')) as Record<string, unknown>;

/** The JavaScript files of a package folder, recursively. */
function scripts(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : scripts(path);
    return /\.(m|c)?js$/.test(entry.name) ? [path] : [];
  });
}

describe('the undici stub', () => {
  const saved = { ...process.env };
  beforeEach(() => {
    for (const name of ['HTTPS_PROXY', 'https_proxy', 'NO_PROXY', 'no_proxy'])
      delete process.env[name];
  });
  afterEach(() => {
    for (const name of ['HTTPS_PROXY', 'https_proxy', 'NO_PROXY', 'no_proxy'])
      delete process.env[name];
    Object.assign(process.env, saved);
  });

  it('fails as soon as anything builds its ProxyAgent, saying what is stubbed and how to undo it', () => {
    expect(() => new ProxyAgent()).toThrow(STUB_MESSAGE);
    expect(STUB_MESSAGE).toMatch(
      /^undici is stubbed out of this action \(stubs\/undici, the "overrides" entry of package\.json\), but @actions\/http-client just used its ProxyAgent\. Remove the override/,
    );
  });

  it("is what @actions/http-client gets: its proxy dispatcher for fetch fails with the stub's message", () => {
    process.env['HTTPS_PROXY'] = 'http://proxy.internal:3128';
    const client = new HttpClient('stub-test');
    expect(() => client.getAgentDispatcher('https://hindsite.example.test')).toThrow(STUB_MESSAGE);
    // Its request path, the one the action uses, tunnels with its own agent and never touches it.
    expect(client.getAgent('https://hindsite.example.test')).toHaveProperty('proxyOptions');
  });

  it('exports every name that a bundled package imports from undici', () => {
    const imported = new Set<string>();
    for (const pkg of ['@actions/core', '@actions/http-client', '@actions/exec', '@actions/io']) {
      for (const file of scripts(join(ROOT, 'node_modules', pkg))) {
        const text = readFileSync(file, 'utf8');
        for (const [, names = ''] of text.matchAll(/import\s*\{([^}]*)\}\s*from\s*['"]undici['"]/g))
          for (const name of names.split(',')) imported.add(name.trim().split(/\s+as\s+/)[0] ?? '');
        // Anything but named imports (a namespace, a default, require) would need a closer look.
        expect([
          file,
          /(import\s+\*\s+as\s+\w+|import\s+\w+)\s+from\s+['"]undici['"]|require\(['"]undici['"]\)/.test(
            text,
          ),
        ]).toEqual([file, false]);
      }
    }
    imported.delete('');
    expect([...imported]).toEqual(['ProxyAgent']);
  });

  it('is what npm ci installs from the lock file, under the MIT licence', () => {
    const pkg = readJson('package.json') as {
      dependencies: Record<string, string>;
      overrides: Record<string, string>;
    };
    // Overriding undici with "$undici" gives http-client the root's own dependency on the stub
    // folder; a file: path in a nested override would be read from http-client's folder.
    expect(pkg.dependencies['undici']).toBe('file:stubs/undici');
    expect(pkg.overrides['undici']).toBe('$undici');
    const lock = readJson('package-lock.json') as {
      packages: Record<string, { resolved?: string; link?: boolean; license?: string }>;
    };
    const installed = Object.entries(lock.packages).filter(([path]) =>
      /(^|\/)node_modules\/undici$/.test(path),
    );
    expect(installed).toEqual([['node_modules/undici', { resolved: 'stubs/undici', link: true }]]);
    expect(lock.packages['stubs/undici']).toMatchObject({ license: 'MIT' });
    expect(readJson('stubs/undici/package.json')).toMatchObject({ name: 'undici', license: 'MIT' });
  });
});
