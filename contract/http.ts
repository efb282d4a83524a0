/**
 * The contract suite's calls to HINDSITE: each sent once (no retries: a contract check must never
 * repeat a call that may have acted) through the action's own transport (src/hindsite/http.ts: its proxy
 * support, deadline and refusal to follow redirects), built from the action's own request
 * definitions (src/hindsite/wire.ts). Every request is logged, and the bulk route can be called once
 * per run.
 */
import { LIST_PAGE_MAX_BYTES } from '../src/hindsite/client.js';
import { systemClock } from '../src/model/clock.js';
import { send, TransportError, type HttpRequest } from '../src/hindsite/http.js';
import type { Redactor } from '../src/model/redact.js';
import {
  API_PATHS,
  bulkRequestBody,
  TOKEN_FIELDS,
  tokenRequestBody,
} from '../src/hindsite/wire.js';
import { isObject, parseJson } from '../src/model/json.js';

/** One reply, or why there is none. */
export interface Exchange {
  /** 0 when no reply came back. */
  status: number;
  /** The body as JSON; undefined when it is not JSON. */
  body: unknown;
  /** The body as received. */
  text: string;
  contentType: string;
  /** Why no reply came back (already redacted). */
  error?: string;
}

/** Whose credentials a request carried. */
export type Caller = 'admin' | 'member' | 'wrong secret' | 'made-up token';

export interface LoggedRequest {
  method: 'GET' | 'POST';
  /** Path and query (never a body: token requests carry the secret). */
  target: string;
  as: Caller;
  /** The reply's status; 0 when none came back. */
  status: number;
}

export class ContractHttp {
  readonly log: LoggedRequest[] = [];
  private bulkCalled = false;

  constructor(
    private readonly apiUrl: URL,
    private readonly timeoutMs: number,
    private readonly redactor: Redactor,
  ) {}

  /** A token exchange; an issued token is registered with the redactor before anything reads it. */
  async token(clientId: string, clientSecret: string, as: Caller): Promise<Exchange> {
    const exchange = await this.send(
      'POST',
      API_PATHS.token,
      {
        'content-type': 'application/x-www-form-urlencoded',
      },
      as,
      tokenRequestBody(clientId, clientSecret),
    );
    const token = isObject(exchange.body) ? exchange.body[TOKEN_FIELDS.accessToken] : undefined;
    if (typeof token === 'string') this.redactor.add(token);
    return exchange;
  }

  /** A list page, read up to the size the action reads. */
  list(token: string, query: URLSearchParams, as: Caller): Promise<Exchange> {
    const target = `${API_PATHS.list}?${query.toString()}`;
    return this.send('GET', target, bearer(token), as, undefined, LIST_PAGE_MAX_BYTES);
  }

  /**
   * The one call of the run to the bulk route: a second one throws, whatever it would carry, so
   * that no path through the suite can redeliver twice.
   */
  bulk(token: string, deliveryIds: readonly string[], as: Caller): Promise<Exchange> {
    if (this.bulkCalled)
      throw new Error('The contract suite makes one bulk call per run, at most.');
    this.bulkCalled = true;
    return this.send(
      'POST',
      API_PATHS.bulk,
      { ...bearer(token), 'content-type': 'application/json' },
      as,
      bulkRequestBody(deliveryIds),
    );
  }

  private async send(
    method: 'GET' | 'POST',
    target: string,
    headers: Record<string, string>,
    as: Caller,
    body?: string,
    maxBodyBytes?: number,
  ): Promise<Exchange> {
    const request: HttpRequest = {
      method,
      url: new URL(this.apiUrl.href.replace(/\/+$/, '') + target),
      headers: { accept: 'application/json', ...headers },
      body,
      timeoutMs: this.timeoutMs,
      maxBodyBytes,
    };
    const logged: LoggedRequest = { method, target, as, status: 0 };
    this.log.push(logged);
    try {
      const reply = await send(request, systemClock);
      logged.status = reply.status;
      return {
        status: reply.status,
        body: parseJson(reply.body),
        text: reply.body,
        contentType: String(reply.headers['content-type'] ?? ''),
      };
    } catch (error) {
      if (!(error instanceof TransportError)) throw error;
      const message = this.redactor.redact(error.message);
      return { status: 0, body: undefined, text: '', contentType: '', error: message };
    }
  }
}

function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}
