/**
 * Fresh means fresh: a selection made a while ago is checked again right before it is sent (after
 * the canary's wait, and at least every 5 minutes of a paced run), and an event someone else
 * redelivered in the meantime is skipped and counted, not redelivered twice. In process on the
 * world's virtual clock; the someone else is HINDSITE's web app, acting when a given request
 * reaches the sandbox.
 */
import { describe, expect, it } from '@jest/globals';
import type { RecordedRequest, Route } from '../sandbox/index.js';
import { expectAllOutputsSet, inProcess, json, type Runner } from './support/runner.js';
import { ORG, useWorld, type World } from './support/world.js';

let world: World;
useWorld((started) => (world = started));
const runInWorld: Runner = inProcess(() => world.clock);

const bulkBodies = (): string[][] => world.bulkCalls().map((call) => call.ids);

/** Someone redelivers `ids` in HINDSITE's web app when the first request `when` picks arrives. */
function redeliverInTheAppWhen(
  route: Route,
  when: (request: RecordedRequest) => boolean,
  ids: string[],
): { newIds: string[] } {
  const done = { newIds: [] as string[] };
  world.sandbox.inject({
    route,
    times: Infinity,
    // Never matches (no fault): it only watches the requests go by.
    when: (request) => {
      if (done.newIds.length === 0 && when(request)) {
        done.newIds = world.sandbox.redeliver(ORG, ids).created.map((row) => row.id);
      }
      return false;
    },
  });
  return done;
}

/** Errored deliveries of `count` events, oldest first, the newest `hoursAgo` hours old. */
function eventsOldestFirst(count: number, minutesApart = 6): string[] {
  return Array.from({ length: count }, (_, index) =>
    world.seedAt(((count - index) * minutesApart) / 60),
  );
}

describe('after the canary’s wait', () => {
  it('skips an event redelivered in HINDSITE while the canary settled, and counts it', async () => {
    world.sandbox.setSettle({ afterMs: 300, outcome: () => 'completed' });
    const ids = eventsOldestFirst(5);
    // The canary's first poll lists the newer delivery of the 4th event, made in the app.
    const app = redeliverInTheAppWhen('list', () => world.bulkCalls().length === 1, [ids[3]!]);
    const run = await runInWorld({
      ...world.inputs,
      since: '2h',
      canary: '2',
      'poll-interval-seconds': '1',
    });

    expect(run.code).toBe(0);
    expectAllOutputsSet(run);
    expect(app.newIds).toHaveLength(1);
    expect(bulkBodies()).toEqual([ids.slice(0, 2), [ids[2], ids[4]]]);
    // Counted as skipped, and in none of the lists of what was sent or is left to send.
    expect(run.outputs['skipped-count']).toBe('1');
    expect(run.outputs['created-count']).toBe('4');
    expect(json(run.outputs['unsent-ids'])).toEqual([]);
    expect(json(run.outputs['failed-ids'])).toEqual([]);
    expect(json(run.outputs['selected-ids'])).toEqual([ids[0], ids[1], ids[2], ids[4]]);
    expect(run.outputs['selected-count']).toBe('4');
    expect(run.stdout).toContain(
      `Checked the other 3 deliveries again before sending them: 1 event changed since it was selected (a newer delivery, or another state), so 1 delivery is skipped: ${ids[3]}.`,
    );
    expect(run.summary).toContain('| Skipped before sending: event changed since selected | 1 |');
    expect(run.summary).toContain(
      `### Skipped: event changed before sending (1)\n\nChecked again right before sending`,
    );
    expect(run.summary).toContain(`\`${ids[3]}\` (newest now \`${app.newIds[0]}\`, pending)`);
    expect(run.summary).toContain(
      '**Canary:** 2 deliveries (the oldest events) redelivered first; every new delivery of it completed, so the run went on to the 2 other deliveries.',
    );
  });

  it('sends IDs given explicitly as given, since they cannot be looked up, and says so', async () => {
    world.sandbox.setSettle({ afterMs: 300, outcome: () => 'completed' });
    const ids = world.seed(5);
    redeliverInTheAppWhen('list', () => world.bulkCalls().length === 1, [ids[3]!]);
    const run = await runInWorld({
      ...world.inputs,
      'delivery-ids': ids.join(),
      canary: '2',
      'poll-interval-seconds': '1',
    });
    expect(run.code).toBe(0);
    expect(bulkBodies()).toEqual([ids.slice(0, 2), ids.slice(2)]);
    expect(run.outputs['skipped-count']).toBe('0');
    expect(run.stdout).toContain(
      'The other 3 deliveries were given by ID: the list API cannot look them up by ID, so they are not checked again and go as given.',
    );
  });
});

