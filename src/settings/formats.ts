/**
 * The shapes of input values that more than one input shares: a delivery ID (delivery-ids,
 * delivery-ids-file, a plan's deliveries) and a duration (since, plan-max-age), with how far back
 * either may reach.
 */

/** The shape of a delivery ID (see isDeliveryId in domain.ts), in words. */
export const ID_RULE =
  "IDs are printable ASCII, at most 128 characters, without spaces, '=' or quotes";

/** A duration back from now or a maximum age: 30m, 24h, 7d; and each unit in milliseconds. */
const DURATION = /^(\d+)\s*(s|m|h|d|w)$/i;
const UNIT_MS: Record<string, number> = {
  s: 1e3,
  m: 60e3,
  h: 3600e3,
  d: 86400e3,
  w: 604800e3,
};

/**
 * A duration (30m, 24h, 7d) in milliseconds, or undefined when `value` is not one. A number with
 * hundreds of digits is Infinity: callers compare it with MAX_LOOKBACK_MS.
 */
export function parseDuration(value: string): number | undefined {
  const duration = DURATION.exec(value);
  if (!duration) return undefined;
  return Number(duration[1]) * (UNIT_MS[(duration[2] as string).toLowerCase()] as number);
}

/**
 * How far back since may reach, and so the oldest plan a plan-max-age may accept: ten years covers
 * any retry a webhook consumer still wants, and keeps the window a date every server parses (a
 * duration of 200000000d is not one).
 */
export const MAX_LOOKBACK_DAYS = 3650;
export const MAX_LOOKBACK_MS = MAX_LOOKBACK_DAYS * (UNIT_MS['d'] as number);
