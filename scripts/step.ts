/** Runs the bundled action as a GitHub runner does, for the demo, CI smoke run and benchmark. */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';

const ROOT = resolve(import.meta.dirname, '..');

export interface StepResult {
  code: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  durationMs: number;
  /** Peak resident set size of the action process, in bytes (Linux only; 0 elsewhere). */
  peakRssBytes: number;
}

const defaults = (): Record<string, string> => {
  const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as {
    inputs: Record<string, { default?: string }>;
  };
  return Object.fromEntries(
    Object.entries(action.inputs).map(([name, spec]) => [name, spec.default ?? '']),
  );
};

export async function runBundledAction(inputs: Record<string, string>): Promise<StepResult> {
  const dir = mkdtempSync(join(tmpdir(), 'hindsite-step-'));
  const outputFile = join(dir, 'output');
  const summaryFile = join(dir, 'summary.md');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  const env: Record<string, string> = {
    PATH: process.env['PATH'] ?? '',
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    RUNNER_TEMP: dir,
  };
  for (const [name, value] of Object.entries({ ...defaults(), ...inputs })) {
    env[`INPUT_${name.toUpperCase()}`] = value;
  }
  const started = process.hrtime.bigint();
  // /usr/bin/time is not everywhere; read the child's peak RSS from /proc while it runs instead.
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'index.js')], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let peakRssBytes = 0;
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
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
  const code = await new Promise<number | null>((done) => {
    child.on('exit', () => sample());
    child.on('close', (exitCode) => done(exitCode));
  });
  clearInterval(sampler);
  return {
    code,
    stdout,
    stderr,
    outputs: Object.fromEntries(parseOutputs(readFileSync(outputFile, 'utf8'))),
    summary: readFileSync(summaryFile, 'utf8'),
    durationMs: Number((process.hrtime.bigint() - started) / 1_000_000n),
    peakRssBytes,
  };
}

function* parseOutputs(text: string): Generator<[string, string]> {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<=]+)<<(.+)$/.exec(lines[i] ?? '');
    if (!match) continue;
    const value: string[] = [];
    while (++i < lines.length && lines[i] !== match[2]) value.push(lines[i] ?? '');
    yield [match[1] ?? '', value.join('\n')];
  }
}
