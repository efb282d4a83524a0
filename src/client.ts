import { ApiError, type CallOutcome } from './errors.js';
import { ConnectionPool, send, TransportError, type HttpReply, type HttpRequest } from './http.js';
import type { Credentials, DeliveryState } from './inputs.js';
import type { Redactor } from './redact.js';
import { parseRetryAfter, withRetries, type Attempt, type RetryContext } from './retry.js';

/** A webhook delivery as the API returns it (only `id` is relied upon to be present). */
export interface Delivery {
  id: string;
  webhookId?: string;
  eventId?: string;
  eventAction?: string;
  state?: string;
  response: { code: number | null; error: string | null } | null;
  createdAt?: string;
}

export interface BulkResult {
  created: Delivery[];
  droppedIds: string[];
}

export interface ListFilters {
  since?: Date;
  webhookId?: string;
  state?: DeliveryState;
}

/** What the client needs; it is also the retry context of every call. */
export interface ClientOptions extends RetryContext {
  apiUrl: URL;
  credentials: Credentials;
  timeoutMs: number;
  redactor: Redactor;
  /** Called with a new access token before anything else sees it (to mask it). */
  onToken: (token: string) => void;
}

/** Renew a token this long before the server says it expires. */
const TOKEN_EXPIRY_MARGIN_MS = 60_000;

interface IssuedToken {
  value: string;
  expiresAtMs: number;
}

/**
 * The only module that talks HTTP to HINDSITE. Each call has its own retry policy, because the bulk
 * endpoint creates new deliveries on every call and documents no idempotency key: it is repeated
 * only when the server certainly did not act.
 */
export class HindsiteClient {
  private token?: IssuedToken;
  private exchange?: Promise<IssuedToken>;

  private readonly connections = new ConnectionPool();

  constructor(private readonly options: ClientOptions) {}

  /** Ends the pooled connections; the client is not used after this. */
  close(): void {
    this.connections.close();
  }

  /** Obtains a token now, so that bad credentials fail before any other work. */
  async authenticate(): Promise<void> {
    await this.bearer();
  }

  /** One page of deliveries; `signal` abandons it (and its retries) when no longer needed. */
  async listDeliveries(
    filters: ListFilters,
    page: number,
    signal?: AbortSignal,
  ): Promise<Delivery[]> {
    const url = this.endpoint('/api/v2/webhook_deliveries');
    if (filters.webhookId) url.searchParams.set('webhook_id', filters.webhookId);
    if (filters.state) url.searchParams.set('state', filters.state);
    // Whole seconds as plain ISO 8601 (no .000): the form every date-time parser accepts.
    if (filters.since)
      url.searchParams.set('since', filters.since.toISOString().replace('.000Z', 'Z'));
    url.searchParams.set('page', String(page));
    return this.callApi(
      `List deliveries (page ${page})`,
      'list',
      (token) => ({
        method: 'GET',
        url,
        headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
        timeoutMs: this.options.timeoutMs,
        signal,
      }),
      parseListReply,
      signal,
    );
  }

