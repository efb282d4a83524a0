import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { renderPolicyTable } from '../src/hindsite/policy.js';
import { actionYaml } from './support/runner.js';
import { unpinnedActions } from '../scripts/lint-workflows.js';

const README = readFileSync(join(resolve(import.meta.dirname, '..'), 'README.md'), 'utf8');

/** The cells of a Markdown table's rows, header and separator included. */
const cellsOf = (lines: string[]): string[][] =>
  lines.map((line) =>
    line
      .slice(1, -1)
      .split(/(?<!\\)\|/)
      .map((cell) => cell.trim().replace(/^-+$/, '---')),
  );

/** The rows of the first Markdown table after `marker`, header included. */
function tableAt(marker: string): string[][] {
  const lines = (README.split(marker)[1] ?? '').split('\n');
  const start = lines.findIndex((line) => line.startsWith('|'));
  const end = lines.findIndex((line, index) => index > start && !line.startsWith('|'));
  return cellsOf(lines.slice(start, end));
}

/** The rows of the first Markdown table after `## heading`, without its header. */
function tableAfter(heading: string): string[][] {
  const lines = (README.split(`\n## ${heading}\n`)[1] ?? '').split('\n');
  const start = lines.findIndex((line) => line.startsWith('|'));
  const end = lines.findIndex((line, index) => index > start && !line.startsWith('|'));
  return lines.slice(start + 2, end).map((line) =>
    line
      .slice(1, -1)
      .split(/(?<!\\)\|/)
      .map((cell) => cell.trim()),
  );
}

const unquote = (cell: string): string => cell.replace(/^`(.*)`$/, '$1');
const yamlBlocks = [...README.matchAll(/```yaml\n([\s\S]*?)```/g)].map(
  (match) => match[1] as string,
);

