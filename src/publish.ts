/**
 * Writes a rendered result where the runner reads it: step outputs, warnings, the job summary and
 * the report file. With main.ts (and ids-file.ts, which main.ts calls to read an input, and
 * json-file.ts, which writes the files), the only module that touches @actions/core or the file
 * system.
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
  const rendered = render(result, reportFile);
  let failure = rendered.failure;
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
