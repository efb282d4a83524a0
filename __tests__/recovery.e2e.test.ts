import { describe, expect, it } from '@jest/globals';
import type { SandboxDelivery, SettleOutcome } from '../sandbox/index.js';
import {
  errorLines,
  expectAllOutputsSet,
  inProcess,
  json,
  runInProcess,
  type Runner,
} from './support/runner.js';
import { useWorld, type World } from './support/world.js';

let world: World;
// Pages of 2, so that a whole page of other event actions is left out.
useWorld((started) => (world = started), { pageSize: 2 });
const runInWorld: Runner = inProcess(() => world.clock);

/** The IDs the sandbox redelivered, call by call. */
const bulkBodies = (): string[][] => world.bulkCalls().map((call) => call.ids);

/** New deliveries settle 300 ms after they are created, as `outcome` says for their original. */
function receiver(outcome: (originalId: string) => SettleOutcome): void {
  world.sandbox.setSettle({ afterMs: 300, outcome: ({ originalId }) => outcome(originalId) });
}

const at = (hoursAgo: number, fields: Partial<SandboxDelivery> = {}): string =>
  world.seedAt(hoursAgo, fields);

describe('max-rate: pacing the bulk calls', () => {
  /**
   * The most IDs that bulk calls starting within any `windowMs` carried (windows start at each
   * call, where the worst ones start), on the clock the sandbox and the action share.
   */
  function busiestWindow(windowMs: number): number {
    const calls = world.bulkCalls();
    return Math.max(
      ...calls.map((from) =>
        calls
          .filter((call) => call.at >= from.at && call.at < from.at + windowMs)
          .reduce((sum, call) => sum + call.ids.length, 0),
      ),
    );
  }

  it.each([
    // rate per minute, IDs, IDs per paced call (2 s of the allowance), concurrency
    [600, 400, 20, '4'],
    [90, 30, 3, '16'],
  ])(
    'at %i per minute, %i IDs go out no faster than the pace, across concurrent calls',
    async (rate, count, callSize, concurrency) => {
      const ids = world.seed(count);
      const started = world.clock.now();
      const run = await runInWorld({
        ...world.inputs,
        'delivery-ids': ids.join(),
        'max-rate': String(rate),
        concurrency,
      });
      expect(run.code).toBe(0);
      expect(run.outputs['created-count']).toBe(String(count));
      // Batches shrink to 2 s of the allowance, and every ID is sent once, in the order given.
      expect(bulkBodies().every((body) => body.length === callSize)).toBe(true);
      expect(bulkBodies().flat()).toEqual(ids);
      // No 10 s window carries more than its allowance and one call.
      const allowance = (rate * 10) / 60;
      expect(busiestWindow(10_000)).toBeLessThanOrEqual(allowance + callSize);
      // And the run is not slower than the pace: the last call starts when the others had their time.
      const idealMs = ((count - callSize) * 60_000) / rate;
      const lastCall = Math.max(...world.bulkCalls().map((call) => call.at)) - started;
      expect(lastCall).toBeGreaterThanOrEqual(idealMs * 0.95);
      expect(lastCall).toBeLessThanOrEqual(idealMs * 1.05);
      // Said up front, and in the summary.
      const duration =
        idealMs < 90_000
          ? `${Math.round(idealMs / 1000)} s`
          : `${Math.round(idealMs / 60_000)} min`;
      const pace = `at most ${rate} redeliveries per minute (bulk calls shrunk to ${callSize} IDs): ${count} deliveries take about ${duration}`;
      const lines = run.stdout.split('\n');
      expect(lines.findIndex((line) => line === `Pace: ${pace}.`)).toBeLessThan(
        lines.findIndex((line) => line.startsWith('Batch 1/')),
      );
      expect(run.summary).toContain(`**Pace:** ${pace}.`);
    },
  );

  it('sends as fast as before without max-rate', async () => {
    const ids = world.seed(300);
    const run = await runInWorld({ ...world.inputs, 'delivery-ids': ids.join() });
    expect(run.code).toBe(0);
    expect(bulkBodies().map((body) => body.length)).toEqual([100, 100, 100]);
    expect(run.durationMs).toBe(0);
    expect(run.summary).not.toContain('**Pace:**');
  });
});

