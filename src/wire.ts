/**
 * The wire format of HINDSITE's replies, as the action reads it: every assumption about field names
 * and shapes is here, once. Anything that does not match is "not the documented reply", never a
 * guess.
 */
import { isDeliveryId, type BulkResult, type Delivery } from './domain.js';

const EXCERPT_CHARS = 200;

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

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
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
  // An ID that is not shaped like one is not the documented reply: it could carry markup into the
  // summary, or be sent back in a bulk call.
  if (!isObject(value) || typeof value['id'] !== 'string' || !isDeliveryId(value['id'])) {
    return undefined;
  }
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

/** The fields of a token reply the action uses. */
export interface TokenReply {
  accessToken: string;
  /** Lifetime in seconds (Doorkeeper's default of 7200 when absent). */
  expiresInSeconds: number;
  /** When the server issued it, in seconds since the epoch, when it says. */
  createdAtSeconds?: number;
}

export function parseTokenReply(body: unknown): TokenReply | undefined {
  if (!isObject(body)) return undefined;
  const token = body['access_token'];
  if (typeof token !== 'string' || token.length === 0) return undefined;
  const expiresIn = body['expires_in'];
  const createdAt = body['created_at'];
  return {
    accessToken: token,
    expiresInSeconds: typeof expiresIn === 'number' && expiresIn > 0 ? expiresIn : 7200,
    createdAtSeconds: typeof createdAt === 'number' ? createdAt : undefined,
  };
}

/** The top-level field names of a reply (never their values: they may be credentials). */
export function fieldNames(body: unknown): string {
  if (!isObject(body)) return 'not a JSON object';
  return Object.keys(body).slice(0, 10).join(', ') || 'none';
}
