/**
 * `npm run contract`: options and environment in, one report out, an exit status. Importable, so
 * that tests run it in process; scripts/contract.ts only hands it the process's own.
 */
import { parseArgs } from 'node:util';
import { errorMessage, InputError } from '../src/model/errors.js';
import { parseApiUrl, parseDeliveryIds } from '../src/settings/inputs.js';
import { Redactor } from '../src/model/redact.js';
import { exitCodeOf, renderJson, renderText, type ExitCode } from './report.js';
import { startContractSandbox } from './sandbox.js';
import { runSuite, type ClientCredentials, type SuiteOptions } from './suite.js';

export const USAGE = `Usage: npm run contract -- [options]

Checks what the action assumes about the HINDSITE API (the fields it reads and their types, the
statuses it acts on, how the list pages and filters) against the API at HINDSITE_API_URL, and
prints one row per assumption: what the action expects, what was observed, and confirmed, differs
or not checked.

Environment:
  HINDSITE_CLIENT_ID, HINDSITE_CLIENT_SECRET
                      client credentials of an organisation admin (as the action uses)
  HINDSITE_API_URL    base URL of the API (default https://app.hindsiteind.com)
  HINDSITE_MEMBER_CLIENT_ID, HINDSITE_MEMBER_CLIENT_SECRET
                      optional: a client of the organisation that is NOT an admin, to check the
                      403s a non-admin gets
With neither HINDSITE_CLIENT_ID nor HINDSITE_CLIENT_SECRET set, it starts the API sandbox on
loopback, seeds it, and checks that instead.

Options:
  --allow-redeliver ID
                      also make ONE bulk redelivery call, with ID and one made-up ID, to check the
                      bulk reply. ID must be a delivery of your organisation: it IS redelivered,
                      so its receiver gets the event again. Without this option nothing is
                      written: only token exchanges, list pages, and (with a member client whose
                      list call is refused with 403) one bulk call with an EMPTY list of IDs.
  --json              print the report as JSON instead of a table
  --api               check the real API only: fail when the credentials are not set
  --sandbox           check the sandbox, even when HINDSITE_* credentials are set
  --timeout-seconds N each request's deadline (default 30)
  -h, --help          print this help

Exit status: 0 when every assumption checked that the action relies on holds; 1 when one differs;
2 when the check could not run (bad options or environment, the credentials refused, the API
unreachable). Secrets and issued tokens are never printed.
`;

export interface CommandIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

export type Environment = Readonly<Record<string, string | undefined>>;

/** Given for the tests: how the suite waits between looks for the new delivery. */
export interface CommandOptions {
  sleep?: SuiteOptions['sleep'];
}

interface Target {
  apiUrl: URL;
  admin: ClientCredentials;
  member?: ClientCredentials;
}

class UsageError extends Error {}

export async function runContractCommand(
  argv: readonly string[],
  env: Environment,
  io: CommandIo,
  options: CommandOptions = {},
): Promise<ExitCode> {
  let args: ReturnType<typeof parseCommandLine>;
  let target: Target | undefined;
  try {
    args = parseCommandLine(argv);
    if (args.help) {
      io.out(USAGE);
      return 0;
    }
    target = args.sandbox ? undefined : targetOf(env, args.api);
  } catch (error) {
    io.err(`contract: ${errorMessage(error).replace(/^Input /, '')}\n`);
    return 2;
  }

  // No credentials: the sandbox, seeded, for this run only.
  const started = target ? undefined : await startContractSandbox();
  try {
    const resolved = target ?? (started && targetOf(started.env, true));
    if (!resolved) throw new Error('The sandbox gave no credentials.');
    const { apiUrl, admin, member } = resolved;
    const redactor = new Redactor();
    redactor.add(admin.clientSecret);
    redactor.add(member?.clientSecret);
    const result = await runSuite({
      apiUrl,
      admin,
      member,
      redeliverId: args.redeliverId,
      timeoutMs: args.timeoutSeconds * 1000,
      redactor,
      sleep: options.sleep,
    });
    const report = {
      ...result,
      api: apiUrl.href.replace(/\/$/, ''),
      sandbox: started !== undefined,
      redeliverId: args.redeliverId,
      member: member !== undefined,
    };
    const text = args.json ? renderJson(report) : renderText(report);
    // Every line, whatever produced it: a server may echo a secret in any field.
    io.out(
      text
        .split('\n')
        .map((line) => redactor.redact(line))
        .join('\n'),
    );
    return exitCodeOf(report);
  } finally {
    await started?.sandbox.close();
  }
}

