import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HindsiteSandbox } from '../sandbox/index.js';
import { inputEnvironment, stepFiles } from '../scripts/step.js';

async function once(bundle: string, n: number): Promise<[number, number]> {
  const server = await HindsiteSandbox.start({});
  server.addClient({ clientId: 'c', clientSecret: 's-secret-1234', organisationId: 'o', admin: true });
  const start = Date.now() - n * 1000;
  const ids = Array.from({ length: n }, (_, i) => server.seedDelivery({ organisationId: 'o', eventId: `e${i}`, createdAt: new Date(start + i * 1000) }).id);
  const file = join(mkdtempSync(join(tmpdir(), 'cmp-')), 'ids.txt');
  writeFileSync(file, ids.join('\n'));
  const { outputFile, summaryFile, runnerTemp } = stepFiles();
  const env = { PATH: process.env.PATH ?? '', GITHUB_OUTPUT: outputFile, GITHUB_STEP_SUMMARY: summaryFile, RUNNER_TEMP: runnerTemp,
    ...inputEnvironment({ 'client-id': 'c', 'client-secret': 's-secret-1234', 'api-url': server.url, 'delivery-ids-file': file, 'max-deliveries': String(n) }) };
  const t0 = Date.now();
  const child = spawn(process.execPath, [bundle], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  let peak = 0;
  const timer = setInterval(() => { try { const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8')); if (m) peak = Math.max(peak, Number(m[1]) / 1024); } catch {} }, 10);
  await new Promise((r) => child.on('close', r));
  clearInterval(timer);
  const ms = Date.now() - t0;
  await server.close();
  return [ms, peak];
}
const runs = Number(process.argv[2] ?? 3);
for (let i = 0; i < runs; i++) {
  for (const name of process.argv.slice(3)) {
    const bundle = `/tmp/d_${name}/index.js`;
    const [ms, mb] = await once(bundle, 100_000);
    console.log(name, ms, 'ms', mb.toFixed(0), 'MB');
  }
}
