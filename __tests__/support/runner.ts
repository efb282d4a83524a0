import { existsSync, readFileSync } from 'node:fs';
import { expect } from '@jest/globals';
import type { Clock } from '../../src/clock.js';
import { VirtualClock } from './virtual-clock.js';
import {
  actionYaml,
  inputEnvironment,
  parseOutputFile,
  runBundledAction,
  stepFiles,
  type StepOptions,
  type StepResult,
} from '../../scripts/step.js';

export { actionYaml };
export type ActionRun = StepResult;

/** The bundled action, spawned as a runner runs it (async, so a sandbox in this process serves). */
export function runAction(
  inputs: Record<string, string>,
  options: StepOptions = {},
): Promise<ActionRun> {
  return runBundledAction(inputs, {
    timeoutMs: 20_000,
    ...options,
    env: { GITHUB_RUN_ID: '4242', GITHUB_ACTION: 'redeliver', ...options.env },
  });
}

export const json = (text: string | undefined): unknown => JSON.parse(text ?? 'null');

/** The `::error::` lines of a run (annotations a runner shows). */
export function errorLines(run: ActionRun): string[] {
  return run.stdout.split('\n').filter((line) => line.startsWith('::error::'));
}

/**
 * No secret anywhere but in its own `::add-mask::` line: not in other stdout lines, stderr, outputs,
 * the summary, or the report file.
 */
export function expectNoSecretLeaks(run: ActionRun, secrets: string[]): void {
  const reportFile = run.outputs['report-file'];
  const report = reportFile && existsSync(reportFile) ? readFileSync(reportFile, 'utf8') : '';
  for (const secret of secrets) {
    const leaking = run.stdout
      .split('\n')
      .filter((line) => line.includes(secret) && line !== `::add-mask::${secret}`);
    expect(leaking).toEqual([]);
    expect(run.stderr).not.toContain(secret);
    expect(JSON.stringify(run.outputs)).not.toContain(secret);
    expect(run.summary).not.toContain(secret);
    expect(report).not.toContain(secret);
  }
}

/** Every output of action.yml is set, and the ID lists add up to the request. */
export function expectAllOutputsSet(run: ActionRun): void {
  expect(Object.keys(run.outputs).sort()).toEqual(Object.keys(actionYaml.outputs).sort());
}

export function expectAccounted(run: ActionRun, requested: string[], confirmed: string[]): void {
  const buckets = [
    ...confirmed,
    ...(json(run.outputs['dropped-ids']) as string[]),
    ...(json(run.outputs['failed-ids']) as string[]),
    ...(json(run.outputs['unsent-ids']) as string[]),
  ];
  expect([...buckets].sort()).toEqual([...requested].sort());
  expect(run.outputs['requested-count']).toBe(String(requested.length));
}

/**
 * The same as runAction, but calls `run()` from src/main.ts in this process (so that coverage sees
 * it): the environment a runner sets, and stdout captured as the runner would read it.
 */
export async function runInProcess(
  inputs: Record<string, string>,
  clock: Clock = new VirtualClock(),
  options: { cancel?: AbortSignal; env?: Record<string, string> } = {},
): Promise<ActionRun> {
  const { outputFile, summaryFile, runnerTemp } = stepFiles();
  const saved = { ...process.env };
  for (const key of Object.keys(process.env)) if (key.startsWith('INPUT_')) delete process.env[key];
  Object.assign(process.env, {
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    RUNNER_TEMP: runnerTemp,
    ...inputEnvironment(inputs),
    ...options.env,
  });
  let stdout = '';
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array) => {
    stdout += chunk.toString();
    return true;
  }) as typeof process.stdout.write;
  const started = clock.now();
  let code: number;
  try {
    const { run } = await import('../../src/main.js');
    await run({ env: process.env, clock, cancel: options.cancel });
    code = Number(process.exitCode ?? 0);
  } finally {
    process.stdout.write = write;
    process.exitCode = 0;
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  }
  return {
    code,
    stdout,
    stderr: '',
    outputs: parseOutputFile(readFileSync(outputFile, 'utf8')),
    summary: readFileSync(summaryFile, 'utf8'),
    runnerTemp,
    // Virtual time: what the run would have taken, without the waiting.
    durationMs: clock.now() - started,
    peakRssBytes: 0,
  };
}

export type Runner = typeof runAction;

/**
 * The action in this process on the world's virtual clock: backoff, Retry-After, poll intervals
 * and the wait deadline cost no real time, and the sandbox's request times are on the same clock.
 */
export function inProcess(clock: () => Clock): Runner {
  return (inputs) => runInProcess(inputs, clock());
}
