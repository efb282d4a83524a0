/** Text as the action prints it: counts in words, and text from outside made safe to print. */

/** "1 delivery", "5 deliveries": counts read as words, in logs and messages alike. */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? one : many}`;
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