describe('canary: testing the receiver first', () => {
  const withCanary = (ids: string[], canary: number, inputs: Record<string, string> = {}) =>
    runInWorld({
      ...world.inputs,
      'delivery-ids': ids.join(),
      canary: String(canary),
      'poll-interval-seconds': '1',
      ...inputs,
    });

  it('continues with the rest once every new delivery of the canary completed', async () => {
    receiver(() => 'completed');
    const ids = world.seed(10);
    const run = await withCanary(ids, 3);
    expect(run.code).toBe(0);
    expectAllOutputsSet(run);
    expect(bulkBodies()).toEqual([ids.slice(0, 3), ids.slice(3)]);
    // The rest went out only after a poll had seen the canary complete.
    const [canaryCall, restCall] = world.bulkCalls();
    const polls = world.sandbox.requestsTo('list').map((request) => request.at);
    expect(polls.length).toBeGreaterThan(0);
    expect(polls.every((poll) => poll > (canaryCall?.at ?? 0) && poll <= (restCall?.at ?? 0))).toBe(
      true,
    );
    expect(run.outputs['created-count']).toBe('10');
    expect(run.outputs['completed-count']).toBe('3');
    expect(run.stdout).toContain(
      'Canary: redelivering 3 deliveries first; the other 7 deliveries follow only if every new delivery of the canary completes.',
    );
    expect(run.stdout).toContain(
      'Canary: every new delivery completed; redelivering the other 7 deliveries.',
    );
    expect(run.outputs['unsent-ids']).toBe('[]');
    expect(run.summary).toContain(
      '**Canary:** 3 deliveries (the first IDs given) redelivered first; every new delivery of it completed, so the run went on to the 7 other deliveries.',
    );
  });

  it('stops when the canary fails again: the rest is unsent, and nothing else was sent', async () => {
    const ids = world.seed(6);
    receiver((original) => (original === ids[1] ? 'errored' : 'completed'));
    const run = await withCanary(ids, 2);
    expect(run.code).toBe(1);
    expectAllOutputsSet(run);
    expect(bulkBodies()).toEqual([ids.slice(0, 2)]);
    expect(json(run.outputs['unsent-ids'])).toEqual(ids.slice(2));
    expect(run.stdout).toContain(
      'Canary: 1 new delivery failed again; the other 4 deliveries are not sent.',
    );
    const created = json(run.outputs['created-ids']) as string[];
    expect(json(run.outputs['failed-again-ids'])).toEqual([created[1]]);
    expect(json(run.outputs['failed-again-original-ids'])).toEqual([ids[1]]);
    expect(errorLines(run)).toEqual([
      '::error::The receiver is still refusing: 1 canary delivery failed again and the other 4 were not sent; fix it, then re-run failed-again-original-ids and unsent-ids.',
    ]);
    expect(run.stdout).toContain(
      `Failed again (failed-again-ids): ${ids[1]} (new delivery ${created[1]}).`,
    );
    expect(run.summary).toContain('### Unsent (4)');
  });

  it('treats a canary that does not settle in time as not proven: the rest stays unsent', async () => {
    receiver(() => 'never');
    const ids = world.seed(4);
    const run = await withCanary(ids, 1, { 'wait-timeout-seconds': '3' });
    expect(run.code).toBe(1);
    expect(bulkBodies()).toEqual([ids.slice(0, 1)]);
    expect(json(run.outputs['unsent-ids'])).toEqual(ids.slice(1));
    expect(json(run.outputs['unsettled-ids'])).toEqual(json(run.outputs['created-ids']));
    expect(errorLines(run)[0]).toMatch(
      /^::error::The canary did not show that the receiver is back: 1 new delivery had not settled after 3 s and the other 3 were not sent; check the receiver, then re-run\./,
    );
  });

  it('with wait, waits for the rest too, after the canary', async () => {
    receiver(() => 'completed');
    const ids = world.seed(5);
    const run = await withCanary(ids, 2, { wait: 'true' });
    expect(run.code).toBe(0);
    expect(bulkBodies()).toEqual([ids.slice(0, 2), ids.slice(2)]);
    expect(run.outputs['completed-count']).toBe('5');
    const restCall = world.bulkCalls()[1]?.at ?? Infinity;
    expect(world.sandbox.requestsTo('list').some((poll) => poll.at > restCall)).toBe(true);
  });

  it('in a dry run sends nothing, and says a canary and the pace would go first', async () => {
    at(3);
    at(2);
    at(1);
    const run = await runInWorld({
      ...world.inputs,
      since: '4h',
      canary: '1',
      'max-rate': '60',
      'dry-run': 'true',
    });
    expect(run.code).toBe(0);
    expect(world.sandbox.requestsTo('bulk')).toHaveLength(0);
    expect(run.stdout).toContain(
      'Dry run: 3 deliveries would be redelivered in 2 bulk calls, a canary of 1 first; nothing was sent.',
    );
    expect(run.summary).toContain(
      '**Canary:** 1 delivery (the oldest events) would be redelivered first, and the 2 other deliveries only once every new delivery of the canary completes.',
    );
    expect(run.summary).toContain(
      '**Pace:** at most 60 redeliveries per minute (bulk calls shrunk to 2 IDs): 3 deliveries take about 1 s.',
    );
  });
});

