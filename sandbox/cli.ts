/**
 * Runs a sandbox from the command line for the demo and for manual poking:
 *
 *   tsx sandbox/cli.ts [--port N] [--seed demo|none] [--latency-ms N] [--page-size N]
 *
 * Prints ONE JSON line (URL and demo credentials) on stdout, then serves until SIGINT/SIGTERM.
 * `--seed` defaults to `demo`: without seeding there is no client, so the API is unusable.
 */
import { parseArgs } from 'node:util';
import { HindsiteSandbox, seedDemo } from './index.js';

const USAGE =
  'usage: tsx sandbox/cli.ts [--port N] [--seed demo|none] [--latency-ms N] [--page-size N]';

interface CliOptions {
  port: number;
  seed: 'demo' | 'none';
  latencyMs: number;
  pageSize: number | undefined;
}

function integerOption(value: string | undefined, name: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min) {
    throw new Error(`--${name} must be an integer >= ${min}, got "${value}"`);
  }
  return Number(value);
}

function parseCli(argv: string[]): CliOptions {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      port: { type: 'string' },
      seed: { type: 'string' },
      'latency-ms': { type: 'string' },
      'page-size': { type: 'string' },
    },
  });
  const seed = values.seed ?? 'demo';
  if (seed !== 'demo' && seed !== 'none')
    throw new Error(`--seed must be demo or none, got "${seed}"`);
  const port = integerOption(values.port, 'port', 0) ?? 0;
  if (port > 65535) throw new Error(`--port must be <= 65535, got ${port}`);
  return {
    port,
    seed,
    latencyMs: integerOption(values['latency-ms'], 'latency-ms', 0) ?? 0,
    pageSize: integerOption(values['page-size'], 'page-size', 1),
  };
}

async function main(): Promise<void> {
  let options: CliOptions;
  try {
    options = parseCli(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  const sandbox = await HindsiteSandbox.start({
    port: options.port,
    latencyMs: options.latencyMs,
    ...(options.pageSize === undefined ? {} : { pageSize: options.pageSize }),
  });
  const seeded = options.seed === 'demo' ? seedDemo(sandbox) : {};
  process.stdout.write(`${JSON.stringify({ url: sandbox.url, ...seeded })}\n`);

  const shutdown = (): void => {
    process.off('SIGINT', shutdown);
    process.off('SIGTERM', shutdown);
    // Closing the server and its sockets leaves nothing on the event loop, so node exits 0.
    void sandbox.close();
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `sandbox failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exitCode = 1;
});
