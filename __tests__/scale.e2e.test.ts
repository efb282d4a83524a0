import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { json, inProcess, type Runner } from './support/runner.js';
import { ORG, startWorld, type World } from './support/world.js';
import { scratchDir } from './support/scratch.js';

let world: World;
beforeEach(async () => {
  world = await startWorld();
});
afterEach(async () => {
  await world.sandbox.close();
});

describe('large and concurrent runs', () => {
  const runInWorld: Runner = inProcess(() => world.clock);
  it('keeps all list outputs under 500,000 characters, says so, and keeps everything in report-file', async () => {
    // 4000 unknown IDs of 120 characters: 490,000 characters of dropped IDs and as many selected,
    // more than a job's outputs may hold together.
    const unknown = Array.from(
      { length: 4000 },
      (_, i) => `unknown-${String(i).padStart(5, '0')}-${'x'.repeat(106)}`,
    );
    const file = join(scratchDir('ids-'), 'ids.txt');
    writeFileSync(file, unknown.join('\n'));
    const run = await runInWorld({
      ...world.inputs,
      'delivery-ids-file': file,
      'batch-size': '1000',
      'max-deliveries': '4000',
    });
    expect(run.code).toBe(0);
    const lists = Object.entries(run.outputs).filter(([name]) => name.endsWith('-ids'));
    expect(lists.reduce((sum, [, value]) => sum + value.length, 0)).toBeLessThanOrEqual(500_000);
    const dropped = json(run.outputs['dropped-ids']) as string[];
    const selected = json(run.outputs['selected-ids']) as string[];
    expect(dropped.length).toBeGreaterThan(1900);
    expect(dropped.length).toBe(selected.length);
    expect(dropped).toEqual(unknown.slice(0, dropped.length));
    expect(run.outputs['dropped-count']).toBe('4000');
    const warning = run.stdout
      .split('\n')
      .find((line) => line.startsWith('::warning::Some list outputs were cut'));
    expect(warning).toMatch(
      /selected-ids \([\d,]+ of 4,000 left out\), dropped-ids \([\d,]+ of 4,000 left out\).*in the report file \(.*\.json, the report-file output\)/,
    );
    const report = JSON.parse(readFileSync(run.outputs['report-file'] as string, 'utf8')) as Record<
      string,
      unknown[]
    >;
    expect(report['dropped']).toEqual(unknown);
    expect(report['selected']).toEqual(unknown);
    expect(run.summary).toMatch(/… and 3900 more/);
  });

  it('gives the same outputs at every concurrency, in batch order', async () => {
    const outputsAt: Record<string, Record<string, string>> = {};
    for (const concurrency of ['1', '3', '8']) {
      await world.sandbox.close();
      world = await startWorld({ latencyMs: 5 });
      const ids = Array.from(
        { length: 57 },
        (_, i) => world.sandbox.seedDelivery({ organisationId: ORG, eventId: `evt_${i}` }).id,
      );
      const input = [...ids.slice(0, 20), 'dlv_missing_1', ...ids.slice(20), 'dlv_missing_2'];
      const run = await runInWorld({
        ...world.inputs,
        'delivery-ids': input.join(),
        'batch-size': '5',
        concurrency,
      });
      expect(run.code).toBe(0);
      const created = json(run.outputs['created-ids']) as string[];
      // New deliveries are listed in the order of the IDs they retry.
      expect(created.map((id) => world.sandbox.delivery(id)?.redeliveryOf)).toEqual(ids);
      const { 'created-ids': _ignored, 'report-file': _file, ...rest } = run.outputs;
      outputsAt[concurrency] = rest;
    }
    expect(outputsAt['3']).toEqual(outputsAt['1']);
    expect(outputsAt['8']).toEqual(outputsAt['1']);
    expect(outputsAt['1']?.['dropped-ids']).toBe('["dlv_missing_1","dlv_missing_2"]');
  });
});
