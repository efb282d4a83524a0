/**
 * The shapes of input values that more than one input shares: a delivery ID (delivery-ids,
 * delivery-ids-file, a plan's deliveries) and a duration (since, plan-max-age).
 */

/**
 * What a delivery ID may be. Loose enough for any ID format HINDSITE may use (it documents none),
 * tight enough that a file of secrets (KEY=value lines, /proc/self/environ) or of binary data is
 * refused rather than printed and sent: no control or invisible characters, no white space, no
 * '=' and no quotes.
 */
export const DELIVERY_ID = /^[^\p{C}\p{Z}\s="'`]{1,128}$/u;
export const ID_RULE =
  "IDs are printable, at most 128 characters, without spaces, '=', quotes or control characters";

/** A duration back from now or a maximum age: 30m, 24h, 7d; and each unit in milliseconds. */
export const DURATION = /^(\d+)\s*(s|m|h|d|w)$/i;
export const UNIT_MS: Record<string, number> = {
  s: 1e3,
  m: 60e3,
  h: 3600e3,
  d: 86400e3,
  w: 604800e3,
};
