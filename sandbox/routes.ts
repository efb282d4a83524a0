/**
 * The HINDSITE operations the action uses, over a store: request validation, status codes and
 * bodies. Handlers return the reply as a value, so a fault can replace or mangle it before it is
 * written.
 *
 * Where the public docs leave behaviour open, the sandbox picks one answer (noted at each handler)
 * and is stricter than a lenient server would be, so that client bugs show up as 4xx.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { jsonReply, mediaType, type Reply } from './http.js';
import { parseDateTime, parsePage } from './params.js';
import { TOKEN_LIFETIME_SECONDS, type ListFilters, type SandboxStore } from './store.js';
import {
  DELIVERY_STATES,
  type DeliveryJson,
  type DeliveryState,
  type Route,
  type SandboxClient,
  type SandboxDelivery,
} from './types.js';

const DELIVERIES_PATH = '/api/v2/webhook_deliveries';
/** The docs give no limit; the action's largest batch is 1000. */
const MAX_BULK_IDS = 1000;

const INVALID_CLIENT =
  'Client authentication failed due to unknown client, no client authentication included, ' +
  'or unsupported authentication method.';
const INVALID_REQUEST =
  'The request is missing a required parameter, includes an unsupported parameter value, ' +
  'or is otherwise malformed.';
const UNSUPPORTED_GRANT =
  'The authorization grant type is not supported by the authorization server.';

export interface ApiRequest {
  method: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
}

type AuthResult = { ok: true; client: SandboxClient } | { ok: false; reply: Reply };

/**
 * The documented single-delivery retry (`POST .../{id}/redeliveries`) is deliberately not served:
 * the action never calls it, so it answers 404 like any other unknown path.
 */
export function routeOf(path: string): Route | 'unknown' {
  if (path === '/oauth/token') return 'token';
  if (path === DELIVERIES_PATH) return 'list';
  if (path === `${DELIVERIES_PATH}/redeliveries`) return 'bulk';
  return 'unknown';
}

export function notFound(method: string, path: string): Reply {
  const description = `No route matches ${method} ${path}`;
  return jsonReply(404, { error: 'not_found', error_description: description });
}

/** The reply to a request on `route`; it may change the store (tokens, new rows). */
export function handle(route: Route, request: ApiRequest, store: SandboxStore): Reply {
  const allowed = route === 'list' ? 'GET' : 'POST';
  if (request.method !== allowed) {
    const description = `${request.method} is not allowed here; use ${allowed}`;
    return jsonReply(
      405,
      { error: 'method_not_allowed', error_description: description },
      { allow: allowed },
    );
  }
  if (route === 'token') return handleToken(request, store);
  const auth = authorise(request.headers.authorization, store);
  if (!auth.ok) return auth.reply;
  if (route === 'list') return handleList(auth.client, request.query, store);
  return handleBulk(auth.client, request, store);
}

/** OAuth 2.0 client-credentials grant, with Doorkeeper's status codes and error bodies. */
function handleToken(request: ApiRequest, store: SandboxStore): Reply {
  if (mediaType(request.headers['content-type']) !== 'application/x-www-form-urlencoded') {
    return oauthError(400, 'invalid_request', INVALID_REQUEST);
  }
  const form = new URLSearchParams(request.body);
  const grantType = form.get('grant_type');
  if (!grantType) {
    return oauthError(400, 'invalid_request', 'Missing required parameter: grant_type.');
  }
  if (grantType !== 'client_credentials') {
    return oauthError(400, 'unsupported_grant_type', UNSUPPORTED_GRANT);
  }
  const client = store.authenticate(form.get('client_id'), form.get('client_secret'));
  if (!client) return oauthError(401, 'invalid_client', INVALID_CLIENT);
  const createdAt = Math.floor(store.now() / 1000);
  const token = {
    access_token: store.issueToken(client.clientId, TOKEN_LIFETIME_SECONDS),
    token_type: 'Bearer',
    expires_in: TOKEN_LIFETIME_SECONDS,
    created_at: createdAt,
  };
  return jsonReply(200, token, { 'cache-control': 'no-store', pragma: 'no-cache' });
}

/** 401 for a missing, unknown or expired token; 403 for a client that is not an admin. */
function authorise(header: string | undefined, store: SandboxStore): AuthResult {
  const match = /^Bearer +(\S+) *$/i.exec(header ?? '');
  const client = match ? store.tokenClient(match[1]!) : undefined;
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

/** GET list: the caller's organisation only, newest first; `meta` echoes the page number. */
function handleList(client: SandboxClient, query: URLSearchParams, store: SandboxStore): Reply {
  const filters = parseListFilters(query);
  if (typeof filters === 'string') {
    return jsonReply(400, { error: 'invalid_parameter', error_description: filters });
  }
  const page = store.listPage(client.organisationId, filters);
  return jsonReply(200, { webhook_deliveries: page.map(toJson), meta: { page: filters.page } });
}

/**
 * POST bulk: 201 with the new rows and the dropped IDs. The docs leave duplicates open; here each
 * occurrence creates its own row (the action never sends duplicates).
 */
function handleBulk(client: SandboxClient, request: ApiRequest, store: SandboxStore): Reply {
  if (mediaType(request.headers['content-type']) !== 'application/json') {
    const description = 'Content-Type must be application/json';
    return jsonReply(415, { error: 'unsupported_media_type', error_description: description });
  }
  const ids = parseDeliveryIds(request.body);
  if (typeof ids === 'string') return jsonReply(422, { error: ids });
  const { created, dropped } = store.redeliver(client.organisationId, ids);
  const meta = {
    requested_count: ids.length,
    created_count: created.length,
    dropped_ids: dropped,
  };
  return jsonReply(201, { webhook_deliveries: created.map(toJson), meta });
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

/** Doorkeeper-style OAuth error: JSON body plus a matching WWW-Authenticate challenge. */
function oauthError(status: number, error: string, description: string): Reply {
  const challenge = `Bearer realm="Doorkeeper", error="${error}", error_description="${description}"`;
  return jsonReply(
    status,
    { error, error_description: description },
    { 'www-authenticate': challenge, 'cache-control': 'no-store' },
  );
}

/** The wire shape; `organisationId` and `redeliveryOf` are the sandbox's own and never sent. */
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
