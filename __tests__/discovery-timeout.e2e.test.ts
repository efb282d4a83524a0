/**
 * discovery-timeout-seconds: one deadline for all list pages of discovery, or of a plan's re-check,
 * so that a server that answers each page just in time cannot hold the step for hours. Past it no
 * bulk call is made, the step fails saying what to do, and a plan's deliveries are all in
 * unsent-ids. The wait has its own deadline and is not bound by it. In process on the world's
 * virtual clock (pages slowed by a Retry-After cost no real time), and with the bundle on real time.
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import type { Fault } from '../sandbox/index.js';
import {
  errorLines,
  expectAccounted,
  expectAllOutputsSet,
  inProcess,
  json,
  runBundle,
  type ActionRun,
  type Runner,
} from './support/runner.js';
import { useWorld, type World } from './support/world.js';

let world: World;
useWorld((started) => (world = started), {
  pageSize: 5,
  settle: { afterMs: 45_000, outcome: () => 'completed' },
});
const runInWorld: Runner = inProcess(() => world.clock);

/**
 * A list that makes each page wait: every other list request is answered 429 with Retry-After 59,
 * so each page costs 59 s of the world's time before it is read.
 */
function throttleEveryPage(): void {
  let requests = 0;
  world.sandbox.inject({
    route: 'list',
    times: Infinity,
    when: () => requests++ % 2 === 0,
    status: 429,
    headers: { 'retry-after': '59' },
  });
}

const DISCOVERY_TIMED_OUT = (seconds: string, pages: number): string =>
  `::error::Discovery did not finish within discovery-timeout-seconds (${seconds} s), so nothing was redelivered: narrow it with since or webhook-id, or raise discovery-timeout-seconds. ${pages} list pages were read by then.`;

function expectNothingSent(run: ActionRun): void {
  expect(run.code).toBe(1);
  expect(world.bulkCalls()).toEqual([]);
  expect(run.outputs['created-count']).toBe('0');
  expectAllOutputsSet(run);
}

/** A dry run's plan of everything errored in the last 10 hours; the request log emptied after. */
async function plan(runner: Runner = runInWorld): Promise<{ file: string; digest: string }> {
  const run = await runner({ ...world.inputs, since: '10h', concurrency: '1', 'dry-run': 'true' });
  expect(run.code).toBe(0);
  world.sandbox.requests.length = 0;
  return { file: run.outputs['plan-file'] ?? '', digest: run.outputs['plan-digest'] ?? '' };
}

