import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { expect } from '@jest/globals';

const ROOT = resolve(import.meta.dirname, '..', '..');
export const BUNDLE = join(ROOT, 'dist', 'index.js');

interface ActionYaml {
  inputs: Record<string, { default?: string; description: string }>;
  outputs: Record<string, { description: string }>;
}

export const actionYaml = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as ActionYaml;

export interface ActionRun {
  code: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  runnerTemp: string;
  durationMs: number;
}

/**
 * Runs the bundled action as a GitHub runner does: every input as INPUT_<NAME> (hyphens kept,
 * defaults from action.yml), outputs and summary through the GITHUB_OUTPUT / GITHUB_STEP_SUMMARY
 * files. Async, so that a sandbox in this process keeps serving.
 */
export async function runAction(
  inputs: Record<string, string>,
  options: { timeoutMs?: number; env?: Record<string, string> } = {},
): Promise<ActionRun> {
  const dir = mkdtempSync(join(tmpdir(), 'hindsite-action-'));
  const outputFile = join(dir, 'output');
  const summaryFile = join(dir, 'summary.md');
  const runnerTemp = join(dir, 'runner-temp');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  const env: Record<string, string> = {
    PATH: process.env['PATH'] ?? '',
    HOME: process.env['HOME'] ?? dir,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    RUNNER_TEMP: runnerTemp,
    GITHUB_RUN_ID: '4242',
    GITHUB_ACTION: 'redeliver',
    ...options.env,
  };
  for (const [name, spec] of Object.entries(actionYaml.inputs)) {
    env[`INPUT_${name.toUpperCase()}`] = spec.default ?? '';
  }
  for (const [name, value] of Object.entries(inputs)) {
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  }
  const started = Date.now();
  const child = spawn(process.execPath, [BUNDLE], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const limit = options.timeoutMs ?? 20_000;
  const code = await new Promise<number | null>((resolvePromise) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), limit);
    child.on('close', (exitCode) => {
      clearTimeout(timer);
      resolvePromise(exitCode);
    });
  });
  return {
    code,
    stdout,
    stderr,
    outputs: parseOutputFile(readFileSync(outputFile, 'utf8')),
    summary: readFileSync(summaryFile, 'utf8'),
    runnerTemp,
    durationMs: Date.now() - started,
  };
}

/** The runner's GITHUB_OUTPUT format: `name<<DELIMITER\nvalue\nDELIMITER\n`. */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<=]+)<<(.+)$/.exec(lines[i] as string);
    if (!match) continue;
    const [, name, delimiter] = match;
    const value: string[] = [];
    while (++i < lines.length && lines[i] !== delimiter) value.push(lines[i] as string);
    outputs[name as string] = value.join('\n');
  }
  return outputs;
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
export async function runInProcess(inputs: Record<string, string>): Promise<ActionRun> {
  const dir = mkdtempSync(join(tmpdir(), 'hindsite-inproc-'));
  const outputFile = join(dir, 'output');
  const summaryFile = join(dir, 'summary.md');
  const runnerTemp = join(dir, 'runner-temp');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  const saved = { ...process.env };
  for (const key of Object.keys(process.env)) if (key.startsWith('INPUT_')) delete process.env[key];
  Object.assign(process.env, {
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    RUNNER_TEMP: runnerTemp,
  });
  for (const [name, spec] of Object.entries(actionYaml.inputs))
    process.env[`INPUT_${name.toUpperCase()}`] = spec.default ?? '';
  for (const [name, value] of Object.entries(inputs))
    process.env[`INPUT_${name.toUpperCase()}`] = value;
  let stdout = '';
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array) => {
    stdout += chunk.toString();
    return true;
  }) as typeof process.stdout.write;
  const started = Date.now();
  let code: number;
  try {
    const { run } = await import('../../src/main.js');
    await run();
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
    durationMs: Date.now() - started,
  };
}

export type Runner = typeof runAction;
/** Scenarios run twice: the bundle as a runner runs it, and src/ in process (for coverage). */
export const RUNNERS: [string, Runner][] = [
  ['bundle', runAction],
  ['src', (inputs) => runInProcess(inputs)],
];
