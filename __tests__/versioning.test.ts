import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import {
  compareVersions,
  isoDate,
  packageVersion,
  parseTag,
  parseVersion,
  releaseChangelog,
  releaseNotes,
  setActionVersion,
  setLockVersion,
  setPackageVersion,
  tagProblems,
  topReleasedVersion,
  unreleasedNotes,
  type ReleaseFiles,
} from '../scripts/versioning.js';

const read = (path: string): string => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');

const CHANGELOG = `# Changelog

Intro.

## [Unreleased]

### Fixed

- A fix.

## [1.1.0] - 2026-12-01

### Added

- A feature.

## [1.0.0] - 2026-11-29

- First.
`;

describe('versions', () => {
  it('accepts MAJOR.MINOR.PATCH only', () => {
    expect(parseVersion('1.20.3')).toEqual({ major: 1, minor: 20, patch: 3 });
    expect(parseTag('v0.0.1')).toEqual({ major: 0, minor: 0, patch: 1 });
    for (const bad of [
      '1.2',
      'v1.2.3',
      '1.2.3-rc.1',
      '1.2.3+build',
      '01.2.3',
      '1.2.x',
      ' 1.2.3',
      '',
    ])
      expect(() => parseVersion(bad)).toThrow(/is not a release version: give MAJOR\.MINOR\.PATCH/);
    expect(() => parseTag('1.2.3')).toThrow(/not a release tag/);
  });

  it('orders by major, then minor, then patch, numerically', () => {
    const order = ['1.0.0', '1.0.1', '1.2.0', '1.10.0', '2.0.0'].map(parseVersion);
    for (let i = 1; i < order.length; i++) {
      expect(compareVersions(order[i - 1]!, order[i]!)).toBeLessThan(0);
      expect(compareVersions(order[i]!, order[i - 1]!)).toBeGreaterThan(0);
    }
    expect(compareVersions(parseVersion('1.2.3'), parseVersion('1.2.3'))).toBe(0);
  });

  it('writes dates as YYYY-MM-DD in local time', () => {
    expect(isoDate(new Date(2026, 0, 5, 23, 59))).toBe('2026-01-05');
  });
});

describe('the CHANGELOG', () => {
  it('moves Unreleased under the new version, with an empty Unreleased above it', () => {
    const released = releaseChangelog(CHANGELOG, '1.2.0', '2026-12-24');
    expect(released).toBe(
      CHANGELOG.replace('## [Unreleased]\n', '## [Unreleased]\n\n## [1.2.0] - 2026-12-24\n'),
    );
    expect(unreleasedNotes(released)).toBe('');
    expect(topReleasedVersion(released)).toBe('1.2.0');
    expect(releaseNotes(released, '1.2.0')).toBe('### Fixed\n\n- A fix.');
  });

  it('gives the notes of any version, and of the last section without what follows it', () => {
    expect(releaseNotes(CHANGELOG, '1.1.0')).toBe('### Added\n\n- A feature.');
    expect(releaseNotes(CHANGELOG, '1.0.0')).toBe('- First.');
    expect(() => releaseNotes(CHANGELOG, '0.9.0')).toThrow(/no "## \[0\.9\.0\]" section/);
    expect(() => releaseNotes('## [1.0.0] - 2026-11-29\n\n', '1.0.0')).toThrow(/is empty/);
  });

  it('updates compare links when the changelog has them', () => {
    const withLinks = `${CHANGELOG}
[Unreleased]: https://github.com/o/r/compare/v1.1.0...HEAD
[1.1.0]: https://github.com/o/r/compare/v1.0.0...v1.1.0
[1.0.0]: https://github.com/o/r/releases/tag/v1.0.0
`;
    const released = releaseChangelog(withLinks, '1.1.1', '2026-12-24');
    expect(released.split('\n').filter((line) => line.startsWith('['))).toEqual([
      '[Unreleased]: https://github.com/o/r/compare/v1.1.1...HEAD',
      '[1.1.1]: https://github.com/o/r/compare/v1.1.0...v1.1.1',
      '[1.1.0]: https://github.com/o/r/compare/v1.0.0...v1.1.0',
      '[1.0.0]: https://github.com/o/r/releases/tag/v1.0.0',
    ]);
    // The links are not part of the last section's notes.
    expect(releaseNotes(released, '1.0.0')).toBe('- First.');
    expect(() =>
      releaseChangelog(`${CHANGELOG}\n[Unreleased]: https://example.com/\n`, '1.1.1', '2026-12-24'),
    ).toThrow(/update it by hand/);
  });

  it('refuses an empty or missing Unreleased section, and a version it already has', () => {
    const empty = releaseChangelog(CHANGELOG, '1.2.0', '2026-12-24');
    expect(() => releaseChangelog(empty, '1.2.1', '2026-12-25')).toThrow(
      /Nothing to release: "## \[Unreleased\]" in CHANGELOG\.md is empty/,
    );
    expect(() => releaseChangelog('# Changelog\n', '1.2.1', '2026-12-25')).toThrow(
      /no "## \[Unreleased\]" section/,
    );
    expect(() => releaseChangelog(CHANGELOG, '1.1.0', '2026-12-25')).toThrow(
      /already has a "## \[1\.1\.0\]" section/,
    );
  });
});

