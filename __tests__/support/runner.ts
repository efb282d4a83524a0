import { existsSync, readFileSync } from 'node:fs';
import { expect } from '@jest/globals';
import type { Clock } from '../../src/model/clock.js';
import { VirtualClock } from './virtual-clock.js';
import {
  actionYaml,
  inputEnvironment,
  parseOutputFile,
  runBundledAction,
  stepFiles,
  type StepOptions,
  type StepResult,
} from '../../scripts/step.js';

export { actionYaml };
export type ActionRun = StepResult;

/** The bundled action, spawned as a runner runs it (async, so a sandbox in this process serves). */
export function runBundle(
  inputs: Record<string, string>,
  options: StepOptions = {},
): Promise<ActionRun> {
  return runBundledAction(inputs, {
    timeoutMs: 20_000,
    ...options,
    env: { GITHUB_RUN_ID: '4242', GITHUB_ACTION: 'redeliver', ...options.env },
  });
}

export const json = (text: string | undefined): unknown => JSON.parse(text ?? 'null');

/** The `::error::` lines of a run (annotations a runner shows). */
export function errorLines(run: ActionRun): string[] {
  return run.stdout.split('\n').filter((line) => line.startsWith('::error::'));
}

/**
 * The spellings of a secret (6 characters or more) that must appear nowhere: raw; JSON-escaped
 * (`\u` for every character, `\/`); URL-encoded (upper- and lower-case hex, form encoding, every
 * character); base64 and base64url of the secret, of `client-id:secret` and of `Bearer <secret>`,
 * including the part of it that is the same whatever stands before the secret; HTML- and
 * Markdown-escaped; and its first half, which is what a cut through it would leave.
 */
export function secretForms(secret: string, clientId = 'ci-admin'): string[] {
  const hex = (char: string): string => char.charCodeAt(0).toString(16).padStart(2, '0');
  const every = (encode: (char: string) => string): string => [...secret].map(encode).join('');
  const base64 = (text: string): string[] => {
    const encoded = Buffer.from(text).toString('base64').replace(/=+$/, '');
    return [encoded, encoded.replace(/\+/g, '-').replace(/\//g, '_')];
  };
  const forms = [
    secret,
    every((char) => `\\u${hex(char).padStart(4, '0')}`),
    JSON.stringify(secret).slice(1, -1).replace(/\//g, '\\/'),
    encodeURIComponent(secret),
    encodeURIComponent(secret).replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase()),
    new URLSearchParams({ s: secret }).toString().slice(2),
    every((char) => `%${hex(char).toUpperCase()}`),
    every((char) => `%${hex(char)}`),
    every((char) => `&#x${hex(char)};`),
    every((char) => `&#${char.charCodeAt(0)};`),
    secret.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'),
    secret.replace(/[\\`*_[\]()#!|~$<>&-]/g, '\\$&'),
    ...base64(secret),
    ...base64(`${clientId}:${secret}`),
    ...base64(`Bearer ${secret}`),
    secret.slice(0, Math.ceil(secret.length / 2)),
  ];
  // Inside any longer base64 string the secret starts at one of three byte offsets; the characters
  // made of its bits alone are the same whatever surrounds it.
  for (const offset of [1, 2]) {
    const bytes = Buffer.concat([Buffer.alloc(offset), Buffer.from(secret)]);
    const encoded = bytes.toString('base64');
    const middle = encoded.slice(Math.ceil((8 * offset) / 6), Math.floor((8 * bytes.length) / 6));
    forms.push(middle, middle.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return [...new Set(forms)];
}

/**
 * No secret, in any spelling of `secretForms`, anywhere but in its own `::add-mask::` line: not in
 * other stdout lines, stderr, outputs, the summary, or the report file.
 */
export function expectNoSecretLeaks(run: ActionRun, secrets: string[], clientId?: string): void {
  const reportFile = run.outputs['report-file'];
  const report = reportFile && existsSync(reportFile) ? readFileSync(reportFile, 'utf8') : '';
  const masks = new Set(secrets.map((secret) => `::add-mask::${secret}`));
  const lines = run.stdout.split('\n').filter((line) => !masks.has(line));
  const places: [string, string][] = [
    ...lines.map((line, index): [string, string] => [`stdout line ${index + 1}`, line]),
    ['stderr', run.stderr],
    ...Object.entries(run.outputs).map(([name, value]): [string, string] => [name, value]),
    ['summary', run.summary],
    ['report', report],
  ];
  for (const secret of secrets) {
    if (secret.length < 6) throw new Error('secretForms needs secrets of 6 characters or more');
    const forms = secretForms(secret, clientId);
    const leaks = places.flatMap(([place, text]) =>
      forms.filter((form) => text.includes(form)).map((form) => `${place}: ${form}`),
    );
    expect(leaks).toEqual([]);
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
 * The same as runBundle, but calls `run()` from src/main.ts in this process (so that coverage sees
 * it): the environment a runner sets, and stdout captured as the runner would read it.
 */
export async function runInProcess(
  inputs: Record<string, string>,
  clock: Clock = new VirtualClock(),
  options: { cancel?: AbortSignal; env?: Record<string, string> } = {},
): Promise<ActionRun> {
  const { dir, outputFile, summaryFile, runnerTemp } = stepFiles();
  const saved = { ...process.env };
  for (const key of Object.keys(process.env)) if (key.startsWith('INPUT_')) delete process.env[key];
  Object.assign(process.env, {
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    RUNNER_TEMP: runnerTemp,
    ...inputEnvironment(inputs),
    ...options.env,
  });
  let stdout = '';
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = (chunk: string | Uint8Array) => {
    stdout += chunk.toString();
    return true;
  };
  const started = clock.now();
  let code: number;
  try {
    const { run } = await import('../../src/main.js');
    await run({ env: process.env, clock, cancel: options.cancel });
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
    stepDir: dir,
    // Virtual time: what the run would have taken, without the waiting.
    durationMs: clock.now() - started,
    peakRssBytes: 0,
  };
}

export type Runner = typeof runBundle;

/**
 * The action in this process on the world's virtual clock: backoff, Retry-After, poll intervals
 * and the wait deadline cost no real time, and the sandbox's request times are on the same clock.
 */
export function inProcess(clock: () => Clock): Runner {
  return (inputs) => runInProcess(inputs, clock());
}
