import { describe, expect, it } from '@jest/globals';
import { ApiError } from '../src/model/errors.js';
import { RedeliveryLedger, type LedgerSnapshot } from '../src/model/ledger.js';
import { render, failureOf } from '../src/report/render.js';
import type { RunResult, Verdict } from '../src/run/result.js';
import { actionYaml, json } from './support/runner.js';
import type { Selection, SettleResult } from '../src/run/result.js';
import { LIST_OUTPUTS_CHARS, MAX_OUTPUT_BYTES } from '../src/report/outputs.js';

const ACTION_OUTPUTS = Object.keys(actionYaml.outputs);

const selectionOf = (ids: string[]): Selection => ({
  source: { kind: 'delivery-ids', ids },
  ids,
  discoveredCount: 0,
  skippedCount: 0,
  pagesRead: 0,
  known: new Map(),
});

/** d1..d6: d1 confirmed, d2 dropped, d3 outcome unknown, d4 refused, d5 and d6 never sent. */
function mixedLedger(): LedgerSnapshot {
  const ledger = new RedeliveryLedger(['d1', 'd2', 'd3', 'd4', 'd5', 'd6']);
  ledger.confirm(
    { number: 1, start: 0, ids: ['d1', 'd2'] },
    { created: [{ id: 'n1', response: null }], droppedIds: ['d2'] },
  );
  ledger.fail({ number: 2, start: 2, ids: ['d3'] }, new ApiError('HTTP 502', 'unknown', 502));
  ledger.fail({ number: 3, start: 3, ids: ['d4'] }, new ApiError('HTTP 422', 'refused', 422));
  ledger.close('unsent');
  return ledger.snapshot();
}

const settle = (fields: Partial<SettleResult>): SettleResult => ({
  completedIds: [],
  failingIds: [],
  unsettledIds: [],
  final: new Map(),
  duplicates: [],
  ...fields,
});

const outputsOf = (result: RunResult): Record<string, string> =>
  Object.fromEntries(render(result).outputs);

