/**
 * Writes a rendered result where the runner reads it: step outputs, warnings, the job summary, the
 * report file and a dry run's plan file. With main.ts (and ids-file.ts, which main.ts calls to read
 * an input, and json-file.ts, which writes the files), the only module that touches @actions/core
 * or the file system.
 */
import * as core from '@actions/core';
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { errorMessage } from '../model/errors.js';
import { writeJsonFile } from './json-file.js';
import type { Logger } from '../model/log.js';
import type { Redactor } from '../model/redact.js';
import { describeRun, render, reportSections } from './render.js';
import type { RunResult } from '../run/result.js';
import { printable } from '../model/text.js';

export interface PublishTarget {
  redactor: Redactor;
  log: Logger;
  reportDir: string;
  /** GITHUB_STEP_SUMMARY; no summary is written without it (local runs). */
  summaryFile?: string;
  runId: string;
}

/** The files hold redacted values already: nothing is redacted after serializing. */
const asWritten = (text: string): string => text;

/**
 * Publishes the result on every path, so that a failed run still says where each ID stands.
 * Returns the message the step fails with (redacted), or undefined when it passes.
 *
 * Secrets are removed from the run's values (each ID, each message) before anything is rendered or
 * serialized: a secret that is one character long, or a common one, then replaces whole values
 * only, and a replacement can never cut through JSON or Markdown syntax. The rendered texts are
 * redacted once more on top, for what only composing them could spell.
 */
export function publish(result: RunResult, target: PublishTarget): string | undefined {
  const { redactor, log } = target;
  const clean = redactor.redactValues(result);
  // Messages composed from clean values are redacted as values again (nothing else is copied).
  const text = describeRun(clean);
  const reportFile = writeReportFile(redactor.redactValues(reportSections(clean, text)), target);
  const plan = writePlanFile(clean, target);
  const {
    outputs,
    warnings,
    summary,
    failure,
    log: lines,
  } = render(clean, reportFile, plan.path, text);
  // A dry run whose plan cannot be written has not made the plan it was asked for.
  let problem = failure === undefined ? plan.failure : undefined;
  try {
    for (const [name, value] of outputs) core.setOutput(name, outputValue(name, value, redactor));
    for (const warning of warnings) log.warning(warning);
    for (const line of lines) log.info(line);
    // Appended as core.summary does, without its process-wide cache of the file's path.
    if (target.summaryFile) appendFileSync(target.summaryFile, `${redactor.redact(summary)}\n`);
  } catch (error) {
    // The runner's files could not be written: say so, on top of whatever the run found.
    const reason = `Could not write the step's outputs or summary: ${errorMessage(error)}`;
    problem = problem ? `${problem} ${reason}` : reason;
  }
  const message = [failure, problem].filter(Boolean).join(' ');
  return message ? printable(redactor.redact(message)) : undefined;
}

/**
 * A list output (`…-ids`) is the JSON of IDs redacted as values already: redacting its text again
 * could only break it (and would mean parsing up to 500,000 characters to tell). Any other output
 * (a count, a path, a digest) is redacted as text.
 */
function outputValue(name: string, value: string, redactor: Redactor): string {
  return name.endsWith('-ids') ? value : redactor.redact(value);
}

/** The report file: every list in full, of redacted values. */
function writeReportFile(sections: [string, unknown][], target: PublishTarget): string | undefined {
  const dir = target.reportDir;
  try {
    mkdirSync(dir, { recursive: true });
    const path = join(dir, `hindsite-redeliver-${target.runId}.json`);
    writeJsonFile(path, sections, asWritten);
    return path;
  } catch (error) {
    target.log.warning(`Could not write the report file in ${dir}: ${errorMessage(error)}`);
    return undefined;
  }
}

/**
 * The plan a dry run made, named after its digest, so that a job that knows the approved digest
 * knows the file's name. Its values are redacted like the report's: a plan never holds a secret,
 * and one that did would no longer match its digest.
 */
function writePlanFile(
  result: RunResult,
  target: PublishTarget,
): { path?: string; failure?: string } {
  const plan = result.planFile;
  if (!plan) return {};
  const dir = target.reportDir;
  try {
    mkdirSync(dir, { recursive: true });
    const path = join(dir, `hindsite-plan-${plan.digest}.json`);
    writeJsonFile(path, Object.entries(plan), asWritten);
    return { path };
  } catch (error) {
    return { failure: `Could not write the plan file in ${dir}: ${errorMessage(error)}` };
  }
}
