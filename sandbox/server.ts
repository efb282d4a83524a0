/**
 * HINDSITE API sandbox: a real HTTP server on loopback implementing the documented API
 * (`/oauth/token`, and the list and bulk-retry `/api/v2/webhook_deliveries` operations) over an
 * in-memory store,
 * with fault injection for the action's tests, demo and benchmark.
 *
 * Where the public docs leave behaviour open, the sandbox picks one documented answer (see the
 * route handlers) and is stricter than a lenient server would be, so client bugs show up as 4xx.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import {
  BODY_LIMIT_BYTES,
  JSON_CONTENT_TYPE,
  jsonReply,
  mediaType,
  readBody,
  type Reply,
  withHeaders,
  writeReply,
} from './http.js';
import { parseDateTime, parsePage } from './params.js';
import {
  DELIVERY_STATES,
  type DeliveryJson,
  type DeliveryResponse,
  type DeliveryState,
  type Fault,
  type RecordedRequest,
  type Route,
  type SandboxClient,
  type SandboxDelivery,
  type SandboxOptions,
  type SettleOutcome,
  type SettlePolicy,
} from './types.js';

/** Doorkeeper's default lifetime, and what the docs' sample shows. */
const TOKEN_LIFETIME_SECONDS = 7200;
const MAX_BULK_IDS = 1000;
const DEFAULT_PAGE_SIZE = 20;
const DELIVERIES_PATH = '/api/v2/webhook_deliveries';
// setTimeout cannot wait longer than this; longer delays are treated as "stall until close()".
const MAX_TIMER_MS = 2_147_483_647;

const INVALID_CLIENT =
  'Client authentication failed due to unknown client, no client authentication included, ' +
  'or unsupported authentication method.';
const INVALID_REQUEST =
  'The request is missing a required parameter, includes an unsupported parameter value, ' +
  'or is otherwise malformed.';
const UNSUPPORTED_GRANT =
  'The authorization grant type is not supported by the authorization server.';

interface TokenGrant {
  clientId: string;
  expiresAt: number;
}

/** One organisation's rows, oldest first, so appending a new (newest) row keeps it sorted. */
interface OrgIndex {
  rows: SandboxDelivery[];
  sorted: boolean;
}

interface QueuedFault {
  fault: Fault;
  remaining: number;
  skip: number;
}

interface RequestContext {
  method: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
}

type AuthResult = { ok: true; client: SandboxClient } | { ok: false; reply: Reply };

interface ListFilters {
  webhookId?: string;
  state?: DeliveryState;
  since?: number;
  page: number;
}

export class HindsiteSandbox {
  /** Every request, in arrival order (bodies are filled in once fully read). */
  readonly requests: RecordedRequest[] = [];

  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  /** A number per TCP connection, in the order they were accepted (to observe connection reuse). */
  private readonly connectionIds = new WeakMap<Socket, number>();
  private connectionCount = 0;
  private readonly clients = new Map<string, SandboxClient>();
  private readonly tokens = new Map<string, TokenGrant>();
  private readonly rows = new Map<string, SandboxDelivery>();
  private readonly orgs = new Map<string, OrgIndex>();
  private readonly faults = new Map<Route, QueuedFault[]>();
  /** Pending sleeps, so close() can cancel their timers and let handlers finish. */
  private readonly sleeps = new Map<ReturnType<typeof setTimeout> | symbol, () => void>();
  private readonly clock: () => number;
  private readonly pageSize: number;
  private latencyMs: number;
  private settlePolicy: SettlePolicy | undefined;
  private deliverySeq = 0;
  private eventSeq = 0;
  private baseUrl = '';
  private closed = false;
  private closing: Promise<void> | undefined;