describe('the version fields', () => {
  it('change only the version in package.json, the lock file and src/version.ts', () => {
    const packageJson = read('package.json');
    const bumped = setPackageVersion(packageJson, '9.8.7');
    expect(JSON.parse(bumped)).toEqual({ ...JSON.parse(packageJson), version: '9.8.7' });
    expect(bumped.replace('9.8.7', '')).toBe(
      packageJson.replace(/"version": "[^"]*"/, '"version": ""'),
    );

    const lock = read('package-lock.json');
    const bumpedLock = JSON.parse(setLockVersion(lock, '9.8.7')) as {
      version: string;
      packages: Record<string, { version?: string }>;
    };
    expect([bumpedLock.version, bumpedLock.packages['']?.version]).toEqual(['9.8.7', '9.8.7']);
    // Written as npm writes it: the same bytes when the version is unchanged.
    const current = (JSON.parse(lock) as { version: string }).version;
    expect(setLockVersion(lock, current)).toBe(lock);

    const versionTs = read('src/version.ts');
    expect(setActionVersion(versionTs, '9.8.7')).toBe(
      versionTs.replace(/ACTION_VERSION = '[^']*'/, "ACTION_VERSION = '9.8.7'"),
    );
    expect(() => setActionVersion('export const VERSION = 1;\n', '9.8.7')).toThrow(
      /src\/version\.ts: no version field found/,
    );
  });
});

describe("the release workflow's check of a tag", () => {
  const files = (version: string, changelog = CHANGELOG): ReleaseFiles => ({
    packageJson: setPackageVersion(read('package.json'), version),
    packageLock: setLockVersion(read('package-lock.json'), version),
    versionTs: setActionVersion(read('src/version.ts'), version),
    changelog,
  });

  it('passes when every file names the tag', () => {
    expect(tagProblems('v1.1.0', files('1.1.0'))).toEqual([]);
  });

  it('names every file that disagrees', () => {
    const mixed = {
      ...files('1.1.0'),
      versionTs: setActionVersion(read('src/version.ts'), '1.0.0'),
    };
    expect(tagProblems('v1.1.0', mixed)).toEqual([
      'ACTION_VERSION in src/version.ts is 1.0.0, not 1.1.0.',
    ]);
    expect(tagProblems('v1.2.0', files('1.1.0'))).toEqual([
      "package.json's version is 1.1.0, not 1.2.0.",
      "package-lock.json's version is 1.1.0, not 1.2.0.",
      'package-lock.json\'s packages[""].version is 1.1.0, not 1.2.0.',
      'ACTION_VERSION in src/version.ts is 1.1.0, not 1.2.0.',
      "CHANGELOG.md's newest release section is 1.1.0, not 1.2.0.",
      'CHANGELOG.md has no "## [1.2.0]" section.',
    ]);
    expect(tagProblems('v1', files('1.1.0'))).toEqual([
      '"1" is not a release version: give MAJOR.MINOR.PATCH, such as 1.2.3 (no "v" prefix, no pre-release suffix).',
    ]);
  });
});

describe("this repository's version files and CHANGELOG", () => {
  const changelog = read('CHANGELOG.md');
  const current = packageVersion(read('package.json'));

  it('agree: the newest released section is the current version, or none while that is 0.0.0', () => {
    // Before the first release (1.0.0) nothing is published: 0.0.0, and only Unreleased.
    expect(topReleasedVersion(changelog) ?? '0.0.0').toBe(current);
  });

  it('pass the release check once the next version is cut (1.0.0 first)', () => {
    const { major, minor, patch } = parseVersion(current);
    const next = current === '0.0.0' ? '1.0.0' : `${major}.${minor}.${patch + 1}`;
    const withNotes = unreleasedNotes(changelog)
      ? changelog
      : changelog.replace('## [Unreleased]\n', '## [Unreleased]\n\n- A fix.\n');
    const released = releaseChangelog(withNotes, next, '2027-01-04');
    const files: ReleaseFiles = {
      packageJson: setPackageVersion(read('package.json'), next),
      packageLock: setLockVersion(read('package-lock.json'), next),
      versionTs: setActionVersion(read('src/version.ts'), next),
      changelog: released,
    };
    expect(tagProblems(`v${next}`, files)).toEqual([]);
    expect(releaseNotes(released, next)).toBe(unreleasedNotes(withNotes));
    expect(compareVersions(parseVersion(next), parseVersion(current))).toBeGreaterThan(0);
  });
});
