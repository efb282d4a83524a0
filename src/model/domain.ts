/**
 * The data every stage speaks: deliveries as the action understands them, the filters of the list
 * call, what one bulk call did. No stage needs the HTTP client to name its data.
 */

export const DELIVERY_STATES = [
  'errored',
  'retrying',
  'completed',
  'pending',
  'in_progress',
] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

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

export interface ListFilters {
  since?: Date;
  webhookId?: string;
  state?: DeliveryState;
}

/** What one bulk call returned: the new deliveries, and the IDs HINDSITE did not find. */
export interface BulkResult {
  created: Delivery[];
  droppedIds: string[];
  /**
   * The server's time when it answered (its `Date` header), when it sent a readable one: where the
   * new deliveries are on the server's clock when their created_at is not given.
   */
  serverTimeMs?: number;
}

/**
 * The event a delivery belongs to, per webhook: one event reaches every webhook subscribed to it,
 * and a redelivery keeps the event. Undefined when the API did not say.
 */
export function eventKey(delivery: Delivery | undefined): string | undefined {
  return delivery?.eventId === undefined
    ? undefined
    : `${delivery.webhookId ?? ''}\u0000${delivery.eventId}`;
}

// ISO 8601 / RFC 3339, as the docs' `format: date-time` says (Date.parse alone takes far more: other
// shapes, and years from -271821 to 275760, past which any arithmetic makes an invalid date).
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/i;

/** Whether a text is a date-time in the documented shape, and a real instant. */
export function isDateTime(text: unknown): text is string {
  return typeof text === 'string' && DATE_TIME.test(text) && !Number.isNaN(Date.parse(text));
}

/**
 * A delivery's `created_at` in ms since the epoch; undefined when absent, unreadable or not in the
 * documented shape (which keeps it within years 0000 to 9999).
 */
export function createdAtMs(delivery: Delivery): number | undefined {
  const text = delivery.createdAt;
  if (typeof text !== 'string' || !DATE_TIME.test(text)) return undefined;
  // Parsed once (isDateTime would parse it a second time): this runs per row of 100,000s.
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * The `since` of a list window that starts at `ms`: never an invalid date, and never before 1970
 * (a window from then on lists everything; an earlier one only risks a server's refusal).
 * Undefined when `ms` is not a time at all.
 */
export function windowStart(ms: number): Date | undefined {
  if (Number.isNaN(ms)) return undefined;
  return new Date(Math.min(Math.max(ms, 0), MAX_DATE_MS));
}

/** The latest time a Date can hold. */
const MAX_DATE_MS = 8.64e15;

/**
 * What a delivery ID may be. Loose enough for any ID format HINDSITE may use (it documents none),
 * tight enough that a file of secrets (KEY=value lines, /proc/self/environ) or of binary data is
 * refused rather than printed and sent, and that an ID a server returns cannot carry markup or
 * commands: no control characters, no white space, no '=' and no quotes.
 *
 * Printable ASCII only: beyond it one ID has several spellings (a full-width digit, an accent as
 * one character or as a letter and a combining mark) that are different strings here, so they
 * would be sent as two IDs, but that HINDSITE may normalise to one delivery and redeliver twice.
 */
const DELIVERY_ID = /^[\x21-\x7e]{1,128}$/;
const NOT_IN_ID = /[="'`]/;

export function isDeliveryId(id: string): boolean {
  return DELIVERY_ID.test(id) && !NOT_IN_ID.test(id);
}

/** An event action (event-action) has the same shape as an ID: a printable ASCII token. */
export const isEventAction = isDeliveryId;

/** Rows of new deliveries (and plan rows) shown in full in the job summary; beyond them, IDs only. */
export const SUMMARY_ROWS = 100;