  async redeliver(deliveryIds: string[], label: string): Promise<BulkResult> {
    const url = this.endpoint('/api/v2/webhook_deliveries/redeliveries');
    const body = JSON.stringify({ delivery_ids: deliveryIds });
    return this.callApi(
      `Bulk redelivery (${label})`,
      'bulk',
      (token) => ({
        method: 'POST',
        url,
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          'content-type': 'application/json',
        },
        body,
        timeoutMs: this.options.timeoutMs,
      }),
      parseBulkReply,
    );
  }

  private endpoint(path: string): URL {
    return new URL(this.options.apiUrl.href.replace(/\/+$/, '') + path);
  }

  private async bearer(): Promise<string> {
    const { credentials } = this.options;
    if (credentials.kind === 'access-token') return credentials.accessToken;
    if (this.token && this.options.now() < this.token.expiresAtMs) return this.token.value;
    // One exchange at a time: concurrent batches that all find the token expired share it.
    this.exchange ??= this.exchangeCredentials(credentials).finally(() => {
      this.exchange = undefined;
    });
    this.token = await this.exchange;
    return this.token.value;
  }

  /** Drops the token a call was refused with, unless another call already replaced it. */
  private forget(token: string): void {
    if (this.token?.value === token) this.token = undefined;
  }

  private exchangeCredentials(credentials: {
    clientId: string;
    clientSecret: string;
  }): Promise<IssuedToken> {
    const request: HttpRequest = {
      method: 'POST',
      url: this.endpoint('/oauth/token'),
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: credentials.clientId,
        client_secret: credentials.clientSecret,
      }).toString(),
      timeoutMs: this.options.timeoutMs,
    };
    const what = 'Token exchange';
    return withRetries(what, this.options, async (): Promise<Attempt<IssuedToken>> => {
      let reply: HttpReply;
      try {
        reply = await send(request, this.connections);
      } catch (error) {
        return this.transportAttempt(what, 'token', error);
      }
      if (reply.status >= 200 && reply.status < 300) {
        const token = this.parseToken(reply);
        if (token) return { done: token };
        // Only the field names: whatever the reply holds instead may itself be a credential.
        const body = parseJson(reply.body);
        const fields = isObject(body)
          ? Object.keys(body).slice(0, 10).join(', ')
          : 'not a JSON object';
        const error = new ApiError(
          `${what} failed: HTTP ${reply.status} but the reply has no access_token (fields: ${fields || 'none'}).`,
          'rejected',
          reply.status,
        );
        return { reason: `HTTP ${reply.status} without an access_token`, error: () => error };
      }
      const error = (attempts: number): ApiError =>
        new ApiError(
          `${what} failed: ${this.describe(reply)}${attempts > 1 ? ` after ${attempts} attempts` : ''}. ${tokenAdvice(reply.status)}`,
          'rejected',
          reply.status,
        );
      if (reply.status === 429 || reply.status >= 500) {
        return { reason: `HTTP ${reply.status}`, error, retryAfterMs: this.retryAfter(reply) };
      }
      throw error(1);
    });
  }

  private parseToken(reply: HttpReply): IssuedToken | undefined {
    const body = parseJson(reply.body);
    const token = isObject(body) ? body['access_token'] : undefined;
    if (typeof token !== 'string' || token.length === 0) return undefined;
    // Masked before it is stored or can reach any message.
    this.options.redactor.add(token);
    this.options.onToken(token);
    const record = body as Record<string, unknown>;
    const expiresIn = typeof record['expires_in'] === 'number' ? record['expires_in'] : 7200;
    const createdAt =
      typeof record['created_at'] === 'number' ? record['created_at'] * 1000 : this.options.now();
    // Trust the server's issue time only if our clock agrees roughly; else count from now.
    const issuedAt =
      Math.abs(createdAt - this.options.now()) < 5 * 60_000 ? createdAt : this.options.now();
    // A short-lived token is renewed at half its life, not a minute early (which could be never).
    const margin = Math.min(TOKEN_EXPIRY_MARGIN_MS, (expiresIn * 1000) / 2);
    return { value: token, expiresAtMs: issuedAt + expiresIn * 1000 - margin };
  }

  private async callApi<T>(
    what: string,
    kind: 'list' | 'bulk',
    build: (token: string) => HttpRequest,
    parse: (body: unknown) => T | undefined,
    signal?: AbortSignal,
  ): Promise<T> {
    return withRetries(
      what,
      this.options,
      async (): Promise<Attempt<T>> => {
        let reply: HttpReply;
        try {
          reply = await this.sendWithRenewal(what, build);
        } catch (error) {
          if (error instanceof ApiError) throw error;
          return this.transportAttempt(what, kind, error);
        }
        if (reply.status >= 200 && reply.status < 300) {
          const parsed = parse(parseJson(reply.body));
          if (parsed !== undefined) return { done: parsed };
          const error = new ApiError(
            `${what} failed: HTTP ${reply.status} with a body that is not the documented JSON (${this.excerpt(reply)}).${kind === 'bulk' ? ' The server may have created redeliveries for this batch.' : ''}`,
            kind === 'bulk' ? 'unknown' : 'rejected',
            reply.status,
          );
          if (kind === 'bulk') throw error;
          return { reason: `HTTP ${reply.status} with an unreadable body`, error: () => error };
        }
        return this.failedReply(what, kind, reply);
      },
      signal,
    );
  }

  /** Sends once; on a 401 with a token we obtained ourselves, exchanges again and sends once more. */
  private async sendWithRenewal(
    what: string,
    build: (token: string) => HttpRequest,
  ): Promise<HttpReply> {
    let token: string;
    try {
      token = await this.bearer();
    } catch (error) {
      // The call itself never left: whatever it carried is safe to send again.
      if (error instanceof ApiError) throw new ApiError(error.message, 'not-sent', error.status);
      throw error;
    }
    const reply = await send(build(token), this.connections);
    if (reply.status !== 401) return reply;
    if (this.options.credentials.kind === 'access-token') {
      throw new ApiError(
        `${what} failed: ${this.describe(reply)}. The access-token was refused (expired or revoked) and there is nothing to renew it with: pass a fresh access-token, or client-id and client-secret so the action can obtain tokens itself.`,
        'rejected',
        401,
      );
    }
    this.options.log.info(
      `${what}: HTTP 401, the token was refused; obtaining a new one and repeating the call once.`,
    );
    this.forget(token);
    const renewed = await send(build(await this.bearer()), this.connections);
    if (renewed.status === 401) {
      throw new ApiError(
        `${what} failed: ${this.describe(renewed)}, even with a newly issued token. Check that the client is allowed to use the API.`,
        'rejected',
        401,
      );
    }
    return renewed;
  }

  private failedReply<T>(what: string, kind: 'list' | 'bulk', reply: HttpReply): Attempt<T> {
    const status = reply.status;
    if (status === 403) {
      throw new ApiError(
        `${what} failed: ${this.describe(reply)}. The credentials are not an admin of the HINDSITE organisation: use the client credentials of an organisation admin (HINDSITE support issues them).`,
        'rejected',
        status,
      );
    }
    // 429 and 503 say the server did not act, so even the bulk call may be repeated.
    if (status === 429 || status === 503) {
      const error = (attempts: number): ApiError =>
        new ApiError(
          `${what} failed: ${this.describe(reply)} after ${attempts} attempt(s). HINDSITE is limiting or unavailable; nothing was redelivered by this call. Try again later.`,
          'rejected',
          status,
        );
      return { reason: `HTTP ${status}`, error, retryAfterMs: this.retryAfter(reply) };
    }
    if (status >= 500) {
      if (kind === 'bulk') {
        throw new ApiError(
          `${what} failed: ${this.describe(reply)}. The outcome is unknown: HINDSITE may have created redeliveries for this batch, so it is not sent again.`,
          'unknown',
          status,
        );
      }
      const error = (attempts: number): ApiError =>
        new ApiError(
          `${what} failed: ${this.describe(reply)} after ${attempts} attempt(s). HINDSITE may be unavailable; try again later.`,
          'rejected',
          status,
        );
      return { reason: `HTTP ${status}`, error, retryAfterMs: this.retryAfter(reply) };
    }
    throw new ApiError(
      `${what} failed: ${this.describe(reply)}. The request was refused and not retried.`,
      'rejected',
      status,
    );
  }

  private transportAttempt<T>(
    what: string,
    kind: 'token' | 'list' | 'bulk',
    error: unknown,
  ): Attempt<T> {
    if (!(error instanceof TransportError)) throw error;
    const message = this.options.redactor.redact(error.message);
    if (error.failure === 'insecure') throw new ApiError(`${what} failed: ${message}.`, 'not-sent');
    if (kind === 'bulk' && error.failure !== 'not-connected') {
      throw new ApiError(
        `${what} failed: ${message}. The outcome is unknown: HINDSITE may have created redeliveries for this batch, so it is not sent again.`,
        'unknown',
      );
    }
    const outcome: CallOutcome = error.failure === 'not-connected' ? 'not-sent' : 'rejected';
    return {
      reason: message,
      error: (attempts) =>
        new ApiError(
          `${what} failed: ${message} after ${attempts} attempt(s). Check api-url and that HINDSITE is reachable from the runner.`,
          outcome,
        ),
    };
  }

  private retryAfter(reply: HttpReply): number | undefined {
    return parseRetryAfter(reply.headers['retry-after'], this.options.now());
  }

  /** "HTTP 422 Unprocessable Entity: <the server's error text>", without secrets. */
  private describe(reply: HttpReply): string {
    const status = `HTTP ${reply.status}${reply.statusText ? ` ${reply.statusText}` : ''}`;
    const text = this.excerpt(reply);
    return text ? `${status}: ${text}` : status;
  }

  private excerpt(reply: HttpReply): string {
    // Redacted before it is shortened or reshaped, so that no part of a secret survives a cut.
    const { redactor } = this.options;
    return redactor.redact(serverText(redactor.redact(reply.body)));
  }
}