describe('discovery: oldest first, by event action', () => {
  it('sends events in the order they happened, and the canary takes the oldest', async () => {
    // Event A happened first and was already retried once (that retry errored too); B and C later.
    const a1 = at(10, { eventId: 'evt_a' });
    const b = at(6, { eventId: 'evt_b' });
    const a2 = at(2, { eventId: 'evt_a' });
    const c = at(4, { eventId: 'evt_c' });
    receiver(() => 'completed');
    const run = await runInWorld({
      ...world.inputs,
      since: '12h',
      canary: '1',
      'poll-interval-seconds': '1',
    });
    expect(run.code).toBe(0);
    // The newest delivery of each event, by when the event first happened: A (via a2), B, C.
    expect(bulkBodies()).toEqual([[a2], [b, c]]);
    expect(json(run.outputs['selected-ids'])).not.toContain(a1);
  });

  it('keeps only the event actions asked for, page by page, and counts the others', async () => {
    const forms = [
      at(9, { eventAction: 'form_completed' }),
      at(5, { eventAction: 'form_completed' }),
    ];
    const exports = [at(8, { eventAction: 'report_export_completed' })];
    at(7, { eventAction: 'user_invited' });
    at(6, { eventAction: 'user_invited' });
    at(4, { eventAction: 'user_invited' });
    exports.push(at(3, { eventAction: 'report_export_completed' }));
    at(2, { eventAction: 'form_completed', state: 'completed' });
    const run = await runInWorld({
      ...world.inputs,
      since: '10h',
      'event-action': 'form_completed,\nreport_export_completed',
    });
    expect(run.code).toBe(0);
    expect(bulkBodies().flat()).toEqual([forms[0], exports[0], forms[1], exports[1]]);
    expect(run.outputs['skipped-count']).toBe('1');
    expect(run.summary).toContain('| Deliveries found | 8 |');
    expect(run.summary).toContain('| Left out by event-action | 3 |');
    expect(run.summary).toContain('event action `form_completed` or `report_export_completed`');
    expect(run.stdout).toContain('3 left out by event-action');
  });

  it('refuses event-action with explicit IDs, before any request', async () => {
    const run = await runInWorld({
      ...world.inputs,
      'delivery-ids': world.seed(1).join(),
      'event-action': 'form_completed',
    });
    expect(run.code).toBe(1);
    expect(world.sandbox.requests).toHaveLength(0);
    expect(errorLines(run)[0]).toMatch(
      /^::error::Input event-action filters discovery only, not IDs given in delivery-ids: remove it, or discover with since and\/or webhook-id\./,
    );
  });
});

