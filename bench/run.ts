/**
 * `npm run bench`: the bundled action against the sandbox, each figure measured side by side with
 * its baseline in the same run. Prints a table and writes it to bench/results.md.
 * `npm run bench -- --only startup` (or any of the FIGURES, comma-separated) measures only those.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { HindsiteSandbox } from '../sandbox/index.js';
import {
  BUNDLE,
  removeDirs,
  runBundledAction,
  takeStepDirs,
  type StepResult,
} from '../scripts/step.js';
import { CLIENT, ORG, type Row } from './common.js';
import { formatCount } from '../src/model/text.js';
import { pacing } from './pacing.js';

const ROOT = resolve(import.meta.dirname, '..');
const STARTUP_RUNS = 15;
/** The bound __tests__/bundle.e2e.test.ts keeps too: a real undici alone would exceed it. */
const BUNDLE_BYTES_MAX = 500_000;

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

/**
 * The environment of every process the startup figure spawns, the floor as the action: what a
 * runner's step has that changes how fast Node starts, which is PATH and HOME and nothing else.
 * The bench's own environment must not leak into the floor alone: NODE_EXTRA_CA_CERTS (set on our
 * machines) makes Node 20 read a whole CA bundle at start, about 100 ms, and NODE_OPTIONS could
 * preload anything. The floor once inherited it while the action did not, which made the action
 * look 1.5× the floor when, spawned alike, it was about 3× (bench/results.md).
 */
const stepEnvironment = (): Record<string, string> => ({
  PATH: process.env['PATH'] ?? '',
  HOME: process.env['HOME'] ?? tmpdir(),
});

/** Spawns node with `args` as runBundledAction spawns the action, and times it to its exit. */
function timeNode(args: string[]): Promise<number> {
  return new Promise((done, fail) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, args, {
      env: stepEnvironment(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (code) =>
      code === 0
        ? done(Number(process.hrtime.bigint() - started) / 1e6)
        : fail(new Error(`node ${args.join(' ')} exited ${code}:\n${output}`)),
    );
  });
}

const timeFloor = (server: HindsiteSandbox, ids: string[]): Promise<number> =>
  timeNode([
    join(ROOT, 'bench', 'floor.mjs'),
    server.url,
    CLIENT.clientId,
    CLIENT.clientSecret,
    ...ids,
  ]);

/** A run of the bundle, with the runner files it leaves in the temp folder removed. */
async function timeAction(server: HindsiteSandbox): Promise<number> {
  const step = expectOk(
    await runBundledAction({ ...inputs(server), 'delivery-ids': seed(server, 3).join() }),
    'startup run',
  );
  rmSync(dirname(step.runnerTemp), { recursive: true, force: true });
  return step.durationMs;
}

