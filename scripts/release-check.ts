/**
 * The release workflow's check of a pushed tag, run in a checkout of that tag with main's history:
 *
 *   npx tsx scripts/release-check.ts vX.Y.Z [--main-ref REF] [--notes-file PATH] [--github-output PATH]
 *
 * Fails unless the checkout is the tagged commit, that commit is on main (an ancestor of REF), and
 * package.json, package-lock.json, src/version.ts and the CHANGELOG's newest section all name X.Y.Z.
 * A tag on a side branch is refused: publishing it would move `vX` for every user to a commit that
 * main never had.
 *
 * REF defaults to `origin/main`, or to a local `main` when there is no `origin/main` (a clone without
 * a remote). The workflow gives `--main-ref origin/main` so that nothing falls back there.
 *
 * Prints the verified commit; with `--github-output PATH` also appends `sha=<commit>` to PATH (the
 * workflow passes "$GITHUB_OUTPUT"), the one commit the release job may publish. Writes the
 * CHANGELOG section (the release notes) to the notes file.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parseTag, releaseNotes, tagProblems } from './versioning.js';

export const DEFAULT_MAIN_REF = 'origin/main';
const LOCAL_MAIN_REF = 'main';

export interface CheckOptions {
  /** The root of a checkout of the tag. */
  cwd: string;
  tag: string;
  /** The ref that is main; absent: `origin/main`, else a local `main`. */
  mainRef?: string | undefined;
}

export type CheckResult =
  | { ok: true; tag: string; commit: string; mainRef: string; notes: string }
  | { ok: false; tag: string; problems: string[] };

/** Everything that stops `tag` being published from the checkout at `cwd`, or what to publish. */
export function checkRelease(options: CheckOptions): CheckResult {
  const { cwd, tag } = options;
  const read = (file: string): string => readFileSync(join(cwd, file), 'utf8');
  const git = (...args: string[]): string =>
    execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  /** The commit `ref` names, or '' when it names none. */
  const commitOf = (ref: string): string => {
    const result = spawnSync('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], {
      cwd,
      encoding: 'utf8',
    });
    return result.status === 0 ? result.stdout.trim() : '';
  };

  const problems = tagProblems(tag, {
    packageJson: read('package.json'),
    packageLock: read('package-lock.json'),
    versionTs: read('src/version.ts'),
    changelog: read('CHANGELOG.md'),
  });
  const tagged = commitOf(`refs/tags/${tag}`);
  if (!tagged) problems.push(`There is no tag ${tag} in this repository.`);
  const head = git('rev-parse', 'HEAD');
  if (tagged && tagged !== head) problems.push(`HEAD is ${head}, not ${tag} (${tagged}).`);

  const main = whichMain(options.mainRef, commitOf);
  if ('problem' in main) problems.push(main.problem);
  else if (tagged) {
    const ancestor = spawnSync('git', ['merge-base', '--is-ancestor', tagged, main.commit], {
      cwd,
      encoding: 'utf8',
    });
    if (ancestor.status === 1) {
      let major = 'the major tag';
      try {
        major = `v${parseTag(tag).major}`;
      } catch {
        // tagProblems has said why the tag is not a release tag.
      }
      const shallow =
        git('rev-parse', '--is-shallow-repository') === 'true'
          ? ' This clone is shallow, so main may look shorter than it is: fetch its whole history (actions/checkout with fetch-depth: 0).'
          : '';
      problems.push(
        `${tag} is on commit ${tagged}, which is not on ${main.ref} (${main.commit}): releases come from main only, and publishing this one would move ${major} for every user to a commit main does not have. Delete the tag (git push --delete origin ${tag}), merge the change into main, and tag a commit of main.${shallow}`,
      );
    } else if (ancestor.status !== 0) {
      problems.push(
        `Could not tell whether ${tag} is on ${main.ref}: git merge-base said ${ancestor.stderr.trim() || `exit ${ancestor.status}`}.`,
      );
    }
  }

  if (problems.length > 0 || 'problem' in main) return { ok: false, tag, problems };
  return {
    ok: true,
    tag,
    commit: tagged,
    mainRef: main.ref,
    notes: releaseNotes(read('CHANGELOG.md'), tag.slice(1)),
  };
}

/** The ref that is main and its commit: the one asked for, else origin/main, else a local main. */
function whichMain(
  asked: string | undefined,
  commitOf: (ref: string) => string,
): { ref: string; commit: string } | { problem: string } {
  if (asked !== undefined) {
    const commit = commitOf(asked);
    if (commit) return { ref: asked, commit };
    return {
      problem: `There is no ${asked} here to check the tag against (--main-ref): fetch it (git fetch origin main), or name another ref.`,
    };
  }
  for (const ref of [DEFAULT_MAIN_REF, LOCAL_MAIN_REF]) {
    const commit = commitOf(ref);
    if (commit) return { ref, commit };
  }
  return {
    problem: `There is neither ${DEFAULT_MAIN_REF} nor a local ${LOCAL_MAIN_REF} here to check the tag against: fetch main (git fetch origin main), or give --main-ref.`,
  };
}

const USAGE =
  'Usage: tsx scripts/release-check.ts vX.Y.Z [--main-ref REF] [--notes-file PATH] [--github-output PATH]';

/** Where the command line runs: its arguments, folder and streams. */
export interface CommandLine {
  args: string[];
  cwd: string;
  out: (line: string) => void;
  err: (line: string) => void;
}

/** The command line (see the top of the file); returns the exit code: 0, 1 refused, 2 usage. */
export function releaseCheckCli({ args, cwd, out, err }: CommandLine): number {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        'main-ref': { type: 'string' },
        'notes-file': { type: 'string' },
        'github-output': { type: 'string' },
      },
    });
  } catch (error) {
    err(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const { positionals, values } = parsed;
  const [tag, ...rest] = positionals;
  const empty = Object.entries(values).find(([, value]) => value === '');
  if (!tag || rest.length > 0 || empty) {
    err(empty ? `--${empty[0]} needs a value.\n${USAGE}` : USAGE);
    return 2;
  }

  const result = checkRelease({ cwd, tag, mainRef: values['main-ref'] });
  if (!result.ok) {
    for (const problem of result.problems) err(`::error::${tag}: ${problem}`);
    return 1;
  }
  if (values['notes-file']) writeFileSync(resolve(cwd, values['notes-file']), `${result.notes}\n`);
  if (values['github-output']) {
    appendFileSync(resolve(cwd, values['github-output']), `sha=${result.commit}\n`);
  }
  out(
    `${tag} is ready to publish: commit ${result.commit}, on ${result.mainRef}. Release notes:\n\n${result.notes}`,
  );
  return 0;
}

if (resolve(process.argv[1] ?? '') === fileURLToPath(import.meta.url)) {
  process.exitCode = releaseCheckCli({
    args: process.argv.slice(2),
    cwd: process.cwd(),
    out: (line) => console.log(line),
    err: (line) => console.error(line),
  });
}
