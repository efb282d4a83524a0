import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { parseCliArgs, readCommandLine, USAGE } from '../sandbox/cli-args.js';
import { parseFaultSpec, type Fault } from '../sandbox/index.js';

/**
 * `tsx sandbox/cli.ts` as `npm run sandbox` runs it, once, for what only a process shows (stdout,
 * a signal, the exit code): tsx loaded into node as its CLI does, without the CLI's own process in
 * front (half the start-up). What it does with its arguments is tested in process.
 */
const NODE = process.execPath;
const CLI = ['--import', 'tsx', join(process.cwd(), 'sandbox/cli.ts')];
const LIST = '/api/v2/webhook_deliveries';

describe('parseFaultSpec', () => {
  it.each<[string, Fault]>([
    ['bulk:status=503,times=2', { route: 'bulk', status: 503, times: 2 }],
    ['token:delay-ms=5000', { route: 'token', delayMs: 5000 }],
    ['list:reset', { route: 'list', reset: true }],
    ['bulk:status=500,after-handling', { route: 'bulk', status: 500, afterHandling: true }],
    ['bulk:truncate', { route: 'bulk', truncate: true }],
    [
      'bulk:header.retry-after=2,status=429',
      { route: 'bulk', status: 429, headers: { 'retry-after': '2' } },
    ],
    ['list:stall,after-handling', { route: 'list', delayMs: Infinity, afterHandling: true }],
    [
      'list:reset,delay-ms=20,after-handling',
      { route: 'list', reset: true, delayMs: 20, afterHandling: true },
    ],
    [
      'token:status=503,times=always,skip=1',
      { route: 'token', status: 503, times: Infinity, skip: 1 },
    ],
    ['token:status=503,body=,truncate', { route: 'token', status: 503, body: '', truncate: true }],
  ])('parses %s', (spec, fault) => {
    expect(parseFaultSpec(spec)).toEqual(fault);
  });

  it('percent-decodes values, so commas and percent signs can be written', () => {
    expect(
      parseFaultSpec(
        'bulk:status=503,header.Retry-After=Wed%2C 21 Oct 2026 07:28:00 GMT,header.X-A=1,body=50%25 down',
      ),
    ).toEqual({
      route: 'bulk',
      status: 503,
      headers: { 'Retry-After': 'Wed, 21 Oct 2026 07:28:00 GMT', 'X-A': '1' },
      body: '50% down',
    });
  });

  it.each([
    ['bulk', 'expected ROUTE:ITEM[,ITEM...], e.g. bulk:status=503'],
    ['bulk:', 'no items after "bulk:", e.g. bulk:status=503'],
    ['single:status=500', 'unknown route "single" (token, list or bulk)'],
    ['bulk:status=503,', 'empty item (a stray comma?)'],
    ['bulk:=5', 'no name in "=5"'],
    ['bulk:statu=503', 'unknown item "statu"; see --help'],
    ['bulk:status=503,status=502', 'status given twice'],
    ['bulk:header.a=1,header.A=2', 'header.A given twice'],
    ['bulk:reset=yes', 'reset takes no value'],
    ['bulk:status', 'status needs a value (status=...); see --help'],
    ['bulk:status=5xx', 'status must be an integer from 100 to 599, got "5xx"'],
    ['bulk:status=600', 'status must be an integer from 100 to 599, got "600"'],
    ['bulk:delay-ms=-1', 'delay-ms must be an integer >= 0, got "-1"'],
    ['bulk:reset,times=0', 'times must be an integer >= 1 or always, got "0"'],
    ['bulk:reset,skip=1.5', 'skip must be an integer >= 0, got "1.5"'],
    ['bulk:body=100%', 'body has a malformed %-escape; write a percent sign as %25'],
    ['bulk:header.a b=1', '"a b" is not a valid header name'],
    ['bulk:header.x=a%0Ab', 'header.x has a character a header cannot carry'],
    ['bulk:stall,delay-ms=5', 'stall and delay-ms exclude each other'],
    ['bulk:stall,reset', 'stall and reset exclude each other'],
    ['bulk:reset,status=500', 'reset sends no reply, so status would do nothing'],
    ['bulk:stall,header.x=1', 'stall sends no reply, so header.NAME would do nothing'],
    [
      'bulk:times=2,after-handling',
      'no effect given: add one of status, body, header.NAME, delay-ms, stall, reset or truncate',
    ],
  ])('refuses %s with one line that names the spec', (spec, problem) => {
    expect(() => parseFaultSpec(spec)).toThrow(`--fault '${spec}': ${problem}`);
  });
});