async function startup(): Promise<Row[]> {
  const server = await sandbox();
  try {
    const action: number[] = [];
    const floor: number[] = [];
    const node: number[] = [];
    // Interleaved, so that all three see the same machine load.
    for (let run = 0; run < STARTUP_RUNS; run++) {
      action.push(await timeAction(server));
      floor.push(await timeFloor(server, seed(server, 3)));
      node.push(await timeNode(['-e', '0']));
    }
    const ratio = median(action) / median(floor);
    const bundleBytes = statSync(BUNDLE).size;
    return [
      {
        figure: `Startup: 3 IDs, median of ${STARTUP_RUNS} runs, both spawned with the same environment`,
        measured: `${median(action).toFixed(0)} ms`,
        baseline: `${median(floor).toFixed(0)} ms (bare node:http script, same 2 calls; node alone ${median(node).toFixed(0)} ms)`,
        result: `${ratio.toFixed(2)}× the floor`,
        target: '≤ 2.5×',
        met: ratio <= 2.5,
      },
      {
        figure: 'Bundle: dist/index.js, all of it compiled and evaluated at every start',
        measured: `${formatCount(bundleBytes)} bytes`,
        baseline: '1,276,123 bytes before undici was stubbed out (issue #18)',
        result: `${(bundleBytes / 1_276_123).toFixed(2)} of before`,
        target: `≤ ${formatCount(BUNDLE_BYTES_MAX)} bytes`,
        met: bundleBytes <= BUNDLE_BYTES_MAX,
      },
    ];
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

const FIGURES = {
  startup,
  throughput,
  pacing: async () => [await pacing()],
  scale: async () => [await scale()],
  discovery: async () => [await discovery()],
} satisfies Record<string, () => Promise<Row[]>>;
type Figure = keyof typeof FIGURES;
/** How the rows of each figure begin, to find them in bench/results.md. */
const ROW_PREFIXES: Record<Figure, string[]> = {
  startup: ['Startup:', 'Bundle:'],
  throughput: ['Throughput:'],
  pacing: ['Pacing:'],
  scale: ['Scale:'],
  discovery: ['Discovery:'],
};

const { values } = parseArgs({ options: { only: { type: 'string', multiple: true } } });
const only = (values.only ?? []).flatMap((names) => names.split(','));
const unknown = only.filter((name) => !(name in FIGURES));
if (unknown.length > 0) {
  throw new Error(`--only takes ${Object.keys(FIGURES).join(', ')}; not ${unknown.join(', ')}`);
}
const measured = (Object.keys(FIGURES) as Figure[]).filter(
  (name) => only.length === 0 || only.includes(name),
);
const rows: Row[] = [];
try {
  for (const name of measured) rows.push(...(await FIGURES[name]()));
} finally {
  // Every step's runner files and report: the figures are all the bench keeps.
  removeDirs(takeStepDirs());
}

const line = (row: Row): string =>
  `| ${row.figure} | ${row.measured} | ${row.baseline} | ${row.result} | ${row.target} | ${row.met ? 'yes' : '**no**'} |`;
const HEAD = [
  '| Figure | Measured | Baseline (same run) | Result | Target | Met |',
  '| --- | --- | --- | --- | --- | --- |',
];
console.log([...HEAD, ...rows.map(line)].join('\n'));

// bench/results.md: a full run rewrites its table; a run of some figures (--only) replaces their
// rows in the table and says so under it. Notes below the table (from its first "## " heading) are
// kept either way.
const resultsFile = join(ROOT, 'bench', 'results.md');
const previous = existsSync(resultsFile) ? readFileSync(resultsFile, 'utf8') : '';
const notes = /^## .*/ms.exec(previous)?.[0];
const today = new Date().toISOString().slice(0, 10);
const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}, Node ${process.version}`;
let intro = `Measured by \`npm run bench\` on ${today}, ${machine}. The bundled action (\`dist/index.js\`) runs as a runner runs it against the sandbox on loopback; every baseline is measured in the same run.`;
let table = rows.map(line);
const previousRows = previous
  .slice(0, notes ? previous.indexOf(notes) : undefined)
  .split('\n')
  .filter((text) => /^\| (?!Figure |---)/.test(text));
if (only.length > 0 && previousRows.length > 0) {
  const prefixes = measured.flatMap((name) => ROW_PREFIXES[name]);
  const replaced = (text: string): boolean =>
    prefixes.some((prefix) => text.startsWith(`| ${prefix}`));
  const at = previousRows.findIndex(replaced);
  const kept = previousRows.filter((text) => !replaced(text));
  table = [
    ...kept.slice(0, at < 0 ? kept.length : at),
    ...rows.map(line),
    ...kept.slice(at < 0 ? kept.length : at),
  ];
  const earlier = /^Measured by .*$/m.exec(previous)?.[0].replace(/ Re-measured .*$/, '') ?? intro;
  intro = `${earlier} Re-measured on ${today}, ${machine}, with \`npm run bench -- --only ${measured.join(',')}\`: the ${measured.join(', ')} rows.`;
}
writeFileSync(
  resultsFile,
  `# Benchmark results\n\n${intro}\n\n${[...HEAD, ...table].join('\n')}\n${notes ? `\n${notes}` : ''}`,
);
if (rows.some((row) => !row.met)) process.exitCode = 1;
