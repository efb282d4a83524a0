/**
 * Empty is empty: an explicitly empty list of IDs, from delivery-ids (`[]`, only separators) or
 * from an empty delivery-ids-file, is nothing to do: exit 0, a neutral status, every count 0, and
 * no request at all (not even for a token). An input that is unset or blank is still "not given".
 */
import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  actionYaml,
  errorLines,
  expectAllOutputsSet,
  inProcess,
  runBundle,
  type ActionRun,
  type Runner,
} from './support/runner.js';
import { useWorld, type World } from './support/world.js';

let world: World;
useWorld((started) => (world = started));

/** Runs the step, then removes the step's files (tests leave nothing in the temp folder). */
function cleaned(runner: Runner): Runner {
  return async (inputs, options) => {
    const run = await runner(inputs, options);
    rmSync(dirname(run.runnerTemp), { recursive: true, force: true });
    return run;
  };
}

/** A delivery-ids-file holding `text`, for the duration of `use`. */
async function withIdsFile<T>(text: string, use: (path: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'hindsite-empty-'));
  try {
    const path = join(dir, 'ids.txt');
    writeFileSync(path, text);
    return await use(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const statusOf = (run: ActionRun): string | undefined =>
  run.summary
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))[0]
    ?.replace(/\\/g, '');

/** Nothing to do: exit 0, no error or warning, every count 0, every list empty, no request. */
function expectNothingToDo(run: ActionRun, status: string): void {
  expect(run.code).toBe(0);
  expectAllOutputsSet(run);
  expect(errorLines(run)).toEqual([]);
  expect(run.stdout).not.toMatch(/^::warning::/m);
  expect(statusOf(run)).toBe(status);
  expect(run.stdout.split('\n')).toContain(status);
  for (const name of Object.keys(actionYaml.outputs)) {
    if (name.endsWith('-count')) expect([name, run.outputs[name]]).toEqual([name, '0']);
    if (name.endsWith('-ids')) expect([name, run.outputs[name]]).toEqual([name, '[]']);
  }
  expect(world.sandbox.requests).toEqual([]);
}

const FROM_INPUT =
  '➖ Nothing to do: no failed deliveries found. The delivery-ids input lists no ID.';
const FROM_FILE =
  '➖ Nothing to do: no failed deliveries found. The delivery-ids-file lists no ID.';

describe('an empty list of IDs', () => {
  const runInWorld = cleaned(inProcess(() => world.clock));

  it('delivery-ids: [] is nothing to do through the bundle, without a single request', async () => {
    const run = await cleaned(runBundle)({ ...world.inputs, 'delivery-ids': '[]' });
    expectNothingToDo(run, FROM_INPUT);
  });

  it.each([['[ ]'], [' , ,\n,\n'], [',']])('delivery-ids: %j is nothing to do', async (ids) => {
    const run = await runInWorld({ ...world.inputs, 'delivery-ids': ids });
    expectNothingToDo(run, FROM_INPUT);
  });

  it.each([[''], ['\n\n'], ['  ,\n'], ['[]\n']])(
    'a delivery-ids-file holding %j is nothing to do',
    async (text) => {
      const run = await withIdsFile(text, (path) =>
        runInWorld({ ...world.inputs, 'delivery-ids-file': path }),
      );
      expectNothingToDo(run, FROM_FILE);
    },
  );

  it('is the same whichever input it came from: the same outputs and exit code', async () => {
    const fromInput = await runInWorld({ ...world.inputs, 'delivery-ids': '[]' });
    const fromFile = await withIdsFile('', (path) =>
      runInWorld({ ...world.inputs, 'delivery-ids-file': path }),
    );
    const withoutReport = (run: ActionRun): Record<string, string> => {
      const { 'report-file': report, ...rest } = run.outputs;
      expect(report).toMatch(/hindsite-redeliver-.*\.json$/);
      return rest;
    };
    expect(fromFile.code).toBe(fromInput.code);
    expect(withoutReport(fromFile)).toEqual(withoutReport(fromInput));
  });

  it('needs no credentials that work: nothing is asked of HINDSITE', async () => {
    const run = await runInWorld({
      ...world.inputs,
      'client-secret': 'not-the-secret',
      'delivery-ids': '[]',
    });
    expectNothingToDo(run, FROM_INPUT);
  });

  it('in a dry run: nothing to approve, and no plan file', async () => {
    const run = await runInWorld({ ...world.inputs, 'delivery-ids': '[]', 'dry-run': 'true' });
    expect(run.code).toBe(0);
    expect(statusOf(run)).toBe(
      '➖ Dry run: nothing to approve. The delivery-ids input lists no ID. No plan was written.',
    );
    expect(run.outputs['plan-file']).toBe('');
    expect(run.outputs['plan-digest']).toBe('');
    expect(world.sandbox.requests).toEqual([]);
  });

  it('a blank delivery-ids is still "not given": with no other source, an input error', async () => {
    const run = await runInWorld({ ...world.inputs, 'delivery-ids': '  \n ' });
    expect(run.code).toBe(1);
    expect(errorLines(run)).toEqual([
      expect.stringMatching(/^::error::No deliveries to retry: set one of delivery-ids/),
    ]);
  });
});
