/**
 * No green for nothing: the summary's first line and the log tell apart a run that redelivered
 * (✅), one with nothing to do (➖, neutral), and one asked to do something that did nothing (⚠️,
 * a ::warning::): every ID dropped, or discovery that matched no delivery under its filters.
 */
import { describe, expect, it } from '@jest/globals';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  errorLines,
  expectAllOutputsSet,
  inProcess,
  runBundle,
  type ActionRun,
  type Runner,
} from './support/runner.js';
import { useWorld, type World } from './support/world.js';

let world: World;
useWorld((started) => (world = started));

/** The summary's status: the first line after its heading, its Markdown escapes removed. */
const statusOf = (run: ActionRun): string | undefined =>
  run.summary
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))[0]
    ?.replace(/\\/g, '');

const warningLines = (run: ActionRun): string[] =>
  run.stdout.split('\n').filter((line) => line.startsWith('::warning::'));

/** The log's lines, without workflow commands. */
const plainLines = (run: ActionRun): string[] =>
  run.stdout.split('\n').filter((line) => line !== '' && !line.startsWith('::'));

/** Runs the step, then removes the step's files (tests leave nothing in the temp folder). */
function cleaned(runner: Runner): Runner {
  return async (inputs, options) => {
    const run = await runner(inputs, options);
    rmSync(dirname(run.runnerTemp), { recursive: true, force: true });
    return run;
  };
}

