/**
 * Writes a rendered result where the runner reads it: step outputs, warnings, the job summary and
 * the report file. With main.ts (and ids-file.ts, which main.ts calls to read an input), the only
 * module that touches @actions/core or the file system.
 */
import * as core from '@actions/core';
import { appendFileSync, closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { errorMessage } from './errors.js';
import type { Logger } from './log.js';
import type { Redactor } from './redact.js';
import { render, reportSections } from './render.js';
import type { RunResult } from './result.js';
import { printable } from './text.js';

export interface PublishTarget {
  redactor: Redactor;
  log: Logger;
  reportDir: string;
  /** GITHUB_STEP_SUMMARY; no summary is written without it (local runs). */
  summaryFile?: string;
  runId: string;
}

const REPORT_CHUNK = 1000;

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
  const reportFile = writeReportFile(redactor.redactValues(reportSections(clean)), target);
  const { outputs, warnings, summary, failure } = render(clean, reportFile);
  let problem: string | undefined;
  try {
    for (const [name, value] of outputs) core.setOutput(name, outputValue(value, redactor));
    for (const warning of warnings) log.warning(warning);
    // Appended as core.summary does, without its process-wide cache of the file's path.
    if (target.summaryFile) appendFileSync(target.summaryFile, `${redactor.redact(summary)}\n`);
  } catch (error) {
    // The runner's files could not be written: say so, on top of whatever the run found.
    problem = `Could not write the step's outputs or summary: ${errorMessage(error)}`;
  }
  const message = [failure, problem].filter(Boolean).join(' ');
  return message ? printable(redactor.redact(message)) : undefined;
}

/**
 * A JSON list output is made of redacted IDs already: redacting its text again could only break it.
 * Any other output (a count, a path) is redacted as text.
 */
function outputValue(value: string, redactor: Redactor): string {
  if (value.startsWith('[')) {
    try {
      if (Array.isArray(JSON.parse(value))) return value;
    } catch {
      // Not a list after all: redacted as text below.
    }
  }
  return redactor.redact(value);
}

/**
 * The report file, written in pieces: one JSON string of 100,000 IDs would double peak memory.
 * The sections hold redacted values; nothing is redacted after serializing.
 */
function writeReportFile(sections: [string, unknown][], target: PublishTarget): string | undefined {
  const dir = target.reportDir;
  let fd: number | undefined;
  try {
    mkdirSync(dir, { recursive: true });
    const path = join(dir, `hindsite-redeliver-${target.runId}.json`);
    fd = openSync(path, 'w', 0o600);
    const file = fd;
    const write = (text: string): void => void writeSync(file, text);
    sections.forEach(([key, value], index) => {
      write(`${index === 0 ? '{' : ','}${JSON.stringify(key)}:`);
      if (!Array.isArray(value)) return write(JSON.stringify(value));
      for (let start = 0; start < value.length || start === 0; start += REPORT_CHUNK) {
        const chunk = JSON.stringify(value.slice(start, start + REPORT_CHUNK)).slice(1, -1);
        write(`${start === 0 ? '[' : chunk ? ',' : ''}${chunk}`);
      }
      write(']');
    });
    write('}\n');
    return path;
  } catch (error) {
    target.log.warning(`Could not write the report file in ${dir}: ${errorMessage(error)}`);
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
