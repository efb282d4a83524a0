import type { IncomingHttpHeaders, IncomingMessage, RequestOptions } from 'node:http';
import { Agent as HttpAgent } from 'node:http';
import type { Socket } from 'node:net';
import { Agent as HttpsAgent } from 'node:https';
import { HttpClient } from '@actions/http-client';
import { getProxyUrl } from '@actions/http-client/lib/proxy';
import type { RequestHandler } from '@actions/http-client/lib/interfaces';
import type { Clock } from './clock.js';

export interface HttpRequest {
  method: 'GET' | 'POST';
  url: URL;
  headers: Record<string, string>;
  body?: string;
  /** Deadline for the whole attempt, from connecting to the last byte of the body. */
  timeoutMs: number;
  /** Aborts the attempt when the caller no longer needs it. */
  signal?: AbortSignal;
}

export interface HttpReply {
  status: number;
  statusText: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * Why no reply came back, in the terms that decide whether a non-idempotent call may be repeated:
 * - `not-connected`: the connection was never made (refused, DNS), so nothing was sent;
 * - `tls-handshake`: the TLS handshake failed (untrusted or wrong certificate): nothing was sent,
 *   and trying again will not help;
 * - `timeout`: the deadline passed; the server may or may not have acted;
 * - `connection-lost`: the connection broke after it was made; the server may have acted.
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

const NOT_CONNECTED_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);
const MAX_BODY_BYTES = 64 * 1024 * 1024;
const USER_AGENT = 'hindsite-redeliver-action';

/**
 * Connections reused from one call to the next, for as long as calls keep coming. A POST sent on a
 * pooled connection that the server closes at that very moment fails like a lost reply, which for
 * the bulk call means "outcome unknown". Servers close idle connections after seconds (and say so
 * with `Connection: close` or a `Keep-Alive: timeout` hint, which Node honours); a connection idle
 * for more than KEEP_ALIVE_IDLE_MS is closed by us first, so a reused one is always fresh. Through
 * a proxy, @actions/http-client's own agent is used and nothing is pooled.
 */
export const KEEP_ALIVE_IDLE_MS = 500;
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

/** Puts the attempt's abort signal, and the pooled agent, on the request about to be made. */
class AttemptHandler implements RequestHandler {
  constructor(
    private readonly signal: AbortSignal,
    private readonly agent: HttpAgent | undefined,
    private readonly socketTimeoutMs: number,
  ) {}
  prepareRequest(options: RequestOptions): void {
    options.signal = this.signal;
    if (this.agent) {
      options.agent = this.agent;
      // A new pooled socket would otherwise start with the agent's idle limit as its timeout,
      // and a slow DNS lookup or connect would be cut at 500 ms.
      options.timeout = this.socketTimeoutMs;
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
 * real deadline: the client's own timeout only fires on an idle socket. No redirects: they would
 * carry the client secret or the token to wherever the server points.
 */
export async function send(
  request: HttpRequest,
  clock: Pick<Clock, 'deadline'>,
  pool?: ConnectionPool,
): Promise<HttpReply> {
  const controller = new AbortController();
  const cancelDeadline = clock.deadline(request.timeoutMs, () => controller.abort());
  const abandon = (): void => controller.abort();
  if (request.signal?.aborted) controller.abort();
  else request.signal?.addEventListener('abort', abandon, { once: true });
  const agent = pool?.agentFor(request.url);
  const client = new HttpClient(
    USER_AGENT,
    [new AttemptHandler(controller.signal, agent, request.timeoutMs + 1000)],
    {
      allowRedirects: false,
      allowRetries: false,
      keepAlive: false,
      socketTimeout: request.timeoutMs + 1000,
    },
  );
  try {
    const response = await client
      .request(request.method, request.url.href, request.body ?? null, request.headers)
      .catch((error: unknown) => {
        throw transportError(error, controller.signal.aborted, request);
      });
    const body = await readBody(response.message, controller.signal).catch((error: unknown) => {
      throw transportError(error, controller.signal.aborted, request);
    });
    return {
      status: response.message.statusCode ?? 0,
      statusText: response.message.statusMessage ?? '',
      headers: response.message.headers,
      body,
    };
  } finally {
    cancelDeadline();
    request.signal?.removeEventListener('abort', abandon);
    client.dispose();
  }
}

function transportError(error: unknown, timedOut: boolean, request: HttpRequest): TransportError {
  const where = `${request.method} ${request.url.pathname}`;
  if (timedOut) {
    return new TransportError(
      'timeout',
      `${where} did not complete within ${request.timeoutMs / 1000} s`,
    );
  }
  const code = (error as NodeJS.ErrnoException).code ?? '';
  const detail = code || (error as Error).message || String(error);
  if (code.startsWith('ERR_TLS_') || code.startsWith('ERR_SSL_') || /CERT|SIGNATURE/.test(code)) {
    return new TransportError(
      'tls-handshake',
      `${where} could not connect securely: the TLS handshake failed (${detail})`,
    );
  }
  if (NOT_CONNECTED_CODES.has(code)) {
    return new TransportError('not-connected', `${where} could not connect (${detail})`);
  }
  return new TransportError('connection-lost', `${where} lost its connection (${detail})`);
}

/** Reads the whole body; fails (rather than hanging) when the connection breaks before its end. */
function readBody(message: IncomingMessage, signal: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (error?: Error): void => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      if (error) {
        message.destroy();
        reject(error);
      } else {
        resolve(Buffer.concat(chunks).toString('utf8'));
      }
    };
    const onAbort = (): void => finish(Object.assign(new Error('aborted'), { code: 'ABORT_ERR' }));
    signal.addEventListener('abort', onAbort);
    message.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
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
