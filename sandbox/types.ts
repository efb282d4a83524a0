/**
 * Public types of the HINDSITE API sandbox.
 *
 * The wire shapes (snake_case) follow the documented HINDSITE API; the in-memory shapes (camelCase)
 * are what tests seed and inspect.
 */

/** Every state the API documents for a delivery (`pending` only appears on brand-new rows). */
export type DeliveryState = 'pending' | 'in_progress' | 'retrying' | 'completed' | 'errored';

export const DELIVERY_STATES: readonly DeliveryState[] = [
  'pending',
  'in_progress',
  'retrying',
  'completed',
  'errored',
];

/** Summary of the last HTTP attempt: `code` is null when the request never connected. */
export interface DeliveryResponse {
  code: number | null;
  error: string | null;
}

export interface SandboxDelivery {
  id: string;
  organisationId: string;
  webhookId: string;
  eventId: string;
  eventAction: string;
  state: DeliveryState;
  response: DeliveryResponse | null;
  createdAt: Date;
  updatedAt: Date;
  /** Internal only (never serialised): the row this one is a redelivery of. */
  redeliveryOf?: string;
}

/** A delivery as the API serialises it. */
export interface DeliveryJson {
  id: string;
  webhook_id: string;
  event_id: string;
  event_action: string;
  state: DeliveryState;
  response: DeliveryResponse | null;
  created_at: string;
  updated_at: string;
}

/** The operations the sandbox serves; requests to any other path are recorded as `'unknown'`. */
export type Route = 'token' | 'list' | 'bulk';

export interface Fault {
  route: Route;
  /** How many matching requests it applies to (default 1; `Infinity` is allowed). */
  times?: number;
  /** Let this many matching requests through untouched before the fault applies (default 0). */
  skip?: number;
  /** Only requests for which this returns true match (default: every request to the route). */
  when?: (request: RecordedRequest) => boolean;
  /**
   * Reply with this status instead of the real handler (a "canned" reply); with `rewrite`, the
   * real handler acts and this replaces only its status.
   */
  status?: number;
  /** Extra/overriding response headers (applied to the canned or the real reply). */
  headers?: Record<string, string>;
  /** Raw canned body (default: a JSON error body). Setting it alone makes a canned 500. */
  body?: string;
  /** Wait this long before replying (real or canned); `Infinity` stalls until close(). */
  delayMs?: number;
  /** Destroy the socket (TCP RST) instead of replying, after `delayMs`. */
  reset?: boolean;
  /** Send headers with the full Content-Length, write only half the body, destroy the socket. */
  truncate?: boolean;
  /**
   * Reply with the real handler's reply (it acts as usual), its JSON body replaced by what this
   * returns for it: an API whose replies differ in shape from the docs (a field missing, another
   * name), for the contract suite's tests. Not with `body`; a body that is not JSON is kept.
   */
  rewrite?: (body: unknown) => unknown;
  /**
   * Run the real handler first (its side effects happen), then apply status/body/reset/truncate
   * instead of its reply. Default false: a canned or reset fault means the server did NOT act.
   */
  afterHandling?: boolean;
}

export type SettleOutcome = 'completed' | 'errored' | 'retrying' | 'never';

export interface SettlePolicy {
  /** New (redelivered) rows stay `pending` this long, then settle. */
  afterMs: number;
  /** Decides each redelivery's final state; `'never'` = stays `in_progress` forever. */
  outcome: (d: {
    originalId: string;
    newId: string;
    eventId: string;
    webhookId: string;
  }) => SettleOutcome;
}

export interface RecordedRequest {
  route: Route | 'unknown';
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** Arrival time on the sandbox clock (ms since the epoch), like every other time it keeps. */
  at: number;
  /** Which connection it came on (1, 2, … in the order they were accepted). */
  connection: number;
}

export interface SandboxOptions {
  /** List page size, default 20. */
  pageSize?: number;
  /** Added before every reply on the served routes (not on 404s), default 0. */
  latencyMs?: number;
  /** Default: new deliveries stay `pending` (nobody receives them). */
  settle?: SettlePolicy;
  /**
   * What time it is for the sandbox: token expiry, `createdAt` of new rows, settling and each
   * request's `at`. Default: the system clock. Latency and fault delays are real timers whatever
   * the clock, since they stand for time the network and server take, which the client's real
   * deadlines must see.
   */
  clock?: SandboxClock;
  /** Where `start()` listens, default `'127.0.0.1'`. */
  host?: string;
  /** Where `start()` listens, default 0 (ephemeral). */
  port?: number;
}

/** All the sandbox needs of a clock (the action's own `Clock` and tests' virtual clocks fit). */
export interface SandboxClock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export interface SandboxClient {
  clientId: string;
  clientSecret: string;
  organisationId: string;
  admin: boolean;
}
