/**
 * The shape of src/: folders by stage, imports pointing one way (down main/index, report, run,
 * hindsite, settings, model), no circle, and a short way from the entry to the bottom. The lint
 * rule in eslint.config.js refuses an import that climbs to a folder above; this test also catches
 * a circle inside one folder and a chain of imports that grows too long.
 */
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = join(dirname(fileURLToPath(import.meta.url)), '..', 'src');
const LAYERS = ['model', 'settings', 'hindsite', 'run', 'report'];
const MAX_LEVELS = 8;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}

/** Each file of src/ (relative path) with the files of src/ it imports. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(SRC)) {
    const text = readFileSync(file, 'utf8');
    const imports = [...text.matchAll(/\bfrom\s+'(\.{1,2}\/[^']+)\.js'/g)].map((match) =>
      relative(SRC, normalize(join(dirname(file), `${match[1] as string}.ts`))),
    );
    graph.set(relative(SRC, file), imports);
  }
  return graph;
}

const layerOf = (file: string): number => {
  const folder = file.includes('/') ? (file.split('/')[0] as string) : '';
  return folder === '' ? LAYERS.length : LAYERS.indexOf(folder);
};

describe('the layout of src/', () => {
  const graph = importGraph();

  it('has at most 4 files directly in src/, and every other file in one of the stage folders', () => {
    const top = [...graph.keys()].filter((file) => !file.includes('/'));
    expect(top.length).toBeLessThanOrEqual(4);
    for (const file of graph.keys()) expect(layerOf(file)).toBeGreaterThanOrEqual(0);
    for (const file of graph.keys()) expect(file.split('/').length).toBeLessThanOrEqual(2);
  });

  it('imports only files that exist, in its own folder or a folder below', () => {
    for (const [file, imports] of graph) {
      for (const imported of imports) {
        expect([file, graph.has(imported)]).toEqual([file, true]);
        expect([file, imported, layerOf(imported) <= layerOf(file)]).toEqual([
          file,
          imported,
          true,
        ]);
      }
    }
  });

  it(`has no circle, and at most ${MAX_LEVELS} levels from the entry down`, () => {
    const levels = new Map<string, number>();
    const levelOf = (file: string, path: string[]): number => {
      if (path.includes(file)) throw new Error(`import circle: ${[...path, file].join(' -> ')}`);
      const known = levels.get(file);
      if (known !== undefined) return known;
      const level =
        1 + Math.max(0, ...(graph.get(file) ?? []).map((next) => levelOf(next, [...path, file])));
      levels.set(file, level);
      return level;
    };
    for (const file of graph.keys()) levelOf(file, []);
    expect(levelOf('index.ts', [])).toBeLessThanOrEqual(MAX_LEVELS);
  });
});
