/**
 * The bundle, spawned as a runner spawns it, where it must stop in time: cancelled by the runner
 * mid-batch, or held by a reply that never comes. Both wait real seconds (the cancel grace, the
 * per-request deadline), so they run apart from the rest of the bundle's tests.
 */
import { describe, expect, it } from '@jest/globals';
import {
  errorLines,
  expectAccounted,
  expectAllOutputsSet,
  json,
  runBundle,
} from './support/runner.js';
import { useWorld, type World } from './support/world.js';

let world: World;
useWorld((started) => (world = started));

describe('the bundled action, stopped in time', () => {
  it('on SIGINT mid-batch: starts nothing new, writes every output, exits non-zero within 5 s', async () => {
    const ids = world.seed(6);
    // The second bulk call is in flight (the server acted, its reply never comes) when the job is
    // cancelled.
    world.sandbox.inject({ route: 'bulk', skip: 1, delayMs: 60_000, afterHandling: true });
    let signalledAt = 0;
    const run = await runBundle(
      { ...world.inputs, 'delivery-ids': ids.join(), 'batch-size': '2', concurrency: '1' },
      {
        control: (step) => {
          const poll = setInterval(() => {
            if (world.bulkCalls().length < 2) return;
            clearInterval(poll);
            signalledAt = Date.now();
            step.kill('SIGINT');
          }, 10);
        },
      },
    );
    const exitedAfterMs = Date.now() - signalledAt;
    expect(signalledAt).toBeGreaterThan(0);
    expect(run.code).not.toBe(0);
    expect(exitedAfterMs).toBeLessThan(5000);
    expect(world.bulkCalls()).toHaveLength(2);
    expectAllOutputsSet(run);
    expect(run.outputs['created-count']).toBe('2');
    expect(json(run.outputs['outcome-unknown-ids'])).toEqual(ids.slice(2, 4));
    expect(json(run.outputs['unsent-ids'])).toEqual(ids.slice(4));
    expectAccounted(run, ids, ids.slice(0, 2));
    expect(errorLines(run)).toEqual([
      expect.stringMatching(
        /^::error::The job was cancelled \(SIGINT\), so the run stopped: check outcome-unknown-ids in HINDSITE before sending them again; send unsent-ids again\.$/,
      ),
    ]);
    expect(run.summary).toContain('### Failed: outcome unknown (2)');
    expect(run.summary).toContain('### Unsent (2)');
  });

  // A list that never ends, of pages under 2 MiB, is stopped by the walk's byte bound: the bundle
  // is run with a bounded heap against such a list in memory.e2e.test.ts.
  it('gives up on a stalled reply at timeout-seconds and exits promptly', async () => {
    const ids = world.seed(2);
    world.sandbox.inject({ route: 'bulk', delayMs: 60_000, afterHandling: true });
    const run = await runBundle({
      ...world.inputs,
      'delivery-ids': ids.join(),
      'timeout-seconds': '1',
    });
    expect(run.code).toBe(1);
    expect(run.durationMs).toBeLessThan(5000);
    expect(json(run.outputs['failed-ids'])).toEqual(ids);
  });
});
