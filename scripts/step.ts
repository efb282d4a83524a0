/**
 * Runs the bundled action as a GitHub runner does: every input as INPUT_<NAME> (hyphens kept,
 * defaults from action.yml), outputs and summary through the GITHUB_OUTPUT / GITHUB_STEP_SUMMARY
 * files, RUNNER_TEMP for the report. Used by the end-to-end tests, the demo and the benchmark.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
export const BUNDLE = join(ROOT, 'dist', 'index.js');

export interface ActionYaml {
  inputs: Record<string, { default?: string; description: string }>;
  outputs: Record<string, { description: string }>;
}

/**
 * Where a test run hands action.yml, parsed once, to its workers (__tests__/support/global-setup.ts):
 * loading the YAML parser again in every test file that runs a step costs more than many of those
 * files' tests.
 */
export const ACTION_YAML_ENV = 'HINDSITE_TEST_ACTION_YAML';

const parsedOnce = process.env[ACTION_YAML_ENV];
export const actionYaml = (
  parsedOnce
    ? JSON.parse(parsedOnce)
    : (await import('yaml')).parse(readFileSync(join(ROOT, 'action.yml'), 'utf8'))
) as ActionYaml;

export interface StepResult {
  code: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  runnerTemp: string;
  /** The step's folder: the runner files and RUNNER_TEMP (report, plan) are inside it. */
  stepDir: string;
  durationMs: number;
  /** Peak resident set size of the action process, in bytes (Linux only; 0 elsewhere). */
  peakRssBytes: number;
}

export interface StepOptions {
  /** Extra environment for the step (the runner's own variables are set already). */
  env?: Record<string, string>;
  /** Kill the step after this long (default: no limit). */
  timeoutMs?: number;
  /** Called with the running step, e.g. to send it the signals a cancelled job gets. */
  control?: (step: ChildProcess) => void;
}

export interface StepFiles {
  /** The folder that holds the rest; see takeStepDirs. */
  dir: string;
  outputFile: string;
  summaryFile: string;
  runnerTemp: string;
}

/** Folders made by stepFiles() that no caller has taken yet (see takeStepDirs). */
const stepDirs: string[] = [];

/**
 * A runner's files for one step, in a folder of the temp dir: output and summary files, and
 * RUNNER_TEMP. The folder outlives the step, since a report or a plan in it is read afterwards (a
 * dry run's plan is applied by the next step); whoever runs steps takes the folders with
 * takeStepDirs() and removes them when done.
 */
export function stepFiles(): StepFiles {
  const dir = mkdtempSync(join(tmpdir(), 'hindsite-step-'));
  stepDirs.push(dir);
  const files = {
    dir,
    outputFile: join(dir, 'output'),
    summaryFile: join(dir, 'summary.md'),
    runnerTemp: join(dir, 'runner-temp'),
  };
  writeFileSync(files.outputFile, '');
  writeFileSync(files.summaryFile, '');
  return files;
}

/** The folders of the steps made since the last call, now the caller's to remove. */
export function takeStepDirs(): string[] {
  return stepDirs.splice(0);
}

/** Removes folders and all they hold; one that is gone already is fine. */
export function removeDirs(dirs: readonly string[]): void {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
}

/** INPUT_* variables as a runner sets them: action.yml defaults, then the step's `with:`. */
export function inputEnvironment(inputs: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, spec] of Object.entries(actionYaml.inputs)) {
    env[`INPUT_${name.toUpperCase()}`] = spec.default ?? '';
  }
  for (const [name, value] of Object.entries(inputs)) {
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  }
  return env;
}

export async function runBundledAction(
  inputs: Record<string, string>,
  options: StepOptions = {},
): Promise<StepResult> {
  const { dir, outputFile, summaryFile, runnerTemp } = stepFiles();
  const env: Record<string, string> = {
    PATH: process.env['PATH'] ?? '',
    HOME: process.env['HOME'] ?? runnerTemp,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    RUNNER_TEMP: runnerTemp,
    ...options.env,
    ...inputEnvironment(inputs),
  };
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, [BUNDLE], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let peakRssBytes = 0;
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // /usr/bin/time is not everywhere; read the child's high-water mark from /proc while it runs.
  const sample = (): void => {
    try {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
      if (hwm) peakRssBytes = Math.max(peakRssBytes, Number(hwm[1]) * 1024);
    } catch {
      // The process has ended, or this is not Linux.
    }
  };
  const sampler = setInterval(sample, 20);
  const killer = options.timeoutMs
    ? setTimeout(() => child.kill('SIGKILL'), options.timeoutMs)
    : undefined;
  const closed = new Promise<number | null>((done) => child.on('close', done));
  options.control?.(child);
  const code = await closed;
  clearInterval(sampler);
  clearTimeout(killer);
  return {
    code,
    stdout,
    stderr,
    outputs: parseOutputFile(readFileSync(outputFile, 'utf8')),
    summary: readFileSync(summaryFile, 'utf8'),
    runnerTemp,
    stepDir: dir,
    durationMs: Number((process.hrtime.bigint() - started) / 1_000_000n),
    peakRssBytes,
  };
}

/** The runner's GITHUB_OUTPUT format: `name<<DELIMITER\nvalue\nDELIMITER\n`. */
export function parseOutputFile(text: string): Record<string, string> {
  // A name written twice keeps its last value, as the runner does.
  return Object.fromEntries(outputWrites(text));
}

/** Every write to the output file, in order: [name, value], a name as often as it was written. */
export function outputWrites(text: string): [string, string][] {
  const writes: [string, string][] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<=]+)<<(.+)$/.exec(lines[i] ?? '');
    if (!match) continue;
    const value: string[] = [];
    while (++i < lines.length && lines[i] !== match[2]) value.push(lines[i] ?? '');
    writes.push([match[1] ?? '', value.join('\n')]);
  }
  return writes;
}
