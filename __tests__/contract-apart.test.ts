/**
 * The contract suite's table of assumptions (contract/assumptions.ts) checks the action's own wire
 * definitions, but is not part of the action: nothing in src/ imports contract/, the wire module
 * exports no assumption, and the bundle a runner executes carries none of the table's text.
 */
import { describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WIRE_ASSUMPTIONS } from '../contract/assumptions.js';
import * as wire from '../src/hindsite/wire.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SRC = join(ROOT, 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}

describe('the contract suite, apart from the action', () => {
  it('is imported by no file of src/: src/ imports only itself and packages', () => {
    const outside: string[] = [];
    for (const file of sourceFiles(SRC)) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/\b(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)) {
        const target = relative(SRC, normalize(join(dirname(file), match[1] as string)));
        if (target.startsWith('..')) outside.push(`${relative(ROOT, file)} -> ${match[1]}`);
      }
    }
    expect(outside).toEqual([]);
  });

  it('leaves the wire module with definitions and parsers only, no assumption', () => {
    const exported = Object.entries(wire);
    expect(exported.map(([name]) => name)).not.toContain('WIRE_ASSUMPTIONS');
    const rows = exported.filter(
      ([, value]) =>
        Array.isArray(value) &&
        value.some((item: unknown) => typeof item === 'object' && item !== null && 'why' in item),
    );
    expect(rows.map(([name]) => name)).toEqual([]);
  });

  it('still checks the wire module’s own field names (no copy of them)', () => {
    const deliveryId = WIRE_ASSUMPTIONS.find((row) => row.name === 'list: webhook_deliveries[].id');
    expect(deliveryId).toMatchObject({
      kind: 'field',
      path: [wire.REPLY_FIELDS.deliveries, '[]', wire.DELIVERY_FIELDS.id],
    });
  });

  it('is not in the bundle: dist/index.js carries none of the table’s explanations', () => {
    const bundle = join(ROOT, 'dist', 'index.js');
    expect(existsSync(bundle)).toBe(true);
    const text = readFileSync(bundle, 'utf8');
    const whys = [...new Set(WIRE_ASSUMPTIONS.map((row) => row.why))];
    expect(whys.length).toBeGreaterThan(20);
    expect(whys.filter((why) => text.includes(why))).toEqual([]);
  });
});
