/**
 * `npm ci` warns (EBADENGINE) for every installed package whose `engines.node` leaves out the Node
 * it runs on. CONTRIBUTING promises Node 20 or later, and CI and the action run the version in
 * `.node-version`: no package of the lock file may leave out either.
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

interface Semver {
  satisfies(version: string, range: string): boolean;
  intersects(range1: string, range2: string): boolean;
}
// semver ships no types of its own; these two functions are all this test needs.
const semver = createRequire(import.meta.url)('semver') as Semver;

const read = (path: string): string => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');

const lock = JSON.parse(read('package-lock.json')) as {
  packages: Record<string, { version?: string; engines?: { node?: string } }>;
};
const engines = Object.entries(lock.packages)
  .filter(([path, entry]) => path !== '' && entry.engines?.node)
  .map(([path, entry]) => ({ name: `${path}@${entry.version}`, node: entry.engines?.node ?? '' }));

/** The locked packages whose `engines.node` has no version of the Node line `major`. */
const leavingOut = (major: string): string[] =>
  engines.filter(({ node }) => !semver.intersects(node, `^${major}`)).map(({ name }) => name);

describe('the Node versions of the locked packages', () => {
  it('reads the engines of the lock file, and sees a package that leaves out an old Node', () => {
    expect(engines.length).toBeGreaterThan(100);
    // eslint 9 wants ^18.18.0 || ^20.9.0 || >=21.1.0.
    expect(leavingOut('16')).toContain(
      engines.find(({ name }) => name.startsWith('node_modules/eslint@'))?.name,
    );
  });

  it('has every package accept Node 20, the oldest Node CONTRIBUTING promises', () => {
    const manifest = JSON.parse(read('package.json')) as { engines: { node: string } };
    expect(manifest.engines.node).toBe('>=20');
    expect(leavingOut('20')).toEqual([]);
  });

  it("has every package accept CI's Node (.node-version)", () => {
    expect(leavingOut(read('.node-version').trim())).toEqual([]);
  });

  it('has every package accept the Node running the tests, as npm ci checks it', () => {
    expect(engines.filter(({ node }) => !semver.satisfies(process.versions.node, node))).toEqual(
      [],
    );
  });
});
