import { describe, expect, it } from '@jest/globals';
import type { SandboxDelivery } from '../sandbox/index.js';
import { errorLines, inProcess, json, type Runner } from './support/runner.js';
import { ORG, useWorld, type World } from './support/world.js';

const HOUR = 3_600_000;
let world: World;
// Pages of 2, so that a whole page of other event actions is left out.
useWorld((started) => (world = started), { pageSize: 2 });
const runAction: Runner = inProcess(() => world.clock);

/** The IDs the sandbox redelivered, call by call. */
const bulkBodies = (): string[][] => world.bulkCalls().map((call) => call.ids);

/** A delivery created `hoursAgo` hours before the world's clock. */
function at(hoursAgo: number, fields: Partial<SandboxDelivery> = {}): string {
  return world.sandbox.seedDelivery({
    organisationId: ORG,
    state: 'errored',
    createdAt: new Date(world.clock.now() - hoursAgo * HOUR),
    ...fields,
  }).id;
}

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
      const run = await runAction({
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
    const run = await runAction({ ...world.inputs, 'delivery-ids': ids.join() });
    expect(run.code).toBe(0);
    expect(bulkBodies().map((body) => body.length)).toEqual([100, 100, 100]);
    expect(run.durationMs).toBe(0);
    expect(run.summary).not.toContain('**Pace:**');
  });
});

describe('discovery: oldest first, by event action', () => {
  it('sends events in the order they happened', async () => {
    // Event A happened first and was already retried once (that retry errored too); B and C later.
    const a1 = at(10, { eventId: 'evt_a' });
    const b = at(6, { eventId: 'evt_b' });
    const a2 = at(2, { eventId: 'evt_a' });
    const c = at(4, { eventId: 'evt_c' });
    const run = await runAction({ ...world.inputs, since: '12h' });
    expect(run.code).toBe(0);
    // The newest delivery of each event, by when the event first happened: A (via a2), B, C.
    expect(bulkBodies().flat()).toEqual([a2, b, c]);
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
    const run = await runAction({
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
    const run = await runAction({
      ...world.inputs,
      'delivery-ids': world.seed(1).join(),
      'event-action': 'form_completed',
    });
    expect(run.code).toBe(1);
    expect(world.sandbox.requests).toHaveLength(0);
    expect(errorLines(run)[0]).toMatch(
      /^::error::Input event-action filters discovery only \(since and\/or webhook-id\): the action does not know the event action of IDs given in delivery-ids/,
    );
  });
});
