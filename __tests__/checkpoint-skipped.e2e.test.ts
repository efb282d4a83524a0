/**
 * The checkpoint before the wait, when the re-check after the canary's wait skipped an event that
 * someone redelivered meanwhile: it accounts for every requested ID as the end of the run does.
 * The skipped delivery leaves selected-ids and counts in skipped-count; were the step killed while
 * waiting, these are the outputs it leaves. In process on the world's virtual clock.
 */
import { outputWrites } from '../scripts/step.js';
import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { json, runInProcess } from './support/runner.js';
import { ORG, useWorld, type World } from './support/world.js';

let world: World;
useWorld((started) => (world = started));
let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const step of cleanup) step();
  cleanup = [];
});

/** Every value written for output `name`, in order (the runner keeps the last). */
const valuesOf = (raw: string, name: string): string[] =>
  outputWrites(raw).flatMap(([written, value]) => (written === name ? [value] : []));

describe('the checkpoint before the wait, after the re-check skipped an event', () => {
  it('leaves the skipped delivery out of selected-ids and counts it as skipped', async () => {
    world.sandbox.setSettle({ afterMs: 300, outcome: () => 'completed' });
    // Five events, oldest first, 6 minutes apart.
    const ids = [30, 24, 18, 12, 6].map((minutes) => world.seedAt(minutes / 60));
    // While the canary settles, someone redelivers the 4th event in HINDSITE's web app.
    let redelivered = false;
    world.sandbox.inject({
      route: 'list',
      times: Infinity,
      when: () => {
        if (!redelivered && world.bulkCalls().length === 1) {
          redelivered = true;
          world.sandbox.redeliver(ORG, [ids[3] as string]);
        }
        return false;
      },
    });
    const dir = mkdtempSync(join(tmpdir(), 'hindsite-checkpoint-skipped-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const outputFile = join(dir, 'output');
    writeFileSync(outputFile, '');
    const run = await runInProcess(
      { ...world.inputs, since: '2h', canary: '2', wait: 'true', 'poll-interval-seconds': '1' },
      world.clock,
      {
        env: {
          GITHUB_OUTPUT: outputFile,
          GITHUB_STEP_SUMMARY: join(dir, 'summary.md'),
          RUNNER_TEMP: join(dir, 'temp'),
        },
      },
    );
    cleanup.push(() => rmSync(run.stepDir, { recursive: true, force: true }));
    expect(run.code).toBe(0);
    expect(redelivered).toBe(true);
    const raw = readFileSync(outputFile, 'utf8');
    const sent = [ids[0], ids[1], ids[2], ids[4]];
    // The canary's checkpoint, the one before sending the rest, the wait's, the end.
    expect(valuesOf(raw, 'selected-ids').map((value) => json(value))).toEqual([
      ids,
      sent,
      sent,
      sent,
    ]);
    expect(valuesOf(raw, 'skipped-count')).toEqual(['0', '1', '1', '1']);
    expect(valuesOf(raw, 'selected-count')).toEqual(['5', '4', '4', '4']);
    // At the wait's checkpoint every selected ID was sent and accounted for.
    expect(valuesOf(raw, 'created-count')[2]).toBe('4');
    expect(json(valuesOf(raw, 'unsent-ids')[2])).toEqual([]);
    expect(json(valuesOf(raw, 'failed-ids')[2])).toEqual([]);
    expect(valuesOf(raw, 'requested-count')).toEqual(['5', '5', '5', '5']);
  });
});