function parseCommandLine(argv: readonly string[]): {
  help: boolean;
  json: boolean;
  api: boolean;
  sandbox: boolean;
  redeliverId?: string;
  timeoutSeconds: number;
} {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      help: { type: 'boolean', short: 'h' },
      json: { type: 'boolean' },
      api: { type: 'boolean' },
      sandbox: { type: 'boolean' },
      'allow-redeliver': { type: 'string' },
      'timeout-seconds': { type: 'string' },
    },
  });
  if (values.api && values.sandbox) throw new UsageError('--api and --sandbox exclude each other');
  let redeliverId: string | undefined;
  if (values['allow-redeliver'] !== undefined) {
    const ids = parseDeliveryIds(values['allow-redeliver'], '--allow-redeliver');
    if (ids.length !== 1) {
      throw new UsageError('--allow-redeliver takes exactly one delivery ID');
    }
    redeliverId = ids[0];
  }
  const timeout = values['timeout-seconds'] ?? '30';
  if (!/^\d{1,3}$/.test(timeout) || Number(timeout) < 1 || Number(timeout) > 600) {
    throw new UsageError(`--timeout-seconds must be an integer from 1 to 600, got "${timeout}"`);
  }
  return {
    help: values.help ?? false,
    json: values.json ?? false,
    api: values.api ?? false,
    sandbox: values.sandbox ?? false,
    redeliverId,
    timeoutSeconds: Number(timeout),
  };
}

/**
 * The API and credentials the environment names, or undefined for the sandbox. Empty variables
 * count as unset: GitHub sets a missing secret to ''.
 */
function targetOf(env: Environment, required: boolean): Target | undefined {
  const get = (name: string): string | undefined => env[name]?.trim() || undefined;
  const pair = (id: string, secret: string): ClientCredentials | undefined => {
    const [clientId, clientSecret] = [get(id), get(secret)];
    if (clientId && clientSecret) return { clientId, clientSecret };
    if (clientId || clientSecret) {
      throw new UsageError(`${clientId ? id : secret} is set but ${clientId ? secret : id} is not`);
    }
    return undefined;
  };
  const admin = pair('HINDSITE_CLIENT_ID', 'HINDSITE_CLIENT_SECRET');
  const member = pair('HINDSITE_MEMBER_CLIENT_ID', 'HINDSITE_MEMBER_CLIENT_SECRET');
  const url = get('HINDSITE_API_URL');
  if (!admin) {
    if (required) {
      throw new UsageError(
        '--api needs HINDSITE_CLIENT_ID and HINDSITE_CLIENT_SECRET (an organisation admin’s client credentials)',
      );
    }
    if (url || member) {
      const given = url ? 'HINDSITE_API_URL' : 'HINDSITE_MEMBER_CLIENT_ID';
      throw new UsageError(
        `${given} is set but HINDSITE_CLIENT_ID and HINDSITE_CLIENT_SECRET are not (unset it to check the sandbox)`,
      );
    }
    return undefined;
  }
  let apiUrl: URL;
  try {
    apiUrl = parseApiUrl(url ?? 'https://app.hindsiteind.com');
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    throw new UsageError(error.message.replace('Input api-url', 'HINDSITE_API_URL'));
  }
  return { apiUrl, admin, member };
}