describe('during a paced run', () => {
  it('checks what is left at least every 5 minutes, and skips an event changed meanwhile', async () => {
    // 6 per minute: one ID every 10 s, 40 IDs over 6.5 minutes.
    const ids = eventsOldestFirst(40, 1);
    const started = world.clock.now();
    // While the 20th call goes out, someone redelivers the 35th event in the app.
    const app = redeliverInTheAppWhen('bulk', () => world.bulkCalls().length === 20, [ids[34]!]);
    const run = await runInWorld({ ...world.inputs, since: '2h', 'max-rate': '6' });

    expect(run.code).toBe(0);
    expect(app.newIds).toHaveLength(1);
    expect(bulkBodies().flat()).toEqual(ids.filter((_, index) => index !== 34));
    expect(run.outputs['skipped-count']).toBe('1');
    expect(run.outputs['created-count']).toBe('39');
    expect(json(run.outputs['unsent-ids'])).toEqual([]);
    // The discovery's list calls are before the first bulk call; the checks are between them,
    // the first one once 5 minutes have passed since the selection, before the call due then.
    const firstCall = world.bulkCalls()[0]?.at ?? 0;
    const checks = world.sandbox
      .requestsTo('list')
      .map((request) => request.at)
      .filter((at) => at > firstCall);
    expect(checks.length).toBeGreaterThan(0);
    expect(checks[0]! - started).toBeGreaterThanOrEqual(300_000);
    expect(checks[0]! - started).toBeLessThanOrEqual(310_000);
    expect(run.stdout).toContain(
      `Checked the 10 deliveries not sent yet again before sending them: 1 event changed since it was selected (a newer delivery, or another state), so 1 delivery is skipped: ${ids[34]}.`,
    );
  });

  it('stops sending when the check fails, leaving the rest unsent', async () => {
    const ids = eventsOldestFirst(40, 1);
    // Every list call after the discovery fails for good.
    world.sandbox.inject({
      route: 'list',
      status: 403,
      times: Infinity,
      when: () => world.bulkCalls().length > 0,
    });
    const run = await runInWorld({ ...world.inputs, since: '2h', 'max-rate': '6' });
    expect(run.code).toBe(1);
    const sent = bulkBodies().flat();
    expect(sent).toEqual(ids.slice(0, sent.length));
    expect(json(run.outputs['unsent-ids'])).toEqual(ids.slice(sent.length));
    expect(run.stdout).toContain(
      '::error::Checking the deliveries not sent yet again before sending them failed: List deliveries (page 1) failed: HTTP 403',
    );
  });

  it('lets no call out while a slow check goes on, so the calls around it keep to the pace', async () => {
    // 6 per minute: one ID every 10 s, 40 IDs over 6.5 minutes, 4 calls at a time. The check due
    // at 5 minutes is slow: each list page after the discovery takes 200 ms (real time, in which
    // the virtual clock would run on for anyone waiting for it).
    const ids = eventsOldestFirst(40, 1);
    world.sandbox.inject({
      route: 'list',
      delayMs: 200,
      times: Infinity,
      when: () => world.bulkCalls().length > 0,
    });
    const run = await runInWorld({
      ...world.inputs,
      since: '2h',
      'max-rate': '6',
      concurrency: '4',
    });

    expect(run.code).toBe(0);
    expect(bulkBodies().flat()).toEqual(ids);
    const firstCall = world.bulkCalls()[0]?.at ?? 0;
    expect(world.sandbox.requestsTo('list').some((request) => request.at > firstCall)).toBe(true);
    // Every call had its share of time (10 s per ID) before the next one went out.
    const calls = world.bulkCalls();
    const tooSoon = calls
      .slice(1)
      .map((call, index) => ({ call: index + 2, gap: call.at - calls[index]!.at }))
      .filter(({ call, gap }) => gap < calls[call - 2]!.ids.length * 10_000);
    expect(tooSoon).toEqual([]);
  });
});

