/**
 * Demo scenario for the sandbox: one organisation with a realistic mix of deliveries over the last
 * 24 hours, a second organisation whose IDs must be dropped, an admin and a non-admin client.
 */
import type { HindsiteSandbox } from './server.js';
import type { DeliveryResponse, DeliveryState } from './types.js';

export interface DemoSeed {
  /** Admin client of `org_acme`. */
  clientId: string;
  clientSecret: string;
  /** Non-admin client of `org_acme`: its API calls get 403. */
  nonAdminClientId: string;
  nonAdminClientSecret: string;
  /**
   * `org_acme` deliveries a correct run should retry, newest first: errored, and not followed by
   * a newer delivery of the same event. (The errored original of `evt_1005`, already redelivered
   * and completed, is deliberately left out even though its own row still reads `errored`.)
   */
  erroredIds: string[];
  /** Errored deliveries of `org_other`: bulk retries drop them. */
  foreignIds: string[];
}

export const DEMO_ORGANISATION = 'org_acme';
export const DEMO_OTHER_ORGANISATION = 'org_other';
/** Redeliveries of this event error again under the demo settle policy. */
export const DEMO_FAILING_EVENT = 'evt_1002';
export const DEMO_SETTLE_MS = 1500;

const HOUR = 3_600_000;

interface DemoRow {
  key: string;
  hoursAgo: number;
  webhookId: string;
  eventId: string;
  eventAction: string;
  state: DeliveryState;
  response: DeliveryResponse | null;
  redeliveryOf?: string;
  /** Whether a correct run should retry it. */
  retry?: boolean;
}

const ORDERS = 'wh_orders';
const REPORTS = 'wh_reports';
const FORM = 'form_completed';
const EXPORT = 'report_export_completed';
const ok = (): DeliveryResponse => ({ code: 200, error: null });
const http = (code: number): DeliveryResponse => ({ code, error: null });
const transport = (error: string): DeliveryResponse => ({ code: null, error });

// prettier-ignore
const ACME_ROWS: DemoRow[] = [
  { key: 'a', hoursAgo: 23, webhookId: ORDERS, eventId: 'evt_1001', eventAction: FORM, state: 'errored', response: http(500), retry: true },
  { key: 'b', hoursAgo: 20, webhookId: ORDERS, eventId: 'evt_1002', eventAction: FORM, state: 'errored', response: http(502), retry: true },
  { key: 'c', hoursAgo: 18, webhookId: ORDERS, eventId: 'evt_1003', eventAction: FORM, state: 'errored', response: transport('connection_timeout'), retry: true },
  { key: 'd', hoursAgo: 16, webhookId: ORDERS, eventId: 'evt_1004', eventAction: FORM, state: 'completed', response: ok() },
  { key: 'e', hoursAgo: 12, webhookId: ORDERS, eventId: 'evt_1005', eventAction: FORM, state: 'errored', response: http(500) },
  { key: 'f', hoursAgo: 11, webhookId: ORDERS, eventId: 'evt_1005', eventAction: FORM, state: 'completed', response: ok(), redeliveryOf: 'e' },
  { key: 'g', hoursAgo: 10, webhookId: REPORTS, eventId: 'evt_2001', eventAction: EXPORT, state: 'errored', response: transport('dns_lookup_failed'), retry: true },
  { key: 'h', hoursAgo: 8, webhookId: REPORTS, eventId: 'evt_2002', eventAction: EXPORT, state: 'completed', response: ok() },
  { key: 'i', hoursAgo: 6, webhookId: REPORTS, eventId: 'evt_2003', eventAction: EXPORT, state: 'completed', response: ok() },
  { key: 'j', hoursAgo: 4, webhookId: ORDERS, eventId: 'evt_1006', eventAction: FORM, state: 'errored', response: http(502), retry: true },
  { key: 'k', hoursAgo: 2, webhookId: REPORTS, eventId: 'evt_2004', eventAction: EXPORT, state: 'retrying', response: http(503) },
  { key: 'l', hoursAgo: 1, webhookId: ORDERS, eventId: 'evt_1007', eventAction: FORM, state: 'completed', response: ok() },
];

const OTHER_EVENTS = ['evt_9001', 'evt_9002', 'evt_9003'];

/**
 * Seeds the demo scenario relative to the sandbox clock and installs its settle policy:
 * redeliveries complete after 1.5 s, except those of `evt_1002`, which error again.
 */
export function seedDemo(sandbox: HindsiteSandbox): DemoSeed {
  const seed: DemoSeed = {
    clientId: 'demo-client',
    clientSecret: 'demo-secret-7f3a9c2e41b8',
    nonAdminClientId: 'viewer-client',
    nonAdminClientSecret: 'viewer-secret-5d2e8b6f90ac',
    erroredIds: [],
    foreignIds: [],
  };
  sandbox.addClient({
    clientId: seed.clientId,
    clientSecret: seed.clientSecret,
    organisationId: DEMO_ORGANISATION,
    admin: true,
  });
  sandbox.addClient({
    clientId: seed.nonAdminClientId,
    clientSecret: seed.nonAdminClientSecret,
    organisationId: DEMO_ORGANISATION,
    admin: false,
  });

  const now = sandbox.now();
  const idsByKey = new Map<string, string>();
  for (const { key, hoursAgo, retry, redeliveryOf, ...fields } of ACME_ROWS) {
    const at = new Date(now - hoursAgo * HOUR);
    const row = sandbox.seedDelivery({
      ...fields,
      organisationId: DEMO_ORGANISATION,
      createdAt: at,
      // Settled rows were last touched a little after they were created.
      updatedAt: new Date(at.getTime() + 5 * 60_000),
      ...(redeliveryOf === undefined ? {} : { redeliveryOf: idsByKey.get(redeliveryOf) }),
    });
    idsByKey.set(key, row.id);
    if (retry) seed.erroredIds.unshift(row.id); // rows go oldest first; report newest first
  }

  OTHER_EVENTS.forEach((eventId, i) => {
    const row = sandbox.seedDelivery({
      organisationId: DEMO_OTHER_ORGANISATION,
      webhookId: 'wh_other',
      eventId,
      createdAt: new Date(now - (3 + i * 5) * HOUR),
      response: { code: 500, error: null },
    });
    seed.foreignIds.push(row.id);
  });

  sandbox.setSettle({
    afterMs: DEMO_SETTLE_MS,
    outcome: ({ eventId }) => (eventId === DEMO_FAILING_EVENT ? 'errored' : 'completed'),
  });
  return seed;
}
