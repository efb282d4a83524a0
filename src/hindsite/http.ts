import type {
  ClientRequest,
  IncomingHttpHeaders,
  IncomingMessage,
  OutgoingHttpHeaders,
  RequestOptions,
} from 'node:http';
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { isIP, type Socket } from 'node:net';
import { connect as tlsConnect, TLSSocket } from 'node:tls';
import { getProxyUrl } from '@actions/http-client/lib/proxy';
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
 * a proxy, each attempt opens a tunnel of its own and nothing is pooled.
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
    if (proxyFor(url)) return undefined;
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

/** Something an attempt holds open and ends when it is stopped. */
interface Held {
  on(event: 'error', listener: () => void): unknown;
  destroy(): unknown;
}

/**
 * One attempt's view of its request: whether any byte of it can have left this machine, and what
 * it holds open (its request, a proxy's CONNECT, the tunnel) so that all of it ends when the
 * attempt is stopped. It learns only from events and public fields of objects it made.
 */
class RequestAttempt implements AttemptState {
  established = false;
  stopped?: 'deadline' | 'abandoned';
  private readonly held = new Set<Held>();

  hold<T extends Held>(thing: T): T {
    this.held.add(thing);
    // Made after the attempt was stopped (in the moment between an event and the next step): it
    // must not go on and send anything.
    if (this.stopped) this.release();
    return thing;
  }

  /** Ends whatever the attempt still holds. */
  release(): void {
    for (const thing of this.held) {
      thing.on('error', () => undefined);
      thing.destroy();
    }
    this.held.clear();
  }

  /**
   * Learns from the request's own `socket` event when its bytes can leave this machine. Node hands
   * a request's bytes to its socket only after that event; they go out once the socket is
   * connected: TCP for http, past the TLS handshake for https.
   * - a destroyed socket carries nothing;
   * - a reused pooled socket completed an exchange before: it is connected;
   * - a socket still connecting is a new one: its own `connect` or `secureConnect` says when;
   * - any other socket is already connected: a proxy tunnel, handed over past its handshake. (An
   *   agent makes its new sockets in the tick before this event, so they are still connecting; if
   *   that ever changed, counting them connected errs towards "may have been sent".)
   */
  watch(request: ClientRequest): void {
    request.once('socket', (socket: Socket) => {
      if (socket.destroyed) return;
      if (request.reusedSocket || !socket.connecting) {
        this.established = true;
        return;
      }
      const secure = socket instanceof TLSSocket;
      socket.once(secure ? 'secureConnect' : 'connect', () => (this.established = true));
    });
  }
}

/** `[::1]` as a URL spells it, `::1` as a socket wants it. */
const bare = (host: string): string =>
  host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;

const portOf = (url: URL): number => Number(url.port) || (url.protocol === 'https:' ? 443 : 80);

/**
 * The proxy to go through, by the rules (and the code) of @actions/http-client: HTTPS_PROXY or
 * HTTP_PROXY by the URL's scheme, except for hosts in NO_PROXY and loopback.
 */
function proxyFor(url: URL): URL | undefined {
  const proxy = getProxyUrl(url);
  return proxy?.hostname ? proxy : undefined;
}

/** A tunnel that was not opened, in the words transportError knows (those of the `tunnel` package). */
const tunnelFailure = (detail: string): Error =>
  Object.assign(new Error(`tunneling socket could not be established, ${detail}`), {
    code: 'ECONNRESET',
  });

/**
 * A connection to `target` through `proxy`: a CONNECT request to the proxy (over TLS if the proxy
 * is https), then, for an https target, a TLS handshake with the target through the tunnel. It
 * resolves once the connection is ready for the request, and nothing of the request was written
 * before then; everything it opens is held by the attempt.
 */
function openTunnel(target: URL, proxy: URL, attempt: RequestAttempt): Promise<Socket> {
  const authority = `${target.hostname}:${portOf(target)}`;
  const headers: OutgoingHttpHeaders = { host: authority };
  if (proxy.username || proxy.password) {
    const credentials = Buffer.from(`${proxy.username}:${proxy.password}`).toString('base64');
    headers['proxy-authorization'] = `Basic ${credentials}`;
  }
  const open = proxy.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const connect = attempt.hold(
      open({
        host: bare(proxy.hostname),
        port: portOf(proxy),
        method: 'CONNECT',
        path: authority,
        headers,
        agent: false,
      }),
    );
    connect.once('error', (error) => reject(tunnelFailure(`cause=${error.message}`)));
    connect.once('connect', (reply: IncomingMessage, socket: Socket, head: Buffer) => {
      attempt.hold(socket).on('error', reject);
      if (reply.statusCode !== 200 || head.length > 0) {
        socket.destroy();
        const why = head.length > 0 ? 'the proxy sent data before the tunnel was open' : '';
        reject(tunnelFailure(why || `statusCode=${reply.statusCode}`));
        return;
      }
      if (target.protocol !== 'https:') {
        resolve(socket);
        return;
      }
      // The server's name is checked against its certificate (and sent as SNI, unless it is an
      // IP address); the CAs are Node's, with NODE_EXTRA_CA_CERTS, as for a direct connection.
      const host = bare(target.hostname);
      const secure = attempt.hold(
        tlsConnect({ socket, host, servername: isIP(host) ? undefined : host }),
      );
      secure.once('secureConnect', () => resolve(secure));
      secure.once('error', reject);
    });
    connect.end();
  });
}

