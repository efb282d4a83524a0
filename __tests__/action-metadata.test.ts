/**
 * action.yml as GitHub Marketplace reads it. The Marketplace validates the file at the release tag
 * and refuses to list a release whose metadata breaks its rules, and a fix needs a new release: so
 * the rules are checked here, before any tag.
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

interface ActionMetadata {
  name?: unknown;
  description?: unknown;
  branding?: { icon?: unknown; color?: unknown };
  inputs?: Record<string, { description?: unknown } | null>;
  outputs?: Record<string, { description?: unknown } | null>;
}

const action = parse(
  readFileSync(new URL('../action.yml', import.meta.url), 'utf8'),
) as ActionMetadata;

/** The Marketplace refuses a description of this many characters or more. */
const DESCRIPTION_LIMIT = 125;

/** branding.color: the Marketplace's badge colours, all of them. */
const MARKETPLACE_COLORS = [
  'white',
  'black',
  'yellow',
  'blue',
  'green',
  'orange',
  'red',
  'purple',
  'gray-dark',
];

/**
 * branding.icon: Feather icons (v4.28.0) that GitHub's "Metadata syntax" page lists as supported,
 * the few that suit this action. Not the whole list: before choosing another icon, check it is on
 * that page's "Exhaustive list of all currently supported icons" (brand icons and some others,
 * such as key and tool, are omitted), then add it here.
 */
const MARKETPLACE_ICONS = [
  'activity',
  'check-circle',
  'corner-up-right',
  'fast-forward',
  'inbox',
  'radio',
  'refresh-ccw',
  'refresh-cw',
  'repeat',
  'rotate-ccw',
  'rotate-cw',
  'rss',
  'send',
  'server',
  'shield',
  'upload-cloud',
  'zap',
];

const described = (entries: ActionMetadata['inputs']): [string, unknown][] =>
  Object.entries(entries ?? {}).map(([name, spec]) => [name, spec?.description]);

describe('action.yml, for the GitHub Marketplace', () => {
  it('has a name', () => {
    expect(typeof action.name).toBe('string');
    expect(String(action.name).trim()).not.toBe('');
  });

  it(`has a one-line description of fewer than ${DESCRIPTION_LIMIT} characters`, () => {
    expect(typeof action.description).toBe('string');
    const description = String(action.description);
    expect(description.trim()).not.toBe('');
    expect(description).not.toMatch(/\n/);
    expect([...description].length).toBeLessThan(DESCRIPTION_LIMIT);
  });

  it('has branding with an icon and a colour the Marketplace supports', () => {
    expect(MARKETPLACE_ICONS).toContain(action.branding?.icon);
    expect(MARKETPLACE_COLORS).toContain(action.branding?.color);
  });

  it('describes every input and every output', () => {
    const inputs = described(action.inputs);
    const outputs = described(action.outputs);
    expect(inputs.length).toBeGreaterThan(0);
    expect(outputs.length).toBeGreaterThan(0);
    for (const [name, description] of [...inputs, ...outputs]) {
      expect([name, typeof description]).toEqual([name, 'string']);
      expect([name, String(description).trim().length > 0]).toEqual([name, true]);
    }
  });
});