describe('the status line', () => {
  const runInWorld = cleaned(inProcess(() => world.clock));

  it('✅ counts the redeliveries created, in the summary and as the last line of the log', async () => {
    const ids = world.seed(2);
    const run = await runInWorld({ ...world.inputs, 'delivery-ids': ids.join() });
    expect(run.code).toBe(0);
    expect(statusOf(run)).toBe('✅ 2 redeliveries created.');
    expect(plainLines(run).at(-1)).toBe('✅ 2 redeliveries created.');
    expect(warningLines(run)).toEqual([]);
  });

  it('⚠️ every ID dropped: a warning naming the count, exit 0, and no ✅', async () => {
    const ids = ['dlv_gone_1', 'dlv_gone_2', 'dlv_gone_3'];
    const run = await runInWorld({ ...world.inputs, 'delivery-ids': ids.join() });
    expect(run.code).toBe(0);
    expectAllOutputsSet(run);
    expect(run.outputs['dropped-count']).toBe('3');
    expect(run.outputs['created-count']).toBe('0');
    expect(warningLines(run)).toEqual([
      '::warning::Nothing redelivered: HINDSITE dropped all 3 delivery IDs: they do not exist or belong to another organisation. Check the IDs (dropped-ids): dlv_gone_1, dlv_gone_2, dlv_gone_3.',
    ]);
    expect(statusOf(run)).toBe(
      '⚠️ Nothing redelivered: HINDSITE dropped all 3 delivery IDs: they do not exist or belong to another organisation.',
    );
    // The warning is the status: not repeated below it, and no line says anything was created.
    expect(run.summary.match(/Nothing redelivered/g)).toHaveLength(1);
    expect(run.summary).not.toContain('✅');
    expect(run.stdout).not.toContain('✅');
  });

  it('⚠️ names the only ID when it was dropped', async () => {
    const run = await runInWorld({ ...world.inputs, 'delivery-ids': 'dlv_gone' });
    expect(run.code).toBe(0);
    expect(warningLines(run)).toEqual([
      '::warning::Nothing redelivered: HINDSITE dropped the only delivery ID: it does not exist or belongs to another organisation. Check the IDs (dropped-ids): dlv_gone.',
    ]);
  });

  it('❌ every ID dropped with fail-on-dropped: fails, as it always has', async () => {
    const run = await runInWorld({
      ...world.inputs,
      'delivery-ids': 'dlv_gone_1,dlv_gone_2',
      'fail-on-dropped': 'true',
    });
    expect(run.code).toBe(1);
    expect(errorLines(run)).toEqual([
      '::error::HINDSITE dropped 2 delivery IDs and fail-on-dropped is true: check dropped-ids (they do not exist or belong to another organisation).',
    ]);
    expect(statusOf(run)).toMatch(/^❌ \*\*Failed:\*\* HINDSITE dropped 2 delivery IDs/);
  });

  it('✅ when some IDs were dropped and others redelivered, with the dropped ones a warning', async () => {
    const [mine] = world.seed(1);
    const run = await runInWorld({ ...world.inputs, 'delivery-ids': `${mine} dlv_gone` });
    expect(run.code).toBe(0);
    expect(statusOf(run)).toBe('✅ 1 redelivery created.');
    expect(warningLines(run)).toEqual([
      '::warning::HINDSITE dropped 1 delivery ID: they do not exist or belong to another organisation, so nothing was redelivered for them: dlv_gone',
    ]);
  });

  it('⚠️ a webhook-id that matches nothing: the warning names the filters, exit 0', async () => {
    world.seed(3, { webhookId: 'wh_orders' });
    const run = await runInWorld({ ...world.inputs, 'webhook-id': 'wh_ordres', since: '24h' });
    expect(run.code).toBe(0);
    expectAllOutputsSet(run);
    // since is read in whole seconds, rounded down.
    const from = new Date(Math.floor((world.clock.now() - 24 * 3600_000) / 1000) * 1000);
    const warning = `Nothing redelivered: discovery matched no delivery under its filters (webhook-id: wh_ordres; since: 24h, from ${from.toISOString()}). Check these values.`;
    expect(warningLines(run)).toEqual([`::warning::${warning}`]);
    expect(statusOf(run)).toBe(`⚠️ ${warning}`);
    expect(run.outputs['requested-count']).toBe('0');
    expect(run.outputs['selected-count']).toBe('0');
    expect(world.sandbox.requestsTo('bulk')).toHaveLength(0);
  });

  it('⚠️ an event-action that leaves every delivery out names it', async () => {
    world.seed(2, { eventAction: 'form_completed' });
    const run = await runInWorld({
      ...world.inputs,
      'webhook-id': 'wh_orders',
      'event-action': 'form_complete, form_started',
    });
    expect(run.code).toBe(0);
    expect(warningLines(run)).toEqual([
      '::warning::Nothing redelivered: discovery matched no delivery under its filters (webhook-id: wh_orders; event-action: form_complete, form_started). Check these values.',
    ]);
  });

  it('➖ discovery that finds deliveries but none failed is nothing to do: neutral, no warning', async () => {
    world.seed(4, { state: 'completed' });
    const run = await runInWorld({ ...world.inputs, since: '24h' });
    expect(run.code).toBe(0);
    expectAllOutputsSet(run);
    const status =
      '➖ Nothing to do: no failed deliveries found. Discovery found 4 deliveries; the newest delivery of each event is not errored.';
    expect(statusOf(run)).toBe(status);
    expect(plainLines(run).at(-1)).toBe(status);
    expect(warningLines(run)).toEqual([]);
    expect(errorLines(run)).toEqual([]);
    expect(run.outputs['requested-count']).toBe('4');
    expect(run.outputs['selected-count']).toBe('0');
    expect(run.outputs['skipped-count']).toBe('4');
    expect(world.sandbox.requestsTo('bulk')).toHaveLength(0);
  });

  it('➖ a plan whose every event changed since it was made is nothing to do', async () => {
    const ids = world.seed(2);
    // Not cleaned until the end: the plan file lives in the dry run's runner temp.
    const plan = await inProcess(() => world.clock)({
      ...world.inputs,
      since: '1h',
      'dry-run': 'true',
    });
    try {
      expect(statusOf(plan)).toBe('📝 Dry run: 2 deliveries to approve; nothing was sent.');
      // Someone redelivers the planned events before the plan is applied.
      await runInWorld({ ...world.inputs, 'delivery-ids': ids.join() });
      const applied = await runInWorld({
        ...world.inputs,
        'plan-file': plan.outputs['plan-file'] as string,
        'plan-digest': plan.outputs['plan-digest'] as string,
      });
      expect(applied.code).toBe(0);
      expect(applied.outputs['requested-count']).toBe('2');
      expect(applied.outputs['skipped-count']).toBe('2');
      expect(statusOf(applied)).toBe(
        '➖ Nothing to do: no failed deliveries found. 2 planned deliveries changed since the plan (skipped).',
      );
      expect(warningLines(applied)).toEqual([]);
    } finally {
      rmSync(dirname(plan.runnerTemp), { recursive: true, force: true });
    }
  });
});

describe('the status line, through the bundle', () => {
  const bundle = cleaned(runBundle);

  it('⚠️ 300 of 300 IDs dropped is a warning naming the count, not "✅ 0 redeliveries created"', async () => {
    const ids = Array.from({ length: 300 }, (_, i) => `dlv_unknown_${i}`);
    const run = await bundle({ ...world.inputs, 'delivery-ids': ids.join('\n') });
    expect(run.code).toBe(0);
    expect(run.outputs['dropped-count']).toBe('300');
    const [warning] = warningLines(run);
    expect(warning).toMatch(
      /^::warning::Nothing redelivered: HINDSITE dropped all 300 delivery IDs: they do not exist or belong to another organisation\. Check the IDs \(dropped-ids\): dlv_unknown_0, .* … and 280 more\.$/,
    );
    expect(statusOf(run)).toBe(
      '⚠️ Nothing redelivered: HINDSITE dropped all 300 delivery IDs: they do not exist or belong to another organisation.',
    );
    expect(run.stdout).not.toContain('✅');
    expect(run.summary).not.toContain('✅');
  });
});
