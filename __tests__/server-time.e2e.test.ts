/**
 * The server's time, not the runner's: the window the wait and the canary poll is placed by the
 * times HINDSITE gives (the new rows' created_at, else the bulk reply's Date header), never by the
 * runner's clock, so that a server whose clock is behind does not hide the new deliveries. A new
 * delivery that no poll ever listed is reported apart from one seen pending. In process on
 * virtual time, against a sandbox whose clock is 10 minutes behind the runner's.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { HindsiteSandbox } from '../sandbox/index.js';
import { inProcess, json, type Runner } from './support/runner.js';
import { VirtualClock } from './support/virtual-clock.js';
import { worldOn, type World } from './support/world.js';

const BEHIND_MS = 10 * 60_000;

let world: World;
beforeEach(async () => {
  const clock = new VirtualClock();
  const sandbox = await HindsiteSandbox.start({ clock: { now: () => clock.now() - BEHIND_MS } });
  world = worldOn(sandbox, sandbox.url, clock);
});
afterEach(() => world.sandbox.close());
const runInWorld: Runner = inProcess(() => world.clock);

/** The bulk replies leave out created_at (the docs do not promise it); `headers` over the reply's. */
function bulkRepliesWithoutCreatedAt(headers?: Record<string, string>): void {
  world.sandbox.inject({
    route: 'bulk',
    times: Infinity,
    headers,
    rewrite: (body) => {
      const reply = body as { webhook_deliveries: Record<string, unknown>[] };
      for (const row of reply.webhook_deliveries) delete row.created_at;
      return reply;
    },
  });
}

/** The `since` of every list call made after the first bulk call (the polls, a second on). */
const pollSinces = (): (string | undefined)[] => {
  const firstBulk = world.sandbox.requestsTo('bulk')[0]?.at ?? Infinity;
  return world.sandbox
    .requestsTo('list')
    .filter((request) => request.at > firstBulk)
    .map((request) => request.query.since);
};

describe('a server whose clock is 10 minutes behind, with bulk replies without created_at', () => {
  it('passes a healthy canary and sends the rest, polling from the server’s Date', async () => {
    world.sandbox.setSettle({ afterMs: 300, outcome: () => 'completed' });
    bulkRepliesWithoutCreatedAt();
    const ids = world.seed(5);
    const run = await runInWorld({
      ...world.inputs,
      'delivery-ids': ids.join(),
      canary: '2',
      wait: 'true',
      'poll-interval-seconds': '1',
      'wait-timeout-seconds': '30',
    });
    expect(run.code).toBe(0);
    expect(run.outputs['created-count']).toBe('5');
    expect(run.outputs['completed-count']).toBe('5');
    expect(run.stdout).toContain('Canary: every new delivery completed');
    // 5 minutes before the server's time of the canary's bulk reply, not the runner's.
    const serverNow = world.sandbox.now();
    const since = Date.parse(pollSinces()[0] ?? '');
    expect(serverNow - since).toBeGreaterThanOrEqual(5 * 60_000);
    expect(serverNow - since).toBeLessThan(6 * 60_000);
  });

  it('without a Date header either, polls without since rather than by the runner’s clock', async () => {
    world.sandbox.setSettle({ afterMs: 300, outcome: () => 'completed' });
    bulkRepliesWithoutCreatedAt({ date: '' });
    const ids = world.seed(3);
    const run = await runInWorld({
      ...world.inputs,
      'delivery-ids': ids.join(),
      wait: 'true',
      'poll-interval-seconds': '1',
      'wait-timeout-seconds': '30',
    });
    expect(run.code).toBe(0);
    expect(run.outputs['completed-count']).toBe('3');
    expect(pollSinces().length).toBeGreaterThan(0);
    expect(pollSinces().every((since) => since === undefined)).toBe(true);
  });

  it('with discovery and no Date header, polls from the oldest redelivered delivery', async () => {
    world.sandbox.setSettle({ afterMs: 300, outcome: () => 'completed' });
    bulkRepliesWithoutCreatedAt({ date: '' });
    const oldest = world.sandbox.now() - 3 * 3_600_000;
    world.seed(1, { createdAt: new Date(oldest) });
    world.seed(1, { createdAt: new Date(oldest + 3_600_000) });
    const run = await runInWorld({
      ...world.inputs,
      since: '4h',
      wait: 'true',
      'poll-interval-seconds': '1',
      'wait-timeout-seconds': '30',
    });
    expect(run.code).toBe(0);
    expect(run.outputs['completed-count']).toBe('2');
    expect(new Set(pollSinces())).toEqual(new Set([new Date(oldest - 5 * 60_000).toISOString()]));
  });
});

