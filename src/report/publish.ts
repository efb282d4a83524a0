/**
 * Writes a rendered result where the runner reads it: step outputs, warnings, the job summary, the
 * report file and a dry run's plan file. With main.ts (and ids-file.ts, which main.ts calls to read
 * an input, and json-file.ts, which writes the files), the only module that touches @actions/core
 * or the file system.
 */
import * as core from '@actions/core';
import { appendFileSync, mkdirSync, renameSync, statSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { errorMessage } from '../model/errors.js';
import { writeJsonFile } from './json-file.js';
import type { Logger } from '../model/log.js';
import type { Redactor } from '../model/redact.js';
import { describeRun, render, reportSections } from './render.js';
import type { RunResult } from '../run/result.js';
import { printable } from '../model/text.js';
import { type RunText } from './facts.js';

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
 * Publishes a run's result where the runner reads it, once at the end and, before the polling that
 * follows the bulk calls, as a checkpoint: a process that dies while polling (out of memory,
 * killed) has then already recorded what it made. Each publication replaces the one before: the
 * runner takes the last value of an output, the report file is replaced whole, and the summary
 * this step wrote is rewritten, not added to.
 */
export class Publisher {
  /** The size of the summary file before this step first wrote to it. */
  private summaryStart: number | undefined;

  constructor(private readonly target: PublishTarget) {}

  /**
   * The run so far (verdict `checking`): outputs, report file and summary, and a log line saying
   * the run is still checking. Warnings wait for the end. Never throws: the run goes on.
   */
  checkpoint(result: RunResult): void {
    const { redactor, log } = this.target;
    try {
      const clean = redactor.redactValues(result);
      const text = describeRun(clean);
      const reportFile = this.writeReportFile(clean, text);
      const { outputs, summary } = render(clean, reportFile, undefined, text);
      this.writeRunnerFiles(outputs, summary);
      const before =
        clean.verdict.kind === 'checking' && clean.verdict.phase === 'sending'
          ? 'before sending the rest'
          : 'before checking';
      log.info(`Outputs, summary and report written ${before}: ${text.checking ?? ''}`);
    } catch (error) {
      log.warning(
        `Could not write the outputs, summary or report before checking the new deliveries: ${errorMessage(error)}`,
      );
    }
  }

  /**
   * Publishes the result on every path, so that a failed run still says where each ID stands.
   * Returns the message the step fails with (redacted), or undefined when it passes.
   *
   * Secrets are removed from the run's values (each ID, each message) before anything is rendered
   * or serialized: a secret that is one character long, or a common one, then replaces whole
   * values only, and a replacement can never cut through JSON or Markdown syntax. The rendered
   * texts are redacted once more on top, for what only composing them could spell.
   */
  publish(result: RunResult): string | undefined {
    const { redactor, log } = this.target;
    const clean = redactor.redactValues(result);
    // Messages composed from clean values are redacted as values again (nothing else is copied).
    const text = describeRun(clean);
    const reportFile = this.writeReportFile(clean, text);
    const plan = writePlanFile(clean, this.target);
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
      for (const warning of warnings) log.warning(warning);
      for (const line of lines) log.info(line);
      this.writeRunnerFiles(outputs, summary);
    } catch (error) {
      // The runner's files could not be written: say so, on top of whatever the run found.
      const reason = `Could not write the step's outputs or summary: ${errorMessage(error)}`;
      problem = problem ? `${problem} ${reason}` : reason;
    }
    const message = [failure, problem].filter(Boolean).join(' ');
    return message ? printable(redactor.redact(message)) : undefined;
  }

  /** Outputs (a later value of a name wins), then the step's summary in place of the last one. */
  private writeRunnerFiles(outputs: [string, string][], summary: string): void {
    const { redactor, summaryFile } = this.target;
    for (const [name, value] of outputs) core.setOutput(name, outputValue(name, value, redactor));
    if (!summaryFile) return;
    if (this.summaryStart === undefined) this.summaryStart = sizeOf(summaryFile);
    else truncateSync(summaryFile, this.summaryStart);
    // Appended as core.summary does, without its process-wide cache of the file's path.
    appendFileSync(summaryFile, `${redactor.redact(summary)}\n`);
  }

  /**
   * The report file: every list in full, of redacted values. Written beside its place and then
   * moved there, so that it is always one whole report, the checkpoint's or the final one.
   */
  private writeReportFile(result: RunResult, text: RunText): string | undefined {
    const { redactor, reportDir: dir, runId, log } = this.target;
    try {
      mkdirSync(dir, { recursive: true });
      const path = join(dir, `hindsite-redeliver-${runId}.json`);
      const partial = `${path}.partial`;
      writeJsonFile(partial, redactor.redactValues(reportSections(result, text)), asWritten);
      renameSync(partial, path);
      return path;
    } catch (error) {
      log.warning(`Could not write the report file in ${dir}: ${errorMessage(error)}`);
      return undefined;
    }
  }
}

/** A file's size, 0 when it does not exist yet. */
function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/**
 * A list output (`…-ids`) is the JSON of IDs redacted as values already: redacting its text again
 * could only break it (and would mean parsing up to 500,000 characters to tell). Any other output
 * (a count, a path, a digest) is redacted as text.
 */
function outputValue(name: string, value: string, redactor: Redactor): string {
  return name.endsWith('-ids') ? value : redactor.redact(value);
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
