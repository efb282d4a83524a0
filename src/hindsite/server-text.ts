/**
 * The server's own words in a message: a reply body (an error object, a page of HTML, anything)
 * made into one short printable line, whatever its size or markup.
 */
import { isObject, parseJson } from '../model/json.js';
import { CUT_MARK } from '../model/redact.js';
import { printable } from '../model/text.js';

const EXCERPT_CHARS = 200;
/**
 * How much of a body is cleaned up for its text. Nothing that looks at a body's text runs over more
 * than this, so a reply of any size costs the same few microseconds (a 1 MB HTML page once held
 * the step for minutes whatever its deadline).
 */
export const TEXT_WINDOW_CHARS = 8 * 1024;

/**
 * The server's own words: OAuth/JSON error fields when present, else the start of the body as text
 * without its markup. One line, control characters escaped, at most EXCERPT_CHARS; a body that is
 * not text at all (a gzip stream) is named, not shown.
 */
export function serverText(body: string): string {
  // JSON.parse is linear and native; only what it yields is cut down before any cleanup.
  const json = parseJson(body);
  if (isObject(json)) {
    const parts = ['error', 'error_description', 'message', 'detail', 'errors']
      .map((key) => json[key])
      .filter((value) => value !== undefined && value !== null)
      .map((value) => (typeof value === 'string' ? value : JSON.stringify(value)));
    if (parts.length > 0) return excerpt(parts.join(': '));
  }
  const window = cutAt(body, TEXT_WINDOW_CHARS);
  if (isBinary(window)) return `a body that is not text (${body.length} characters, not shown)`;
  return excerpt(withoutMarkup(window), window.length < body.length);
}

/** One line of at most EXCERPT_CHARS, controls escaped, ending in CUT_MARK where anything was left out. */
function excerpt(text: string, cut = false): string {
  const window = cutAt(text, TEXT_WINDOW_CHARS);
  const line = printable(window.replace(/\s+/g, ' ').trim());
  return shorten(line, cut || window.length < text.length);
}

/** At most EXCERPT_CHARS, without a final full stop (messages add their own). */
export function shorten(text: string, cut = false): string {
  if (text.length > EXCERPT_CHARS) return `${cutAt(text, EXCERPT_CHARS)}${CUT_MARK}`;
  if (cut) return `${text}${CUT_MARK}`;
  let end = text.length;
  while (end > 0 && text[end - 1] === '.') end--;
  return text.slice(0, end);
}

/** The first `max` characters, never half of a surrogate pair. */
function cutAt(text: string, max: number): string {
  if (text.length <= max) return text;
  const last = text.charCodeAt(max - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? max - 1 : max);
}

/** A NUL, or more than one character in ten a control or an undecodable byte. */
function isBinary(text: string): boolean {
  if (text.includes('\0')) return true;
  // eslint-disable-next-line no-control-regex -- counting control characters is the point
  const odd = text.match(/[\x01-\x08\x0e-\x1f\x7f-\x9f\ufffd]/g)?.length ?? 0;
  return odd * 10 > text.length;
}

/**
 * The text of an HTML page: tags dropped, script and style elements dropped whole (an unclosed one
 * to the end). One pass with indexOf, no backtracking: linear whatever the markup.
 */
function withoutMarkup(html: string): string {
  const kept: string[] = [];
  let at = 0;
  while (at < html.length) {
    const open = html.indexOf('<', at);
    if (open < 0) {
      kept.push(html.slice(at));
      break;
    }
    kept.push(html.slice(at, open));
    // `a < b` is text; a tag starts with a letter, `/`, `!` or `?`.
    if (!/[A-Za-z/!?]/.test(html[open + 1] ?? '')) {
      kept.push('<');
      at = open + 1;
      continue;
    }
    const close = html.indexOf('>', open + 1);
    if (close < 0) break;
    kept.push(' ');
    at = close + 1;
    const name = /^[A-Za-z]+/.exec(html.slice(open + 1, open + 8))?.[0].toLowerCase();
    if (name === 'script' || name === 'style') {
      const end = indexOfIgnoringCase(html, `</${name}`, at);
      const endClose = end < 0 ? -1 : html.indexOf('>', end);
      if (endClose < 0) break;
      at = endClose + 1;
    }
  }
  return kept.join('');
}

/** `needle` (lower case) in `text` from `from` on, in any case. Linear: each `<` is looked at once. */
function indexOfIgnoringCase(text: string, needle: string, from: number): number {
  for (let at = text.indexOf('<', from); at >= 0; at = text.indexOf('<', at + 1)) {
    if (text.slice(at, at + needle.length).toLowerCase() === needle) return at;
  }
  return -1;
}