describe('README', () => {
  it('shows the retry policy exactly as src/policy.ts applies it', () => {
    expect(tableAt('<!-- retry-policy:')).toEqual(cellsOf(renderPolicyTable().split('\n')));
  });

  it('lists every input of action.yml with its default and description, in order', () => {
    const rows = tableAfter('Inputs').map(([name, fallback, description]) => [
      unquote(name ?? ''),
      unquote(fallback ?? ''),
      description,
    ]);
    expect(rows).toEqual(
      Object.entries(actionYaml.inputs).map(([name, spec]) => [
        name,
        spec.default ?? '',
        spec.description,
      ]),
    );
  });

  it('lists every output of action.yml with its description, in order', () => {
    const rows = tableAfter('Outputs').map(([name, description]) => [
      unquote(name ?? ''),
      description,
    ]);
    expect(rows).toEqual(
      Object.entries(actionYaml.outputs).map(([name, spec]) => [name, spec.description]),
    );
  });

  it('has workflow examples that are valid YAML using only real inputs and outputs', () => {
    const inputs = new Set(Object.keys(actionYaml.inputs));
    const outputs = new Set(Object.keys(actionYaml.outputs));
    let steps = 0;
    for (const block of yamlBlocks) {
      const indent = /^ */.exec(block)?.[0].length ?? 0;
      const parsed = parse(block.replace(new RegExp(`^ {${indent}}`, 'gm'), '')) as unknown;
      // A fragment that is a list of steps: checked by the pinning test below.
      if (Array.isArray(parsed)) continue;
      const document = parsed as Record<string, unknown>;
      const jobs = (document['jobs'] ?? {}) as Record<
        string,
        { steps?: Record<string, unknown>[] }
      >;
      const ours = Object.values(jobs)
        .flatMap((job) => job.steps ?? [])
        .filter((step) => String(step['uses'] ?? '').includes('hindsite-redeliver-action'));
      if (Object.keys(jobs).length === 0) {
        // A fragment of a step's `with:`.
        for (const key of Object.keys(document))
          expect([key, inputs.has(key)]).toEqual([key, true]);
        continue;
      }
      for (const step of ours) {
        steps++;
        for (const key of Object.keys((step['with'] ?? {}) as object))
          expect([key, inputs.has(key)]).toEqual([key, true]);
        const withValues = JSON.stringify(step['with'] ?? {});
        expect(withValues).not.toMatch(/client-secret":"(?!\$\{\{ secrets\.)/);
      }
      const ids = new Set(ours.map((step) => step['id']).filter(Boolean));
      for (const [, id, name] of block.matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g)) {
        if (ids.has(id)) expect([name, outputs.has(name as string)]).toEqual([name, true]);
      }
    }
    expect(steps).toBeGreaterThanOrEqual(5);
  });

  it('has examples that are safe to copy: least permissions, no expressions in scripts, no overlapping discovery', () => {
    let workflows = 0;
    for (const block of yamlBlocks) {
      const document = parse(block) as Record<string, unknown> | unknown[];
      if (Array.isArray(document) || !document['jobs']) continue;
      workflows++;
      expect(document).toHaveProperty('permissions');
      const jobs = document['jobs'] as Record<string, Record<string, unknown>>;
      for (const [name, job] of Object.entries(jobs)) {
        const steps = (job['steps'] ?? []) as Record<string, unknown>[];
        for (const step of steps) {
          // Values reach scripts through env:, never spliced into the script text.
          expect([name, String(step['run'] ?? '')]).not.toEqual([
            name,
            expect.stringMatching(/\$\{\{\s*(steps|inputs|needs|github\.event)\./),
          ]);
        }
        const discovers = steps.some((step) => {
          const inputs = (step['with'] ?? {}) as Record<string, unknown>;
          return (
            String(step['uses'] ?? '').includes('hindsite-redeliver-action') &&
            ('since' in inputs || 'webhook-id' in inputs)
          );
        });
        // Two overlapping discovery runs would both redeliver the same events.
        if (discovers) {
          expect([name, Boolean(document['concurrency'] ?? job['concurrency'])]).toEqual([
            name,
            true,
          ]);
        }
      }
    }
    expect(workflows).toBeGreaterThanOrEqual(4);
  });

  it('gives the examples the issue asks for', () => {
    const text = yamlBlocks.join('\n');
    expect(text).toContain('workflow_dispatch');
    expect(text).toMatch(/needs: deploy[\s\S]*wait: true/);
    expect(text).toMatch(/schedule:[\s\S]*concurrency:\n\s+group:/);
    expect(text).toMatch(/steps\.redeliver\.outputs\./);
    // Recovering from an outage: after the deploy, one at a time, a canary first, paced, waited for.
    expect(text).toMatch(
      /needs: deploy[\s\S]*concurrency:[\s\S]*since:[\s\S]*canary: \d+[\s\S]*max-rate: \d+[\s\S]*wait: true/,
    );
  });

  it('pins every other action by commit SHA with its version in a comment', () => {
    const blocks = yamlBlocks.map((text) => ({ file: 'README.md', text, lineOffset: 0 }));
    const uses = yamlBlocks.join('\n').match(/uses: (?!your-org\/hindsite-redeliver-action@)/g);
    expect(uses?.length).toBeGreaterThan(0);
    expect(blocks.flatMap((block) => unpinnedActions(block, 'hindsite-redeliver-action'))).toEqual(
      [],
    );
  });

  it('lists, like SECURITY.md, exactly the endpoints the action calls', () => {
    // The paths the source names (the sandbox, which serves them, aside).
    const root = resolve(import.meta.dirname, '..');
    const called = new Set(
      readdirSync(join(root, 'src'), { recursive: true, encoding: 'utf8' })
        .filter((file) => file.endsWith('.ts') && !file.startsWith('sandbox'))
        .flatMap((file) => [
          ...readFileSync(join(root, 'src', file), 'utf8').matchAll(/'(\/(?:oauth|api)\/[\w/]+)'/g),
        ])
        .map((match) => match[1] as string),
    );
    expect(called.size).toBe(3);
    const listed = (text: string): Set<string> =>
      new Set(
        [...text.matchAll(/^\s*\| `(?:GET|POST) (\/[\w/]+)`/gm)].map((match) => match[1] as string),
      );
    expect(listed(README)).toEqual(called);
    expect(listed(readFileSync(join(root, 'SECURITY.md'), 'utf8'))).toEqual(called);
  });

  it('names the demo on its first screen and the test command in Development', () => {
    expect(README.split('\n').slice(0, 30).join('\n')).toContain('npm run demo');
    expect(README).toMatch(/## Development\n\n```sh\nnpm ci\nnpm test\n```/);
  });
});
