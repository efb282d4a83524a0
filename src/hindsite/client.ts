import type { Clock } from '../model/clock.js';
import type { BulkResult, Delivery, ListFilters } from '../model/domain.js';
import { ApiError } from '../model/errors.js';
import { ConnectionPool, send, TransportError, type HttpReply, type HttpRequest } from './http.js';
import type { Credentials } from '../settings/settings.js';
import { parseJson } from '../model/json.js';
import type { Logger } from '../model/log.js';
import {
  ruleFor,
  statusKind,
  TOKEN_REFUSED_ADVICE,
  type Endpoint,
  type FailureKind,
} from './policy.js';
import type { Redactor } from '../model/redact.js';
import {
  parseRetryAfter,
  withRetries,
  type Attempt,
  type RetryContext,
  type RetryPace,
} from './retry.js';
import { serverText } from './server-text.js';
import { TokenSource } from './token.js';
import {
  API_PATHS,
  bulkRequestBody,
  fieldNames,
  listQuery,
  Malformed,
  parseTokenReply,
  readBulkReply,
  readListReply,
  tokenRequestBody,
  type TokenReply,
} from './wire.js';

/** A paced bulk call's retries: the pace, and the IDs each attempt carries. */
export interface BulkRetryPace extends RetryPace {
  /**
   * The IDs the next attempt carries: the call's own, less those a check of the selection before a
   * retry found changed (turn() ends the call instead when none is left).
   */
  ids(): string[];
}

/**
 * How much of an error body is looked at for its text: a JSON error object of any sane size, and
 * far more than the 8 KB of other text that serverText reads.
 */
const EXCERPT_SOURCE_CHARS = 64 * 1024;

/** The largest list page read (see listDeliveries). */
export const LIST_PAGE_MAX_BYTES = 2 * 1024 * 1024;

export interface ClientOptions {
  apiUrl: URL;
  credentials: Credentials;
  maxAttempts: number;
  timeoutMs: number;
  log: Logger;
  clock: Clock;
  redactor: Redactor;
  /** Called with a new access token before anything else sees it (to mask it). */
  onToken: (token: string) => void;
  /** A cancelled job: a token exchange in flight is abandoned (it changes nothing). */
  cancel?: AbortSignal;
}

/** An HTTP date as RFC 9110 has servers send it (IMF-fixdate), e.g. `Sun, 06 Nov 1994 08:49:37 GMT`. */
const IMF_FIXDATE = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/;