  private constructor(options: SandboxOptions) {
    this.clock = options.now ?? Date.now;
    this.pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
    if (!Number.isInteger(this.pageSize) || this.pageSize < 1) {
      throw new RangeError(`pageSize must be a positive integer, got ${this.pageSize}`);
    }
    this.latencyMs = checkDelay(options.latencyMs ?? 0, 'latencyMs');
    this.settlePolicy = options.settle;
    this.server = createServer((req, res) => this.serve(req, res));
    this.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      this.connectionIds.set(socket, ++this.connectionCount);
      socket.once('close', () => this.sockets.delete(socket));
    });
  }

  /** Starts a sandbox listening on `host:port` (default 127.0.0.1, ephemeral port). */
  static async start(options: SandboxOptions = {}): Promise<HindsiteSandbox> {
    const sandbox = new HindsiteSandbox(options);
    await sandbox.listen(options.host ?? '127.0.0.1', options.port ?? 0);
    return sandbox;
  }

  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:43123`. */
  get url(): string {
    return this.baseUrl;
  }

  // ---------------------------------------------------------------------------------------------
  // Test-facing control API
  // ---------------------------------------------------------------------------------------------

  /** Current time on the sandbox clock (ms since the epoch), e.g. to seed rows "2 hours ago". */
  now(): number {
    return this.clock();
  }

  /** Registers (or replaces) an OAuth client of an organisation. */
  addClient(client: SandboxClient): void {
    this.clients.set(client.clientId, { ...client });
  }

  /** Mints a valid bearer token for a known client without going through `/oauth/token`. */
  issueToken(clientId: string, expiresInSeconds = TOKEN_LIFETIME_SECONDS): string {
    if (!this.clients.has(clientId)) throw new Error(`unknown client ${clientId}`);
    // 32 random bytes in base64url = 43 URL-safe characters, like Doorkeeper's tokens.
    const token = randomBytes(32).toString('base64url');
    this.tokens.set(token, { clientId, expiresAt: this.now() + expiresInSeconds * 1000 });
    return token;
  }

  /** Invalidates every token issued so far: the next API call with one gets a 401. */
  expireTokens(): void {
    this.tokens.clear();
  }

  /**
   * Inserts a row. Defaults: id `dlv_000001`..., webhook `wh_default`, a fresh event id, action
   * `form_completed`, state `errored`, a response matching the state, createdAt = now.
   * Seeded `pending` rows never settle unless they carry `redeliveryOf` (see setSettle).
   */
  seedDelivery(d: Partial<SandboxDelivery> & { organisationId: string }): SandboxDelivery {
    const id = d.id ?? this.nextDeliveryId();
    if (this.rows.has(id)) throw new Error(`delivery ${id} already exists`);
    const state = d.state ?? 'errored';
    const createdAt = new Date((d.createdAt ?? new Date(this.now())).getTime());
    const row: SandboxDelivery = {
      id,
      organisationId: d.organisationId,
      webhookId: d.webhookId ?? 'wh_default',
      eventId: d.eventId ?? `evt_${pad(++this.eventSeq)}`,
      eventAction: d.eventAction ?? 'form_completed',
      state,
      response: d.response !== undefined ? d.response : defaultResponse(state),
      createdAt,
      updatedAt: new Date((d.updatedAt ?? createdAt).getTime()),
    };
    if (d.redeliveryOf !== undefined) row.redeliveryOf = d.redeliveryOf;
    return this.insert(row);
  }

  /**
   * The live row (settled first if its settle time has passed). Changing `state`/`response` is
   * fine; changing `id`, `organisationId` or `createdAt` is not (the list index would not see it).
   */
  delivery(id: string): SandboxDelivery | undefined {
    const row = this.rows.get(id);
    return row && this.settle(row);
  }

  /** All rows, in insertion order, settled as of now. */
  deliveries(): SandboxDelivery[] {
    return Array.from(this.rows.values(), (row) => this.settle(row));
  }

  /** Queues a fault on its route; each request takes the first queued fault of its route. */
  inject(fault: Fault): void {
    const times = fault.times ?? 1;
    if (!(times >= 1)) throw new RangeError(`fault.times must be >= 1, got ${times}`);
    if (fault.delayMs !== undefined) checkDelay(fault.delayMs, 'fault.delayMs');
    const queue = this.faults.get(fault.route) ?? [];
    queue.push({ fault: { ...fault }, remaining: times, skip: fault.skip ?? 0 });
    this.faults.set(fault.route, queue);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  setLatency(ms: number): void {
    this.latencyMs = checkDelay(ms, 'latencyMs');
  }

  /**
   * Sets how redeliveries settle (undefined: they stay `pending`). Settling is lazy: a pending
   * redelivery whose `createdAt + afterMs <= now()` takes its outcome the first time it is read,
   * and keeps it. That needs no timers and is deterministic under a fake clock.
   */
  setSettle(policy: SettlePolicy | undefined): void {
    this.settlePolicy = policy;
  }

  requestsTo(route: Route): RecordedRequest[] {
    return this.requests.filter((r) => r.route === route);
  }

  /** Stops listening, destroys open (keep-alive or stalled) sockets and cancels pending timers. */
  close(): Promise<void> {
    if (!this.closing) {
      this.closed = true;
      for (const [timer, wake] of this.sleeps) {
        if (typeof timer !== 'symbol') clearTimeout(timer);
        wake();
      }
      this.sleeps.clear();
      this.closing = new Promise((resolve) => this.server.close(() => resolve()));
      for (const socket of this.sockets) socket.destroy();
    }
    return this.closing;
  }

  // ---------------------------------------------------------------------------------------------
  // Request pipeline: record → read body → latency → fault → handler → reply
  // ---------------------------------------------------------------------------------------------

  private listen(host: string, port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        const { address, port: bound } = this.server.address() as AddressInfo;
        this.baseUrl = `http://${address.includes(':') ? `[${address}]` : address}:${bound}`;
        resolve();
      });
    });
  }

  private serve(req: IncomingMessage, res: ServerResponse): void {
    this.process(req, res).catch((error: unknown) => {
      // Only reachable if the client vanished mid-body or a test's settle callback threw.
      if (res.headersSent || req.socket.destroyed) {
        req.socket.destroy();
        return;
      }
      const message = error instanceof Error ? error.message : String(error);
      writeReply(res, jsonReply(500, { error: 'internal_error', error_description: message }));
    });
  }

  private async process(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
    const route = classify(url.pathname);
    const record: RecordedRequest = {
      route,
      method: req.method ?? 'GET',
      path: url.pathname,
      query: firstValues(url.searchParams),
      headers: { ...req.headers },
      body: '',
      at: Date.now(),
      connection: this.connectionIds.get(req.socket) ?? 0,
    };
    // Pushed before the body is read so `requests` stays in arrival order.
    this.requests.push(record);
    let aborted = false;
    res.once('close', () => (aborted = true));
    const gone = (): boolean => aborted || this.closed;

    const { body, tooLarge } = await readBody(req, BODY_LIMIT_BYTES);
    record.body = body;
    if (gone()) return;
    if (tooLarge) {
      const limit = `Request body exceeds ${BODY_LIMIT_BYTES} bytes`;
      writeReply(res, jsonReply(413, { error: 'payload_too_large', error_description: limit }));
      return;
    }
    if (route === 'unknown') {
      const description = `No route matches ${record.method} ${record.path}`;
      writeReply(res, jsonReply(404, { error: 'not_found', error_description: description }));
      return;
    }

    const fault = this.takeFault(route, record);
    await this.sleep(this.latencyMs);
    // A client that gave up during the latency never reached the "server": nothing happens.
    if (gone()) return;
    const ctx: RequestContext = {
      method: record.method,
      query: url.searchParams,
      headers: req.headers,
      body,
    };
    const handled = fault?.afterHandling ? this.dispatch(route, ctx) : undefined;
    await this.sleep(fault?.delayMs ?? 0);
    // Without afterHandling, a client that gave up during the stall leaves no side effects.
    if (gone()) return;
    if (fault?.reset) {
      req.socket.resetAndDestroy();
      return;
    }
    const reply =
      fault && isCanned(fault) ? cannedReply(fault) : (handled ?? this.dispatch(route, ctx));
    writeReply(res, withHeaders(reply, fault?.headers), fault?.truncate);
  }

  private takeFault(route: Route, request: RecordedRequest): Fault | undefined {
    const queue = this.faults.get(route);
    // The first queued fault that applies to this request; `when` narrows which requests count.
    const index = queue?.findIndex((queued) => !queued.fault.when || queued.fault.when(request));
    const first = index === undefined || index < 0 ? undefined : queue?.[index];
    if (!queue || !first) return undefined;
    if (first.skip > 0) {
      first.skip -= 1;
      return undefined;
    }
    first.remaining -= 1;
    if (first.remaining <= 0) queue.splice(index as number, 1);
    return first.fault;
  }

  /** Resolves after `ms`, or at close(); non-finite or huge delays wait for close() only. */
  private sleep(ms: number): Promise<void> {
    if (ms <= 0 || this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      if (ms > MAX_TIMER_MS) {
        this.sleeps.set(Symbol('stall'), resolve);
        return;
      }
      const timer = setTimeout(() => {
        this.sleeps.delete(timer);
        resolve();
      }, ms);
      this.sleeps.set(timer, resolve);
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Route handlers (pure apart from store side effects; they return the reply to send)
  // ---------------------------------------------------------------------------------------------

  private dispatch(route: Route, ctx: RequestContext): Reply {
    const allowed = route === 'list' ? 'GET' : 'POST';
    if (ctx.method !== allowed) {
      const description = `${ctx.method} is not allowed here; use ${allowed}`;
      return jsonReply(
        405,
        { error: 'method_not_allowed', error_description: description },
        { allow: allowed },
      );
    }
    if (route === 'token') return this.handleToken(ctx);
    const auth = this.authorise(ctx.headers.authorization);
    if (!auth.ok) return auth.reply;
    if (route === 'list') return this.handleList(auth.client, ctx.query);
    return this.handleBulk(auth.client, ctx);
  }

  /** OAuth 2.0 client-credentials grant, with Doorkeeper's status codes and error bodies. */
  private handleToken(ctx: RequestContext): Reply {
    if (mediaType(ctx.headers['content-type']) !== 'application/x-www-form-urlencoded') {
      return oauthError(400, 'invalid_request', INVALID_REQUEST);
    }
    const form = new URLSearchParams(ctx.body);
    const grantType = form.get('grant_type');
    if (!grantType) {
      return oauthError(400, 'invalid_request', 'Missing required parameter: grant_type.');
    }
    if (grantType !== 'client_credentials') {
      return oauthError(400, 'unsupported_grant_type', UNSUPPORTED_GRANT);
    }
    const client = this.clients.get(form.get('client_id') ?? '');
    if (!client || client.clientSecret !== form.get('client_secret')) {
      return oauthError(401, 'invalid_client', INVALID_CLIENT);
    }
    const createdAt = Math.floor(this.now() / 1000);
    const accessToken = this.issueToken(client.clientId, TOKEN_LIFETIME_SECONDS);
    const token = {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: TOKEN_LIFETIME_SECONDS,
      created_at: createdAt,
    };
    return jsonReply(200, token, { 'cache-control': 'no-store', pragma: 'no-cache' });
  }

  private authorise(header: string | undefined): AuthResult {
    const match = /^Bearer +(\S+) *$/i.exec(header ?? '');
    const grant = match ? this.tokens.get(match[1]!) : undefined;
    const client = grant && this.now() < grant.expiresAt && this.clients.get(grant.clientId);
    if (!client) {
      return { ok: false, reply: oauthError(401, 'invalid_token', 'The access token is invalid') };
    }
    if (!client.admin) {
      const description = 'Caller is not an admin in the organisation';
      return {
        ok: false,
        reply: jsonReply(403, { error: 'forbidden', error_description: description }),
      };
    }
    return { ok: true, client };
  }

  /** GET list: the caller's organisation only, newest first (createdAt desc, then id desc). */
  private handleList(client: SandboxClient, query: URLSearchParams): Reply {
    const filters = parseListFilters(query);
    if (typeof filters === 'string') {
      return jsonReply(400, { error: 'invalid_parameter', error_description: filters });
    }
    const page = this.listPage(client.organisationId, filters);
    return jsonReply(200, { webhook_deliveries: page.map(toJson), meta: { page: filters.page } });
  }

  private listPage(organisationId: string, filters: ListFilters): SandboxDelivery[] {
    const org = this.orgs.get(organisationId);
    if (!org) return [];
    if (!org.sorted) {
      org.rows.sort(compareOldestFirst);
      org.sorted = true;
    }
    const skip = (filters.page - 1) * this.pageSize;
    const page: SandboxDelivery[] = [];
    let matched = 0;
    for (let i = org.rows.length - 1; i >= 0 && page.length < this.pageSize; i--) {
      const row = org.rows[i]!;
      // Newest first, so every remaining row is older than `since` too.
      if (filters.since !== undefined && row.createdAt.getTime() < filters.since) break;
      if (filters.webhookId !== undefined && row.webhookId !== filters.webhookId) continue;
      if (filters.state !== undefined && this.settle(row).state !== filters.state) continue;
      if (matched++ >= skip) page.push(this.settle(row));
    }
    return page;
  }

  /**
   * POST bulk: one new row per listed ID of the caller's organisation, in request order. Unknown
   * and foreign IDs are dropped (listed in `meta.dropped_ids`, in order). The docs leave duplicates
   * open; here each occurrence creates its own row (the action never sends duplicates).
   */
  private handleBulk(client: SandboxClient, ctx: RequestContext): Reply {
    if (mediaType(ctx.headers['content-type']) !== 'application/json') {
      const description = 'Content-Type must be application/json';
      return jsonReply(415, { error: 'unsupported_media_type', error_description: description });
    }
    const ids = parseDeliveryIds(ctx.body);
    if (typeof ids === 'string') return jsonReply(422, { error: ids });
    const created: DeliveryJson[] = [];
    const dropped: string[] = [];
    for (const id of ids) {
      const original = this.rows.get(id);
      if (original && original.organisationId === client.organisationId) {
        created.push(toJson(this.redeliver(original)));
      } else {
        dropped.push(id);
      }
    }
    const meta = {
      requested_count: ids.length,
      created_count: created.length,
      dropped_ids: dropped,
    };
    return jsonReply(201, { webhook_deliveries: created, meta });
  }

  // ---------------------------------------------------------------------------------------------
  // Store
  // ---------------------------------------------------------------------------------------------

  /** A new row for the same event; the original row is left untouched (kept for audit). */
  private redeliver(original: SandboxDelivery): SandboxDelivery {
    const now = this.now();
    return this.insert({
      id: this.nextDeliveryId(),
      organisationId: original.organisationId,
      webhookId: original.webhookId,
      eventId: original.eventId,
      eventAction: original.eventAction,
      state: 'pending',
      response: null,
      createdAt: new Date(now),
      updatedAt: new Date(now),
      redeliveryOf: original.id,
    });
  }

  private insert(row: SandboxDelivery): SandboxDelivery {
    this.rows.set(row.id, row);
    let org = this.orgs.get(row.organisationId);
    if (!org) {
      org = { rows: [], sorted: true };
      this.orgs.set(row.organisationId, org);
    }
    // Rows usually arrive newest-last; anything else just defers one sort to the next list call.
    const last = org.rows[org.rows.length - 1];
    if (last && compareOldestFirst(last, row) > 0) org.sorted = false;
    org.rows.push(row);
    return row;
  }

  private nextDeliveryId(): string {
    let id: string;
    do id = `dlv_${pad(++this.deliverySeq)}`;
    while (this.rows.has(id));
    return id;
  }

  /** Applies the settle policy to a pending redelivery whose time has come (see setSettle). */
  private settle(row: SandboxDelivery): SandboxDelivery {
    const policy = this.settlePolicy;
    if (!policy || row.state !== 'pending' || row.redeliveryOf === undefined) return row;
    const due = row.createdAt.getTime() + policy.afterMs;
    if (this.now() < due) return row;
    const outcome = policy.outcome({
      originalId: row.redeliveryOf,
      newId: row.id,
      eventId: row.eventId,
      webhookId: row.webhookId,
    });
    row.state = outcome === 'never' ? 'in_progress' : outcome;
    row.response = settledResponse(outcome);
    row.updatedAt = new Date(due);
    return row;
  }
}

// -----------------------------------------------------------------------------------------------
// Helpers
// -----------------------------------------------------------------------------------------------

/**
 * The documented single-delivery retry (`POST .../{id}/redeliveries`) is deliberately not served:
 * the action never calls it, so it answers 404 like any other unknown path.
 */
function classify(path: string): Route | 'unknown' {
  if (path === '/oauth/token') return 'token';
  if (path === DELIVERIES_PATH) return 'list';
  if (path === `${DELIVERIES_PATH}/redeliveries`) return 'bulk';
  return 'unknown';
}

/** Query parameters as a plain object; the first occurrence wins, as with URLSearchParams.get. */
function firstValues(params: URLSearchParams): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of params) if (!(key in result)) result[key] = value;
  return result;
}

