/**
 * discovery-timeout-seconds bounds the check of the selection right before sending, as it bounds
 * discovery: a server that answers each list page of that check just in time (here: every other
 * request answered 429 with Retry-After 59) must not hold a paced run for hours between its bulk
 * calls. Past the deadline no more bulk call is made, and what was not sent is in unsent-ids. In
 * process on the world's virtual clock.
 */
import { describe, expect, it } from '@jest/globals';
import { errorLines, expectAllOutputsSet, inProcess, json, type Runner } from './support/runner.js';
import { useWorld, type World } from './support/world.js';

let world: World;
useWorld((started) => (world = started), { pageSize: 5 });
const runInWorld: Runner = inProcess(() => world.clock);

/** Errored deliveries of `count` events, oldest first, a minute apart, the newest a minute old. */
function eventsOldestFirst(count: number): string[] {
  return Array.from({ length: count }, (_, index) => world.seedAt((count - index) / 60));
}

/** Once the first bulk call was made, every other list request waits 59 s (429, Retry-After). */
function throttleListAfterFirstBulkCall(): void {
  let requests = 0;
  world.sandbox.inject({
    route: 'list',
    times: Infinity,
    when: () => world.bulkCalls().length > 0 && requests++ % 2 === 0,
    status: 429,
    headers: { 'retry-after': '59' },
  });
}

describe('the check before sending, past discovery-timeout-seconds', () => {
  it('stops the paced run at the deadline, leaving the rest unsent', async () => {
    const ids = eventsOldestFirst(40);
    throttleListAfterFirstBulkCall();
    const run = await runInWorld({
      ...world.inputs,
      since: '2h',
      'max-rate': '6',
      concurrency: '1',
      'discovery-timeout-seconds': '100',
    });

    expect(run.code).toBe(1);
    expectAllOutputsSet(run);
    const sent = world.bulkCalls().flatMap((call) => call.ids);
    // One ID every 10 s: the check is due after 5 minutes, with about 30 IDs sent.
    expect(sent).toEqual(ids.slice(0, sent.length));
    expect(sent.length).toBeGreaterThanOrEqual(29);
    expect(sent.length).toBeLessThanOrEqual(32);
    expect(json(run.outputs['unsent-ids'])).toEqual(ids.slice(sent.length));
    expect(errorLines(run)).toEqual([
      expect.stringMatching(
        /^::error::Checking the deliveries not sent yet again before sending them failed: the list was not read within discovery-timeout-seconds \(100 s\), so nothing more was sent: raise discovery-timeout-seconds, or narrow the selection with since or webhook-id\. \d list pages? (was|were) read by then\. Send unsent-ids again\.$/,
      ),
    ]);
    // Pacing took about 5 minutes; the check at most its 100 s (and one page of 59 s past it).
    expect(run.durationMs).toBeLessThan(300_000 + 100_000 + 60_000 + 20_000);
  });

  it('does not stop a check that reads its pages within the deadline', async () => {
    const ids = eventsOldestFirst(40);
    throttleListAfterFirstBulkCall();
    const run = await runInWorld({
      ...world.inputs,
      since: '2h',
      'max-rate': '6',
      concurrency: '1',
    });
    expect(run.code).toBe(0);
    expect(world.bulkCalls().flatMap((call) => call.ids)).toEqual(ids);
    expect(run.outputs['created-count']).toBe('40');
  });
});
