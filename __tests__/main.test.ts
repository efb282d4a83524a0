/**
 * The entry point's own paths, in process against the sandbox: the SIGINT and SIGTERM handlers
 * run() installs when no cancel signal is passed, run() with no options at all, a runner that sets
 * no RUNNER_TEMP or step summary, and a bug outside the pipeline.
 */
import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { Clock } from '../src/model/clock.js';
import type { run as Run } from '../src/main.js';
import { inputEnvironment, parseOutputFile, stepFiles } from '../scripts/step.js';
import { errorLines, json, runInProcess, type ActionRun } from './support/runner.js';
import { VirtualClock } from './support/virtual-clock.js';
import { useWorld, type World } from './support/world.js';

let world: World;
useWorld((started) => (world = started));

const signalListeners = (): number =>
  process.listenerCount('SIGINT') + process.listenerCount('SIGTERM');

/**
 * `start` calls run() as it likes, with the step's inputs and runner files in process.env and
 * stdout captured; runInProcess always passes env and clock, which this leaves to the caller.
 */
async function step(
  inputs: Record<string, string>,
  start: (run: typeof Run) => Promise<void>,
): Promise<ActionRun> {
  const files = stepFiles();
  const saved = { ...process.env };
  for (const key of Object.keys(process.env)) if (key.startsWith('INPUT_')) delete process.env[key];
  Object.assign(process.env, inputEnvironment(inputs), {
    GITHUB_OUTPUT: files.outputFile,
    GITHUB_STEP_SUMMARY: files.summaryFile,
    RUNNER_TEMP: files.runnerTemp,
  });
  const write = process.stdout.write.bind(process.stdout);
  let stdout = '';
  process.stdout.write = (chunk: string | Uint8Array) => {
    stdout += chunk.toString();
    return true;
  };
  try {
    await start((await import('../src/main.js')).run);
    return {
      code: Number(process.exitCode ?? 0),
      stdout,
      stderr: '',
      outputs: parseOutputFile(readFileSync(files.outputFile, 'utf8')),
      summary: readFileSync(files.summaryFile, 'utf8'),
      runnerTemp: files.runnerTemp,
      stepDir: files.dir,
      durationMs: 0,
      peakRssBytes: 0,
    };
  } finally {
    process.stdout.write = write;
    process.exitCode = 0;
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  }
}

describe('run() without a cancel signal', () => {
  it('stops on SIGINT mid-run, keeps the first signal’s name, and removes its handlers', async () => {
    const ids = world.seed(3);
    const before = signalListeners();
    let during = 0;
    world.sandbox.inject({
      route: 'bulk',
      when: () => {
        during = signalListeners();
        // What a runner sends a cancelled job: SIGINT, then SIGTERM a few seconds later.
        process.emit('SIGINT', 'SIGINT');
        process.emit('SIGTERM', 'SIGTERM');
        return false;
      },
    });
    const run = await runInProcess(
      { ...world.inputs, 'delivery-ids': ids.join(), 'batch-size': '1', concurrency: '1' },
      world.clock,
    );
    expect(during).toBe(before + 2);
    expect(signalListeners()).toBe(before);
    // The call in flight finished and counts; no other started.
    expect(world.bulkCalls()).toHaveLength(1);
    expect(run.outputs['created-count']).toBe('1');
    expect(json(run.outputs['unsent-ids'])).toEqual(ids.slice(1));
    expect(run.code).toBe(1);
    expect(errorLines(run)[0]).toMatch(/^::error::The job was cancelled \(SIGINT\), so the run/);
    expect(run.stdout.match(/::warning::Received SIG[A-Z]+/g)).toEqual([
      '::warning::Received SIGINT',
    ]);
  });

  it('with no options at all: the process environment, the real clock, its own handlers', async () => {
    const ids = world.seed(2);
    const before = signalListeners();
    const started = Date.now();
    const run = await step({ ...world.inputs, 'delivery-ids': ids.join() }, (main) => main());
    expect(signalListeners()).toBe(before);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(run.code).toBe(0);
    expect(run.outputs['created-count']).toBe('2');
    // RUNNER_TEMP and GITHUB_STEP_SUMMARY came from process.env.
    expect(run.outputs['report-file']?.startsWith(run.runnerTemp)).toBe(true);
    expect(run.summary).toContain('✅ 2 redeliveries created.');
  });
});

describe('a runner that sets neither RUNNER_TEMP nor GITHUB_STEP_SUMMARY', () => {
  it('writes the report in the system temp directory and no summary', async () => {
    const ids = world.seed(1);
    const run = await runInProcess({ ...world.inputs, 'delivery-ids': ids.join() }, world.clock, {
      env: { RUNNER_TEMP: '', GITHUB_STEP_SUMMARY: '' },
    });
    const report = run.outputs['report-file'] ?? '';
    try {
      expect(run.code).toBe(0);
      expect(report.startsWith(tmpdir())).toBe(true);
      expect(report.startsWith(run.runnerTemp)).toBe(false);
      expect(existsSync(report)).toBe(true);
      expect(run.summary).toBe('');
    } finally {
      rmSync(report, { force: true });
    }
  });
});

describe('a bug outside the pipeline', () => {
  /** The world's clock, except that the first time is asked (reading `since`) it throws. */
  const brokenOnce = (thrown: unknown): Clock => {
    const clock = new VirtualClock();
    let asked = 0;
    return {
      now: () => {
        if (asked++ === 0) throw thrown;
        return clock.now();
      },
      random: () => clock.random(),
      sleep: (ms, signal) => clock.sleep(ms, signal),
      deadline: (ms, onExpiry) => clock.deadline(ms, onExpiry),
    };
  };
  const inputs = (): Record<string, string> => ({ ...world.inputs, since: '1h' });

  it('fails the step with its message; its stack goes to the debug log only', async () => {
    const run = await step(inputs(), (main) =>
      main({ clock: brokenOnce(new TypeError('clock is broken')) }),
    );
    expect(run.code).toBe(1);
    expect(errorLines(run)).toEqual(['::error::Unexpected error: clock is broken']);
    expect(run.stdout).toMatch(/^::debug::TypeError: clock is broken%0A +at /m);
    expect(world.sandbox.requests).toEqual([]);
    expect(run.outputs['requested-count']).toBe('0');
  });

  it('prints no debug line when what was thrown has no stack', async () => {
    const run = await step(inputs(), (main) => main({ clock: brokenOnce('clock is broken') }));
    expect(errorLines(run)).toEqual(['::error::Unexpected error: clock is broken']);
    expect(run.stdout).not.toMatch(/::debug::/);
  });
});

describe('run() with a cancel signal that is already aborted', () => {
  it('sends nothing and says the job was cancelled', async () => {
    const ids = world.seed(2);
    const cancelled = new AbortController();
    cancelled.abort('SIGTERM');
    const run = await runInProcess(
      { ...world.inputs, 'delivery-ids': ids.join() },
      new VirtualClock(),
      { cancel: cancelled.signal },
    );
    expect(run.code).toBe(1);
    expect(world.bulkCalls()).toEqual([]);
    expect(json(run.outputs['unsent-ids'])).toEqual(ids);
    expect(errorLines(run)[0]).toMatch(/^::error::The job was cancelled \(SIGTERM\)/);
  });
});
