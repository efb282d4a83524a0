/**
 * Strict parsing of request parameters. The sandbox is deliberately stricter than a lenient
 * production server so that client bugs (e.g. an unencoded `+` in an offset) surface as 400s.
 */

// RFC 3339 date-time: date, `T`, time (seconds and fraction optional), then `Z` or a numeric
// offset. A `+` sent unencoded in a query string arrives as a space and is rejected here.
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))$/;

/** Parses an ISO 8601 / RFC 3339 date-time to epoch ms, or undefined if it is not a real instant. */
export function parseDateTime(text: string): number | undefined {
  const m = DATE_TIME.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4], m[5]].map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const second = Number(m[6] ?? '0');
  const millis = Number((m[7] ?? '').padEnd(3, '0').slice(0, 3));
  const offsetHours = Number(m[10] ?? '0');
  const offsetMinutes = Number(m[11] ?? '0');
  if (hour > 23 || minute > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59) {
    return undefined;
  }
  // Date.UTC would silently roll 2024-02-31 over into March (and map years < 100 to 19xx), so
  // build the date field by field and check nothing rolled over.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  date.setUTCHours(hour, minute, second, millis);
  const sign = m[9] === '-' ? -1 : 1;
  return date.getTime() - sign * (offsetHours * 60 + offsetMinutes) * 60_000;
}

/** A page number: a plain positive decimal integer (no sign, no exponent, no fraction). */
export function parsePage(text: string): number | undefined {
  if (!/^\d{1,15}$/.test(text)) return undefined;
  const page = Number(text);
  return page >= 1 ? page : undefined;
}
