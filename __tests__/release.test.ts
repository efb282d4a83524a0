/**
 * The release flow end to end, on a scratch repository: `npm run release` cuts a release, the
 * maintainer pushes it to a (local, bare) origin, and the release workflow's own commands check the
 * tag (on main, versions right), guard against a tag moved since the check, and move the major tag
 * to the checked commit, as .github/workflows/release.yml runs them.
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
import { releaseCheckCli } from '../scripts/release-check.js';
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
  '.ci/check-tag-commit',
  '.ci/move-major-tag',
];
/**
 * The workflow runs `npx tsx`, and `npm run release` runs tsx; the same tsx, loaded into node as
 * its CLI does, without npx's or npm's start-up or the CLI's own process. The release check runs
 * so once, as the workflow runs it; every other check calls the same command line in this process
 * (`check`).
 */
const TSX = [process.execPath, '--import', 'tsx'] as const;
const NOTES = '### Fixed\n\n- A fix made in the scratch repository.';

const current = packageVersion(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const { major, minor, patch } = parseVersion(current);
const next = `${major}.${minor}.${patch + 1}`;
const majorTag = `v${major}`;

// The children are plain processes: not jest's ESM flag, and no identity or signing of the user's.
const env: NodeJS.ProcessEnv = { ...process.env, RELEASE_BUNDLE_COMMAND: 'true' };
delete env['NODE_OPTIONS'];

/** A command that is expected to fail: its exit status and what it printed. */
function fail(cwd: string, command: string, ...args: string[]) {
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The CHANGELOG with something under Unreleased. */
const withUnreleased = (changelog: string): string =>
  // Up to the next section, or to the end before the first release.
  changelog.replace(/## \[Unreleased\][\s\S]*?(?=\n## \[|$)/, `## [Unreleased]\n\n${NOTES}\n`);

function run(cwd: string, command: string, ...args: string[]): string {
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} exited ${result.status}:\n${result.stdout}${result.stderr}`,
    );
  }
  return result.stdout.trim();
}

/** `tsx scripts/release-check.ts ARGS` run in `cwd`, in this process: its status and output. */
function check(cwd: string, ...args: string[]) {
  let stdout = '';
  let stderr = '';
  const status = releaseCheckCli({
    args,
    cwd,
    out: (line) => (stdout += `${line}\n`),
    err: (line) => (stderr += `${line}\n`),
  });
  return { status, stdout, stderr };
}

let dir: string;
let work: string;
let origin: string;
let first: string;
/** The workflow's checkout of the tag (made by the publishing test). */
let runner: string;
/** The commit of v<next>, as the check verified it. */
let released: string;
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
  // This repository's CHANGELOG, with something to release whatever its Unreleased holds today.
  writeFileSync(
    join(work, 'CHANGELOG.md'),
    withUnreleased(readFileSync(join(ROOT, 'CHANGELOG.md'), 'utf8')),
  );
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
    // `npm run release -- X.Y.Z` is `tsx scripts/release.ts X.Y.Z`, run here without npm's and
    // tsx's own processes in front.
    const { scripts } = JSON.parse(readFileSync(join(work, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(scripts['release']).toBe('TSX_DISABLE_CACHE=1 node --import tsx scripts/release.ts');
    const output = run(work, ...TSX, 'scripts/release.ts', next);
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

  it('publishes as the workflow does: the tag checked, its commit handed on, vX moved to it', () => {
    git(work, 'push', '--quiet', '--atomic', 'origin', 'HEAD', `v${next}`);
    released = commitOf(work, `v${next}`);

    // The workflow's checkout of the tag, with the whole history (fetch-depth: 0), so origin/main.
    runner = join(dir, 'runner');
    git(dir, 'clone', '--quiet', '--branch', `v${next}`, origin, runner);
    symlinkSync(join(ROOT, 'node_modules'), join(runner, 'node_modules'));

    const notesFile = join(dir, 'notes.md');
    const outputFile = join(dir, 'github-output');
    const output = run(
      runner,
      ...TSX,
      'scripts/release-check.ts',
      `v${next}`,
      '--main-ref',
      'origin/main',
      '--notes-file',
      notesFile,
      '--github-output',
      outputFile,
    );
    expect(output).toContain(`v${next} is ready to publish: commit ${released}, on origin/main.`);
    expect(readFileSync(notesFile, 'utf8')).toBe(`${NOTES}\n`);
    // The check job's `sha` output, which the release job checks out and publishes.
    expect(readFileSync(outputFile, 'utf8')).toBe(`sha=${released}\n`);

    const wrongTag = check(runner, `v${current}`);
    expect(wrongTag.status).toBe(1);
    expect(wrongTag.stderr).toContain(`package.json's version is ${next}, not ${current}.`);
    expect(wrongTag.stderr).toContain(`HEAD is ${commitOf(runner, 'HEAD')}, not v${current}`);

    // The release job: the tag still points at the checked commit, so it goes on.
    expect(run(runner, 'bash', '.ci/check-tag-commit', `v${next}`, released)).toContain(
      `v${next} still points at the verified ${released}.`,
    );

    expect(commitOf(origin, majorTag)).toBe(first);
    expect(run(runner, 'bash', '.ci/move-major-tag', `v${next}`, released)).toContain(
      `${majorTag} now points at ${released}`,
    );
    expect(commitOf(origin, majorTag)).toBe(released);
    // A plain tag, never a release's annotated tag.
    expect(git(origin, 'cat-file', '-t', majorTag)).toBe('commit');

    // Publishing the older version again leaves the major tag on the newest.
    expect(run(runner, 'bash', '.ci/move-major-tag', `v${current}`, first)).toContain(
      `${majorTag} stays where it is: origin has v${next}`,
    );
    expect(commitOf(origin, majorTag)).toBe(released);
  });

  it('refuses a tag whose commit is not on main, however right its versions', () => {
    const sideVersion = `${major}.${minor}.${patch + 2}`;
    const sideTag = `v${sideVersion}`;
    git(work, 'switch', '--quiet', '--create', 'side');
    writeFileSync(
      join(work, 'CHANGELOG.md'),
      withUnreleased(readFileSync(join(work, 'CHANGELOG.md'), 'utf8')),
    );
    git(work, 'commit', '--quiet', '--all', '--message', 'A change that never reached main');
    const { commit: sideCommit } = attempt(sideVersion)() as { commit: string };
    git(work, 'push', '--quiet', 'origin', 'side', sideTag);

    git(runner, 'fetch', '--quiet', '--tags', 'origin');
    git(runner, 'switch', '--quiet', '--detach', sideTag);
    const outputFile = join(dir, 'side-output');
    for (const mainRef of [['--main-ref', 'origin/main'], []]) {
      const refused = check(runner, sideTag, ...mainRef, '--github-output', outputFile);
      expect(refused.status).toBe(1);
      // The only problem: its versions and CHANGELOG are right, and it is checked out.
      expect(refused.stderr.trim().split('\n')).toEqual([
        expect.stringMatching(
          `^::error::${sideTag}: ${sideTag} is on commit ${sideCommit}, which is not on origin/main \\(${released}\\): releases come from main only, and publishing this one would move ${majorTag} for every user`,
        ),
      ]);
      expect(refused.stdout).toBe('');
    }
    expect(() => readFileSync(outputFile)).toThrow(/ENOENT/);
    // The ref that is main is the caller's choice: on the side branch, it would pass.
    const onSide = check(runner, sideTag, '--main-ref', 'origin/side');
    expect(onSide.status).toBe(0);
    expect(onSide.stdout).toContain(
      `${sideTag} is ready to publish: commit ${sideCommit}, on origin/side.`,
    );

    // The maintainer deletes the tag, as CONTRIBUTING.md says.
    git(work, 'push', '--quiet', 'origin', '--delete', sideTag, 'side');
    git(work, 'switch', '--quiet', 'main');
    git(runner, 'fetch', '--quiet', '--prune', '--prune-tags', 'origin');
    git(runner, 'switch', '--quiet', '--detach', `v${next}`);
  });

  it('falls back to a local main without origin/main, and refuses a main it cannot find', () => {
    const checkNext = (...args: string[]) => check(runner, `v${next}`, ...args);
    git(runner, 'branch', '--quiet', 'main', 'origin/main');
    git(runner, 'update-ref', '-d', 'refs/remotes/origin/main');
    try {
      const local = checkNext();
      expect(local.status).toBe(0);
      expect(local.stdout).toContain(`commit ${released}, on main.`);

      const missing = checkNext('--main-ref', 'origin/main');
      expect(missing.status).toBe(1);
      expect(missing.stderr).toContain(
        `::error::v${next}: There is no origin/main here to check the tag against (--main-ref): fetch it (git fetch origin main)`,
      );

      git(runner, 'branch', '--quiet', '--delete', '--force', 'main');
      const neither = checkNext();
      expect(neither.status).toBe(1);
      expect(neither.stderr).toContain(
        `::error::v${next}: There is neither origin/main nor a local main here`,
      );

      expect(checkNext('--main-ref').status).toBe(2);
    } finally {
      git(runner, 'fetch', '--quiet', 'origin');
    }
    expect(commitOf(runner, 'origin/main')).toBe(released);
  });

  it('publishes the checked commit only: a tag moved since the check is refused, vX goes to the commit', () => {
    // Someone moves the release tag on origin between the check job and the release job.
    git(work, 'commit', '--quiet', '--allow-empty', '--message', 'After the release');
    git(work, 'push', '--quiet', 'origin', 'main');
    git(work, 'tag', '--force', '--annotate', `v${next}`, '--message', 'moved');
    git(work, 'push', '--quiet', '--force', 'origin', `v${next}`);
    const moved = commitOf(work, 'HEAD');
    expect(commitOf(origin, `v${next}`)).toBe(moved);

    const refused = fail(runner, 'bash', '.ci/check-tag-commit', `v${next}`, released);
    expect(refused.status).toBe(1);
    expect(refused.stdout).toContain(
      `::error::v${next} was moved after the check: it points at ${moved}, not at the verified ${released}.`,
    );
    expect(fail(runner, 'bash', '.ci/check-tag-commit', `v${next}`).status).toBe(2);

    // Should the tag move once the release job has checked it, vX still goes to the checked commit.
    git(runner, 'push', '--quiet', '--force', 'origin', `${first}:refs/tags/${majorTag}`);
    expect(commitOf(origin, majorTag)).toBe(first);
    const output = run(runner, 'bash', '.ci/move-major-tag', `v${next}`, released);
    expect(output).toContain(`::warning::v${next} now points at ${moved}, not at the verified`);
    expect(output).toContain(`${majorTag} now points at ${released} (v${next}).`);
    expect(commitOf(origin, majorTag)).toBe(released);

    // The commit is required, in full, and must be here.
    const noCommit = fail(runner, 'bash', '.ci/move-major-tag', `v${next}`);
    expect(noCommit.status).toBe(2);
    expect(noCommit.stderr).toContain('Usage: .ci/move-major-tag vX.Y.Z SHA');
    expect(
      fail(runner, 'bash', '.ci/move-major-tag', `v${next}`, released.slice(0, 12)).status,
    ).toBe(2);
    const unknown = fail(runner, 'bash', '.ci/move-major-tag', `v${next}`, 'f'.repeat(40));
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain(`There is no commit ${'f'.repeat(40)} here`);
    expect(commitOf(origin, majorTag)).toBe(released);
  });
});