describe('parseCliArgs', () => {
  it('has defaults, and takes --fault repeatedly, in order', () => {
    expect(parseCliArgs([])).toEqual({
      help: false,
      port: 0,
      seed: 'demo',
      latencyMs: 0,
      pageSize: undefined,
      faults: [],
    });
    const args = parseCliArgs([
      '--port=8787',
      '--seed',
      'none',
      '--latency-ms',
      '50',
      '--page-size',
      '5',
      '--fault',
      'bulk:status=503,times=2',
      '--fault',
      'bulk:status=500,after-handling',
    ]);
    expect(args).toEqual({
      help: false,
      port: 8787,
      seed: 'none',
      latencyMs: 50,
      pageSize: 5,
      faults: [
        { route: 'bulk', status: 503, times: 2 },
        { route: 'bulk', status: 500, afterHandling: true },
      ],
    });
  });

  it('answers --help and -h', () => {
    expect(parseCliArgs(['--help'])).toEqual({ help: true });
    expect(parseCliArgs(['-h', '--port', '1'])).toEqual({ help: true });
  });

  it.each([
    [['--bogus'], "Unknown option '--bogus'"],
    [['extra'], 'Unexpected argument'],
    [['--seed', 'all'], '--seed must be demo or none, got "all"'],
    [['--port', '70000'], '--port must be <= 65535, got 70000'],
    [['--page-size', '0'], '--page-size must be an integer >= 1, got "0"'],
    [['--latency-ms', '1.5'], '--latency-ms must be an integer >= 0, got "1.5"'],
    [['--fault', 'bulk:oops'], `--fault 'bulk:oops': unknown item "oops"`],
  ])('refuses %j', (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(message);
  });

  it('documents every fault item and the examples in its usage', () => {
    for (const item of [
      'status=N',
      'body=TEXT',
      'header.NAME=VALUE',
      'delay-ms=N',
      'stall',
      'reset',
      'truncate',
      'after-handling',
      'times=N|always',
      'skip=N',
    ]) {
      expect(USAGE).toContain(`\n  ${item} `);
    }
    for (const [, spec] of USAGE.matchAll(/--fault '([^']+)'/g)) {
      expect(() => parseFaultSpec(spec!)).not.toThrow();
    }
  });
});

describe('sandbox/cli.ts', () => {
  /** The command line's answer before it starts a sandbox, as cli.ts writes it out. */
  const commandLine = (...argv: string[]) => {
    let stdout = '';
    let stderr = '';
    const read = readCommandLine(
      argv,
      (text) => (stdout += text),
      (text) => (stderr += text),
    );
    return { read, stdout, stderr };
  };

  it('prints its usage on stdout for --help and exits 0', () => {
    expect(commandLine('--help')).toEqual({ read: 0, stdout: USAGE, stderr: '' });
  });

  it('refuses a bad --fault with one line on stderr and exit code 2', () => {
    expect(commandLine('--fault', 'bulk:status=503,tims=2')).toEqual({
      read: 2,
      stdout: '',
      stderr: `sandbox: --fault 'bulk:status=503,tims=2': unknown item "tims"; see --help\n`,
    });
  });

  it('starts with the options it read', () => {
    const { read } = commandLine('--seed', 'none', '--page-size', '5');
    expect(read).toMatchObject({ seed: 'none', pageSize: 5, faults: [] });
  });

  it('prints one JSON line with the demo credentials, applies --fault, exits 0 on SIGTERM', async () => {
    const child = spawn(
      NODE,
      [
        ...CLI,
        '--seed',
        'demo',
        '--page-size',
        '5',
        '--fault',
        'list:status=503,header.retry-after=1',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const exited = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => resolve(code)),
    );
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          if (out.includes('\n')) resolve(out);
        });
        child.once('exit', () => reject(new Error(`cli exited early: ${out}`)));
      });
      expect(line.trim().split('\n')).toHaveLength(1);
      const info = JSON.parse(line) as {
        url: string;
        clientId: string;
        clientSecret: string;
      };
      expect(Object.keys(info).sort()).toEqual([
        'clientId',
        'clientSecret',
        'erroredIds',
        'foreignIds',
        'nonAdminClientId',
        'nonAdminClientSecret',
        'url',
      ]);
      const res = await fetch(`${info.url}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: info.clientId,
          client_secret: info.clientSecret,
        }),
      });
      const { access_token } = (await res.json()) as { access_token: string };
      const list = (): Promise<Response> =>
        fetch(`${info.url}${LIST}`, { headers: { authorization: `Bearer ${access_token}` } });
      const faulted = await list();
      expect([faulted.status, faulted.headers.get('retry-after')]).toEqual([503, '1']);
      await faulted.body?.cancel();
      const page = (await (await list()).json()) as { webhook_deliveries: unknown[] };
      expect(page.webhook_deliveries).toHaveLength(5);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });
});