describe('a new delivery that no poll ever listed', () => {
  it('is reported apart from one seen pending, in the log, the summary and the failure', async () => {
    const ids = world.seed(2);
    // The list never shows the new delivery of the second ID (say, the list lags behind).
    let hidden = '';
    world.sandbox.inject({
      route: 'list',
      times: Infinity,
      rewrite: (body) => {
        const reply = body as { webhook_deliveries: { id: string }[] };
        hidden ||= world.sandbox.deliveries().find((row) => row.redeliveryOf === ids[1])?.id ?? '';
        reply.webhook_deliveries = reply.webhook_deliveries.filter((row) => row.id !== hidden);
        return reply;
      },
    });
    const run = await runInWorld({
      ...world.inputs,
      'delivery-ids': ids.join(),
      wait: 'true',
      'poll-interval-seconds': '1',
      'wait-timeout-seconds': '3',
    });
    expect(run.code).toBe(1);
    const [seen, unseen] = json(run.outputs['created-ids']) as string[];
    expect(unseen).toBe(hidden);
    // Both are unsettled as far as the outputs go: neither is known to have completed.
    expect(json(run.outputs['unsettled-ids'])).toEqual([seen, unseen]);
    expect(run.stdout).toContain(
      'Waiting for 2 new deliveries (poll 1): 0 completed, 0 failing (retrying/errored), 1 pending/in progress, 1 not listed yet;',
    );
    expect(run.stdout).toContain(
      "::error::Redelivered 2 deliveries, but 1 had not settled after 3 s and 1 never appeared in HINDSITE's list while waiting (unsettled-ids): check them in HINDSITE later, or raise wait-timeout-seconds.",
    );
    expect(run.summary).toContain('| Still pending or in progress | 1 |');
    expect(run.summary).toContain('| Never listed while waiting | 1 |');
    expect(run.summary).toContain(
      `### Unsettled (1)\n\nNew deliveries still pending or in progress when the wait ended.\n\n\`${seen}\``,
    );
    expect(run.summary).toContain(`### Never listed while waiting (1)`);
  });

  it('stops a canary saying its deliveries were never listed, not that they did not settle', async () => {
    world.sandbox.setSettle({ afterMs: 300, outcome: () => 'completed' });
    const ids = world.seed(5);
    // The list never shows any new delivery.
    world.sandbox.inject({
      route: 'list',
      times: Infinity,
      rewrite: (body) => {
        const reply = body as { webhook_deliveries: { id: string }[] };
        reply.webhook_deliveries = reply.webhook_deliveries.filter(
          (row) => world.sandbox.delivery(row.id)?.redeliveryOf === undefined,
        );
        return reply;
      },
    });
    const run = await runInWorld({
      ...world.inputs,
      'delivery-ids': ids.join(),
      canary: '2',
      'poll-interval-seconds': '1',
      'wait-timeout-seconds': '3',
    });
    expect(run.code).toBe(1);
    const created = json(run.outputs['created-ids']) as string[];
    expect(created).toHaveLength(2);
    // Unknown, not failed: still in unsettled-ids, and listed apart in the summary.
    expect(json(run.outputs['unsettled-ids'])).toEqual(created);
    expect(run.stdout).toContain(
      "Canary: 2 new deliveries never appeared in HINDSITE's list; the other 3 deliveries are not sent.",
    );
    expect(run.stdout).toContain(
      "::error::The canary did not show that the receiver is back: 2 new deliveries never appeared in HINDSITE's list while waiting (unsettled-ids), so their state is unknown and the other 3 were not sent; check them in HINDSITE, then re-run.",
    );
    expect(run.stdout).not.toContain('not settled');
    expect(run.summary).toContain('| Never listed while waiting | 2 |');
  });
});
