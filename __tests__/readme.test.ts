import { describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { renderPolicyTable } from '../src/hindsite/policy.js';
import { actionYaml } from './support/runner.js';
import { unpinnedActions } from '../scripts/lint-workflows.js';
import {
  INPUTS_MARKER,
  inputsTable,
  OUTPUTS_MARKER,
  outputsTable,
  tableText,
} from '../scripts/action-tables.js';

const ROOT = resolve(import.meta.dirname, '..');
const read = (file: string): string => readFileSync(join(ROOT, file), 'utf8');
const README = read('README.md');
const GUIDES = readdirSync(join(ROOT, 'docs'))
  .filter((name) => name.endsWith('.md'))
  .sort()
  .map((name) => `docs/${name}`);
/** Every Markdown file a reader is sent to. */
const DOCUMENTS = ['README.md', 'CONTRIBUTING.md', 'SECURITY.md', 'CHANGELOG.md', ...GUIDES];

const yamlBlocksOf = (text: string): string[] =>
  [...text.matchAll(/```yaml\n([\s\S]*?)```/g)].map((match) => match[1] as string);
/** The YAML of the README and the guides, each block with the file it is in. */
const EXAMPLES = ['README.md', ...GUIDES].flatMap((file) =>
  yamlBlocksOf(read(file)).map((text) => ({ file, text })),
);
/** A block as a document (a fragment indented inside a list item is dedented first). */
function parseBlock(block: string): unknown {
  const indent = /^ */.exec(block)?.[0].length ?? 0;
  return parse(block.replace(new RegExp(`^ {${indent}}`, 'gm'), '')) as unknown;
}
const OURS = 'hindsite-redeliver-action';

type Step = Record<string, unknown>;
type Job = { steps?: Step[] } & Record<string, unknown>;
const textOf = (value: unknown): string => (typeof value === 'string' ? value : '');
const isOurs = (step: Step): boolean => textOf(step['uses']).includes(OURS);
const discovers = (step: Step): boolean => {
  const inputs = (step['with'] ?? {}) as Record<string, unknown>;
  return isOurs(step) && ('since' in inputs || 'webhook-id' in inputs);
};

describe('README', () => {
  it('is at most 18 KB: usage first, depth in the guides', () => {
    expect(Buffer.byteLength(README)).toBeLessThanOrEqual(18_000);
  });

  it('lists every input of action.yml with its default and description, in order', () => {
    expect(tableText(README, INPUTS_MARKER)).toBe(inputsTable(actionYaml));
  });

  it('lists every output of action.yml with its description, in order', () => {
    expect(tableText(README, OUTPUTS_MARKER)).toBe(outputsTable(actionYaml));
  });

  it('names the demo on its first screen, and the test command', () => {
    expect(README.split('\n').slice(0, 30).join('\n')).toContain('npm run demo');
    expect(README).toMatch(/## Contributing\n\n[^#]*`npm test`[^#]*\(CONTRIBUTING\.md\)/);
  });

  it('says how to reference the action before and after the first release', () => {
    const section = README.split('\n## Referencing the action\n')[1]?.split('\n## ')[0] ?? '';
    expect(section).toContain('full commit SHA');
    expect(section).toContain('# v1.0.0');
    expect(section).toMatch(/`@v1`[\s\S]{0,80}moves to the newest 1\.x\.y release/);
    expect(section).toMatch(/Only a breaking\s+change bumps the major version/);
  });

  it('links every guide in docs/', () => {
    for (const guide of GUIDES)
      expect([guide, README.includes(`](${guide}`)]).toEqual([guide, true]);
  });

  it('answers what to do next: where IDs come from, an outcome-unknown ID, a 429', () => {
    const section = README.split('\n## What next\n')[1]?.split('\n## ')[0] ?? '';
    expect(section).toContain('GET /api/v2/webhook_deliveries');
    expect(section).toMatch(/`outcome-unknown-ids`[\s\S]*`event_id`/);
    expect(section).toMatch(/429[\s\S]*`max-rate`/);
    expect(section).toContain('(docs/failures.md#troubleshooting)');
  });

  it('gives the examples the issue asks for: by hand, after a deploy, nightly', () => {
    const text = yamlBlocksOf(README).join('\n');
    expect(text).toMatch(/workflow_dispatch:\n\s+inputs:\n\s+delivery-ids:/);
    expect(text).toMatch(/needs: deploy[\s\S]*since:[\s\S]*wait: true/);
    expect(text).toMatch(/schedule:[\s\S]*concurrency:\n\s+group:/);
    expect(text).toMatch(/steps\.redeliver\.outputs\./);
  });
});

describe('the examples in the README and the guides', () => {
  it('are valid YAML using only real inputs and outputs', () => {
    const inputs = new Set(Object.keys(actionYaml.inputs));
    const outputs = new Set(Object.keys(actionYaml.outputs));
    let steps = 0;
    for (const { file, text } of EXAMPLES) {
      const parsed = parseBlock(text);
      // A fragment that is a list of steps: checked by the pinning test below.
      if (Array.isArray(parsed)) continue;
      const document = parsed as Record<string, unknown>;
      const jobs = (document['jobs'] ?? {}) as Record<string, Job>;
      const ours = Object.values(jobs)
        .flatMap((job) => job.steps ?? [])
        .filter(isOurs);
      if (Object.keys(jobs).length === 0) {
        // A fragment of a step's `with:`.
        for (const key of Object.keys(document))
          expect([file, key, inputs.has(key)]).toEqual([file, key, true]);
        continue;
      }
      for (const step of ours) {
        steps++;
        for (const key of Object.keys(step['with'] ?? {}))
          expect([file, key, inputs.has(key)]).toEqual([file, key, true]);
        const withValues = JSON.stringify(step['with'] ?? {});
        expect(withValues).not.toMatch(/client-secret":"(?!\$\{\{ secrets\.)/);
      }
      const ids = new Set(ours.map((step) => step['id']).filter(Boolean));
      for (const [, id, name] of text.matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g)) {
        if (ids.has(id))
          expect([file, name, outputs.has(name as string)]).toEqual([file, name, true]);
      }
    }
    expect(steps).toBeGreaterThanOrEqual(5);
  });

  it('are safe to copy: least permissions, no expressions in scripts, no overlapping discovery', () => {
    let workflows = 0;
    for (const { file, text } of EXAMPLES) {
      const document = parse(text) as Record<string, unknown> | unknown[];
      if (Array.isArray(document) || !document['jobs']) continue;
      workflows++;
      expect([file, 'permissions' in document]).toEqual([file, true]);
      const jobs = document['jobs'] as Record<string, Job>;
      for (const [name, job] of Object.entries(jobs)) {
        const steps = job.steps ?? [];
        for (const step of steps) {
          // Values reach scripts through env:, never spliced into the script text.
          expect([file, name, textOf(step['run'])]).not.toEqual([
            file,
            name,
            expect.stringMatching(/\$\{\{\s*(steps|inputs|needs|github\.event)\./),
          ]);
        }
        // Two overlapping discovery runs would both redeliver the same events.
        if (steps.some(discovers)) {
          expect([file, name, Boolean(document['concurrency'] ?? job['concurrency'])]).toEqual([
            file,
            name,
            true,
          ]);
        }
      }
      // ...and each example that discovers says why, in a comment right above its group.
      if (Object.values(jobs).some((job) => (job.steps ?? []).some(discovers))) {
        const lines = text.split('\n');
        lines.forEach((line, index) => {
          if (/^\s*concurrency:/.test(line)) {
            expect([file, line, lines[index - 1]?.trim().startsWith('# ')]).toEqual([
              file,
              line,
              true,
            ]);
          }
        });
      }
    }
    expect(workflows).toBeGreaterThanOrEqual(5);
  });

  it('pin every other action by commit SHA with its version in a comment', () => {
    const blocks = EXAMPLES.map(({ file, text }) => ({ file, text, lineOffset: 0 }));
    const uses = EXAMPLES.map(({ text }) => text)
      .join('\n')
      .match(/uses: (?!your-org\/hindsite-redeliver-action@)/g);
    expect(uses?.length).toBeGreaterThan(0);
    expect(blocks.flatMap((block) => unpinnedActions(block, OURS))).toEqual([]);
  });

  it('recover from an outage after the deploy: one at a time, a canary first, paced, waited for', () => {
    const text = yamlBlocksOf(read('docs/recovering.md')).join('\n');
    expect(text).toMatch(
      /needs: deploy[\s\S]*concurrency:[\s\S]*since:[\s\S]*canary: \d+[\s\S]*max-rate: \d+[\s\S]*wait: true/,
    );
  });

  it('plan, approve and apply: a dry run, an environment, then plan-file with plan-digest', () => {
    const text = yamlBlocksOf(read('docs/plan-apply.md')).join('\n');
    expect(text).toMatch(
      /dry-run: true[\s\S]*environment:[\s\S]*plan-file: [^\n]+\n\s+plan-digest: \$\{\{ needs\.plan\.outputs\.plan-digest \}\}/,
    );
  });
});

describe('the documents', () => {
  it('name only lists and counts that action.yml has', () => {
    const names = new Set([...Object.keys(actionYaml.inputs), ...Object.keys(actionYaml.outputs)]);
    for (const file of DOCUMENTS) {
      for (const [, name] of read(file).matchAll(/`([a-z]+(?:-[a-z]+)*-(?:ids|count))`/g)) {
        expect([file, name, names.has(name as string)]).toEqual([file, name, true]);
      }
    }
  });

  it('show the retry policy exactly as src/policy.ts applies it (npm run docs:policy)', () => {
    const failures = read('docs/failures.md');
    const lines = (failures.split('<!-- retry-policy:')[1] ?? '').split('\n');
    const start = lines.findIndex((line) => line.startsWith('|'));
    const end = lines.findIndex((line, index) => index > start && !line.startsWith('|'));
    const cells = (rows: string[]): string[][] =>
      rows.map((row) =>
        row
          .slice(1, -1)
          .split(/(?<!\\)\|/)
          .map((cell) => cell.trim().replace(/^-+$/, '---')),
      );
    expect(cells(lines.slice(start, end))).toEqual(cells(renderPolicyTable().split('\n')));
  });

  it('have a troubleshooting row for every way a run fails', () => {
    const failures = read('docs/failures.md');
    const table = (failures.split('\n## Troubleshooting\n')[1] ?? '').split('\n## ')[0] ?? '';
    const rows = table.split('\n').filter((line) => line.startsWith('| '));
    // One phrase per verdict: input refused (a plan refused among them), over cap, each API
    // failure, the list's bounds, batches failed, the check before sending, not settled, canary
    // refused, dropped with fail-on-dropped, cancelled, unexpected; and what a run that passes or
    // was killed while checking says.
    for (const phrase of [
      'Input',
      'plan-digest is required with plan-file',
      'plan-digest does not match the plan',
      'older version (1)',
      '"createdAt" must be a date-time',
      'max-deliveries',
      'HTTP 401',
      'access-token',
      'HTTP 403',
      'HTTP 404',
      'HTTP 429',
      'HTTP 5xx',
      'did not complete within',
      'TLS handshake',
      'discovery-timeout-seconds',
      'more than 256 MiB of deliveries',
      'characters long, more than 128',
      'Bulk redelivery',
      'may or may not have been redelivered',
      'Checking the deliveries not sent yet again',
      'failed again',
      'had not settled',
      "never appeared in HINDSITE's list while waiting",
      'The receiver is still refusing',
      'The canary did not show',
      'fail-on-dropped is true',
      'The job was cancelled',
      'Unexpected error',
      'Still checking',
      'Nothing redelivered: HINDSITE dropped all',
      'Nothing redelivered: discovery matched no delivery',
      'Nothing to do',
    ]) {
      expect([phrase, rows.some((row) => row.split(' | ')[0]?.includes(phrase))]).toEqual([
        phrase,
        true,
      ]);
    }
  });

  it('list, in SECURITY.md and docs/security.md, exactly the endpoints the action calls', () => {
    // The paths the source names.
    const called = new Set(
      readdirSync(join(ROOT, 'src'), { recursive: true, encoding: 'utf8' })
        .filter((file) => file.endsWith('.ts'))
        .flatMap((file) => [...read(join('src', file)).matchAll(/'(\/(?:oauth|api)\/[\w/]+)'/g)])
        .map((match) => match[1] as string),
    );
    expect(called.size).toBe(3);
    const listed = (text: string): Set<string> =>
      new Set(
        [...text.matchAll(/^\s*\| `(?:GET|POST) (\/[\w/]+)`/gm)].map((match) => match[1] as string),
      );
    expect(listed(read('docs/security.md'))).toEqual(called);
    expect(listed(read('SECURITY.md'))).toEqual(called);
  });
});

/** Fenced code and code spans removed: a link or heading in code is not one. */
const prose = (markdown: string): string =>
  markdown.replace(/^ *(```|~~~)[\s\S]*?^ *\1/gm, '').replace(/`[^`\n]*`/g, '');

/** The anchors GitHub gives the headings of a Markdown file. */
function anchorsOf(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  const text = markdown.replace(/^ *(```|~~~)[\s\S]*?^ *\1/gm, '');
  for (const [, heading] of text.matchAll(/^#{1,6} +(.+?) *#* *$/gm)) {
    const base = (heading as string)
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
      .replace(/ /g, '-');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

describe('links', () => {
  it('computes anchors as GitHub does', () => {
    expect(anchorsOf('# Plan, approve, apply\n## The `meta` fields\n## A\n## A\n')).toEqual(
      new Set(['plan-approve-apply', 'the-meta-fields', 'a', 'a-1']),
    );
  });

  it.each(DOCUMENTS)('in %s all resolve to a file, and a heading where they name one', (file) => {
    const text = prose(read(file));
    const targets = [
      ...[...text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((match) => match[1] as string),
      ...[...text.matchAll(/^\[[^\]]+\]:\s*(\S+)/gm)].map((match) => match[1] as string),
    ].filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target));
    for (const target of targets) {
      const [path = '', anchor] = target.split('#');
      const resolved = path ? join(dirname(join(ROOT, file)), decodeURI(path)) : join(ROOT, file);
      expect([file, target, existsSync(resolved)]).toEqual([file, target, true]);
      if (anchor !== undefined && resolved.endsWith('.md')) {
        const anchors = anchorsOf(readFileSync(resolved, 'utf8'));
        expect([file, target, anchors.has(anchor)]).toEqual([file, target, true]);
      }
    }
  });
});
