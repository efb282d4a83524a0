import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { checkLicenses, licenseAllowed, parseLicensesFile } from '../scripts/check-licenses.js';

const read = (path: string): string => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');

const lock = (licenses: Record<string, string | undefined>): string =>
  JSON.stringify({
    packages: {
      '': { name: 'root' },
      ...Object.fromEntries(
        Object.entries(licenses).map(([path, license]) => [`node_modules/${path}`, { license }]),
      ),
    },
  });

// As ncc writes it: name, licence (when known), text, a blank line between entries. Texts have
// blank lines too; a line of text that names a package passes for an entry only if it follows a
// blank line, and then it fails the check (it has no licence): the parser fails closed.
const LICENSES_TXT = `@scope/first
MIT
The MIT License
permission

is granted.

dual
(MIT OR GPL-3.0-only)
Text.

gpl
GPL-3.0-only
GNU GENERAL PUBLIC LICENSE

nolicense
Some text that names no licence.
`;

describe('the licence check of the bundle', () => {
  it('reads the entries of an ncc licences file', () => {
    const known = new Set(['@scope/first', 'dual', 'gpl', 'nolicense', 'permission']);
    expect(parseLicensesFile(LICENSES_TXT, known)).toEqual([
      { name: '@scope/first', license: 'MIT' },
      { name: 'dual', license: '(MIT OR GPL-3.0-only)' },
      { name: 'gpl', license: 'GPL-3.0-only' },
      { name: 'nolicense', license: undefined },
    ]);
  });

  it('allows what the allow-list and SPDX expressions allow', () => {
    for (const allowed of ['MIT', 'ISC', '(MIT OR GPL-3.0-only)', 'MIT AND BSD-3-Clause'])
      expect([allowed, licenseAllowed(allowed)]).toEqual([allowed, true]);
    expect(licenseAllowed('Apache-2.0 WITH LLVM-exception')).toBe(true);
    expect(licenseAllowed('(GPL-2.0-only OR (MIT AND Apache-2.0))')).toBe(true);
    for (const refused of [
      'GPL-3.0-only',
      'MIT AND GPL-3.0-only',
      'SEE LICENSE IN LICENSE.md',
      'UNLICENSED',
      '(MIT',
      'MIT MIT',
      '',
    ])
      expect([refused, licenseAllowed(refused)]).toEqual([refused, false]);
  });

  it('names every bundled package whose licence is not allowed, as ncc or the lock file has it', () => {
    const { problems } = checkLicenses(
      LICENSES_TXT,
      lock({
        '@scope/first': 'MIT',
        dual: 'MIT',
        gpl: 'GPL-3.0-only',
        nolicense: undefined,
        'other/node_modules/@scope/first': 'AGPL-3.0-only',
      }),
    );
    expect(problems).toEqual([
      '@scope/first: licence AGPL-3.0-only is not in the allow-list.',
      'gpl: licence GPL-3.0-only is not in the allow-list.',
      'nolicense: licence (none) is not in the allow-list.',
    ]);
    expect(checkLicenses('', lock({})).problems).toEqual([
      'dist/licenses.txt lists no package of package-lock.json.',
    ]);
  });

  it("reads a linked package's licence from its folder's entry, and none from a broken link", () => {
    const lockText = JSON.stringify({
      packages: {
        '': { name: 'root' },
        'node_modules/stubbed': { resolved: 'stubs/stubbed', link: true },
        'stubs/stubbed': { version: '0.0.0-stub', license: 'MIT' },
        'node_modules/dangling': { resolved: 'stubs/gone', link: true },
      },
    });
    expect(checkLicenses('stubbed\nMIT\n\ndangling\nMIT\n', lockText).problems).toEqual([
      'dangling: licence (none) is not in the allow-list.',
    ]);
  });

  it('passes the committed bundle', () => {
    const { bundled, problems } = checkLicenses(
      read('dist/licenses.txt'),
      read('package-lock.json'),
    );
    expect(problems).toEqual([]);
    expect(bundled.map((entry) => entry.name)).toEqual(
      expect.arrayContaining(['@actions/core', '@actions/http-client']),
    );
  });
});
