/**
 * The release flow end to end, on a scratch repository: `npm run release` cuts a release, the
 * maintainer pushes it to a (local, bare) origin, and the release workflow's own commands check the
 * tag and move the major tag, as .github/workflows/release.yml runs them.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { cutRelease } from '../scripts/release.js';
import { isoDate, packageVersion, parseVersion, releaseNotes } from '../scripts/versioning.js';

const ROOT = resolve(import.meta.dirname, '..');
/** What the release script and the workflow's steps need, and nothing else. */
const FILES = [
  '.gitignore',
  'package.json',
  'package-lock.json',
  'src/version.ts',
  'scripts/release.ts',
  'scripts/release-check.ts',
  'scripts/versioning.ts',
  '.ci/move-major-tag',
];
/** The workflow runs `npx tsx`; the same tsx, without npx's start-up. */
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const NOTES = '### Fixed\n\n- A fix made in the scratch repository.';

const current = packageVersion(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const { major, minor, patch } = parseVersion(current);
const next = `${major}.${minor}.${patch + 1}`;
const majorTag = `v${major}`;

// The children are plain processes: not jest's ESM flag, and no identity or signing of the user's.
const env: NodeJS.ProcessEnv = { ...process.env, RELEASE_BUNDLE_COMMAND: 'true' };
delete env['NODE_OPTIONS'];

function run(cwd: string, command: string, ...args: string[]): string {
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} exited ${result.status}:\n${result.stdout}${result.stderr}`,
    );
  }
  return result.stdout.trim();
}

let dir: string;
let work: string;
let origin: string;
let first: string;
const git = (cwd: string, ...args: string[]): string => run(cwd, 'git', ...args);
const commitOf = (repo: string, ref: string): string => git(repo, 'rev-parse', `${ref}^{commit}`);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hindsite-release-'));
  work = join(dir, 'work');
  origin = join(dir, 'origin.git');
  for (const file of FILES) {
    mkdirSync(dirname(join(work, file)), { recursive: true });
    cpSync(join(ROOT, file), join(work, file));
  }
  // This repository's CHANGELOG, with something to release whatever its Unreleased holds today
  // (up to the next section, or to the end before the first release).
  const changelog = readFileSync(join(ROOT, 'CHANGELOG.md'), 'utf8').replace(
    /## \[Unreleased\][\s\S]*?(?=\n## \[|$)/,
    `## [Unreleased]\n\n${NOTES}\n`,
  );
  writeFileSync(join(work, 'CHANGELOG.md'), changelog);
  symlinkSync(join(ROOT, 'node_modules'), join(work, 'node_modules'));

  git(dir, 'init', '--quiet', '--initial-branch=main', work);
  for (const [key, value] of [
    ['user.name', 'Release Test'],
    ['user.email', 'release-test@example.com'],
    ['commit.gpgSign', 'false'],
    ['tag.gpgSign', 'false'],
  ])
    git(work, 'config', key as string, value as string);
  // A symlink is not the folder that .gitignore's `node_modules/` names.
  writeFileSync(join(work, '.git', 'info', 'exclude'), 'node_modules\n');
  git(work, 'add', '--all');
  git(work, 'commit', '--quiet', '--message', `Release ${current}`);
  git(work, 'tag', '--annotate', `v${current}`, '--message', current);
  git(work, 'tag', majorTag);
  first = git(work, 'rev-parse', 'HEAD');
  git(dir, 'init', '--quiet', '--bare', origin);
  git(work, 'remote', 'add', 'origin', origin);
  git(work, 'push', '--quiet', 'origin', 'main', `v${current}`, majorTag);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('npm run release, then the release workflow, on a scratch repository', () => {
  const attempt = (version: string): (() => unknown) => {
    return () =>
      cutRelease({ cwd: work, version, date: new Date(), bundleCommand: 'true', log: () => {} });
  };
  const unchanged = (): void => {
    expect(git(work, 'status', '--porcelain')).toBe('');
    expect(git(work, 'rev-parse', 'HEAD')).toBe(first);
  };

  it('refuses a bad version, a version not above the current one, and a dirty work tree', () => {
    expect(attempt(`${major}.${minor}`)).toThrow(/is not a release version/);
    expect(attempt(current)).toThrow(`${current} is not greater than the current version`);
    unchanged();
    writeFileSync(join(work, 'scratch.txt'), 'not committed');
    expect(attempt(next)).toThrow(/uncommitted or untracked files[\s\S]*scratch\.txt/);
    rmSync(join(work, 'scratch.txt'));
    unchanged();
  });

  it('bumps, commits and tags, and pushes nothing', () => {
    const output = run(work, 'npm', 'run', '--silent', 'release', '--', next);
    expect(output).toContain(`git push --atomic origin HEAD v${next}`);

    expect(git(work, 'status', '--porcelain')).toBe('');
    expect(git(work, 'log', '-1', '--format=%s')).toBe(`Release ${next}`);
    expect(git(work, 'show', '--name-only', '--format=', 'HEAD').split('\n').sort()).toEqual([
      'CHANGELOG.md',
      'package-lock.json',
      'package.json',
      'src/version.ts',
    ]);
    expect(git(work, 'cat-file', '-t', `v${next}`)).toBe('tag');
    expect(commitOf(work, `v${next}`)).toBe(git(work, 'rev-parse', 'HEAD'));
    const changelog = readFileSync(join(work, 'CHANGELOG.md'), 'utf8');
    expect(changelog).toContain(`## [Unreleased]\n\n## [${next}] - ${isoDate(new Date())}\n`);
    expect(releaseNotes(changelog, next)).toBe(NOTES);
    expect(readFileSync(join(work, 'src/version.ts'), 'utf8')).toContain(
      `ACTION_VERSION = '${next}'`,
    );
    expect(git(origin, 'tag', '--list')).not.toContain(`v${next}`);
  });

  it('refuses a second release with nothing under Unreleased', () => {
    const head = git(work, 'rev-parse', 'HEAD');
    expect(attempt(`${major}.${minor}.${patch + 2}`)).toThrow(/Nothing to release/);
    expect(git(work, 'rev-parse', 'HEAD')).toBe(head);
  });

  it('publishes as the workflow does: the tag checked, its notes, the major tag moved', () => {
    git(work, 'push', '--quiet', '--atomic', 'origin', 'HEAD', `v${next}`);

    // The workflow's checkout of the tag.
    const runner = join(dir, 'runner');
    git(dir, 'clone', '--quiet', '--branch', `v${next}`, origin, runner);
    symlinkSync(join(ROOT, 'node_modules'), join(runner, 'node_modules'));

    const notesFile = join(dir, 'notes.md');
    run(runner, TSX, 'scripts/release-check.ts', `v${next}`, '--notes-file', notesFile);
    expect(readFileSync(notesFile, 'utf8')).toBe(`${NOTES}\n`);
    const wrongTag = spawnSync(TSX, ['scripts/release-check.ts', `v${current}`], {
      cwd: runner,
      env,
      encoding: 'utf8',
    });
    expect(wrongTag.status).toBe(1);
    expect(wrongTag.stderr).toContain(`package.json's version is ${next}, not ${current}.`);
    expect(wrongTag.stderr).toContain(`HEAD is ${commitOf(runner, 'HEAD')}, not v${current}`);

    expect(commitOf(origin, majorTag)).toBe(first);
    expect(run(runner, 'bash', '.ci/move-major-tag', `v${next}`)).toContain(
      `${majorTag} now points at`,
    );
    expect(commitOf(origin, majorTag)).toBe(commitOf(origin, `v${next}`));
    expect(commitOf(origin, majorTag)).not.toBe(first);
    // A plain tag, never a release's annotated tag.
    expect(git(origin, 'cat-file', '-t', majorTag)).toBe('commit');

    // Publishing the older version again leaves the major tag on the newest.
    expect(run(runner, 'bash', '.ci/move-major-tag', `v${current}`)).toContain(
      `${majorTag} stays where it is: origin has v${next}`,
    );
    expect(commitOf(origin, majorTag)).toBe(commitOf(origin, `v${next}`));
  });
});