describe('failureMessage', () => {
  // One result per verdict kind: the compiler fails here when a kind is added without a case.
  const results: Record<Verdict['kind'], RunResult> = {
    ok: { verdict: { kind: 'ok' } },
    'dry-run': { verdict: { kind: 'dry-run', bulkCalls: 2 } },
    'input-refused': {
      verdict: { kind: 'input-refused', message: 'batch-size must be an integer.' },
    },
    'over-cap': { verdict: { kind: 'over-cap', selected: 1500, cap: 1000 } },
    'api-failed': {
      verdict: {
        kind: 'api-failed',
        error: new ApiError('Token exchange failed: HTTP 401.', 'not-sent', 401),
      },
    },
    'batches-failed': {
      ledger: mixedLedger(),
      verdict: {
        kind: 'batches-failed',
        first: new ApiError('Bulk redelivery (batch 2 of 4) failed: HTTP 502.', 'unknown', 502),
      },
    },
    'not-settled': {
      ledger: mixedLedger(),
      settle: settle({ failingIds: ['n1'], unsettledIds: ['n2', 'n3'] }),
      verdict: { kind: 'not-settled', timeoutMs: 600_000 },
    },
    'canary-refused': {
      ledger: mixedLedger(),
      canary: { ids: ['d1'], outcome: 'refused' },
      settle: settle({ failingIds: ['n1'] }),
      verdict: { kind: 'canary-refused', timeoutMs: 600_000 },
    },
    dropped: { ledger: mixedLedger(), verdict: { kind: 'dropped' } },
    cancelled: { ledger: mixedLedger(), verdict: { kind: 'cancelled', signal: 'SIGINT' } },
    checking: { ledger: mixedLedger(), verdict: { kind: 'checking', phase: 'wait' } },
    unexpected: { verdict: { kind: 'unexpected', message: 'boom', stack: 'at x' } },
  };

  it('passes ok and dry runs, and a checkpoint is no failure (yet)', () => {
    expect(failureOf(results.ok)).toBeUndefined();
    expect(failureOf(results['dry-run'])).toBeUndefined();
    expect(failureOf(results.checking)).toBeUndefined();
  });

  it('fails with the input error or the API error as it is', () => {
    expect(failureOf(results['input-refused'])).toBe('batch-size must be an integer.');
    expect(failureOf(results['api-failed'])).toBe('Token exchange failed: HTTP 401.');
  });

  it('names max-deliveries, the count selected and the cap when over the cap', () => {
    expect(failureOf(results['over-cap'])).toBe(
      '1,500 deliveries were selected, more than max-deliveries (1000), so nothing was sent: narrow the selection, or raise max-deliveries to at least 1500.',
    );
  });

  it('says, after the first error, what to do with the IDs left; the log and summary count them', () => {
    expect(failureOf(results['batches-failed'])).toBe(
      'Bulk redelivery (batch 2 of 4) failed: HTTP 502. Check outcome-unknown-ids in HINDSITE before sending them again; send refused-ids again once the cause is fixed; send unsent-ids again.',
    );
    const account =
      '1 redelivery created. ' +
      '1 ID may have been redelivered (outcome-unknown-ids): check them in HINDSITE before sending them again. ' +
      '1 ID was refused and not redelivered (refused-ids): safe to send again once the cause is fixed. ' +
      '2 IDs were never sent (unsent-ids): safe to send again.';
    const rendered = render(results['batches-failed']);
    expect(rendered.log).toEqual([account]);
    // The summary escapes Markdown: its text, unescaped, says the same.
    const summary = rendered.summary.replace(/\\/g, '');
    expect(summary).toContain(`❌ **Failed:** Bulk redelivery (batch 2 of 4) failed`);
    expect(summary).toContain(account);
  });

  it('leaves out the groups that are empty', () => {
    const ledger = new RedeliveryLedger(['a', 'b']);
    ledger.fail({ number: 1, start: 0, ids: ['a'] }, new ApiError('down', 'not-sent'));
    ledger.close('unsent');
    const message = failureOf({
      ledger: ledger.snapshot(),
      verdict: { kind: 'batches-failed', first: new ApiError('Down.', 'not-sent') },
    });
    expect(message).toBe('Down. Send unsent-ids again.');
  });

  it('says how many new deliveries failed again or did not settle; the log names them', () => {
    expect(failureOf(results['not-settled'])).toBe(
      'Redelivered 1 delivery, but 1 failed again (failed-again-ids) and 2 had not settled after 600 s: fix the receiver, then re-run failed-again-original-ids. Check unsettled-ids later, or raise wait-timeout-seconds.',
    );
    expect(render(results['not-settled']).log).toEqual([
      'Failed again (failed-again-ids): d1 (new delivery n1).',
    ]);
    const pollingFailed: RunResult = {
      ...results['not-settled'],
      settle: settle({ unsettledIds: ['n1'], error: 'HTTP 500' }),
    };
    expect(failureOf(pollingFailed)).toBe(
      'Redelivered 1 delivery, but 1 new delivery had not settled when polling failed (unsettled-ids): check them later, or raise wait-timeout-seconds.',
    );
    expect(render(pollingFailed).log).toEqual(['Polling the new deliveries failed: HTTP 500.']);
  });

  it('names the dropped IDs when fail-on-dropped asked to fail', () => {
    expect(failureOf(results.dropped)).toBe(
      'HINDSITE dropped 1 delivery ID and fail-on-dropped is true: check dropped-ids (they do not exist or belong to another organisation).',
    );
  });

  it('calls anything else an unexpected error', () => {
    expect(failureOf(results.unexpected)).toBe('Unexpected error: boom');
  });

  it('is the failure render() reports', () => {
    for (const result of Object.values(results)) {
      expect(render(result).failure).toBe(failureOf(result));
    }
  });
});

