/**
 * Memory is bounded by bytes, not rows: the bundled action, with a small heap, against a list API
 * on loopback that never ends its list and fills its pages with as much as a row can hold. The run
 * must end with a clear error and its outputs, summary and report, never in an aborted process.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import type { Delivery } from '../src/model/domain.js';
import { MAX_WALK_BYTES } from '../src/hindsite/paging.js';
import { waitForSettle, type SettleTarget } from '../src/run/settle.js';
import { errorLines, expectAllOutputsSet, runBundle, type ActionRun } from './support/runner.js';
import { RecordingLogger } from './support/logger.js';
import { VirtualClock } from './support/virtual-clock.js';

const TOKEN = 'tok-memory-0123456789';

/** A list API that answers every page, however far, with `page(n)`; anything else is a 404. */
async function endlessList(page: (n: number) => string): Promise<{
  url: string;
  pagesServed: () => number;
  close: () => Promise<void>;
}> {
  let served = 0;
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (request.method !== 'GET' || url.pathname !== '/api/v2/webhook_deliveries') {
      response.writeHead(404).end();
      return;
    }
    served++;
    response
      .writeHead(200, { 'content-type': 'application/json' })
      .end(page(Number(url.searchParams.get('page'))));
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    pagesServed: () => served,
    close: () =>
      new Promise((closed) => {
        server.closeAllConnections();
        server.close(() => closed());
      }),
  };
}

let cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const step of cleanup) await step();
  cleanup = [];
});

/** Runs the bundle with a heap of `heapMiB` against `url`, discovering everything of the last hour. */
async function discoverWithHeap(url: string, heapMiB: number): Promise<ActionRun> {
  const run = await runBundle(
    { 'api-url': url, 'access-token': TOKEN, since: '1h', 'max-attempts': '1' },
    { env: { NODE_OPTIONS: `--max-old-space-size=${heapMiB}` }, timeoutMs: 60_000 },
  );
  cleanup.push(() => rmSync(dirname(run.runnerTemp), { recursive: true, force: true }));
  return run;
}

/** A run that failed with its record: every output, the report file, and the summary. */
function expectRecordedFailure(run: ActionRun): Record<string, unknown> {
  // An aborted process has no exit code (killed by SIGABRT) and no outputs.
  expect(run.stderr).not.toMatch(/heap out of memory/);
  expect(run.code).toBe(1);
  expectAllOutputsSet(run);
  expect(run.outputs['created-ids']).toBe('[]');
  const reportFile = run.outputs['report-file'] as string;
  expect(existsSync(reportFile)).toBe(true);
  expect(run.summary).toMatch(/^## HINDSITE webhook redelivery\n\n❌ \*\*Failed:\*\* /);
  return JSON.parse(readFileSync(reportFile, 'utf8')) as Record<string, unknown>;
}

describe('the bundled action with a small heap, against pages that never end', () => {
  it('refuses a row with a 2 MiB event_id as not the documented reply, naming the field', async () => {
    // One row a page, nearly the 2 MiB a page may have: 2,000 such pages held were 4 GB.
    const eventId = 'e'.repeat(2 * 1024 * 1024 - 300);
    const api = await endlessList((n) =>
      JSON.stringify({
        webhook_deliveries: [{ id: `dlv_${n}`, event_id: eventId, state: 'errored' }],
        meta: {},
      }),
    );
    cleanup.push(api.close);
    const run = await discoverWithHeap(api.url, 64);
    const report = expectRecordedFailure(run);
    expect(errorLines(run)).toEqual([
      `::error::List deliveries (page 1) failed: HTTP 200 with a body that is not the documented JSON (webhook_deliveries[0].event_id is ${eventId.length} characters long, more than 128). HINDSITE may be unavailable; try again later.`,
    ]);
    expect(report['failure']).toMatch(/webhook_deliveries\[0\]\.event_id is \d+ characters long/);
    // The value itself is never quoted.
    expect(run.stdout).not.toContain('eeeeeeeeee');
    expect(api.pagesServed()).toBeLessThanOrEqual(4);
  });

  it('stops a walk that holds more than its bound of bytes, with rows of sane fields', async () => {
    // Rows as large as the field limits allow, each of its own text: about 4.9 KB of JSON, 420 a
    // page. Counting rows (250,000) would have held over a GB before stopping.
    const fill = (prefix: string, length: number): string =>
      `${prefix}${'x'.repeat(length - prefix.length)}`;
    const row = (n: number, i: number): string =>
      JSON.stringify({
        id: fill(`dlv_${n}_${i}_`, 128),
        webhook_id: fill(`wh_${n}_${i}_`, 128),
        event_id: fill(`evt_${n}_${i}_`, 128),
        event_action: fill(`action_${n}_${i}_`, 256),
        state: 'errored',
        response: { code: 500, error: fill(`error ${n} ${i} `, 4096) },
        created_at: '2026-11-29T10:00:00Z',
      });
    const page = (n: number): string =>
      `{"webhook_deliveries":[${Array.from({ length: 420 }, (_, i) => row(n, i)).join(',')}],"meta":{}}`;
    expect(page(1).length).toBeLessThan(2 * 1024 * 1024);
    const api = await endlessList(page);
    cleanup.push(api.close);
    const run = await discoverWithHeap(api.url, 384);
    const report = expectRecordedFailure(run);
    const [error] = errorLines(run);
    expect(error).toMatch(
      /^::error::Discovery read more than 256 MiB of deliveries \([\d,]+ deliveries in \d+ pages\) without reaching the end of the list; nothing was redelivered\. Narrow the window with since or webhook-id\.$/,
    );
    expect(report['failure']).toBe(error?.slice('::error::'.length));
    // About 10 KB counted a row: the bound is passed after about 27,000 rows, some 64 pages.
    expect(api.pagesServed()).toBeGreaterThan(40);
    expect(api.pagesServed()).toBeLessThan(100);
  });
});

describe('the wait', () => {
  it('holds only the deliveries it watches, however many other rows its polls read', async () => {
    const clock = new VirtualClock();
    const ours = 'dlv_new_1';
    // A window with far more rows than a walk may hold, none of them ours until the last page.
    const rowsPerPage = 2000;
    // One string shared by every row: cheap to make, though counted for each row that holds it.
    const error = `ok ${'x'.repeat(300)}`;
    const pages = Math.ceil((MAX_WALK_BYTES * 1.2) / (rowsPerPage * 1000));
    const other = (page: number, i: number): Delivery => ({
      id: `dlv_${page}_${i}`,
      eventId: `evt_${page}_${i}`,
      webhookId: 'wh',
      eventAction: 'form_completed',
      state: 'completed',
      response: { code: 200, error },
      createdAt: '2026-11-29T10:00:00Z',
    });
    const target: SettleTarget = {
      ids: [ours],
      details: [],
      filters: {},
      events: new Map([['wh\u0000evt_ours', { newId: ours, afterMs: 0 }]]),
      requested: new Set(['dlv_original']),
    };
    const result = await waitForSettle(
      target,
      async (_filters, page) => {
        if (page > pages) return [];
        const rows = Array.from({ length: rowsPerPage }, (_, i) => other(page, i));
        if (page === pages) {
          rows.push({ ...other(page, -1), id: ours, eventId: 'evt_ours', state: 'completed' });
        }
        return rows;
      },
      {
        timeoutMs: 60_000,
        pollIntervalMs: 1000,
        concurrency: 4,
        log: new RecordingLogger(),
        clock,
      },
    );
    expect(result.error).toBeUndefined();
    expect(result.completedIds).toEqual([ours]);
  });
});
