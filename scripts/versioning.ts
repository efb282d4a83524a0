/**
 * The pure parts of a release, shared by `npm run release` (scripts/release.ts), which cuts one, and
 * the release workflow's check (scripts/release-check.ts), which verifies a pushed tag: version
 * parsing and ordering, the CHANGELOG edit, the release notes, and the version fields of
 * package.json, package-lock.json and src/version.ts. Text in, text out; no file or git access.
 */

/** A refusal written for the maintainer who ran the command. */
export class ReleaseError extends Error {
  override name = 'ReleaseError';
}

export interface Version {
  major: number;
  minor: number;
  patch: number;
}

const RELEASE_VERSION = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

/**
 * A release version: MAJOR.MINOR.PATCH only. Pre-releases are refused: the workflow publishes
 * full versions and moves the major tag to them, which a pre-release must never do.
 */
export function parseVersion(text: string): Version {
  const match = RELEASE_VERSION.exec(text);
  if (!match) {
    throw new ReleaseError(
      `"${text}" is not a release version: give MAJOR.MINOR.PATCH, such as 1.2.3 (no "v" prefix, no pre-release suffix).`,
    );
  }
  return { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]) };
}

/** The version a release tag names: `v1.2.3` is 1.2.3. */
export function parseTag(tag: string): Version {
  if (!tag.startsWith('v')) {
    throw new ReleaseError(`"${tag}" is not a release tag: release tags are vMAJOR.MINOR.PATCH.`);
  }
  return parseVersion(tag.slice(1));
}

export const formatVersion = (version: Version): string =>
  `${version.major}.${version.minor}.${version.patch}`;

/** Negative when `a` comes before `b`, zero when equal, positive after. */
export function compareVersions(a: Version, b: Version): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

// ---------------------------------------------------------------------------------------------
// CHANGELOG.md (Keep a Changelog): `## [Unreleased]`, then `## [1.2.3] - 2026-11-29` sections,
// optionally link definitions (`[Unreleased]: https://…/compare/v1.2.3...HEAD`) at the end.

interface Section {
  /** What the heading names: `Unreleased` or a version. */
  name: string;
  /** Index of the heading line. */
  heading: number;
  /** Index of the line after the section's last line. */
  end: number;
}

const LINK_DEFINITION = /^\[[^\]]+\]:\s/;

function sections(lines: string[]): Section[] {
  const found: Section[] = [];
  lines.forEach((line, index) => {
    const heading = /^## \[([^\]]+)\]/.exec(line);
    if (heading) {
      const last = found.at(-1);
      if (last) last.end = index;
      found.push({ name: heading[1] as string, heading: index, end: lines.length });
    }
  });
  // The last section ends where the link definitions start.
  const last = found.at(-1);
  if (last) {
    let end = last.end;
    while (
      end > last.heading + 1 &&
      (LINK_DEFINITION.test(lines[end - 1] ?? '') || !lines[end - 1]?.trim())
    )
      end--;
    last.end = end;
  }
  return found;
}

const body = (lines: string[], section: Section): string =>
  lines
    .slice(section.heading + 1, section.end)
    .join('\n')
    .trim();

function unreleasedSection(lines: string[]): Section {
  const section = sections(lines).find((candidate) => candidate.name === 'Unreleased');
  if (!section) throw new ReleaseError('CHANGELOG.md has no "## [Unreleased]" section.');
  return section;
}

/** What `## [Unreleased]` holds (trimmed; empty when nothing was added). */
export function unreleasedNotes(changelog: string): string {
  const lines = changelog.split('\n');
  return body(lines, unreleasedSection(lines));
}

/** The version of the newest released section (the first heading that is not Unreleased). */
export function topReleasedVersion(changelog: string): string | undefined {
  return sections(changelog.split('\n')).find((section) => section.name !== 'Unreleased')?.name;
}

/** The body of `## [version]`: the release notes. */
export function releaseNotes(changelog: string, version: string): string {
  const lines = changelog.split('\n');
  const section = sections(lines).find((candidate) => candidate.name === version);
  if (!section) throw new ReleaseError(`CHANGELOG.md has no "## [${version}]" section.`);
  const notes = body(lines, section);
  if (!notes) throw new ReleaseError(`CHANGELOG.md's "## [${version}]" section is empty.`);
  return notes;
}

/**
 * Moves what `## [Unreleased]` holds under `## [version] - date`, with a fresh empty Unreleased
 * section above it, and updates the compare links when the changelog has them.
 */
export function releaseChangelog(changelog: string, version: string, date: string): string {
  const lines = changelog.split('\n');
  const unreleased = unreleasedSection(lines);
  if (!body(lines, unreleased)) {
    throw new ReleaseError(
      'Nothing to release: "## [Unreleased]" in CHANGELOG.md is empty. Say what changed first.',
    );
  }
  if (sections(lines).some((section) => section.name === version)) {
    throw new ReleaseError(`CHANGELOG.md already has a "## [${version}]" section.`);
  }
  const edited = [
    ...lines.slice(0, unreleased.heading),
    '## [Unreleased]',
    '',
    `## [${version}] - ${date}`,
    ...lines.slice(unreleased.heading + 1),
  ];
  return updateCompareLinks(edited, version).join('\n');
}

