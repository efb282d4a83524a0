/**
 * `npm run bench`: the bundled action against the sandbox, each figure measured side by side with
 * its baseline in the same run. Prints a table and writes it to bench/results.md.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { HindsiteSandbox } from '../sandbox/index.js';
import { removeDirs, runBundledAction, takeStepDirs, type StepResult } from '../scripts/step.js';
import { CLIENT, ORG, type Row } from './common.js';
import { pacing } from './pacing.js';

const ROOT = resolve(import.meta.dirname, '..');
const STARTUP_RUNS = 15;

async function sandbox(
  options: { latencyMs?: number; pageSize?: number } = {},
): Promise<HindsiteSandbox> {
  const server = await HindsiteSandbox.start(options);
  server.addClient({ ...CLIENT, organisationId: ORG, admin: true });
  return server;
}

function seed(server: HindsiteSandbox, count: number): string[] {
  const start = Date.now() - count * 1000;
  return Array.from(
    { length: count },
    (_, i) =>
      server.seedDelivery({
        organisationId: ORG,
        eventId: `evt_${i}`,
        createdAt: new Date(start + i * 1000),
      }).id,
  );
}

const inputs = (server: HindsiteSandbox): Record<string, string> => ({
  'client-id': CLIENT.clientId,
  'client-secret': CLIENT.clientSecret,
  'api-url': server.url,
});

function expectOk(step: StepResult, what: string): StepResult {
  if (step.code !== 0)
    throw new Error(`${what} failed (exit ${step.code}):\n${step.stdout}\n${step.stderr}`);
  return step;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};
const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

function timeFloor(server: HindsiteSandbox, ids: string[]): Promise<number> {
  return new Promise((done, fail) => {
    const started = process.hrtime.bigint();
    const child = spawn(
      process.execPath,
      [join(ROOT, 'bench', 'floor.mjs'), server.url, CLIENT.clientId, CLIENT.clientSecret, ...ids],
      {
        stdio: 'inherit',
      },
    );
    child.on('close', (code) =>
      code === 0
        ? done(Number(process.hrtime.bigint() - started) / 1e6)
        : fail(new Error(`floor exited ${code}`)),
    );
  });
}

async function startup(): Promise<Row> {
  const server = await sandbox();
  try {
    const action: number[] = [];
    const floor: number[] = [];
    // Interleaved, so that both see the same machine load.
    for (let run = 0; run < STARTUP_RUNS; run++) {
      action.push(
        expectOk(
          await runBundledAction({ ...inputs(server), 'delivery-ids': seed(server, 3).join() }),
          'startup run',
        ).durationMs,
      );
      floor.push(await timeFloor(server, seed(server, 3)));
    }
    const ratio = median(action) / median(floor);
    return {
      figure: `Startup: 3 IDs, median of ${STARTUP_RUNS} runs`,
      measured: `${median(action).toFixed(0)} ms`,
      baseline: `${median(floor).toFixed(0)} ms (bare node:http script, same 2 calls)`,
      result: `${ratio.toFixed(2)}× the floor`,
      target: '≤ 2.5×',
      met: ratio <= 2.5,
    };
  } finally {
    await server.close();
  }
}

async function throughput(): Promise<Row[]> {
  const latencyMs = 50;
  const ideal = 100 * latencyMs;
  const rows: Row[] = [];
  for (const concurrency of [1, 4, 8]) {
    const server = await sandbox({ latencyMs });
    try {
      const ids = seed(server, 10_000);
      const step = expectOk(
        await runBundledAction({
          ...inputs(server),
          'delivery-ids': ids.join('\n'),
          'batch-size': '100',
          'max-deliveries': '10000',
          concurrency: String(concurrency),
        }),
        `throughput at concurrency ${concurrency}`,
      );
      if (step.outputs['created-count'] !== '10000')
        throw new Error('not every ID was redelivered');
      const ratio = step.durationMs / ideal;
      rows.push({
        figure: `Throughput: 10,000 IDs, batch 100, ${latencyMs} ms latency, concurrency ${concurrency}`,
        measured: seconds(step.durationMs),
        baseline: `${seconds(ideal)} (sequential ideal: 100 × ${latencyMs} ms)`,
        result: `${ratio.toFixed(2)} of the ideal`,
        target: concurrency === 4 ? '≤ 0.35 at concurrency 4' : '—',
        met: concurrency === 4 ? ratio <= 0.35 : true,
      });
    } finally {
      await server.close();
    }
  }
  return rows;
}

async function scale(): Promise<Row> {
  const server = await sandbox();
  const file = join(mkdtempSync(join(tmpdir(), 'bench-')), 'ids.txt');
  try {
    const ids = seed(server, 100_000);
    writeFileSync(file, ids.join('\n'));
    const step = expectOk(
      await runBundledAction({
        ...inputs(server),
        'delivery-ids-file': file,
        'max-deliveries': '100000',
      }),
      'scale run',
    );
    if (step.outputs['created-count'] !== '100000') throw new Error('not every ID was redelivered');
    const rssMb = step.peakRssBytes / 1024 / 1024;
    return {
      figure:
        'Scale: 100,000 IDs from delivery-ids-file, zero latency, max-deliveries 100000, other inputs default',
      measured: `${seconds(step.durationMs)}, peak RSS ${rssMb.toFixed(0)} MB`,
      baseline: '—',
      result: `${seconds(step.durationMs)} / ${rssMb.toFixed(0)} MB`,
      target: '≤ 15 s and ≤ 200 MB',
      met: step.durationMs <= 15_000 && rssMb <= 200,
    };
  } finally {
    await server.close();
    removeDirs([dirname(file)]);
  }
}

async function discovery(): Promise<Row> {
  const times: Record<number, number> = {};
  for (const concurrency of [1, 4]) {
    const server = await sandbox({ latencyMs: 50, pageSize: 25 });
    try {
      seed(server, 10_000);
      const step = expectOk(
        await runBundledAction({
          ...inputs(server),
          since: '30d',
          'dry-run': 'true',
          'max-deliveries': '10000',
          concurrency: String(concurrency),
        }),
        `discovery at concurrency ${concurrency}`,
      );
      if (step.outputs['selected-count'] !== '10000')
        throw new Error(`discovery selected ${step.outputs['selected-count']}`);
      times[concurrency] = step.durationMs;
    } finally {
      await server.close();
    }
  }
  const ratio = (times[4] as number) / (times[1] as number);
  return {
    figure: 'Discovery: 10,000 errored deliveries, 400 pages, 50 ms latency, concurrency 4',
    measured: seconds(times[4] as number),
    baseline: `${seconds(times[1] as number)} (one page at a time, concurrency 1)`,
    result: `${ratio.toFixed(2)} of one-at-a-time`,
    target: '≤ 0.35',
    met: ratio <= 0.35,
  };
}

let rows: Row[];
try {
  rows = [
    await startup(),
    ...(await throughput()),
    await pacing(),
    await scale(),
    await discovery(),
  ];
} finally {
  // Every step's runner files and report: the figures are all the bench keeps.
  removeDirs(takeStepDirs());
}
const table = [
  '| Figure | Measured | Baseline (same run) | Result | Target | Met |',
  '| --- | --- | --- | --- | --- | --- |',
  ...rows.map(
    (row) =>
      `| ${row.figure} | ${row.measured} | ${row.baseline} | ${row.result} | ${row.target} | ${row.met ? 'yes' : '**no**'} |`,
  ),
].join('\n');
const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}, Node ${process.version}`;
const markdown = `# Benchmark results\n\nMeasured by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}, ${machine}. The bundled action (\`dist/index.js\`) runs as a runner runs it against the sandbox on loopback; every baseline is measured in the same run.\n\n${table}\n`;
writeFileSync(join(ROOT, 'bench', 'results.md'), markdown);
console.log(table);
if (rows.some((row) => !row.met)) process.exitCode = 1;