/** The server's time from a reply's `Date` header; undefined when absent or not an HTTP date. */
export function serverTime(header: string | undefined): number | undefined {
  const text = header?.trim();
  if (!text || !IMF_FIXDATE.test(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * The only module that talks HTTP to HINDSITE. What a failure means, and whether a call is made
 * again, is decided by the table in policy.ts; this class only applies it.
 */
export class HindsiteClient {
  private readonly connections: ConnectionPool;
  private readonly tokens: TokenSource;

  constructor(private readonly options: ClientOptions) {
    this.connections = new ConnectionPool(options.clock);
    this.tokens = new TokenSource(() => this.exchangeCredentials(), options.clock);
  }

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
    const url = this.endpoint(API_PATHS.list);
    url.search = listQuery(filters, page).toString();
    const what = `List deliveries (page ${page})`;
    return this.call(
      'list',
      what,
      () =>
        this.sendWithRenewal('list', what, (token) => ({
          method: 'GET',
          url,
          headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
          timeoutMs: this.options.timeoutMs,
          // Pages are held while discovery goes on: a page of a few MB of tiny rows would parse
          // into far more memory than its size. A page of even 1000 real rows is under 1 MB.
          maxBodyBytes: LIST_PAGE_MAX_BYTES,
          signal,
        })),
      readListReply,
      signal,
    );
  }

  /**
   * One bulk call. `stop` (a cancelled job) lets no new attempt start; `abandon` also ends the
   * attempt in flight. In a paced run, each attempt carries `pace.ids()`.
   */
  async redeliver(
    deliveryIds: string[],
    label: string,
    signals: { stop?: AbortSignal; abandon?: AbortSignal } = {},
    pace?: BulkRetryPace,
  ): Promise<BulkResult> {
    const { stop, abandon } = signals;
    const noMoreAttempts = stop && abandon ? AbortSignal.any([stop, abandon]) : (stop ?? abandon);
    const url = this.endpoint(API_PATHS.bulk);
    const what = `Bulk redelivery (${label})`;
    return this.call(
      'bulk',
      what,
      () =>
        this.sendWithRenewal(
          'bulk',
          what,
          (token) => ({
            method: 'POST',
            url,
            headers: {
              authorization: `Bearer ${token}`,
              accept: 'application/json',
              'content-type': 'application/json',
            },
            // Each attempt's own IDs: a retry's check may have skipped some since the last.
            body: bulkRequestBody(pace?.ids() ?? deliveryIds),
            timeoutMs: this.options.timeoutMs,
            signal: abandon,
          }),
          noMoreAttempts,
        ),
      (body, reply) => {
        const result = readBulkReply(body);
        if (result instanceof Malformed) return result;
        const serverTimeMs = serverTime(reply.headers.date);
        return serverTimeMs !== undefined ? { ...result, serverTimeMs } : result;
      },
      noMoreAttempts,
      pace,
    );
  }

  private endpoint(path: string): URL {
    return new URL(this.options.apiUrl.href.replace(/\/+$/, '') + path);
  }

  private bearer(): Promise<string> {
    const { credentials } = this.options;
    if (credentials.kind === 'access-token') return Promise.resolve(credentials.accessToken);
    return this.tokens.bearer();
  }

  private exchangeCredentials(): Promise<TokenReply> {
    const { credentials } = this.options;
    if (credentials.kind !== 'client-credentials') throw new Error('no client credentials');
    const request: HttpRequest = {
      method: 'POST',
      url: this.endpoint(API_PATHS.token),
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: tokenRequestBody(credentials.clientId, credentials.clientSecret),
      timeoutMs: this.options.timeoutMs,
      signal: this.options.cancel,
    };
    return this.call(
      'token',
      'Token exchange',
      () => send(request, this.options.clock, this.connections),
      (body) => {
        const reply = parseTokenReply(body);
        if (reply) {
          // Masked before it is stored or can reach any message.
          this.options.redactor.add(reply.accessToken);
          this.options.onToken(reply.accessToken);
        }
        return reply;
      },
      this.options.cancel,
    );
  }

  /**
   * One call under the retry policy: each attempt's failure is classified, and the policy table
   * says whether another attempt follows and what the failure means for the IDs carried.
   */
  private call<T>(
    endpoint: Endpoint,
    what: string,
    sendOnce: () => Promise<HttpReply>,
    /** The reply's value; undefined or Malformed (which names the field) when it is not documented. */
    parse: (body: unknown, reply: HttpReply) => T | Malformed | undefined,
    signal?: AbortSignal,
    pace?: RetryPace,
  ): Promise<T> {
    const context: RetryContext = {
      maxAttempts: this.options.maxAttempts,
      log: this.options.log,
      clock: this.options.clock,
      pace,
    };
    return withRetries(
      what,
      context,
      async (): Promise<Attempt<T>> => {
        let reply: HttpReply;
        try {
          reply = await sendOnce();
        } catch (error) {
          if (!(error instanceof TransportError)) throw error;
          const message = this.options.redactor.redact(error.message);
          return this.failure(endpoint, what, error.failure, message, message);
        }
        if (reply.status >= 200 && reply.status < 300) {
          const body = parseJson(reply.body);
          const parsed = parse(body, reply);
          if (parsed !== undefined && !(parsed instanceof Malformed)) return { done: parsed };
          // Token replies: field names only, since whatever the reply holds may be a credential.
          const detail =
            endpoint === 'token'
              ? `HTTP ${reply.status} but the reply has no access_token (fields: ${fieldNames(body)})`
              : `HTTP ${reply.status} with a body that is not the documented JSON (${this.whatIsWrong(reply, body, parsed)})`;
          return this.failure(
            endpoint,
            what,
            'unreadable',
            detail,
            `HTTP ${reply.status} with an unreadable body`,
            reply,
          );
        }
        return this.failure(
          endpoint,
          what,
          statusKind(reply.status),
          this.describe(reply),
          `HTTP ${reply.status}`,
          reply,
        );
      },
      signal,
    );
  }

  /** Applies the policy: a failure that is not retried is thrown at once. */
  private failure<T>(
    endpoint: Endpoint,
    what: string,
    kind: FailureKind,
    detail: string,
    reason: string,
    reply?: HttpReply,
  ): Attempt<T> {
    const rule = ruleFor(endpoint, kind);
    const error = (attempts: number): ApiError =>
      new ApiError(
        `${what} failed: ${detail}${attempts > 1 ? ` after ${attempts} attempts` : ''}. ${rule.advice}`,
        rule.outcome,
        reply?.status,
      );
    if (!rule.retry) throw error(1);
    const retryAfterMs = reply
      ? parseRetryAfter(reply.headers['retry-after'], this.options.clock.now())
      : undefined;
    return { reason, error, retryAfterMs };
  }

  /** Sends once; on a 401 with a token we obtained ourselves, exchanges again and sends once more. */
  private async sendWithRenewal(
    endpoint: Endpoint,
    what: string,
    build: (token: string) => HttpRequest,
    /** Once aborted (a cancelled job), a refused token is not renewed to send the call again. */
    stop?: AbortSignal,
  ): Promise<HttpReply> {
    const { clock, credentials, log } = this.options;
    const token = await this.bearer();
    const reply = await send(build(token), clock, this.connections);
    if (reply.status !== 401 || stop?.aborted) return reply;
    const outcome = ruleFor(endpoint, 'status-400-401').outcome;
    if (credentials.kind === 'access-token') {
      throw new ApiError(
        `${what} failed: ${this.describe(reply)}. ${TOKEN_REFUSED_ADVICE.accessToken}`,
        outcome,
        401,
      );
    }
    log.info(
      `${what}: HTTP 401, the token was refused; obtaining a new one and repeating the call once.`,
    );
    this.tokens.forget(token);
    const renewed = await send(build(await this.bearer()), clock, this.connections);
    if (renewed.status === 401) {
      throw new ApiError(
        `${what} failed: ${this.describe(renewed)}, even with a newly issued token. ${TOKEN_REFUSED_ADVICE.renewed}`,
        outcome,
        401,
      );
    }
    return renewed;
  }

  /**
   * A JSON reply names the field that is wrong, never quoting a row (its value may be megabytes
   * long); where the reply has no rows at all, the server's own words follow.
   */
  private whatIsWrong(reply: HttpReply, body: unknown, parsed: unknown): string {
    if (!(parsed instanceof Malformed) || body === undefined) return this.excerpt(reply);
    if (parsed.field.includes('[')) return parsed.text;
    const text = this.excerpt(reply);
    return text ? `${parsed.text}: ${text}` : parsed.text;
  }

  /** "HTTP 422 Unprocessable Entity: <the server's error text>", without secrets. */
  private describe(reply: HttpReply): string {
    const status = `HTTP ${reply.status}${reply.statusText ? ` ${reply.statusText}` : ''}`;
    const text = this.excerpt(reply);
    return text ? `${status}: ${text}` : status;
  }

  private excerpt(reply: HttpReply): string {
    // Redacted before it is shortened or reshaped, so that no part of a secret survives a cut.
    // Only the start of a body can reach the text (an error object, or the first 8 KB), so only
    // that much is redacted: a 16 MiB reply costs no more than a small one.
    const { redactor } = this.options;
    const start =
      reply.body.length > EXCERPT_SOURCE_CHARS
        ? reply.body.slice(0, EXCERPT_SOURCE_CHARS)
        : reply.body;
    return redactor.redact(serverText(redactor.redact(start)));
  }
}
