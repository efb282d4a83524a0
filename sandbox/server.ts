/**
 * HINDSITE API sandbox: a real HTTP server on loopback serving the documented token, list and
 * bulk-retry operations over an in-memory store, with fault injection, for the action's tests,
 * demo and benchmark. `create()` gives the request handler alone, for a test to mount on a server
 * of its own (TLS, say); `start()` also listens.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { BODY_LIMIT_BYTES, jsonReply, readBody, writeReply, type Reply } from './http.js';
import { checkDelay, faultedReply, FaultQueue } from './faults.js';
import { handle, notFound, routeOf, type ApiRequest } from './routes.js';
import { SandboxStore, TOKEN_LIFETIME_SECONDS } from './store.js';
import type {
  Fault,
  RecordedRequest,
  Route,
  SandboxClient,
  SandboxClock,
  SandboxDelivery,
  SandboxOptions,
  SettlePolicy,
} from './types.js';

// setTimeout cannot wait longer than this; longer delays are treated as "stall until close()".
const MAX_TIMER_MS = 2_147_483_647;
const SYSTEM_CLOCK: SandboxClock = { now: () => Date.now() };

export class HindsiteSandbox {
  /** Every request, in arrival order (bodies are filled in once fully read). */
  readonly requests: RecordedRequest[] = [];
  /** Serves one request; a plain listener for `http.createServer` or `https.createServer`. */
  readonly handler = (req: IncomingMessage, res: ServerResponse): void => this.serve(req, res);

  /** Only once listening (start); a created sandbox is served by whoever mounts `handler`. */
  private server: Server | undefined;
  private readonly clock: SandboxClock;
  private readonly store: SandboxStore;
  private readonly faults = new FaultQueue();
  private readonly sockets = new Set<Socket>();
  /** A number per connection, in the order they were accepted (to observe connection reuse). */
  private readonly connectionIds = new WeakMap<Socket, number>();
  private connectionCount = 0;
  /** Pending sleeps, so close() can cancel their timers and let handlers finish. */
  private readonly sleeps = new Map<ReturnType<typeof setTimeout> | symbol, () => void>();
  private latencyMs: number;
  private baseUrl = '';
  private closed = false;
  private closing: Promise<void> | undefined;

  private constructor(options: SandboxOptions) {
    this.clock = options.clock ?? SYSTEM_CLOCK;
    this.store = new SandboxStore({
      clock: this.clock,
      pageSize: options.pageSize,
      settle: options.settle,
    });
    this.latencyMs = checkDelay(options.latencyMs ?? 0, 'latencyMs');
  }

  /** A sandbox that does not listen: mount `handler` on a server of your own. Ignores host/port. */
  static create(options: SandboxOptions = {}): HindsiteSandbox {
    return new HindsiteSandbox(options);
  }

  /** A sandbox listening on `host:port` (default 127.0.0.1, ephemeral port). */
  static async start(options: SandboxOptions = {}): Promise<HindsiteSandbox> {
    const sandbox = HindsiteSandbox.create(options);
    await sandbox.listen(options.host ?? '127.0.0.1', options.port ?? 0);
    return sandbox;
  }

  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:43123`; empty unless started. */
  get url(): string {
    return this.baseUrl;
  }

  /** Current time on the sandbox clock (ms since the epoch), e.g. to seed rows "2 hours ago". */
  now(): number {
    return this.clock.now();
  }

  /** Registers (or replaces) an OAuth client of an organisation. */
  addClient(client: SandboxClient): void {
    this.store.addClient(client);
  }

  /** Mints a valid bearer token for a known client without going through `/oauth/token`. */
  issueToken(clientId: string, expiresInSeconds = TOKEN_LIFETIME_SECONDS): string {
    return this.store.issueToken(clientId, expiresInSeconds);
  }

  /** Invalidates every token issued so far: the next API call with one gets a 401. */
  expireTokens(): void {
    this.store.expireTokens();
  }

  /**
   * Inserts a row. Defaults: id `dlv_000001`..., webhook `wh_default`, a fresh event id, action
   * `form_completed`, state `errored`, a response matching the state, createdAt = now.
   * Seeded `pending` rows never settle unless they carry `redeliveryOf` (see setSettle).
   */
  seedDelivery(d: Partial<SandboxDelivery> & { organisationId: string }): SandboxDelivery {
    return this.store.seedDelivery(d);
  }

  /**
   * The live row (settled first if its settle time has passed). Changing `state`/`response` is
   * fine; changing `id`, `organisationId` or `createdAt` is not (the list index would not see it).
   */
  delivery(id: string): SandboxDelivery | undefined {
    return this.store.delivery(id);
  }

  /** All rows, in insertion order, settled as of now. */
  deliveries(): SandboxDelivery[] {
    return this.store.deliveries();
  }

  /**
   * Sets how redeliveries settle (undefined: they stay `pending`). A pending redelivery whose
   * `createdAt + afterMs <= now()` takes its outcome the first time it is read, and keeps it.
   */
  setSettle(policy: SettlePolicy | undefined): void {
    this.store.setSettle(policy);
  }

  /**
   * Someone redelivers these in HINDSITE's web app (not through the API): a new row per ID of the
   * organisation, as the bulk call makes them; unknown IDs and other organisations' are dropped.
   */
  redeliver(
    organisationId: string,
    ids: readonly string[],
  ): { created: SandboxDelivery[]; dropped: string[] } {
    return this.store.redeliver(organisationId, ids);
  }

  /** Queues a fault on its route; each request takes the first queued fault of its route. */
  inject(fault: Fault): void {
    this.faults.add(fault);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  setLatency(ms: number): void {
    this.latencyMs = checkDelay(ms, 'latencyMs');
  }

  requestsTo(route: Route): RecordedRequest[] {
    return this.requests.filter((r) => r.route === route);
  }

  /**
   * Cancels pending delays and stalls, destroys every connection it has served (keep-alive or
   * stalled), and stops listening if it was started. Requests that arrive later are dropped the
   * same way, as by a server that is gone.
   */
  close(): Promise<void> {
    if (!this.closing) {
      this.closed = true;
      for (const [timer, wake] of this.sleeps) {
        if (typeof timer !== 'symbol') clearTimeout(timer);
        wake();
      }
      this.sleeps.clear();
      const server = this.server;
      this.closing = server
        ? new Promise((resolve) => server.close(() => resolve()))
        : Promise.resolve();
      for (const socket of this.sockets) socket.destroy();
    }
    return this.closing;
  }

  private listen(host: string, port: number): Promise<void> {
    const server = createServer(this.handler);
    server.on('connection', (socket: Socket) => this.track(socket));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        const { address, port: bound } = server.address() as AddressInfo;
        this.baseUrl = `http://${address.includes(':') ? `[${address}]` : address}:${bound}`;
        resolve();
      });
    });
  }

  /**
   * The connection's number, given when it is first seen: when accepted if the sandbox listens,
   * else at its first request. Tracked so that close() can end it.
   */
  private track(socket: Socket): number {
    let id = this.connectionIds.get(socket);
    if (id === undefined) {
      id = ++this.connectionCount;
      this.connectionIds.set(socket, id);
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    }
    return id;
  }

  private serve(req: IncomingMessage, res: ServerResponse): void {
    if (this.closed) {
      req.socket.destroy();
      return;
    }
    this.process(req, res).catch((error: unknown) => {
      // Only reachable if the client vanished mid-body or a test's settle callback threw.
      if (res.headersSent || req.socket.destroyed) {
        req.socket.destroy();
        return;
      }
      const message = error instanceof Error ? error.message : String(error);
      this.write(res, jsonReply(500, { error: 'internal_error', error_description: message }));
    });
  }

  /** record → read body → latency → fault → handler → reply */
  private async process(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
    const route = routeOf(url.pathname);
    const record: RecordedRequest = {
      route,
      method: req.method ?? 'GET',
      path: url.pathname,
      query: firstValues(url.searchParams),
      headers: { ...req.headers },
      body: '',
      at: this.clock.now(),
      connection: this.track(req.socket),
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
      this.write(res, jsonReply(413, { error: 'payload_too_large', error_description: limit }));
      return;
    }
    if (route === 'unknown') {
      this.write(res, notFound(record.method, record.path));
      return;
    }

    const fault = this.faults.take(route, record);
    await this.sleep(this.latencyMs);
    // A client that gave up during the latency never reached the "server": nothing happens.
    if (gone()) return;
    const request: ApiRequest = {
      method: record.method,
      query: url.searchParams,
      headers: req.headers,
      body,
    };
    const handled = fault?.afterHandling ? handle(route, request, this.store) : undefined;
    await this.sleep(fault?.delayMs ?? 0);
    // Without afterHandling, a client that gave up during the stall leaves no side effects.
    if (gone()) return;
    if (fault?.reset) {
      req.socket.resetAndDestroy();
      return;
    }
    const reply = faultedReply(fault, () => handled ?? handle(route, request, this.store));
    this.write(res, reply, fault?.truncate);
  }

  /**
   * Every reply carries the server's time in `Date`, as HTTP servers do, read from the sandbox
   * clock (Node's own would be the machine's): a sandbox whose clock is behind the client's says
   * so. A fault's own `date` header wins.
   */
  private write(res: ServerResponse, reply: Reply, truncate?: boolean): void {
    const date = new Date(this.clock.now()).toUTCString();
    writeReply(res, { ...reply, headers: { date, ...reply.headers } }, truncate);
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
}

/** Query parameters as a plain object; the first occurrence wins, as with URLSearchParams.get. */
function firstValues(params: URLSearchParams): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of params) if (!(key in result)) result[key] = value;
  return result;
}