/**
 * `[Unreleased]: <repo>/compare/v1.0.0...HEAD` becomes `…/compare/v1.1.0...HEAD`, followed by
 * `[1.1.0]: <repo>/compare/v1.0.0...v1.1.0`. A changelog without links is left as it is.
 */
function updateCompareLinks(lines: string[], version: string): string[] {
  const index = lines.findIndex((line) => /^\[Unreleased\]:\s/i.test(line));
  if (index < 0) return lines;
  const link = /^\[Unreleased\]:\s*(\S+)\/compare\/(\S+)\.\.\.HEAD\s*$/i.exec(lines[index] ?? '');
  if (!link) {
    throw new ReleaseError(
      `CHANGELOG.md's "[Unreleased]:" link is not of the form <repository>/compare/<tag>...HEAD; update it by hand.`,
    );
  }
  const [, repository, previous] = link;
  return [
    ...lines.slice(0, index),
    `[Unreleased]: ${repository}/compare/v${version}...HEAD`,
    `[${version}]: ${repository}/compare/${previous}...v${version}`,
    ...lines.slice(index + 1),
  ];
}

/** Today as YYYY-MM-DD in the maintainer's own time zone (Keep a Changelog's date). */
export function isoDate(date: Date): string {
  const pad = (value: number): string => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

// ---------------------------------------------------------------------------------------------
// The version fields.

const PACKAGE_VERSION = /^( {2}"version":\s*")([^"]*)(")/m;
const ACTION_VERSION = /^(export const ACTION_VERSION = ')([^']*)(';)$/m;

function field(text: string, pattern: RegExp, file: string): string {
  const match = pattern.exec(text);
  if (!match) throw new ReleaseError(`${file}: no version field found.`);
  return match[2] as string;
}

function replaceField(text: string, pattern: RegExp, file: string, version: string): string {
  field(text, pattern, file);
  return text.replace(pattern, (_all, before: string, _old: string, after: string) => {
    return `${before}${version}${after}`;
  });
}

export const packageVersion = (text: string): string =>
  field(text, PACKAGE_VERSION, 'package.json');

/** package.json with a new top-level version, every other byte as it was. */
export const setPackageVersion = (text: string, version: string): string =>
  replaceField(text, PACKAGE_VERSION, 'package.json', version);

export const actionVersion = (text: string): string =>
  field(text, ACTION_VERSION, 'src/version.ts');

export const setActionVersion = (text: string, version: string): string =>
  replaceField(text, ACTION_VERSION, 'src/version.ts', version);

interface Lockfile {
  version?: string;
  packages?: Record<string, { version?: string }>;
}

/** The lock file's two copies of the project version: its own and its root package's. */
export function lockVersions(text: string): [string | undefined, string | undefined] {
  const lock = JSON.parse(text) as Lockfile;
  return [lock.version, lock.packages?.['']?.version];
}

/** package-lock.json with the new version in both places, written as npm writes it. */
export function setLockVersion(text: string, version: string): string {
  const lock = JSON.parse(text) as Lockfile;
  lock.version = version;
  const root = lock.packages?.[''];
  if (root) root.version = version;
  return `${JSON.stringify(lock, null, 2)}\n`;
}

// ---------------------------------------------------------------------------------------------
// The release workflow's check of a pushed tag.

export interface ReleaseFiles {
  packageJson: string;
  packageLock: string;
  versionTs: string;
  changelog: string;
}

/**
 * Why `tag` cannot be published from these files (empty when it can): every file that names the
 * version must name the tag's, and the CHANGELOG's newest section must be that version, with notes.
 */
export function tagProblems(tag: string, files: ReleaseFiles): string[] {
  let version: string;
  try {
    version = formatVersion(parseTag(tag));
  } catch (error) {
    return [(error as Error).message];
  }
  const problems: string[] = [];
  const expect = (what: string, found: string | undefined): void => {
    if (found !== version) problems.push(`${what} is ${found ?? 'missing'}, not ${version}.`);
  };
  const attempt = (work: () => void): void => {
    try {
      work();
    } catch (error) {
      problems.push((error as Error).message);
    }
  };
  attempt(() => expect("package.json's version", packageVersion(files.packageJson)));
  attempt(() => {
    const [own, root] = lockVersions(files.packageLock);
    expect("package-lock.json's version", own);
    expect('package-lock.json\'s packages[""].version', root);
  });
  attempt(() => expect('ACTION_VERSION in src/version.ts', actionVersion(files.versionTs)));
  expect("CHANGELOG.md's newest release section", topReleasedVersion(files.changelog));
  attempt(() => releaseNotes(files.changelog, version));
  return problems;
}
