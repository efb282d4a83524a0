/**
 * The account survives a crash after acting: once the bulk calls end, before the polling of a wait
 * or a canary, the outputs, the report and the summary are written (a checkpoint), and the end of
 * the run replaces them. A process that dies while polling (out of memory, killed) has then said
 * which redeliveries it made, so that nobody re-runs it blindly and redelivers them again.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { SandboxOptions } from '../sandbox/index.js';
import { actionYaml, parseOutputFile, outputWrites } from '../scripts/step.js';
import { json, runBundle, runInProcess, type ActionRun } from './support/runner.js';
import { startWorld, type World } from './support/world.js';

let world: World | undefined;
let cleanup: (() => void)[] = [];
afterEach(async () => {
  await world?.sandbox.close();
  world = undefined;
  for (const step of cleanup) step();
  cleanup = [];
});

async function worldWhere(settle: SandboxOptions['settle']): Promise<World> {
  world = await startWorld({ settle });
  return world;
}

/** The runner's files of a step, kept by the test to read them raw (every value ever written). */
function runnerFiles(): {
  env: Record<string, string>;
  outputs: () => string;
  summary: () => string;
} {
  const dir = mkdtempSync(join(tmpdir(), 'hindsite-checkpoint-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  const outputFile = join(dir, 'output');
  const summaryFile = join(dir, 'summary.md');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  return {
    env: {
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: summaryFile,
      RUNNER_TEMP: join(dir, 'temp'),
    },
    outputs: () => readFileSync(outputFile, 'utf8'),
    summary: () => readFileSync(summaryFile, 'utf8'),
  };
}

/** Every value written for output `name`, in order (the runner keeps the last). */
const valuesOf = (raw: string, name: string): string[] =>
  outputWrites(raw).flatMap(([written, value]) => (written === name ? [value] : []));

const report = (path: string | undefined): Record<string, unknown> =>
  JSON.parse(readFileSync(path as string, 'utf8')) as Record<string, unknown>;

const CHECKING_LOG =
  'Outputs, summary and report written before checking: 3 redeliveries created (created-ids); the run is still checking the new deliveries, waiting for them to settle. If the step ends without another summary (killed, or out of memory), the redeliveries in created-ids were made: do not re-run the step as it is, or they are redelivered again.';

describe('a run killed while it waits for its new deliveries', () => {
  it('has already written created-ids, the report and a summary that says it was still checking', async () => {
    await worldWhere({ afterMs: 0, outcome: () => 'never' });
    const sandbox = (world as World).sandbox;
    const ids = (world as World).seed(3);
    const files = runnerFiles();
    let killedAfterPolls = 0;
    // SIGKILL, as an out-of-memory abort: no handler runs, nothing is written after it.
    const killAtFirstPoll = (step: ChildProcess): void => {
      const watch = setInterval(() => {
        const polls = sandbox.requestsTo('list').length;
        if (polls === 0) return;
        clearInterval(watch);
        killedAfterPolls = polls;
        step.kill('SIGKILL');
      }, 5);
      step.on('exit', () => clearInterval(watch));
    };
    const run = await runBundle(
      {
        ...(world as World).inputs,
        'delivery-ids': ids.join(),
        wait: 'true',
        'poll-interval-seconds': '1',
      },
      { env: files.env, control: killAtFirstPoll },
    );
    cleanup.push(() => rmSync(dirname(run.runnerTemp), { recursive: true, force: true }));
    expect(run.code).toBeNull();
    expect(killedAfterPolls).toBeGreaterThan(0);
    expect((world as World).bulkCalls().map((call) => call.ids)).toEqual([ids]);
    const made = sandbox.deliveries().filter((delivery) => delivery.redeliveryOf);
    expect(made.map((delivery) => delivery.redeliveryOf)).toEqual(ids);

    const outputs = parseOutputFile(files.outputs());
    expect(Object.keys(outputs).sort()).toEqual(Object.keys(actionYaml.outputs).sort());
    expect(json(outputs['created-ids'])).toEqual(made.map((delivery) => delivery.id));
    expect(outputs['created-count']).toBe('3');
    expect(outputs['unsent-ids']).toBe('[]');
    const reportFile = outputs['report-file'] as string;
    expect(existsSync(reportFile)).toBe(true);
    const record = report(reportFile);
    expect(record['created']).toEqual(
      made.map((delivery) => ({ id: delivery.id, originalId: delivery.redeliveryOf })),
    );
    expect(record['stillChecking']).toBe(CHECKING_LOG.slice(CHECKING_LOG.indexOf('3 ')));
    expect(existsSync(`${reportFile}.partial`)).toBe(false);

    const summary = files.summary();
    expect(summary.match(/^## HINDSITE webhook redelivery$/gm)).toHaveLength(1);
    expect(summary).toMatch(
      /^## HINDSITE webhook redelivery\n\n⏳ \*\*Still checking:\*\* 3 redeliveries created \\\(created-ids\\\); the run is still checking the new deliveries, waiting for them to settle\. If the step ends without another summary \\\(killed, or out of memory\\\), the redeliveries in created-ids were made: do not re-run the step as it is, or they are redelivered again\./,
    );
    expect(summary).toContain('### New deliveries');
    expect(run.stdout).toContain(CHECKING_LOG);
  });
});

describe('a run that ends', () => {
  /** A normal run's record: the checkpoint's values replaced, nothing said twice. */
  function expectFinalOnly(run: ActionRun, raw: string, summary: string): void {
    expect(summary.match(/^## HINDSITE webhook redelivery$/gm)).toHaveLength(1);
    expect(summary).not.toContain('Still checking');
    expect(parseOutputFile(raw)).toEqual(run.outputs);
    expect(report(run.outputs['report-file'])['stillChecking']).toBeNull();
  }

  it('with wait replaces the checkpoint: the last value of each output, one summary', async () => {
    await worldWhere({ afterMs: 0, outcome: () => 'completed' });
    const ids = (world as World).seed(3);
    const files = runnerFiles();
    // In process, on the world's clock: the poll interval costs no real time.
    const run = await runInProcess(
      {
        ...(world as World).inputs,
        'delivery-ids': ids.join(),
        wait: 'true',
        'poll-interval-seconds': '1',
      },
      (world as World).clock,
      { env: files.env },
    );
    cleanup.push(() => rmSync(dirname(run.runnerTemp), { recursive: true, force: true }));
    const raw = files.outputs();
    run.outputs = parseOutputFile(raw);
    expect(run.code).toBe(0);
    expectFinalOnly(run, raw, files.summary());
    // The checkpoint wrote each output once, the end once more; the runner keeps the last.
    expect(valuesOf(raw, 'completed-count')).toEqual(['0', '3']);
    expect(valuesOf(raw, 'created-ids')).toHaveLength(2);
    expect(files.summary()).toMatch(
      /^## HINDSITE webhook redelivery\n\n✅ 3 redeliveries created\./,
    );
    expect(run.stdout.split(CHECKING_LOG)).toHaveLength(2);
  });

  it('without wait or canary writes each output once, and no checkpoint', async () => {
    await worldWhere(undefined);
    const ids = (world as World).seed(2);
    const files = runnerFiles();
    const run = await runInProcess(
      { ...(world as World).inputs, 'delivery-ids': ids.join() },
      (world as World).clock,
      { env: files.env },
    );
    cleanup.push(() => rmSync(dirname(run.runnerTemp), { recursive: true, force: true }));
    const raw = files.outputs();
    run.outputs = parseOutputFile(raw);
    expect(run.code).toBe(0);
    expectFinalOnly(run, raw, files.summary());
    for (const name of Object.keys(actionYaml.outputs)) expect(valuesOf(raw, name)).toHaveLength(1);
    expect(run.stdout).not.toContain('before checking');
  });

  it('with a canary checkpoints before watching the canary, before sending the rest, and before the wait', async () => {
    await worldWhere({ afterMs: 0, outcome: () => 'completed' });
    const ids = (world as World).seed(3);
    const files = runnerFiles();
    const run = await runInProcess(
      { ...(world as World).inputs, 'delivery-ids': ids.join(), canary: '1', wait: 'true' },
      (world as World).clock,
      { env: files.env },
    );
    cleanup.push(() => rmSync(dirname(run.runnerTemp), { recursive: true, force: true }));
    const raw = files.outputs();
    run.outputs = parseOutputFile(raw);
    expect(run.code).toBe(0);
    expectFinalOnly(run, raw, files.summary());
    const created = json(run.outputs['created-ids']) as string[];
    expect(created).toHaveLength(3);
    expect(valuesOf(raw, 'created-ids').map((value) => json(value))).toEqual([
      created.slice(0, 1),
      created.slice(0, 1),
      created,
      created,
    ]);
    // While the canary was watched, the rest was not sent yet: unsent, safe to send. Once it is
    // being sent, a call for it may be under way: outcome unknown, not safe to send blindly.
    expect(valuesOf(raw, 'unsent-ids').map((value) => json(value))).toEqual([
      ids.slice(1),
      [],
      [],
      [],
    ]);
    expect(valuesOf(raw, 'outcome-unknown-ids').map((value) => json(value))).toEqual([
      [],
      ids.slice(1),
      [],
      [],
    ]);
    expect(run.stdout).toContain(
      'Outputs, summary and report written before sending the rest: 1 redelivery created (created-ids); the canary passed and the run is sending the other 2 deliveries. If the step ends without another summary (killed, or out of memory), those in outcome-unknown-ids may have been redelivered: check them in HINDSITE before sending them again',
    );
    expect(run.stdout).toContain(
      "Outputs, summary and report written before checking: 1 redelivery created (created-ids); the run is still checking the canary's new deliveries, waiting for them to settle. 2 IDs were not sent yet (unsent-ids). If the step ends without another summary",
    );
  });
});

describe('parseOutputFile, which the tests read outputs with', () => {
  it('keeps the last value of a name written twice, as the runner does', () => {
    const raw = [
      'created-ids<<ghadelimiter_1',
      '["n1"]',
      'ghadelimiter_1',
      'completed-count<<ghadelimiter_2',
      '0',
      'ghadelimiter_2',
      'created-ids<<ghadelimiter_3',
      '["n1","n2"]',
      'ghadelimiter_3',
      '',
    ].join('\n');
    expect(parseOutputFile(raw)).toEqual({ 'created-ids': '["n1","n2"]', 'completed-count': '0' });
  });
});
