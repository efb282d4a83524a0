import { describe, expect, it } from '@jest/globals';
import type { SandboxDelivery } from '../sandbox/index.js';
import { inProcess, json, type Runner } from './support/runner.js';
import { ORG, useWorld, type World } from './support/world.js';

const HOUR = 3_600_000;
let world: World;
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

describe('discovery: oldest first', () => {
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
});