describe('a retry during a paced run', () => {
  /**
   * 60 per minute: calls of 2 IDs. The first call is answered 429 with a Retry-After of 60 s five
   * times, so 5 minutes have passed when it is tried the sixth time; while it waits (at its third
   * 429), someone redelivers `changed` in HINDSITE's app.
   */
  async function retriedAfterFiveMinutes(
    changed: (ids: string[]) => string[],
    extra: Record<string, string> = {},
  ): Promise<{ ids: string[]; run: Awaited<ReturnType<Runner>> }> {
    const ids = eventsOldestFirst(6, 1);
    // The watcher first: the sandbox takes the first fault that matches, and it never does.
    const inTheApp = changed(ids);
    if (inTheApp.length > 0) {
      redeliverInTheAppWhen('bulk', () => world.bulkCalls().length === 3, inTheApp);
    }
    world.sandbox.inject({
      route: 'bulk',
      status: 429,
      headers: { 'retry-after': '60' },
      times: 5,
    });
    const run = await runInWorld({
      ...world.inputs,
      since: '2h',
      'max-rate': '60',
      'max-attempts': '6',
      concurrency: '1',
      ...extra,
    });
    return { ids, run };
  }

  it('checks the batch again before it is retried, and sends only what did not change', async () => {
    const { ids, run } = await retriedAfterFiveMinutes((ids) => [ids[0]!]);

    expect(run.code).toBe(0);
    expectAllOutputsSet(run);
    const tried = [ids[0], ids[1]];
    expect(bulkBodies()).toEqual([
      ...Array.from({ length: 5 }, () => tried),
      [ids[1]],
      ids.slice(2, 4),
      ids.slice(4),
    ]);
    expect(run.outputs['skipped-count']).toBe('1');
    expect(run.outputs['created-count']).toBe('5');
    expect(json(run.outputs['unsent-ids'])).toEqual([]);
    expect(json(run.outputs['failed-ids'])).toEqual([]);
    expect(json(run.outputs['selected-ids'])).toEqual(ids.slice(1));
    expect(run.stdout).toContain(
      `Checked the 6 deliveries not sent yet again before sending them: 1 event changed since it was selected (a newer delivery, or another state), so 1 delivery is skipped: ${ids[0]}.`,
    );
    expect(run.stdout).toContain('Batch 1/3: 1 ID sent, 1 redelivery created, 0 dropped.');
  });

  it('sends nothing of a batch whose every event changed, and goes on', async () => {
    const { ids, run } = await retriedAfterFiveMinutes((ids) => ids.slice(0, 2));

    expect(run.code).toBe(0);
    expect(bulkBodies().slice(5)).toEqual([ids.slice(2, 4), ids.slice(4)]);
    expect(run.outputs['skipped-count']).toBe('2');
    expect(run.outputs['created-count']).toBe('4');
    expect(json(run.outputs['unsent-ids'])).toEqual([]);
    expect(json(run.outputs['failed-ids'])).toEqual([]);
    expect(run.stdout).toContain(
      'Batch 1/3: not sent: the events of its 2 IDs changed since they were selected.',
    );
  });

  it('sends nothing unchecked when that check fails: the batch and the rest are unsent', async () => {
    world.sandbox.inject({
      route: 'list',
      status: 403,
      times: Infinity,
      when: () => world.bulkCalls().length > 0,
    });
    const { ids, run } = await retriedAfterFiveMinutes(() => []);

    expect(run.code).toBe(1);
    expect(bulkBodies()).toHaveLength(5);
    expect(json(run.outputs['unsent-ids'])).toEqual(ids);
    expect(json(run.outputs['failed-ids'])).toEqual([]);
    expect(run.stdout).toContain(
      '::error::Checking the deliveries not sent yet again before sending them failed: List deliveries (page 1) failed: HTTP 403',
    );
  });
});
