import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { ApiError } from '../src/model/errors.js';
import { RedeliveryLedger } from '../src/model/ledger.js';
import { render } from '../src/report/render.js';
import { inProcess, json, type Runner } from './support/runner.js';
import { startWorld, type World } from './support/world.js';

/** What a hostile or broken server may put in an error text or a field: Markdown, HTML, controls. */
const HOSTILE = [
  '# heading',
  '[link](http://x)',
  '![img](http://x)',
  '<img src=x onerror=alert(1)>',
  '| a | b |\n|---|---|\n| c | d |',
  '**bold** _em_ ~~strike~~ $x^2$',
  '\u0000\u001b[31mred\u0007\u009b\u202e',
].join('\n');

/** C0 and C1 controls but tab and newline, and the bidi override. */
const controlCharacters = (text: string): string[] =>
  [...text].filter((char) => {
    const code = char.charCodeAt(0);
    return (
      (code < 0x20 && char !== '\n' && char !== '\t') ||
      (code >= 0x7f && code <= 0x9f) ||
      code === 0x202e
    );
  });

/**
 * The summary shows server text as text: no heading but ours, no link, image or HTML, no table row
 * with more cells than its header, no control character, nothing left on a line of its own.
 */
function expectInert(summary: string): void {
  expect(controlCharacters(summary)).toEqual([]);
  for (const markup of ['[link](', '![img](', '<img', '**bold**', '_em_', '~~strike~~', '$x^2$']) {
    expect(summary).not.toContain(markup);
  }
  const lines = summary.split('\n');
  expect(lines.filter((line) => /^ {0,3}#/.test(line))).toEqual(
    lines.filter((line) => /^#{2,3} [A-Z][a-z]+[a-z :]*( \(\d+\))?$|^## HINDSITE/.test(line)),
  );
  expect(lines.filter((line) => /^\|? *[-:]+ *\|/.test(line) && !/^\| --- \|/.test(line))).toEqual(
    [],
  );
  // Every row has as many unescaped pipes as the header row it belongs to.
  let columns = 0;
  for (const line of lines) {
    if (!line.startsWith('|')) {
      columns = 0;
      continue;
    }
    const pipes = line.match(/(?<!\\)\|/g)?.length ?? 0;
    if (columns === 0) columns = pipes;
    expect([line, pipes]).toEqual([line, columns]);
  }
}

describe('the job summary, fed hostile server text', () => {
  it('renders error text, fields and IDs as text, and IDs with backticks as whole code spans', () => {
    const ids = ['dlv_1', 'a``b`', '`x', 'plain id'];
    const ledger = new RedeliveryLedger(ids);
    ledger.confirm(
      { number: 1, start: 0, ids: ['dlv_1', 'a``b`'] },
      {
        created: [
          {
            id: 'new|id',
            eventId: '# evt',
            eventAction: HOSTILE,
            webhookId: '[w](http://x)',
            state: 'errored',
            response: { code: 500, error: HOSTILE },
          },
        ],
        droppedIds: ['a``b`'],
      },
    );
    ledger.fail({ number: 2, start: 2, ids: ['`x', 'plain id'] }, new ApiError(HOSTILE, 'unknown'));
    const { summary } = render({
      ledger: ledger.snapshot(),
      verdict: { kind: 'batches-failed', first: new ApiError(HOSTILE, 'unknown', 502) },
    });
    expectInert(summary);
    // Shown as written: escaped, not dropped.
    expect(summary).toContain('\\# heading \\[link\\]\\(http://x\\) \\!\\[img\\]');
    expect(summary).toContain('&lt;img src=x onerror=alert\\(1\\)&gt;');
    expect(summary).toContain('| new\\|id |');
    // A fence longer than any run of backticks inside, padded where the ID starts or ends with one.
    expect(summary).toContain('\n``` a``b` ```\n');
    expect(summary).toContain('\n`` `x ``, `plain id`\n');
  });

  it('keeps a file name, a webhook and a since input inside their code spans', () => {
    const source = {
      kind: 'discovery' as const,
      state: 'errored' as const,
      webhookId: 'wh`) [x](http://x)',
      since: new Date('2026-01-01T00:00:00Z'),
      sinceInput: '1d` <b>',
    };
    const { summary } = render({
      selection: {
        source,
        ids: [],
        discoveredCount: 0,
        skippedCount: 0,
        pagesRead: 1,
        known: new Map(),
      },
      verdict: { kind: 'ok' },
    });
    expect(summary).toContain('webhook ``wh`) [x](http://x)``');
    expect(summary).toContain('(``since: 1d` <b>``)');
  });
});

describe('the job summary of a run against a server that answers with Markdown', () => {
  let world: World;
  beforeEach(async () => {
    world = await startWorld();
  });
  afterEach(async () => {
    await world.sandbox.close();
  });
  const runInWorld: Runner = inProcess(() => world.clock);

  it('shows the error text and the reply fields as text', async () => {
    const ids = world.seed(2);
    const created = {
      // An ID with backticks or spaces is not an ID (the reply would be refused, and so would an
      // event or webhook ID like it); a pipe, a hash or a star is allowed.
      id: 'new|id',
      webhook_id: '[w](http://x)',
      event_id: '#evt|*x*',
      event_action: '<img src=x>',
      state: 'errored',
      response: { code: 500, error: HOSTILE },
      created_at: new Date(world.clock.now()).toISOString(),
    };
    world.sandbox.inject({
      route: 'bulk',
      status: 201,
      body: JSON.stringify({ webhook_deliveries: [created], meta: { dropped_ids: [] } }),
    });
    world.sandbox.inject({ route: 'bulk', status: 422, body: JSON.stringify({ error: HOSTILE }) });
    const run = await runInWorld({
      ...world.inputs,
      'delivery-ids': ids.join(),
      'batch-size': '1',
      concurrency: '1',
    });
    expect(run.code).toBe(1);
    expect(json(run.outputs['created-ids'])).toEqual(['new|id']);
    expectInert(run.summary);
    expect(run.summary).toMatch(/❌ \*\*Failed:\*\* .*HTTP 422.*\\# heading \\\[link\\\]/);
    expect(run.summary).toContain('| new\\|id | \\#evt\\|\\*x\\* | &lt;img src=x&gt; |');
    // Nor do the control bytes reach the log: escaped there.
    expect(controlCharacters(run.stdout)).toEqual([]);
    expect(run.stdout).toContain('\\x1b[31mred');
  });
});