/** The most IDs that calls HINDSITE acted on carried within any window of `windowMs`. */
function busiest(windowMs: number, calls: { at: number; ids: string[] }[]): number {
  return Math.max(
    ...calls.map((from) =>
      calls
        .filter((call) => call.at >= from.at && call.at < from.at + windowMs)
        .reduce((sum, call) => sum + call.ids.length, 0),
    ),
  );
}

describe('retries keep the pace', () => {
  it.each([
    ['seconds', () => '10'],
    ['an HTTP date', () => new Date(world.clock.now() + 10_000).toUTCString()],
  ])(
    'after a 429 with Retry-After as %s, no 10 s holds more than its allowance and one call',
    async (_how, retryAfter) => {
      const ids = world.seed(400);
      world.sandbox.inject({
        route: 'bulk',
        status: 429,
        headers: { 'retry-after': retryAfter() },
        times: 5,
      });
      const run = await runInWorld({
        ...world.inputs,
        'delivery-ids': ids.join(),
        'max-rate': '600',
        concurrency: '16',
        // The 429'd batch keeps its place (oldest first), so it meets the next 429s itself.
        'max-attempts': '6',
      });
      expect(run.code).toBe(0);
      // The first 5 requests were answered 429: nothing was redelivered by them.
      const acted = world.bulkCalls().slice(5);
      expect(busiest(10_000, acted)).toBeLessThanOrEqual(100 + 20);
      expect(busiest(2_000, acted)).toBeLessThanOrEqual(20 + 20);
      expect(run.outputs['created-count']).toBe('400');
    },
  );
});

describe('the canary', () => {
  it('when the job is cancelled during its wait, says so rather than "not proven"', async () => {
    const ids = world.seed(5);
    world.sandbox.setSettle({ afterMs: 60_000, outcome: () => 'completed' });
    const controller = new AbortController();
    world.sandbox.inject({
      route: 'list',
      when: () => {
        controller.abort('SIGINT');
        return false;
      },
    });
    const run = await runInProcess(
      { ...world.inputs, 'delivery-ids': ids.join(), canary: '2', 'poll-interval-seconds': '1' },
      world.clock,
      { cancel: controller.signal },
    );
    expect(run.code).toBe(1);
    expect(json(run.outputs['unsent-ids'])).toEqual(ids.slice(2));
    expect(run.stdout).toContain('Canary: the job was cancelled while waiting');
    expect(run.stdout).not.toMatch(/failed again, \d+ not settled/);
    expect(run.summary).not.toContain('it did not show that the receiver is back');
  });

  it('with a plan file, is the oldest events of the plan', async () => {
    const HOUR = 3_600_000;
    for (const hours of [3, 2, 1]) {
      world.sandbox.seedDelivery({
        organisationId: 'org_acme',
        state: 'errored',
        createdAt: new Date(world.clock.now() - hours * HOUR),
      });
    }
    world.sandbox.setSettle({ afterMs: 300, outcome: () => 'completed' });
    const dry = await runInWorld({
      ...world.inputs,
      since: '4h',
      concurrency: '1',
      'dry-run': 'true',
    });
    const run = await runInWorld({
      ...world.inputs,
      'plan-file': dry.outputs['plan-file'] ?? '',
      'plan-digest': dry.outputs['plan-digest'] ?? '',
      canary: '1',
      'poll-interval-seconds': '1',
    });
    expect(run.code).toBe(0);
    expect(run.summary).toContain('(the oldest events of the plan)');
  });
});
