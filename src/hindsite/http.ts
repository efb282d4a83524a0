import type {
  ClientRequest,
  IncomingHttpHeaders,
  IncomingMessage,
  RequestOptions,
} from 'node:http';
import { Agent as HttpAgent } from 'node:http';
import type { Socket } from 'node:net';
import { Agent as HttpsAgent } from 'node:https';
import { TLSSocket } from 'node:tls';
import { HttpClient } from '@actions/http-client';
import { getProxyUrl } from '@actions/http-client/lib/proxy';
import type { RequestHandler } from '@actions/http-client/lib/interfaces';
import type { Clock } from '../model/clock.js';

export interface HttpRequest {
  method: 'GET' | 'POST';
  url: URL;
  headers: Record<string, string>;
  body?: string;
  /** Deadline for the whole attempt, from connecting (through a proxy, if any) to the last byte of the body. */
  timeoutMs: number;
  /** Aborts the attempt when the caller no longer needs it. */
  signal?: AbortSignal;
  /** The largest reply read (default MAX_BODY_BYTES): a larger one is a lost connection. */
  maxBodyBytes?: number;
}

export interface HttpReply {
  status: number;
  statusText: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * Why no reply came back, in the terms that decide whether a non-idempotent call may be repeated.
 * What counts is whether the connection to the server was established (TCP for http, the TLS
 * handshake for https, through the proxy's tunnel if there is one; a reused pooled connection is
 * established): before that, no byte of the request can have left this machine.
 * - `not-connected`: no byte of the request was written: refused, DNS, a proxy's CONNECT that failed
 *   or never answered, a connection that did not complete before the deadline, or a call abandoned
 *   before it connected;
 * - `tls-handshake`: the secure connection was never established because of the certificate or
 *   the handshake: nothing was written, and trying again will not help;
 * - `timeout`: the deadline passed after the request may have been written: the server may or may
 *   not have acted;
 * - `connection-lost`: the connection broke after it was established (a TLS error after the
 *   handshake included), or the call was abandoned after that: the server may have acted.
 */
export type TransportFailure = 'not-connected' | 'tls-handshake' | 'timeout' | 'connection-lost';

export class TransportError extends Error {
  constructor(
    readonly failure: TransportFailure,
    message: string,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

/** How far one attempt got, and why it was stopped if it was: all a failure's meaning rests on. */
export interface AttemptState {
  /** The connection to the server was established: from then on the request may have been written. */
  established: boolean;
  /** The attempt's deadline passed, or its caller abandoned it. */
  stopped?: 'deadline' | 'abandoned';
}

/**
 * The most of a reply the action reads. The largest documented reply (a bulk call of 1,000 IDs) is
 * about 0.5 MB; parsing this much takes about 0.2 s and 80 MB, and that work runs after the
 * deadline has stopped counting, so the bound is what keeps it small.
 */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;
const USER_AGENT = 'hindsite-redeliver-action';

/**
 * Connections reused from one call to the next, for as long as calls keep coming. A POST sent on a
 * pooled connection that the server closes at that very moment fails like a lost reply, which for
 * the bulk call means "outcome unknown". Servers close idle connections after seconds (and say so
 * with `Connection: close` or a `Keep-Alive: timeout` hint, which Node honours); a connection idle
 * for more than KEEP_ALIVE_IDLE_MS is closed by us first, so a reused one is always fresh. Through
 * a proxy, @actions/http-client's own agent is used and nothing is pooled.
 */
const KEEP_ALIVE_IDLE_MS = 500;
const POOLED = { keepAlive: true, timeout: KEEP_ALIVE_IDLE_MS };

export class ConnectionPool {
  constructor(private readonly clock: Clock) {}

  private readonly agents = {
    http: this.fresh(new HttpAgent(POOLED)),
    https: this.fresh(new HttpsAgent(POOLED)),
  } as Record<'http' | 'https', HttpAgent>;
  private readonly retired: HttpAgent[] = [];
  private readonly freedAt = new WeakMap<Socket, number>();

  agentFor(url: URL): HttpAgent | undefined {
    if (getProxyUrl(url)) return undefined;
    const kind = url.protocol === 'https:' ? 'https' : 'http';
    // The idle timer cannot fire while the event loop is busy; check at the moment of reuse too.
    // A stale connection's agent is retired (its in-flight requests finish) for a fresh one.
    if (this.holdsStale(this.agents[kind])) {
      this.retired.push(this.agents[kind]);
      this.agents[kind] = this.fresh(
        kind === 'https' ? new HttpsAgent(POOLED) : new HttpAgent(POOLED),
      );
    }
    return this.agents[kind];
  }

  /** Closes every pooled connection (they never hold the process open, but end them now). */
  close(): void {
    for (const agent of [...this.retired, this.agents.http, this.agents.https]) agent.destroy();
  }

  private fresh<A extends HttpAgent>(agent: A): A {
    agent.on('free', (socket: Socket) => this.freedAt.set(socket, this.clock.now()));
    return agent;
  }

  private holdsStale(agent: HttpAgent): boolean {
    const now = this.clock.now();
    return Object.values(agent.freeSockets).some((sockets) =>
      (sockets ?? []).some(
        (socket) => now - (this.freedAt.get(socket) ?? now) >= KEEP_ALIVE_IDLE_MS,
      ),
    );
  }
}

/** An agent as http.request uses one (Node's typings leave `addRequest` out). */
interface RequestAgent {
  addRequest(request: ClientRequest, ...rest: unknown[]): void;
}

/**
 * The proxy agent of @actions/http-client (the `tunnel` package): it opens the tunnel with a
 * CONNECT request made by its own `request` function, out of reach of the request it serves.
 */
interface TunnelAgent extends RequestAgent {
  proxyOptions: object;
  request: (...args: unknown[]) => ClientRequest;
}

const isTunnel = (agent: RequestAgent): agent is TunnelAgent =>
  typeof (agent as Partial<TunnelAgent>).request === 'function' &&
  typeof (agent as Partial<TunnelAgent>).proxyOptions === 'object';

/**
 * One attempt's view of its request: whether the connection was established, and the requests it
 * holds (its own and a proxy's CONNECT) so that they can be ended when the attempt is stopped.
 */
class Attempt implements AttemptState {
  established = false;
  stopped?: 'deadline' | 'abandoned';
  private readonly held = new Set<ClientRequest>();

  /**
   * A stand-in for `agent`, for this attempt only, that shows the attempt its request. The real
   * agent does the work, as itself: its pools and counters are untouched.
   */
  observe(agent: RequestAgent): RequestAgent {
    const observed = Object.create(agent) as RequestAgent;
    observed.addRequest = (request, ...rest) => {
      this.watch(request);
      agent.addRequest(request, ...rest);
    };
    // http-client makes a new proxy agent for every request it sends (no keep-alive through a
    // proxy), so this one serves only this attempt.
    if (isTunnel(agent)) {
      const connect = agent.request;
      agent.request = (...args) => {
        const tunnel = connect(...args);
        this.held.add(tunnel);
        tunnel.once('connect', () => this.held.delete(tunnel));
        tunnel.once('close', () => this.held.delete(tunnel));
        return tunnel;
      };
    }
    return observed;
  }

  /**
   * Lets go of the requests once the attempt is over. A pooled socket's listeners keep the options
   * of the request that opened it (this attempt's observer included) for as long as it lives;
   * they must not keep that request and its reply too.
   */
  forget(): void {
    this.held.clear();
  }

  /** Ends whatever the attempt still holds: its request, and a tunnel still being opened. */
  release(): void {
    for (const request of this.held) {
      request.on('error', () => undefined);
      request.destroy();
    }
    this.held.clear();
  }

  private watch(request: ClientRequest): void {
    this.held.add(request);
    request.once('socket', (socket: Socket) => {
      if (request.reusedSocket || isOpen(socket)) {
        this.established = true;
        return;
      }
      const secure = socket instanceof TLSSocket;
      socket.once(secure ? 'secureConnect' : 'connect', () => (this.established = true));
    });
  }
}

/** A socket handed over already connected (and, for TLS, past its handshake). */
function isOpen(socket: Socket): boolean {
  if (socket.destroyed || socket.connecting) return false;
  // `getProtocol()` answers before the handshake is done; Node's own flag is the reliable one.
  return !(socket instanceof TLSSocket) || Reflect.get(socket, '_secureEstablished') === true;
}

/** Puts the attempt's abort signal, agent and observer on the request about to be made. */
class AttemptHandler implements RequestHandler {
  constructor(
    private readonly attempt: Attempt,
    private readonly signal: AbortSignal,
    private readonly pooled: HttpAgent | undefined,
    private readonly socketTimeoutMs: number,
    private readonly proxied: boolean,
  ) {}
  prepareRequest(options: RequestOptions): void {
    options.signal = this.signal;
    if (this.pooled) {
      options.agent = this.pooled;
      // A new pooled socket would otherwise start with the agent's idle limit as its timeout,
      // and a slow DNS lookup or connect would be cut at 500 ms.
      options.timeout = this.socketTimeoutMs;
    }
    // http-client always puts an agent here: ours, its own, or its proxy tunnel.
    if (options.agent) {
      const agent = options.agent as unknown as RequestAgent;
      options.agent = this.attempt.observe(agent) as unknown as HttpAgent;
    }
    // `http://[::1]:8080` reaches here as host "[::1]", which no resolver knows. Through a proxy
    // the brackets stay: the CONNECT line and the Host header need them.
    if (!this.proxied) {
      for (const key of ['host', 'hostname'] as const) {
        const host = options[key];
        if (host?.startsWith('[') && host.endsWith(']')) options[key] = host.slice(1, -1);
      }
    }
  }
  canHandleAuthentication(): boolean {
    return false;
  }
  handleAuthentication(): never {
    throw new Error('not used');
  }
}

/**
 * One HTTP attempt through @actions/http-client (which honours the runner's proxy settings), with a
 * real deadline: the client's own timeout only fires on an idle socket, and not at all while a
 * proxy's CONNECT goes unanswered. At the deadline (or when the caller abandons it) the attempt
 * settles at once, whatever the request is doing, and ends what it holds. No redirects: they would
 * carry the client secret or the token to wherever the server points.
 */
export async function send(
  request: HttpRequest,
  clock: Pick<Clock, 'deadline'>,
  pool?: Pick<ConnectionPool, 'agentFor'>,
): Promise<HttpReply> {
  const proxy = getProxyUrl(request.url);
  const context = { request, proxy: proxy && `${proxy.protocol}//${proxy.host}` };
  const attempt = new Attempt();
  if (request.signal?.aborted) {
    throw transportError(undefined, { established: false, stopped: 'abandoned' }, context);
  }
  const controller = new AbortController();
  let settle: (error: TransportError) => void = () => undefined;
  const stopped = new Promise<never>((_, reject) => (settle = reject));
  const stop = (why: 'deadline' | 'abandoned'): void => {
    if (attempt.stopped) return;
    attempt.stopped = why;
    settle(transportError(undefined, attempt, context));
    controller.abort();
    attempt.release();
  };
  const cancelDeadline = clock.deadline(request.timeoutMs, () => stop('deadline'));
  const abandon = (): void => stop('abandoned');
  request.signal?.addEventListener('abort', abandon, { once: true });
  const socketTimeoutMs = request.timeoutMs + 1000;
  const handler = new AttemptHandler(
    attempt,
    controller.signal,
    pool?.agentFor(request.url),
    socketTimeoutMs,
    proxy !== undefined,
  );
  const client = new HttpClient(USER_AGENT, [handler], {
    allowRedirects: false,
    allowRetries: false,
    keepAlive: false,
    socketTimeout: socketTimeoutMs,
  });
  const exchange = async (): Promise<HttpReply> => {
    const response = await client.request(
      request.method,
      request.url.href,
      request.body ?? null,
      request.headers,
    );
    const body = await readBody(response.message, request.maxBodyBytes ?? MAX_BODY_BYTES);
    return {
      status: response.message.statusCode ?? 0,
      statusText: response.message.statusMessage ?? '',
      headers: response.message.headers,
      body,
    };
  };
  try {
    return await Promise.race([
      exchange().catch((error: unknown) => {
        throw transportError(error, attempt, context);
      }),
      stopped,
    ]);
  } catch (error) {
    attempt.release();
    throw error;
  } finally {
    cancelDeadline();
    request.signal?.removeEventListener('abort', abandon);
    client.dispose();
    attempt.forget();
  }
}

/** What a failed attempt means, from how far it got (see TransportFailure). */
export function transportError(
  error: unknown,
  state: AttemptState,
  { request, proxy }: { request: Omit<HttpRequest, 'headers'>; proxy?: string },
): TransportError {
  const where = `${request.method} ${request.url.pathname}`;
  const through = proxy ? ` through the proxy ${proxy}` : '';
  const seconds = `${request.timeoutMs / 1000} s`;
  if (state.stopped === 'deadline') {
    return state.established
      ? new TransportError('timeout', `${where} did not complete within ${seconds}`)
      : new TransportError(
          'not-connected',
          `${where} could not connect${through} within ${seconds}`,
        );
  }
  if (state.stopped === 'abandoned') {
    return state.established
      ? new TransportError('connection-lost', `${where} was abandoned after it was sent`)
      : new TransportError('not-connected', `${where} was abandoned before it was sent`);
  }
  const { code = '', message = String(error) } = (error ?? {}) as NodeJS.ErrnoException;
  if (state.established) {
    if (code === 'EBODYTOOLARGE') {
      return new TransportError(
        'connection-lost',
        `${where} got a reply larger than ${(request.maxBodyBytes ?? MAX_BODY_BYTES) / 1024 / 1024} MiB, more than the action reads`,
      );
    }
    return new TransportError(
      'connection-lost',
      `${where} lost its connection (${code || message})`,
    );
  }
  if (code.startsWith('ERR_TLS_') || code.startsWith('ERR_SSL_') || /CERT|SIGNATURE/.test(code)) {
    return new TransportError(
      'tls-handshake',
      `${where} could not connect securely${through}: the TLS handshake failed (${code})`,
    );
  }
  // The proxy's refusal ("…statusCode=407") says more than the code it comes with.
  const detail = message.startsWith('tunneling socket') ? message : code || message;
  return new TransportError('not-connected', `${where} could not connect${through} (${detail})`);
}

/** Reads the whole body; fails (rather than hanging) when the connection breaks before its end. */
function readBody(message: IncomingMessage, maxBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (error?: Error): void => {
      if (settled) return;
      settled = true;
      if (error) {
        message.destroy();
        reject(error);
      } else {
        resolve(Buffer.concat(chunks).toString('utf8'));
      }
    };
    message.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        finish(Object.assign(new Error('response body too large'), { code: 'EBODYTOOLARGE' }));
        return;
      }
      chunks.push(chunk);
    });
    message.on('end', () => {
      // `end` after `aborted` means the body was cut short (e.g. Content-Length not reached).
      if (message.complete) finish();
      else finish(Object.assign(new Error('response body ended early'), { code: 'ECONNRESET' }));
    });
    message.on('error', (error) => finish(error));
    message.on('close', () => {
      if (!message.complete)
        finish(Object.assign(new Error('connection closed mid-body'), { code: 'ECONNRESET' }));
    });
  });
}
