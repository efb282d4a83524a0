/**
 * The shapes of input values that more than one input shares: a delivery ID (delivery-ids,
 * delivery-ids-file, a plan's deliveries) and a duration (since, plan-max-age).
 */

/** The shape of a delivery ID (see isDeliveryId in domain.ts), in words. */
export const ID_RULE =
  "IDs are printable ASCII, at most 128 characters, without spaces, '=' or quotes";

/** A duration back from now or a maximum age: 30m, 24h, 7d; and each unit in milliseconds. */
export const DURATION = /^(\d+)\s*(s|m|h|d|w)$/i;
export const UNIT_MS: Record<string, number> = {
  s: 1e3,
  m: 60e3,
  h: 3600e3,
  d: 86400e3,
  w: 604800e3,
};
