/**
 * Inputs that point at the wrong thing, as a user meets them: the bundle spawned as a runner spawns
 * it (where a hang or a leak would show), the rest in process. Each must fail before any request.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { errorLines, runBundle, runInProcess, type ActionRun } from './support/runner.js';
import { startWorld, type World } from './support/world.js';
import { scratchDir } from './support/scratch.js';

let world: World;
beforeEach(async () => {
  world = await startWorld();
});
afterEach(async () => {
  await world.sandbox.close();
});

const onLinux = existsSync('/proc/self/environ') ? it : it.skip;

function expectRefusedBeforeAnyRequest(run: ActionRun, input: string, message: RegExp): void {
  expect(run.code).toBe(1);
  expect(errorLines(run)).toEqual([expect.stringMatching(new RegExp(`^::error::Input ${input}`))]);
  expect(errorLines(run)[0]).toMatch(message);
  expect(world.sandbox.requests).toEqual([]);
}

/** Everything a step could show: log, outputs, summary. */
const shown = (run: ActionRun): string =>
  [run.stdout, run.stderr, JSON.stringify(run.outputs), run.summary].join('\n');

describe('inputs that point at the wrong thing', () => {
  onLinux(
    'refuses /proc/self/environ as a list of IDs without printing or sending it',
    async () => {
      // An input is one more variable in the step's environment, as ACTIONS_RUNTIME_TOKEN is.
      const marker = 'marker-7d1f0c2e-runtime-token';
      const run = await runBundle({
        ...world.inputs,
        'delivery-ids-file': '/proc/self/environ',
        'a-variable-of-the-runner': marker,
      });
      expectRefusedBeforeAnyRequest(
        run,
        'delivery-ids-file',
        /delivery-ids-file: line 1(, item \d+)? is not a delivery ID, so nothing was sent/,
      );
      expect(shown(run)).not.toContain(marker);
      expect(shown(run)).not.toContain('GITHUB_OUTPUT=');
    },
  );

  it('refuses a FIFO at once instead of waiting for a writer', async () => {
    const fifo = join(scratchDir('ids-fifo-'), 'ids');
    execFileSync('mkfifo', [fifo]);
    const run = await runBundle({ ...world.inputs, 'delivery-ids-file': fifo });
    expectRefusedBeforeAnyRequest(
      run,
      'delivery-ids-file',
      /must be a regular file of at most 64 MiB; got a FIFO/,
    );
    expect(run.durationMs).toBeLessThan(5000);
  });

  it('refuses a since too far back before the token call', async () => {
    const run = await runBundle({ ...world.inputs, since: '200000000d' });
    expectRefusedBeforeAnyRequest(run, 'since', /since must be at most 3650 days back/);
  });

  onLinux('prints nothing of the environment in a dry run either', async () => {
    const variables = readFileSync('/proc/self/environ', 'utf8').split('\0').filter(Boolean);
    const run = await runInProcess({
      ...world.inputs,
      'delivery-ids-file': '/proc/self/environ',
      'dry-run': 'true',
    });
    expectRefusedBeforeAnyRequest(run, 'delivery-ids-file', /is not a delivery ID/);
    for (const variable of variables) expect(shown(run)).not.toContain(variable);
  });

  it('refuses a 2 GB file from its size, without reading it', async () => {
    const big = join(scratchDir('ids-big-'), 'ids.txt');
    writeFileSync(big, 'dlv_1\n');
    truncateSync(big, 2 * 1024 ** 3); // sparse: no disk, no time
    const before = process.memoryUsage().rss;
    const run = await runInProcess({ ...world.inputs, 'delivery-ids-file': big });
    expectRefusedBeforeAnyRequest(
      run,
      'delivery-ids-file',
      /must be a regular file of at most 64 MiB; got 2147483648 bytes/,
    );
    expect(process.memoryUsage().rss - before).toBeLessThan(100 * 1024 ** 2);
  });
});
