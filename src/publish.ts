/**
 * Writes a rendered result where the runner reads it: step outputs, warnings, the job summary, the
 * report file and a dry run's plan file. With main.ts (and ids-file.ts, which main.ts calls to read
 * an input, and json-file.ts, which writes the files), the only module that touches @actions/core
 * or the file system.
 */
import * as core from '@actions/core';
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { errorMessage } from './errors.js';
import { writeJsonFile } from './json-file.js';
import type { Logger } from './log.js';
import type { Redactor } from './redact.js';
import { render, reportSections } from './render.js';
import type { RunResult } from './result.js';

export interface PublishTarget {
  redactor: Redactor;
  log: Logger;
  reportDir: string;
  /** GITHUB_STEP_SUMMARY; no summary is written without it (local runs). */
  summaryFile?: string;
  runId: string;
}

/**
 * Publishes the result on every path, so that a failed run still says where each ID stands.
 * Returns the message the step fails with (redacted), or undefined when it passes.
 */
export function publish(result: RunResult, target: PublishTarget): string | undefined {
  const { redactor, log } = target;
  const reportFile = writeReportFile(result, target);
  const plan = writePlanFile(result, target);
  const rendered = render(result, reportFile, plan.path);
  // A dry run whose plan cannot be written has not made the plan it was asked for.
  let failure = rendered.failure ?? plan.failure;
  try {
    for (const [name, value] of rendered.outputs) core.setOutput(name, redactor.redact(value));
    for (const warning of rendered.warnings) log.warning(warning);
    // Appended as core.summary does, without its process-wide cache of the file's path.
    if (target.summaryFile) {
      appendFileSync(target.summaryFile, `${redactor.redact(rendered.summary)}\n`);
    }
  } catch (error) {
    // The runner's files could not be written: say so, on top of whatever the run found.
    const reason = `Could not write the step's outputs or summary: ${errorMessage(error)}`;
    failure = failure ? `${failure} ${reason}` : reason;
  }
  return failure === undefined ? undefined : redactor.redact(failure);
}

/** The report file: every list in full. */
function writeReportFile(result: RunResult, target: PublishTarget): string | undefined {
  const { reportDir: dir, redactor } = target;
  try {
    mkdirSync(dir, { recursive: true });
    const path = join(dir, `hindsite-redeliver-${target.runId}.json`);
    writeJsonFile(path, reportSections(result), (text) => redactor.redact(text));
    return path;
  } catch (error) {
    target.log.warning(`Could not write the report file in ${dir}: ${errorMessage(error)}`);
    return undefined;
  }
}

/**
 * The plan a dry run made, named after its digest, so that a job that knows the approved digest
 * knows the file's name. Redacted like the report: a plan never holds a secret, and one that did
 * would no longer match its digest.
 */
function writePlanFile(
  result: RunResult,
  target: PublishTarget,
): { path?: string; failure?: string } {
  const plan = result.planFile;
  if (!plan) return {};
  const { reportDir: dir, redactor } = target;
  try {
    mkdirSync(dir, { recursive: true });
    const path = join(dir, `hindsite-plan-${plan.digest}.json`);
    writeJsonFile(path, Object.entries(plan), (text) => redactor.redact(text));
    return { path };
  } catch (error) {
    return { failure: `Could not write the plan file in ${dir}: ${errorMessage(error)}` };
  }
}