/** Where a request goes: through a pooled agent, a tunnel already open, or a connection of its own. */
type Route = { agent?: HttpAgent; tunnel?: Socket };

/** Makes the request (held and watched by the attempt) and resolves with the reply's head. */
function exchange(
  request: HttpRequest,
  route: Route,
  attempt: RequestAttempt,
  socketTimeoutMs: number,
): Promise<IncomingMessage> {
  const { url } = request;
  const headers: OutgoingHttpHeaders = { 'user-agent': USER_AGENT };
  for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value;
  if (request.body !== undefined) headers['content-length'] = Buffer.byteLength(request.body);
  const options: RequestOptions = {
    method: request.method,
    host: bare(url.hostname),
    port: portOf(url),
    path: url.pathname + url.search,
    headers,
    // A new pooled socket would otherwise start with the agent's idle limit as its timeout, and
    // a slow DNS lookup or connect would be cut at 500 ms.
    timeout: socketTimeoutMs,
  };
  const { tunnel } = route;
  const made = tunnel
    ? httpRequest({
        ...options,
        defaultPort: url.protocol === 'https:' ? 443 : 80,
        createConnection: () => tunnel,
      })
    : (url.protocol === 'https:' ? httpsRequest : httpRequest)({
        ...options,
        // Without a pool, a connection of its own, closed after the reply.
        agent: route.agent ?? false,
      });
  attempt.watch(attempt.hold(made));
  return new Promise((resolve, reject) => {
    made.once('response', resolve);
    made.on('error', reject);
    // A backstop only: the deadline ends the attempt first.
    made.setTimeout(socketTimeoutMs, () =>
      made.destroy(
        Object.assign(new Error(`Request timeout: ${url.pathname}`), { code: 'ETIMEDOUT' }),
      ),
    );
    made.end(request.body);
  });
}

/**
 * One HTTP attempt, through the runner's proxy if it has one (by @actions/http-client's rules),
 * with a real deadline: a socket timeout only fires on an idle socket, and not at all while a
 * proxy's CONNECT goes unanswered. At the deadline (or when the caller abandons it) the attempt
 * settles at once, whatever the request is doing, and ends what it holds. No redirects: they would
 * carry the client secret or the token to wherever the server points.
 */
export async function send(
  request: HttpRequest,
  clock: Pick<Clock, 'deadline'>,
  pool?: Pick<ConnectionPool, 'agentFor'>,
): Promise<HttpReply> {
  const proxy = proxyFor(request.url);
  const context = { request, proxy: proxy && `${proxy.protocol}//${proxy.host}` };
  const attempt = new RequestAttempt();
  if (request.signal?.aborted) {
    throw transportError(undefined, { established: false, stopped: 'abandoned' }, context);
  }
  let settle: (error: TransportError) => void = () => undefined;
  const stopped = new Promise<never>((_, reject) => (settle = reject));
  const stop = (why: 'deadline' | 'abandoned'): void => {
    if (attempt.stopped) return;
    attempt.stopped = why;
    settle(transportError(undefined, attempt, context));
    attempt.release();
  };
  const cancelDeadline = clock.deadline(request.timeoutMs, () => stop('deadline'));
  const abandon = (): void => stop('abandoned');
  request.signal?.addEventListener('abort', abandon, { once: true });
  const socketTimeoutMs = request.timeoutMs + 1000;
  const attemptIt = async (): Promise<HttpReply> => {
    const route: Route = proxy
      ? { tunnel: await openTunnel(request.url, proxy, attempt) }
      : { agent: pool?.agentFor(request.url) };
    const message = await exchange(request, route, attempt, socketTimeoutMs);
    const body = await readBody(message, request.maxBodyBytes ?? MAX_BODY_BYTES);
    return {
      status: message.statusCode ?? 0,
      statusText: message.statusMessage ?? '',
      headers: message.headers,
      body,
    };
  };
  try {
    return await Promise.race([
      attemptIt().catch((error: unknown) => {
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
