/**
 * The pacing row of `npm run bench`: max-rate 600 over a simulated two minutes. The pipeline runs
 * in process on a virtual clock that the sandbox shares (the waits for the pace cost no real time),
 * and the sandbox's record of when each bulk call arrived is what is measured: the most IDs that
 * calls starting within any 10 s carried, against the allowance, and the whole run against the
 * ideal (the IDs at the pace).
 */
import { VirtualClock } from '../__tests__/support/virtual-clock.js';
import { HindsiteSandbox } from '../sandbox/index.js';
import { HindsiteClient } from '../src/hindsite/client.js';
import { readSettings } from '../src/settings/inputs.js';
import type { Logger } from '../src/model/log.js';
import { runPipeline } from '../src/run/pipeline.js';
import { Redactor } from '../src/model/redact.js';
import { CLIENT, ORG, type Row } from './common.js';

const RATE = 600;
const COUNT = 1200;
const WINDOW_MS = 10_000;

const quiet: Logger = {
  info: () => undefined,
  warning: () => undefined,
  debug: () => undefined,
  group: (_title, work) => work(),
};

export async function pacing(): Promise<Row> {
  const clock = new VirtualClock();
  const server = await HindsiteSandbox.start({ clock });
  try {
    server.addClient({ ...CLIENT, organisationId: ORG, admin: true });
    const ids = Array.from(
      { length: COUNT },
      () => server.seedDelivery({ organisationId: ORG }).id,
    );
    const inputs: Record<string, string> = {
      'client-id': CLIENT.clientId,
      'client-secret': CLIENT.clientSecret,
      'api-url': server.url,
      'delivery-ids': ids.join('\n'),
      'max-deliveries': String(COUNT),
      'max-rate': String(RATE),
    };
    const settings = readSettings({
      get: (name) => inputs[name] ?? '',
      readIdsFile: () => '',
      now: () => new Date(clock.now()),
    });
    const { apiUrl, credentials, maxAttempts, timeoutMs } = settings;
    const redactor = new Redactor();
    const client = new HindsiteClient({
      apiUrl,
      credentials,
      maxAttempts,
      timeoutMs,
      clock,
      redactor,
      log: quiet,
      onToken: () => undefined,
    });
    const started = clock.now();
    const result = await runPipeline(settings, { client, log: quiet, clock }).finally(() =>
      client.close(),
    );
    const totalMs = clock.now() - started;
    if (result.verdict.kind !== 'ok' || result.ledger?.createdIds.length !== COUNT) {
      throw new Error(`the paced run did not redeliver every ID (${result.verdict.kind})`);
    }
    const calls = server.requestsTo('bulk').map((request) => ({
      at: request.at,
      size: (JSON.parse(request.body) as { delivery_ids: string[] }).delivery_ids.length,
    }));
    // Windows that start at a call are where the busiest ones start.
    const busiest = Math.max(
      ...calls.map((from) =>
        calls
          .filter((call) => call.at >= from.at && call.at < from.at + WINDOW_MS)
          .reduce((sum, call) => sum + call.size, 0),
      ),
    );
    const callSize = Math.max(...calls.map((call) => call.size));
    const allowance = (RATE * WINDOW_MS) / 60_000;
    const idealMs = (COUNT * 60_000) / RATE;
    const ratio = totalMs / idealMs;
    return {
      figure: `Pacing: ${COUNT.toLocaleString('en-US')} IDs, max-rate ${RATE} (calls of ${callSize} IDs), concurrency 4, in process on virtual time`,
      measured: `${busiest} IDs / 10 s; ${(totalMs / 1000).toFixed(1)} s`,
      baseline: `${allowance} IDs / 10 s; ${(idealMs / 1000).toFixed(1)} s ideal`,
      result: `${busiest >= allowance ? '+' : ''}${busiest - allowance}; ${ratio.toFixed(2)} of the ideal`,
      target: '≤ +1 call; ±5% of ideal',
      met: busiest <= allowance + callSize && Math.abs(ratio - 1) <= 0.05,
    };
  } finally {
    await server.close();
  }
}
