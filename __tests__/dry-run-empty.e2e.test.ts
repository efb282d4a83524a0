/**
 * A dry run that selects nothing has nothing to approve: it says so (➖), writes no plan file, and
 * leaves plan-file and plan-digest empty, so that an approval job has nothing to approve either.
 */
import { describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { errorLines, inProcess, type ActionRun } from './support/runner.js';
import { useWorld, type World } from './support/world.js';

let world: World;
useWorld((started) => (world = started));

const statusOf = (run: ActionRun): string | undefined =>
  run.summary
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))[0]
    ?.replace(/\\/g, '');

const warningLines = (run: ActionRun): string[] =>
  run.stdout.split('\n').filter((line) => line.startsWith('::warning::'));

/** The plan files a run wrote next to its report. */
const planFiles = (run: ActionRun): string[] =>
  existsSync(run.runnerTemp)
    ? readdirSync(run.runnerTemp).filter((name) => name.startsWith('hindsite-plan-'))
    : [];

describe('a dry run that selects nothing', () => {
  const dryRun = async (inputs: Record<string, string>): Promise<ActionRun> =>
    inProcess(() => world.clock)({ ...world.inputs, 'dry-run': 'true', ...inputs });
  const cleanUp = (run: ActionRun): void =>
    rmSync(dirname(run.runnerTemp), { recursive: true, force: true });

  it('says there is nothing to approve and writes no plan file', async () => {
    world.seed(3, { state: 'completed' });
    const run = await dryRun({ since: '24h' });
    try {
      expect(run.code).toBe(0);
      expect(errorLines(run)).toEqual([]);
      expect(warningLines(run)).toEqual([]);
      const status =
        '➖ Dry run: nothing to approve. Discovery found 3 deliveries; the newest delivery of each event is not errored. No plan was written.';
      expect(statusOf(run)).toBe(status);
      expect(run.stdout.split('\n')).toContain(status);
      expect(run.outputs['plan-file']).toBe('');
      expect(run.outputs['plan-digest']).toBe('');
      expect(planFiles(run)).toEqual([]);
      expect(run.summary).not.toContain('Would be redelivered');
      expect(run.outputs['requested-count']).toBe('3');
      expect(run.outputs['selected-count']).toBe('0');
    } finally {
      cleanUp(run);
    }
  });

  it('warns when its discovery matched nothing at all: a typo in a filter', async () => {
    world.seed(2, { webhookId: 'wh_orders' });
    const run = await dryRun({ 'webhook-id': 'wh_order' });
    try {
      expect(run.code).toBe(0);
      expect(warningLines(run)).toEqual([
        '::warning::Nothing to approve: discovery matched no delivery under its filters (webhook-id: wh_order). Check these values.',
      ]);
      expect(statusOf(run)).toBe(
        '➖ Dry run: nothing to approve. Discovery matched no delivery under its filters (webhook-id: wh_order). Check these values. No plan was written.',
      );
      expect(run.outputs['plan-file']).toBe('');
      expect(run.outputs['plan-digest']).toBe('');
      expect(planFiles(run)).toEqual([]);
    } finally {
      cleanUp(run);
    }
  });

  it('unlike one that selects something: 📝 with a plan file and its digest', async () => {
    world.seed(2);
    const run = await dryRun({ since: '24h' });
    try {
      expect(run.code).toBe(0);
      expect(statusOf(run)).toBe('📝 Dry run: 2 deliveries to approve; nothing was sent.');
      expect(run.outputs['plan-digest']).toMatch(/^[0-9a-f]{64}$/);
      expect(planFiles(run)).toEqual([`hindsite-plan-${run.outputs['plan-digest']}.json`]);
    } finally {
      cleanUp(run);
    }
  });
});
