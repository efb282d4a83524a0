import * as core from '@actions/core';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { HindsiteClient } from './client.js';
import { ApiError, InputError, PlanError } from './errors.js';
import { readSettings, SECRET_INPUTS } from './inputs.js';
import { runnerLogger } from './log.js';
import { runPipeline } from './pipeline.js';
import { Redactor } from './redact.js';
import { report, type RunOutcome } from './report.js';
import { sleep } from './retry.js';
import { ACTION_VERSION } from './version.js';

/** The action: wiring only. Every stage lives in its own module. */
export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
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
  const outcome: RunOutcome = {};
  try {
    const settings = readSettings({
      get: (name) => core.getInput(name),
      readFile: (path) => readFileSync(path, 'utf8'),
      now: () => new Date(),
    });
    outcome.settings = settings;
    const client = new HindsiteClient({
      apiUrl: settings.apiUrl,
      credentials: settings.credentials,
      maxAttempts: settings.maxAttempts,
      timeoutMs: settings.timeoutMs,
      log,
      redactor,
      onToken: (token) => core.setSecret(token),
      sleep,
      now: Date.now,
    });
    try {
      await runPipeline(settings, outcome, { client, log, sleep, now: Date.now });
    } finally {
      client.close();
    }
  } catch (error) {
    outcome.failure = failureMessage(error);
  }
  try {
    report(outcome, {
      redactor,
      reportDir: env['RUNNER_TEMP'] || tmpdir(),
      summaryFile: env['GITHUB_STEP_SUMMARY'] || undefined,
      runId: [
        env['GITHUB_RUN_ID'] ?? 'local',
        env['GITHUB_ACTION'] ?? 'step',
        process.pid,
        Date.now(),
      ]
        .join('-')
        .replace(/[^\w.-]+/g, '_'),
    });
  } catch (error) {
    // The runner's files could not be written: say so, on top of whatever the run found.
    const reason = `Could not write the step's outputs or summary: ${error instanceof Error ? error.message : String(error)}`;
    outcome.failure = outcome.failure ? `${outcome.failure} ${reason}` : reason;
  }
  if (outcome.failure) core.setFailed(redactor.redact(outcome.failure));

  function failureMessage(error: unknown): string {
    if (error instanceof InputError || error instanceof ApiError || error instanceof PlanError) {
      return redactor.redact(error.message);
    }
    // Not a failure the user can fix: a bug. The stack goes to the debug log only.
    log.debug(error instanceof Error ? (error.stack ?? error.message) : String(error));
    return redactor.redact(
      `Unexpected error: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