/** Validates the list query; returns the filters or a message describing the bad parameter. */
function parseListFilters(query: URLSearchParams): ListFilters | string {
  for (const name of ['webhook_id', 'state', 'since', 'page']) {
    if (query.getAll(name).length > 1) return `${name} must be given at most once`;
  }
  const filters: ListFilters = { page: 1 };
  const webhookId = query.get('webhook_id');
  if (webhookId !== null) filters.webhookId = webhookId;
  const state = query.get('state');
  if (state !== null) {
    if (!isDeliveryState(state)) return `state must be one of: ${DELIVERY_STATES.join(', ')}`;
    filters.state = state;
  }
  const since = query.get('since');
  if (since !== null) {
    const sinceMs = parseDateTime(since);
    if (sinceMs === undefined)
      return 'since must be an ISO 8601 date-time, e.g. 2024-01-15T09:30:00Z';
    filters.since = sinceMs;
  }
  const page = query.get('page');
  if (page !== null) {
    const pageNumber = parsePage(page);
    if (pageNumber === undefined) return 'page must be an integer >= 1';
    filters.page = pageNumber;
  }
  return filters;
}

/** Validates a bulk body; returns the IDs or the 422 message saying what is wrong. */
function parseDeliveryIds(body: string): string[] | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return 'request body is not valid JSON';
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return 'request body must be a JSON object';
  }
  const ids: unknown = (parsed as Record<string, unknown>).delivery_ids;
  if (ids === undefined) return 'delivery_ids is required';
  if (!Array.isArray(ids)) return 'delivery_ids must be an array of strings';
  const badIndex = ids.findIndex((id) => typeof id !== 'string');
  if (badIndex >= 0) return `delivery_ids[${badIndex}] must be a string`;
  if (ids.length === 0) return 'delivery_ids must not be empty';
  if (ids.length > MAX_BULK_IDS) {
    return `delivery_ids must contain at most ${MAX_BULK_IDS} IDs (got ${ids.length})`;
  }
  return ids as string[];
}