const EXCERPT_CHARS = 200;

/** What to do about a refused token exchange, by status. */
function tokenAdvice(status: number): string {
  if (status === 400 || status === 401) {
    return 'Check client-id and client-secret (HINDSITE support issues them), and that api-url points at the right HINDSITE host.';
  }
  if (status === 403) {
    return 'The client is not allowed to obtain tokens: ask HINDSITE support for the credentials of an organisation admin.';
  }
  if (status === 404 || status === 405) {
    return 'No token endpoint there: check api-url (the base URL of the HINDSITE API, without /oauth/token).';
  }
  if (status === 429 || status >= 500) return 'HINDSITE may be unavailable; try again later.';
  return 'The token request was refused.';
}

/** The server's own words: OAuth/JSON error fields when present, else the start of the body as text. */
export function serverText(body: string): string {
  const json = parseJson(body);
  if (isObject(json)) {
    const parts = ['error', 'error_description', 'message', 'detail', 'errors']
      .map((key) => json[key])
      .filter((value) => value !== undefined && value !== null)
      .map((value) => (typeof value === 'string' ? value : JSON.stringify(value)));
    if (parts.length > 0) return shorten(parts.join(': '));
  }
  const text = body
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return shorten(text);
}

/** At most EXCERPT_CHARS, without a final full stop (messages add their own). */
function shorten(text: string): string {
  const short = text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS)}…` : text;
  return short.replace(/\.+$/, '');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * One shared copy of each webhook, action, state and error name: on 100,000 deliveries, a copy per
 * row would be most of the memory the action uses.
 */
const interned = new Map<string, string>();
function intern(text: string): string {
  const known = interned.get(text);
  if (known !== undefined) return known;
  if (interned.size < 10_000) interned.set(text, text);
  return text;
}

function parseDelivery(value: unknown): Delivery | undefined {
  if (!isObject(value) || typeof value['id'] !== 'string') return undefined;
  const text = (key: string): string | undefined =>
    typeof value[key] === 'string' ? (value[key] as string) : undefined;
  const shared = (key: string): string | undefined => {
    const found = text(key);
    return found === undefined ? undefined : intern(found);
  };
  const response = isObject(value['response']) ? parseResponse(value['response']) : null;
  return {
    id: value['id'],
    webhookId: shared('webhook_id'),
    eventId: text('event_id'),
    eventAction: shared('event_action'),
    state: shared('state'),
    response,
    createdAt: text('created_at'),
  };
}

/**
 * The last HTTP response of a delivery. The documented fields are `code` and `error`; the list
 * reference leaves them unconfirmed, so a few common spellings are read too.
 */
function parseResponse(value: Record<string, unknown>): Delivery['response'] {
  const first = (keys: string[], type: 'number' | 'string'): unknown =>
    keys.map((key) => value[key]).find((found) => typeof found === type);
  const code = first(['code', 'status_code', 'http_status', 'status'], 'number');
  const error = first(['error', 'error_message', 'message'], 'string');
  return {
    code: typeof code === 'number' ? code : null,
    error: typeof error === 'string' ? intern(error) : null,
  };
}

function parseDeliveries(value: unknown): Delivery[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const deliveries: Delivery[] = [];
  for (const item of value) {
    const delivery = parseDelivery(item);
    if (!delivery) return undefined;
    deliveries.push(delivery);
  }
  return deliveries;
}

export function parseListReply(body: unknown): Delivery[] | undefined {
  return isObject(body) ? parseDeliveries(body['webhook_deliveries']) : undefined;
}

export function parseBulkReply(body: unknown): BulkResult | undefined {
  if (!isObject(body)) return undefined;
  const created = parseDeliveries(body['webhook_deliveries']);
  if (!created) return undefined;
  const meta = body['meta'];
  const dropped = isObject(meta) ? meta['dropped_ids'] : undefined;
  if (dropped === undefined || dropped === null) return { created, droppedIds: [] };
  if (!Array.isArray(dropped) || !dropped.every((id) => typeof id === 'string')) return undefined;
  return { created, droppedIds: dropped as string[] };
}
