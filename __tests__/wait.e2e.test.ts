import { afterEach, describe, expect, it } from '@jest/globals';
import type { SettleOutcome } from '../sandbox/index.js';
import { errorLines, expectAllOutputsSet, json, inProcess, type Runner } from './support/runner.js';
import { startWorld, type World } from './support/world.js';

let world: World;
afterEach(async () => {
  await world.sandbox.close();
});

/** A world whose receiver settles each redelivery after `afterMs` as `outcome` says. */
async function settling(
  afterMs: number,
  outcome: (originalId: string) => SettleOutcome,
): Promise<World> {
  world = await startWorld({
    pageSize: 2,
    settle: { afterMs, outcome: ({ originalId }) => outcome(originalId) },
  });
  return world;
}

const WAIT = { wait: 'true', 'poll-interval-seconds': '1', 'wait-timeout-seconds': '10' };

describe('waiting for the new deliveries to settle', () => {
  const runInWorld: Runner = inProcess(() => world.clock);
  it('succeeds when every new delivery completes, and shows each one in the summary', async () => {
    await settling(300, () => 'completed');
    const ids = world.seed(3, { webhookId: 'wh_orders', eventAction: 'form_completed' });
    const run = await runInWorld({ ...world.inputs, 'delivery-ids': ids.join(), ...WAIT });
    expect(run.code).toBe(0);
    expectAllOutputsSet(run);
    expect(run.outputs['completed-count']).toBe('3');
    expect(run.outputs['failed-again-ids']).toBe('[]');
    expect(run.outputs['unsettled-ids']).toBe('[]');
    expect(run.stdout).toMatch(
      /Waiting for 3 new deliveries \(poll 1\): 3 completed, 0 failing \(retrying\/errored\), 0 pending\/in progress; \d+ s left\./,
    );
    const created = json(run.outputs['created-ids']) as string[];
    created.forEach((newId, index) => {
      const original = ids[index] as string;
      const event = world.sandbox.delivery(original)?.eventId as string;
      expect(run.summary).toContain(
        `| ${original} | ${newId} | ${event} | form_completed | wh_orders | completed | 200 |`,
      );
    });
    const polls = world.sandbox.requestsTo('list');
    expect(polls.length).toBeGreaterThan(0);
    expect(
      polls.every(
        (request) => request.query['webhook_id'] === 'wh_orders' && request.query['since'],
      ),
    ).toBe(true);
  });

  it('fails naming the deliveries that failed again (errored or retrying)', async () => {
    let failing: string[] = [];
    await settling(300, (original) =>
      failing.includes(original) ? (original === failing[0] ? 'errored' : 'retrying') : 'completed',
    );
    const ids = world.seed(4);
    failing = [ids[1] as string, ids[3] as string];
    const run = await runInWorld({ ...world.inputs, 'delivery-ids': ids.join(), ...WAIT });
    expect(run.code).toBe(1);
    expectAllOutputsSet(run);
    const created = json(run.outputs['created-ids']) as string[];
    expect(json(run.outputs['failed-again-ids'])).toEqual([created[1], created[3]]);
    expect(run.outputs['completed-count']).toBe('2');
    expect(json(run.outputs['failed-again-original-ids'])).toEqual(failing);
    expect(errorLines(run)).toEqual([
      '::error::Redelivered 4 deliveries, but 2 new deliveries failed again (failed-again-ids): fix the receiver, then re-run failed-again-original-ids.',
    ]);
    // Which ones, with the IDs they retried: in the log before the error.
    expect(run.stdout).toContain(
      `Failed again (failed-again-ids): ${failing[0]} (new delivery ${created[1]}), ${failing[1]} (new delivery ${created[3]}).`,
    );
    expect(run.summary).toMatch(
      new RegExp(`\\| ${ids[1]} \\| ${created[1]} \\|.*\\| errored \\| 500 \\|`),
    );
    expect(run.summary).toMatch(
      new RegExp(`\\| ${ids[3]} \\| ${created[3]} \\|.*\\| retrying \\| 500 \\|`),
    );
    expect(run.summary).toContain('### Failed again (2)');
  });

  it('stops at wait-timeout-seconds with the deliveries that never settled', async () => {
    await settling(100, () => 'never');
    const ids = world.seed(2);
    const run = await runInWorld({
      ...world.inputs,
      'delivery-ids': ids.join(),
      ...WAIT,
      'wait-timeout-seconds': '2',
    });
    expect(run.code).toBe(1);
    expect(run.durationMs).toBeLessThan(6000);
    expect(json(run.outputs['unsettled-ids'])).toEqual(json(run.outputs['created-ids']));
    expect(run.outputs['completed-count']).toBe('0');
    expect(errorLines(run)[0]).toMatch(
      /2 new deliveries had not settled after 2 s \(unsettled-ids\)/,
    );
    expect(run.summary).toContain('### Unsettled (2)');
  });

  it('does not poll without wait', async () => {
    await settling(0, () => 'completed');
    const ids = world.seed(2);
    const run = await runInWorld({ ...world.inputs, 'delivery-ids': ids.join() });
    expect(run.code).toBe(0);
    expect(world.sandbox.requestsTo('list')).toHaveLength(0);
    expect(run.outputs['completed-count']).toBe('0');
  });

  it('has nothing to wait for in a dry run', async () => {
    await settling(0, () => 'completed');
    const ids = world.seed(2);
    const run = await runInWorld({
      ...world.inputs,
      'delivery-ids': ids.join(),
      ...WAIT,
      'dry-run': 'true',
    });
    expect(run.code).toBe(0);
    // The IDs are looked up for the plan; nothing is sent, so nothing is polled.
    expect(world.sandbox.requestsTo('bulk')).toHaveLength(0);
    expect(run.outputs['completed-count']).toBe('0');
    expect(run.stdout).not.toContain('Waiting');
  });

  it('keeps polling through a 503 from the list endpoint', async () => {
    await settling(200, () => 'completed');
    const ids = world.seed(1);
    world.sandbox.inject({ route: 'list', status: 503 });
    const run = await runInWorld({ ...world.inputs, 'delivery-ids': ids.join(), ...WAIT });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/List deliveries \(page 1\): HTTP 503; attempt 1 of 3/);
    expect(run.outputs['completed-count']).toBe('1');
  });
});