function isDeliveryState(value: string): value is DeliveryState {
  return (DELIVERY_STATES as readonly string[]).includes(value);
}

function isCanned(fault: Fault): boolean {
  return fault.status !== undefined || fault.body !== undefined;
}

function cannedReply(fault: Fault): Reply {
  const status = fault.status ?? 500;
  if (fault.body === undefined) {
    const description = `Injected sandbox fault (HTTP ${status})`;
    return jsonReply(status, { error: 'sandbox_fault', error_description: description });
  }
  return { status, headers: { 'content-type': JSON_CONTENT_TYPE }, body: fault.body };
}

/** Doorkeeper-style OAuth error: JSON body plus a matching WWW-Authenticate challenge. */
function oauthError(status: number, error: string, description: string): Reply {
  const challenge = `Bearer realm="Doorkeeper", error="${error}", error_description="${description}"`;
  return jsonReply(
    status,
    { error, error_description: description },
    { 'www-authenticate': challenge, 'cache-control': 'no-store' },
  );
}

function toJson(d: SandboxDelivery): DeliveryJson {
  return {
    id: d.id,
    webhook_id: d.webhookId,
    event_id: d.eventId,
    event_action: d.eventAction,
    state: d.state,
    response: d.response && { code: d.response.code, error: d.response.error },
    created_at: d.createdAt.toISOString(),
    updated_at: d.updatedAt.toISOString(),
  };
}

function compareOldestFirst(a: SandboxDelivery, b: SandboxDelivery): number {
  const byTime = a.createdAt.getTime() - b.createdAt.getTime();
  if (byTime !== 0) return byTime;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function defaultResponse(state: DeliveryState): DeliveryResponse | null {
  if (state === 'completed') return { code: 200, error: null };
  if (state === 'errored' || state === 'retrying') return { code: 500, error: null };
  return null; // pending / in_progress: no attempt has finished yet
}

function settledResponse(outcome: SettleOutcome): DeliveryResponse | null {
  return outcome === 'never' ? null : defaultResponse(outcome);
}

function checkDelay(ms: number, name: string): number {
  if (Number.isNaN(ms) || ms < 0) throw new RangeError(`${name} must be >= 0, got ${ms}`);
  return ms;
}

function pad(n: number): string {
  return String(n).padStart(6, '0');
}
