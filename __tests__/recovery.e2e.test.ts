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
