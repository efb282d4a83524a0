/**
 * `npm run check:licenses` (run by .ci/run): every package bundled into dist/index.js must be under
 * a licence in ALLOWED_LICENSES. The bundled packages are the entries of dist/licenses.txt, which
 * ncc writes with the bundle; each is checked as ncc recorded it and as package-lock.json records
 * it, so that a licence missing from either fails the check instead of passing unseen.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Permissive licences that ask no more of a bundle than keeping their notice (dist/licenses.txt). */
export const ALLOWED_LICENSES: ReadonlySet<string> = new Set([
  '0BSD',
  'Apache-2.0',
  'BlueOak-1.0.0',
  'BSD-2-Clause',
  'BSD-3-Clause',
  'CC0-1.0',
  'ISC',
  'MIT',
  'MIT-0',
  'Unlicense',
]);

export interface BundledPackage {
  name: string;
  /** As dist/licenses.txt gives it; undefined when ncc found none. */
  license: string | undefined;
}

/**
 * The entries of an ncc licences file: for each package, its name on a line of its own, then its
 * licence (when it has one), then the licence text, entries separated by a blank line. A line is
 * taken for a package name only when the lock file knows that package, so that no licence text can
 * pass for an entry.
 */
export function parseLicensesFile(
  text: string,
  knownPackages: ReadonlySet<string>,
): BundledPackage[] {
  const lines = text.split('\n');
  const entries: BundledPackage[] = [];
  lines.forEach((line, index) => {
    const startsEntry = index === 0 || lines[index - 1] === '';
    if (!startsEntry || !knownPackages.has(line)) return;
    const next = lines[index + 1]?.trim();
    entries.push({ name: line, license: next && isLicenseExpression(next) ? next : undefined });
  });
  return entries;
}

/** An SPDX expression, as far as telling it from the first line of a licence text. */
function isLicenseExpression(text: string): boolean {
  return /^[\w.+()-]+( (AND|OR|WITH) [\w.+()-]+)*$/.test(text);
}

/**
 * Whether an SPDX expression lets us bundle the package: `A OR B` when either is allowed, `A AND B`
 * when both are, `A WITH exception` when A is (an exception only grants more).
 */
export function licenseAllowed(
  expression: string,
  allowed: ReadonlySet<string> = ALLOWED_LICENSES,
): boolean {
  const tokens = expression.match(/\(|\)|[^\s()]+/g) ?? [];
  let position = 0;
  const peek = (): string | undefined => tokens[position];
  const take = (): string | undefined => tokens[position++];

  function anyOf(): boolean {
    let result = allOf();
    while (peek() === 'OR') {
      take();
      result = allOf() || result;
    }
    return result;
  }
  function allOf(): boolean {
    let result = single();
    while (peek() === 'AND') {
      take();
      result = single() && result;
    }
    return result;
  }
  function single(): boolean {
    const token = take();
    let result: boolean;
    if (token === '(') {
      result = anyOf();
      if (take() !== ')') throw new SyntaxError(`unbalanced parentheses in "${expression}"`);
    } else {
      result = token !== undefined && allowed.has(token);
    }
    if (peek() === 'WITH') position += 2;
    return result;
  }

  try {
    const result = anyOf();
    return result && position === tokens.length;
  } catch {
    return false;
  }
}

interface Lockfile {
  packages: Record<string, { license?: string; link?: boolean; resolved?: string }>;
}

/**
 * Package name → the licences the lock file records for it (one per installed copy). A linked
 * package (a `file:` folder of this repository, such as stubs/undici) is recorded as a link to its
 * folder's entry, which holds its licence; a link to no entry has none.
 */
export function lockLicenses(lockText: string): Map<string, (string | undefined)[]> {
  const lock = JSON.parse(lockText) as Lockfile;
  const licenses = new Map<string, (string | undefined)[]>();
  for (const [path, entry] of Object.entries(lock.packages)) {
    const name = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)$/.exec(path)?.[1];
    const installed = entry.link ? lock.packages[entry.resolved ?? ''] : entry;
    if (name) licenses.set(name, [...(licenses.get(name) ?? []), installed?.license]);
  }
  return licenses;
}

/** The bundled packages, and why their licences are not acceptable (none when they are). */
export function checkLicenses(
  licensesTxt: string,
  lockText: string,
): { bundled: BundledPackage[]; problems: string[] } {
  const fromLock = lockLicenses(lockText);
  const bundled = parseLicensesFile(licensesTxt, new Set(fromLock.keys()));
  if (bundled.length === 0) {
    return { bundled, problems: ['dist/licenses.txt lists no package of package-lock.json.'] };
  }
  const problems: string[] = [];
  for (const { name, license } of bundled) {
    const recorded = [license, ...(fromLock.get(name) ?? [])];
    const refused = [...new Set(recorded)].filter((found) => !found || !licenseAllowed(found));
    if (refused.length > 0) {
      problems.push(
        `${name}: licence ${refused.map((found) => found ?? '(none)').join(', ')} is not in the allow-list.`,
      );
    }
  }
  return { bundled, problems };
}

function main(): void {
  const root = resolve(import.meta.dirname, '..');
  const read = (file: string): string => readFileSync(join(root, file), 'utf8');
  const { bundled, problems } = checkLicenses(read('dist/licenses.txt'), read('package-lock.json'));
  for (const problem of problems) console.error(problem);
  if (problems.length > 0) {
    console.error(
      `Allowed: ${[...ALLOWED_LICENSES].join(', ')}. Anything else needs a review before it is bundled (scripts/check-licenses.ts).`,
    );
    process.exitCode = 1;
    return;
  }
  const list = bundled.map((entry) => `${entry.name} ${entry.license}`).join(', ');
  console.log(`Licences: ${bundled.length} bundled packages, all allowed: ${list}.`);
}

if (resolve(process.argv[1] ?? '') === fileURLToPath(import.meta.url)) main();
