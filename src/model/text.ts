/** Text as the action prints it: counts in words, and text from outside made safe to print. */

/** "1 delivery", "5 deliveries": counts read as words, in logs and messages alike. */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${formatCount(count)} ${count === 1 ? one : many}`;
}

/**
 * "100,000": a number with a comma between thousands, as en-US writes it. Not toLocaleString,
 * whose first call loads ICU's locale data, 10-20 ms of every start; one way of writing counts
 * is all the action needs. Numbers that String writes with an exponent, NaN and the infinities
 * are left as String writes them.
 */
export function formatCount(count: number): string {
  const text = String(Math.abs(count));
  if (!Number.isFinite(count) || text.includes('e')) return String(count);
  const [whole = '', fraction] = text.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+$)/g, ',');
  return `${count < 0 ? '-' : ''}${grouped}${fraction === undefined ? '' : `.${fraction}`}`;
}

/** C0 controls but tab and newline, DEL, C1 controls, line separators and bidi controls. */
export const UNPRINTABLE =
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text from outside the action (a server's error body, an ID, a file name) made safe to print in
 * the runner's log. Control characters would recolour or rewrite the log (ANSI sequences, a bare
 * carriage return starts a new runner line), and bidirectional controls reorder what a reader sees;
 * each is shown as an escape instead (`\x1b`, `\u202e`), so the text stays readable and inert.
 */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (char) => {
    const code = char.charCodeAt(0);
    return code < 0x100
      ? `\\x${code.toString(16).padStart(2, '0')}`
      : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