describe('discovery-timeout-seconds, on the world clock', () => {
  it('fails discovery that has not reached the end of the list in time, sending nothing', async () => {
    world.seed(40);
    throttleEveryPage();
    const run = await runInWorld({
      ...world.inputs,
      since: '24h',
      concurrency: '1',
      'discovery-timeout-seconds': '150',
    });
    expectNothingSent(run);
    // Pages 1 and 2 took 59 s each; page 3 came back at 177 s, after the deadline.
    expect(errorLines(run)).toEqual([DISCOVERY_TIMED_OUT('150', 2)]);
    expect(run.durationMs).toBeLessThan(180_000);
    const pages = world.sandbox.requestsTo('list').map((request) => request.query['page']);
    expect(new Set(pages)).toEqual(new Set(['1', '2', '3']));
    expect(run.summary).toContain('Discovery did not finish within discovery-timeout-seconds');
  });

  it('lets the same discovery finish within the default of 600 s', async () => {
    const ids = world.seed(40);
    throttleEveryPage();
    const run = await runInWorld({ ...world.inputs, since: '24h', concurrency: '1' });
    expect(run.code).toBe(0);
    // Nine pages (the ninth empty), 59 s each.
    expect(run.durationMs).toBeGreaterThanOrEqual(9 * 59_000);
    expect(
      world
        .bulkCalls()
        .flatMap((call) => call.ids)
        .sort(),
    ).toEqual([...ids].sort());
  });

  it("fails a plan's re-check past it: every planned delivery is never sent", async () => {
    const ids = Array.from({ length: 12 }, (_, index) => world.seedAt(9 - index / 2));
    const { file, digest } = await plan();
    throttleEveryPage();
    const run = await runInWorld({
      ...world.inputs,
      'plan-file': file,
      'plan-digest': digest,
      concurrency: '1',
      'discovery-timeout-seconds': '100',
    });
    expectNothingSent(run);
    expect(errorLines(run)).toEqual([
      '::error::Checking the plan again did not finish within discovery-timeout-seconds (100 s), so nothing was sent: raise discovery-timeout-seconds, or make a plan with a narrower since or webhook-id. The 12 planned deliveries are in unsent-ids, safe to send again. 1 list page was read by then.',
    ]);
    expect(json(run.outputs['unsent-ids'])).toEqual(ids);
    expectAccounted(run, ids, []);
  });

  it("fails a dry run's look-up of explicit IDs past it, naming the look-up, every ID unsent", async () => {
    const ids = world.seed(12);
    throttleEveryPage();
    const run = await runInWorld({
      ...world.inputs,
      'delivery-ids': ids.join(),
      'dry-run': 'true',
      concurrency: '1',
      'discovery-timeout-seconds': '100',
    });
    expectNothingSent(run);
    expect(errorLines(run)).toEqual([
      '::error::Looking up the delivery IDs in the list did not finish within discovery-timeout-seconds (100 s), so no plan was made: raise discovery-timeout-seconds. The 12 IDs are in unsent-ids, safe to send again. 1 list page was read by then.',
    ]);
    expect(run.outputs['plan-file']).toBe('');
    expectAccounted(run, ids, []);
  });

  it('does not bound the wait, which has wait-timeout-seconds', async () => {
    const ids = world.seed(2);
    throttleEveryPage();
    const run = await runInWorld({
      ...world.inputs,
      'delivery-ids': ids.join(),
      wait: 'true',
      'poll-interval-seconds': '15',
      'discovery-timeout-seconds': '1',
    });
    expect(run.code).toBe(0);
    expect(run.outputs['completed-count']).toBe('2');
    expect(run.durationMs).toBeGreaterThan(45_000);
  });

  it.each([
    ['0', 'got "0"'],
    ['soon', 'got "soon"'],
    ['21601', 'got "21601"'],
  ])('is refused before any request when it is %j', async (value, got) => {
    const run = await runInWorld({
      ...world.inputs,
      since: '24h',
      'discovery-timeout-seconds': value,
    });
    expect(run.code).toBe(1);
    expect(errorLines(run)).toEqual([
      `::error::Input discovery-timeout-seconds must be a number of seconds from 1 to 21600; ${got}.`,
    ]);
    expect(world.sandbox.requests).toEqual([]);
  });
});

describe('discovery-timeout-seconds, as a runner runs the bundle', () => {
  const slowPages: Fault = { route: 'list', times: Infinity, delayMs: 150 };

  it('stops discovery of a list whose pages each come slowly, within the deadline', async () => {
    world.seed(60);
    world.sandbox.inject(slowPages);
    const run = await runBundle({
      ...world.inputs,
      since: '24h',
      concurrency: '1',
      'discovery-timeout-seconds': '1',
    });
    expectNothingSent(run);
    expect(errorLines(run)).toEqual([
      expect.stringMatching(
        /^::error::Discovery did not finish within discovery-timeout-seconds \(1 s\), so nothing was redelivered: narrow it with since or webhook-id, or raise discovery-timeout-seconds\. \d list pages were read by then\.$/,
      ),
    ]);
    // Twelve pages of 150 ms would take 1.8 s; the step ends at its deadline instead.
    expect(world.sandbox.requestsTo('list').length).toBeLessThan(12);
    expect(run.durationMs).toBeLessThan(4000);
  });

  it("stops a plan's re-check whose page never comes, with every planned delivery unsent", async () => {
    const ids = [world.seedAt(3), world.seedAt(2), world.seedAt(1)];
    const { file, digest } = await plan(runBundle);
    world.sandbox.inject({ route: 'list', delayMs: Infinity });
    const run = await runBundle({
      ...world.inputs,
      'plan-file': file,
      'plan-digest': digest,
      'discovery-timeout-seconds': '1',
    });
    expectNothingSent(run);
    expect(errorLines(run)).toEqual([
      '::error::Checking the plan again did not finish within discovery-timeout-seconds (1 s), so nothing was sent: raise discovery-timeout-seconds, or make a plan with a narrower since or webhook-id. The 3 planned deliveries are in unsent-ids, safe to send again.',
    ]);
    expect(json(run.outputs['unsent-ids'])).toEqual(ids);
    expectAccounted(run, ids, []);
    expect(run.durationMs).toBeLessThan(4000);
    expect(readFileSync(file, 'utf8')).toContain(ids[0]);
  });
});
