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

/** A delivery's `created_at` in ms since the epoch; undefined when absent or unreadable. */
export function createdAtMs(delivery: Delivery): number | undefined {
  const time = delivery.createdAt ? Date.parse(delivery.createdAt) : NaN;
  return Number.isNaN(time) ? undefined : time;
}

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
