/**
 * The sandbox command line, parsed without side effects so that it can be tested without starting
 * anything (cli.ts, which runs it, cannot be imported by a test).
 */
import { parseArgs } from 'node:util';
import { FAULT_SYNTAX, parseFaultSpec } from './fault-spec.js';
import type { Fault } from './types.js';

export const USAGE = `Usage: tsx sandbox/cli.ts [options]

Serves the HINDSITE API sandbox on loopback until SIGINT or SIGTERM. Prints one JSON line on
stdout: the URL and, with --seed demo, the demo credentials and the IDs a correct run retries.

Options:
  --port N            port to listen on (default 0: any free port)
  --seed demo|none    seed the demo organisations and clients (default demo; with none there is
                      no client, so every API call is refused)
  --latency-ms N      wait N ms before every reply on the API routes (default 0)
  --page-size N       deliveries per list page (default 20)
  --fault SPEC        inject a fault (repeatable), as below
  -h, --help          print this help

${FAULT_SYNTAX}

Examples:
  --fault 'bulk:status=503,times=2'               two 503s, then real replies
  --fault 'bulk:header.retry-after=2,status=429'  rate limited: retry after 2 s
  --fault 'bulk:status=500,after-handling'        redelivered, but the client sees a 500
  --fault 'bulk:truncate'                         redelivered, but the reply is cut short
  --fault 'token:delay-ms=5000'                   a slow token endpoint
  --fault 'list:reset'                            a dropped connection
`;

export interface CliOptions {
  port: number;
  seed: 'demo' | 'none';
  latencyMs: number;
  pageSize: number | undefined;
  faults: Fault[];
}

export type CliArgs = { help: true } | ({ help: false } & CliOptions);

/** Throws an Error whose message is the one line to show for bad arguments. */
export function parseCliArgs(argv: string[]): CliArgs {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      help: { type: 'boolean', short: 'h' },
      port: { type: 'string' },
      seed: { type: 'string' },
      'latency-ms': { type: 'string' },
      'page-size': { type: 'string' },
      fault: { type: 'string', multiple: true },
    },
  });
  if (values.help) return { help: true };
  const seed = values.seed ?? 'demo';
  if (seed !== 'demo' && seed !== 'none') {
    throw new Error(`--seed must be demo or none, got "${seed}"`);
  }
  const port = integerOption(values.port, 'port', 0) ?? 0;
  if (port > 65535) throw new Error(`--port must be <= 65535, got ${port}`);
  return {
    help: false,
    port,
    seed,
    latencyMs: integerOption(values['latency-ms'], 'latency-ms', 0) ?? 0,
    pageSize: integerOption(values['page-size'], 'page-size', 1),
    faults: (values.fault ?? []).map(parseFaultSpec),
  };
}

function integerOption(value: string | undefined, name: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,15}$/.test(value) || Number(value) < min) {
    throw new Error(`--${name} must be an integer >= ${min}, got "${value}"`);
  }
  return Number(value);
}

/**
 * The command line up to starting a sandbox: the options to start it with, or the exit code once
 * it has answered `--help` (0, the usage on `out`) or refused an argument (2, one line on `err`,
 * so that it stands out in a CI log; --help has the rest).
 */
export function readCommandLine(
  argv: string[],
  out: (text: string) => void,
  err: (text: string) => void,
): CliOptions | number {
  let args: CliArgs;
  try {
    args = parseCliArgs(argv);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    err(`sandbox: ${message.split('\n')[0]}\n`);
    return 2;
  }
  if (args.help) {
    out(USAGE);
    return 0;
  }
  return args;
}
