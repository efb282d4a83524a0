/**
 * The release workflow's check of a pushed tag, run in a checkout of that tag:
 *
 *   npx tsx scripts/release-check.ts vX.Y.Z [--notes-file PATH]
 *
 * Fails unless the checkout is the tagged commit and package.json, package-lock.json,
 * src/version.ts and the CHANGELOG's newest section all name X.Y.Z. Writes that CHANGELOG section
 * (the release notes) to PATH.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { releaseNotes, tagProblems } from './versioning.js';

const [tag, option, notesFile] = process.argv.slice(2);
if (!tag || (option !== undefined && (option !== '--notes-file' || !notesFile))) {
  console.error('Usage: tsx scripts/release-check.ts vX.Y.Z [--notes-file PATH]');
  process.exit(2);
}

const cwd = process.cwd();
const read = (file: string): string => readFileSync(join(cwd, file), 'utf8');
const git = (...args: string[]): string =>
  execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

const problems = tagProblems(tag, {
  packageJson: read('package.json'),
  packageLock: read('package-lock.json'),
  versionTs: read('src/version.ts'),
  changelog: read('CHANGELOG.md'),
});
let tagged = '';
try {
  tagged = git('rev-parse', '--verify', '--quiet', `refs/tags/${tag}^{commit}`);
} catch {
  problems.push(`There is no tag ${tag} in this repository.`);
}
const head = git('rev-parse', 'HEAD');
if (tagged && tagged !== head) problems.push(`HEAD is ${head}, not ${tag} (${tagged}).`);

if (problems.length > 0) {
  for (const problem of problems) console.error(`::error::${tag}: ${problem}`);
  process.exit(1);
}
const notes = releaseNotes(read('CHANGELOG.md'), tag.slice(1));
if (notesFile) writeFileSync(notesFile, `${notes}\n`);
console.log(`${tag} is ready to publish (commit ${head}). Release notes:\n\n${notes}`);
