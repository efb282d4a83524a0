/**
 * Names, once: the outputs failed-again-ids, failed-again-original-ids and outcome-unknown-ids (and
 * the report file's failedAgain, failedAgainOriginals and outcomeUnknown), with no alias for the old
 * names; and requested-count with its one meaning.
 */
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import {
  actionYaml,
  expectAllOutputsSet,
  inProcess,
  json,
  runBundle,
  type ActionRun,
} from './support/runner.js';
import { useWorld, type World } from './support/world.js';

let world: World;
useWorld((started) => (world = started));

const NEW_NAMES = ['failed-again-ids', 'failed-again-original-ids', 'outcome-unknown-ids'];
const OLD_NAMES = ['failing-ids', 'failing-original-ids', 'unknown-ids'];
/** An old name as a word of its own (`outcome-unknown-ids` holds `unknown-ids`, but is not it). */
const OLD_NAME = /(?<![\w-])(failing-ids|failing-original-ids|unknown-ids)(?![\w-])/;

const ROOT = resolve(import.meta.dirname, '..');

/** The report file of a run, read before its step's files are removed. */
function reportOf(run: ActionRun): Record<string, unknown> {
  const report = JSON.parse(readFileSync(run.outputs['report-file'] as string, 'utf8')) as Record<
    string,
    unknown
  >;
  rmSync(dirname(run.runnerTemp), { recursive: true, force: true });
  return report;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('output names', () => {
  it('action.yml declares the new names and none of the old', () => {
    const outputs = Object.keys(actionYaml.outputs);
    expect(outputs).toEqual(expect.arrayContaining(NEW_NAMES));
    for (const old of OLD_NAMES) expect(outputs).not.toContain(old);
    const descriptions = Object.values(actionYaml.outputs).map((spec) => spec.description);
    expect(descriptions.filter((text) => OLD_NAME.test(text ?? ''))).toEqual([]);
  });

  it('the bundle sets the new names and not the old, in its outputs and its report', async () => {
    const [mine] = world.seed(1);
    const run = await runBundle({ ...world.inputs, 'delivery-ids': `${mine} dlv_gone` });
    expect(run.code).toBe(0);
    expectAllOutputsSet(run);
    for (const name of NEW_NAMES) expect([name, run.outputs[name]]).toEqual([name, '[]']);
    for (const old of OLD_NAMES) expect(run.outputs).not.toHaveProperty(old);
    const report = reportOf(run);
    for (const key of ['outcomeUnknown', 'failedAgain', 'failedAgainOriginals']) {
      expect(report).toHaveProperty(key, []);
    }
    for (const old of ['unknown', 'failing', 'failingOriginals']) {
      expect(report).not.toHaveProperty(old);
    }
  });

  it('no source, script, sandbox, bench or contract file uses an old name', () => {
    const files = ['src', 'scripts', 'sandbox', 'bench', 'contract']
      .flatMap((dir) => filesUnder(join(ROOT, dir)))
      .concat(join(ROOT, 'action.yml'));
    const using = files.filter((path) => OLD_NAME.test(readFileSync(path, 'utf8')));
    expect(using).toEqual([]);
  });
});

describe('requested-count', () => {
  const runInWorld = inProcess(() => world.clock);

  it('under discovery is every delivery found under its filters: 14 found, 3 selected', async () => {
    world.seed(3);
    world.seed(11, { state: 'completed' });
    const run = await runInWorld({ ...world.inputs, since: '24h' });
    reportOf(run);
    expect(run.code).toBe(0);
    expect(run.outputs['requested-count']).toBe('14');
    expect(run.outputs['selected-count']).toBe('3');
    expect(run.outputs['skipped-count']).toBe('11');
  });

  it('leaves out what event-action left out: it is a filter of discovery', async () => {
    world.seed(2, { eventAction: 'form_completed' });
    world.seed(5, { eventAction: 'form_started' });
    const run = await runInWorld({ ...world.inputs, since: '24h', 'event-action': 'form_started' });
    reportOf(run);
    expect(run.outputs['requested-count']).toBe('5');
    expect(run.outputs['selected-count']).toBe('5');
  });

  it('with IDs given is the distinct IDs, dropped ones included', async () => {
    const ids = world.seed(2);
    const run = await runInWorld({
      ...world.inputs,
      'delivery-ids': [...ids, ids[0], 'dlv_gone'].join(),
    });
    reportOf(run);
    expect(run.outputs['requested-count']).toBe('3');
    expect(json(run.outputs['dropped-ids'])).toEqual(['dlv_gone']);
  });

  it("applying a plan is the plan's deliveries, those skipped as changed included", async () => {
    const ids = world.seed(3);
    const plan = await runInWorld({ ...world.inputs, since: '1h', 'dry-run': 'true' });
    try {
      // One planned event is redelivered by someone else before the plan is applied.
      reportOf(await runInWorld({ ...world.inputs, 'delivery-ids': ids[0] as string }));
      const applied = await runInWorld({
        ...world.inputs,
        'plan-file': plan.outputs['plan-file'] as string,
        'plan-digest': plan.outputs['plan-digest'] as string,
      });
      reportOf(applied);
      expect(applied.code).toBe(0);
      expect(applied.outputs['requested-count']).toBe('3');
      expect(applied.outputs['skipped-count']).toBe('1');
      expect(applied.outputs['selected-count']).toBe('2');
    } finally {
      rmSync(dirname(plan.runnerTemp), { recursive: true, force: true });
    }
  });
});
