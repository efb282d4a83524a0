import * as core from '@actions/core';
import { tmpdir } from 'node:os';
import { HindsiteClient } from './hindsite/client.js';
import { systemClock, type Clock } from './model/clock.js';
import { readIdsFile } from './settings/ids-file.js';
import { readSettings, SECRET_INPUTS } from './settings/inputs.js';
import { runnerLogger } from './report/runner-log.js';
import { runPipeline } from './run/pipeline.js';
import { Publisher } from './report/publish.js';
import { Redactor } from './model/redact.js';
import type { RunResult } from './run/result.js';
import { decideVerdict } from './run/verdict.js';
import { ACTION_VERSION } from './version.js';

export interface RunOptions {
  /** The runner's environment (GITHUB_STEP_SUMMARY, RUNNER_TEMP, …). */
  env?: NodeJS.ProcessEnv;
  clock?: Clock;
  /**
   * Aborted when the job is cancelled (its reason names the signal). By default, the SIGINT and
   * SIGTERM a runner sends a cancelled job, or one past timeout-minutes.
   */
  cancel?: AbortSignal;
}

const CANCEL_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * The action: the only place that reads the environment and the real clock, and wires the stages.
 * Inputs are read through @actions/core (which reads INPUT_* from the process environment).
 */
export async function run({
  env = process.env,
  clock = systemClock,
  cancel,
}: RunOptions = {}): Promise<void> {
  const cancelled = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    if (!cancelled.signal.aborted) cancelled.abort(signal);
  };
  if (cancel?.aborted) {
    cancelled.abort(cancel.reason);
  } else if (cancel) {
    cancel.addEventListener('abort', () => cancelled.abort(cancel.reason), { once: true });
  } else {
    for (const signal of CANCEL_SIGNALS) process.on(signal, onSignal);
  }
  try {
    await runAction(env, clock, cancelled.signal);
  } finally {
    for (const signal of CANCEL_SIGNALS) process.off(signal, onSignal);
  }
}

async function runAction(env: NodeJS.ProcessEnv, clock: Clock, cancel: AbortSignal): Promise<void> {
  // Secrets first: nothing may print before the runner knows what to mask.
  const redactor = new Redactor();
  for (const name of SECRET_INPUTS) {
    const secret = core.getInput(name);
    if (secret) {
      core.setSecret(secret);
      redactor.add(secret);
    }
  }
  const log = runnerLogger(redactor);
  log.info(`hindsite-redeliver-action ${ACTION_VERSION}`);
  cancel.addEventListener(
    'abort',
    () =>
      log.warning(
        `Received ${String(cancel.reason)}: the job is being cancelled. No new call starts; calls in flight get a few seconds, then the outputs, summary and report are written.`,
      ),
    { once: true },
  );
  // One report file for the run, written at a checkpoint and again at the end. Named at the first
  // publication, as it always was: nothing but the settings reads the clock before them.
  let publisher: Publisher | undefined;
  const publishing = (): Publisher =>
    (publisher ??= new Publisher({
      redactor,
      log,
      reportDir: env['RUNNER_TEMP'] || tmpdir(),
      summaryFile: env['GITHUB_STEP_SUMMARY'] || undefined,
      runId: [
        env['GITHUB_RUN_ID'] ?? 'local',
        env['GITHUB_ACTION'] ?? 'step',
        process.pid,
        clock.now(),
      ]
        .join('-')
        .replace(/[^\w.-]+/g, '_'),
    }));
  let result: RunResult;
  try {
    const settings = readSettings({
      get: (name) => core.getInput(name),
      readIdsFile: (path) => readIdsFile(path),
      now: () => new Date(clock.now()),
    });
    const client = new HindsiteClient({
      apiUrl: settings.apiUrl,
      credentials: settings.credentials,
      maxAttempts: settings.maxAttempts,
      timeoutMs: settings.timeoutMs,
      log,
      clock,
      redactor,
      onToken: (token) => core.setSecret(token),
      cancel,
    });
    try {
      result = await runPipeline(settings, {
        client,
        log,
        clock,
        cancel,
        checkpoint: (partial) => publishing().checkpoint(partial),
      });
    } finally {
      client.close();
    }
  } catch (error) {
    // An input refused before any request, or a bug: the verdict says which.
    result = { verdict: decideVerdict({ thrown: error }) };
  }
  if (result.verdict.kind === 'unexpected' && result.verdict.stack) {
    // Not a failure the user can fix: a bug. The stack goes to the debug log only.
    log.debug(result.verdict.stack);
  }
  const failure = publishing().publish(result);
  if (failure) core.setFailed(failure);
}
