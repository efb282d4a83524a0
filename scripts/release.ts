/**
 * `npm run release -- X.Y.Z`: cuts a release locally, for a maintainer to review and push.
 *
 * Bumps package.json, package-lock.json and src/version.ts to X.Y.Z, moves `## [Unreleased]` in
 * CHANGELOG.md to `## [X.Y.Z] - <today>`, rebuilds dist/ (so the bundle names the new version),
 * commits, and creates the annotated tag vX.Y.Z. It pushes nothing: pushing the tag starts the
 * release workflow (.github/workflows/release.yml), which publishes the release and moves `vX`.
 *
 * Refuses, before changing anything: a version that is not MAJOR.MINOR.PATCH or not greater than
 * the current one, uncommitted or untracked files, an empty Unreleased section, an existing tag.
 *
 * RELEASE_BUNDLE_COMMAND replaces `npm run bundle` (the tests point it at `true`).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  compareVersions,
  formatVersion,
  isoDate,
  packageVersion,
  parseVersion,
  ReleaseError,
  releaseChangelog,
  setActionVersion,
  setLockVersion,
  setPackageVersion,
} from './versioning.js';

export interface ReleaseOptions {
  /** The repository's root. */
  cwd: string;
  /** The new version, MAJOR.MINOR.PATCH. */
  version: string;
  /** Its date in the CHANGELOG. */
  date: Date;
  /** Rebuilds dist/ (a shell command). */
  bundleCommand: string;
  log: (line: string) => void;
}

export interface Release {
  tag: string;
  commit: string;
}

export function cutRelease(options: ReleaseOptions): Release {
  const { cwd, log } = options;
  const git = (...args: string[]): string =>
    execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  const path = (file: string): string => join(cwd, file);
  const read = (file: string): string => readFileSync(path(file), 'utf8');

  const next = parseVersion(options.version);
  const version = formatVersion(next);
  const tag = `v${version}`;
  const dirty = git('status', '--porcelain');
  if (dirty) {
    throw new ReleaseError(
      `The work tree has uncommitted or untracked files; commit or stash them first:\n${dirty}`,
    );
  }
  const current = packageVersion(read('package.json'));
  if (compareVersions(next, parseVersion(current)) <= 0) {
    throw new ReleaseError(`${version} is not greater than the current version ${current}.`);
  }
  // Checks the Unreleased section (and the links) before any file changes.
  const changelog = releaseChangelog(read('CHANGELOG.md'), version, isoDate(options.date));
  if (git('tag', '--list', tag)) throw new ReleaseError(`The tag ${tag} exists already.`);

  writeFileSync(path('CHANGELOG.md'), changelog);
  writeFileSync(path('package.json'), setPackageVersion(read('package.json'), version));
  writeFileSync(path('package-lock.json'), setLockVersion(read('package-lock.json'), version));
  writeFileSync(path('src/version.ts'), setActionVersion(read('src/version.ts'), version));
  log(`${current} → ${version}: package.json, package-lock.json, src/version.ts, CHANGELOG.md`);

  log(`Rebuilding dist/: ${options.bundleCommand}`);
  const bundle = spawnSync(options.bundleCommand, { cwd, shell: true, stdio: 'inherit' });
  if (bundle.status !== 0) {
    throw new ReleaseError(
      `"${options.bundleCommand}" failed; nothing is committed. Undo the edits with "git checkout -- ." and try again.`,
    );
  }

  git('add', '--all');
  git('commit', '--quiet', '--message', `Release ${version}`);
  git('tag', '--annotate', tag, '--message', `hindsite-redeliver-action ${version}`);
  return { tag, commit: git('rev-parse', 'HEAD') };
}

function main(): void {
  const [version, ...rest] = process.argv.slice(2);
  if (!version || rest.length > 0) {
    console.error('Usage: npm run release -- X.Y.Z');
    process.exitCode = 2;
    return;
  }
  try {
    const { tag, commit } = cutRelease({
      cwd: process.cwd(),
      version,
      date: new Date(),
      bundleCommand: process.env['RELEASE_BUNDLE_COMMAND'] || 'npm run bundle',
      log: (line) => console.log(line),
    });
    console.log(
      [
        `Committed ${commit.slice(0, 12)} and tagged it ${tag}. Nothing is pushed yet.`,
        'Review it (git show), then push the commit and the tag together:',
        '',
        `  git push --atomic origin HEAD ${tag}`,
        '',
        `The tag starts the release workflow: it checks ${tag}, publishes the release and moves the major tag.`,
      ].join('\n'),
    );
  } catch (error) {
    if (!(error instanceof ReleaseError)) throw error;
    console.error(`Release refused: ${error.message}`);
    process.exitCode = 1;
  }
}

if (resolve(process.argv[1] ?? '') === fileURLToPath(import.meta.url)) main();