describe('render', () => {
  it('sets every output of action.yml, in order', () => {
    expect(ACTION_OUTPUTS).toHaveLength(19);
    for (const result of [
      { verdict: { kind: 'ok' } } as RunResult,
      {
        selection: selectionOf(['d1']),
        ledger: mixedLedger(),
        verdict: { kind: 'ok' },
      } as RunResult,
    ]) {
      expect(render(result, '/tmp/report.json').outputs.map(([name]) => name)).toEqual(
        ACTION_OUTPUTS,
      );
    }
  });

  it('says where each ID stands', () => {
    const outputs = outputsOf({
      selection: selectionOf(['d1', 'd2', 'd3', 'd4', 'd5', 'd6']),
      ledger: mixedLedger(),
      verdict: { kind: 'batches-failed', first: new ApiError('HTTP 502', 'unknown', 502) },
    });
    expect(outputs).toMatchObject({
      'requested-count': '6',
      'selected-count': '6',
      'created-count': '1',
      'created-ids': '["n1"]',
      'dropped-count': '1',
      'dropped-ids': '["d2"]',
      'failed-ids': '["d3","d4"]',
      'unsent-ids': '["d5","d6"]',
      'completed-count': '0',
      'failed-again-ids': '[]',
      'report-file': '',
    });
  });

  it('leaves unsent-ids empty on a dry run: nothing was meant to be sent', () => {
    const ledger = new RedeliveryLedger(['d1', 'd2']);
    ledger.close('planned');
    const rendered = render({
      selection: selectionOf(['d1', 'd2']),
      ledger: ledger.snapshot(),
      verdict: { kind: 'dry-run', bulkCalls: 1 },
    });
    const outputs = Object.fromEntries(rendered.outputs);
    expect(outputs['selected-ids']).toBe('["d1","d2"]');
    expect(outputs['unsent-ids']).toBe('[]');
    expect(outputs['failed-ids']).toBe('[]');
    expect(outputs['created-count']).toBe('0');
    expect(rendered.failure).toBeUndefined();
    expect(rendered.summary).toContain('📝 Dry run: 2 deliveries to approve; nothing was sent.');
  });

  it('warns about dropped IDs', () => {
    const { warnings } = render({ ledger: mixedLedger(), verdict: { kind: 'ok' } });
    expect(warnings).toEqual([expect.stringMatching(/^HINDSITE dropped 1 delivery ID: .*: d2$/)]);
  });

  it('keeps all list outputs together under 500,000 characters, cutting the longest first', () => {
    const ids = Array.from({ length: 60_000 }, (_, i) => `delivery-${String(i).padStart(8, '0')}`);
    const ledger = new RedeliveryLedger(ids);
    ledger.fail({ number: 1, start: 0, ids: ids.slice(0, 20_000) }, new ApiError('x', 'unknown'));
    ledger.close('unsent');
    const rendered = render(
      { selection: selectionOf(ids), ledger: ledger.snapshot(), verdict: { kind: 'ok' } },
      '/tmp/report.json',
    );
    const outputs = Object.fromEntries(rendered.outputs);
    const lists = Object.entries(outputs).filter(([name]) => name.endsWith('-ids'));
    const total = lists.reduce((sum, [, value]) => sum + value.length, 0);
    expect(total).toBeLessThanOrEqual(LIST_OUTPUTS_CHARS);
    expect(total).toBeGreaterThan(LIST_OUTPUTS_CHARS - 100);
    for (const [, value] of lists) expect(Buffer.byteLength(value)).toBeLessThan(MAX_OUTPUT_BYTES);
    // Short lists stay whole; the long ones are cut to the same length.
    expect(outputs['created-ids']).toBe('[]');
    const kept = (name: string): number => (JSON.parse(outputs[name] as string) as string[]).length;
    expect(kept('selected-ids')).toBe(kept('unsent-ids'));
    expect(kept('selected-ids')).toBeLessThan(40_000);
    expect(rendered.warnings[0]).toMatch(
      /^Some list outputs were cut to keep all of them under 500,000 characters \(GitHub limits a job's outputs to 1 MB\): selected-ids \([\d,]+ of 60,000 left out\), failed-ids \([\d,]+ of 20,000 left out\).*The full lists are in the report file \(\/tmp\/report\.json, the report-file output\); it stays on the runner only until the job ends: upload it with actions\/upload-artifact/,
    );
  });
});

describe('outputs cut to fit', () => {
  it('keep failed-ids the union of the refused-ids and outcome-unknown-ids that are shown', () => {
    const ids = Array.from({ length: 30_000 }, (_, i) => `d${String(i).padStart(20, '0')}`);
    const ledger = new RedeliveryLedger(ids);
    for (let start = 0; start < ids.length; start += 1000) {
      const batch = { number: start / 1000 + 1, start, ids: ids.slice(start, start + 1000) };
      const outcome = (start / 1000) % 2 === 0 ? 'refused' : 'unknown';
      ledger.fail(batch, new ApiError('x', outcome));
    }
    ledger.close('unsent');
    const selection = {
      source: { kind: 'delivery-ids', ids },
      ids,
      known: new Map(),
    } as unknown as Selection;
    const outputs = Object.fromEntries(
      render({ selection, ledger: ledger.snapshot(), verdict: { kind: 'ok' } }).outputs,
    );
    const list = (name: string): string[] => json(outputs[name]) as string[];
    const shown = new Set([...list('refused-ids'), ...list('outcome-unknown-ids')]);
    expect(list('failed-ids').length).toBeGreaterThan(0);
    expect(list('failed-ids').length).toBeLessThan(ids.length);
    expect(list('failed-ids').filter((id) => !shown.has(id))).toEqual([]);
  });
});
