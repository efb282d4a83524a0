/**
 * Removes secrets from whatever the action shows: log lines, the failure message, outputs, the job
 * summary and the report file. `core.setSecret` only asks the runner to mask its own log, and only
 * the raw text; the files and outputs are ours to keep clean, including when a server echoes a
 * secret back in another spelling (JSON- or URL-escaped, in base64 as an HTTP Basic or Bearer
 * credential, HTML- or Markdown-escaped) or a cut leaves its first half.
 *
 * How:
 * - Escapes are decoded into a view of the text in which each character remembers the span of the
 *   original it came from (`\uXXXX`, `\/` and the other backslash escapes of JSON and Markdown,
 *   `%XX` including UTF-8 sequences, HTML character references). A secret found in the view is
 *   replaced in the original, whichever characters of it were escaped and however (a second round
 *   decodes what the first produced: `%255C`, `&amp;lt;`). Spaces and `+` count as the same
 *   character, since form encoding writes one as the other.
 * - Base64 cannot be decoded in place (one character carries bits of two bytes), so each secret is
 *   encoded ahead, at the three byte offsets it can have inside a longer string: a secret inside
 *   `client-id:secret` or `Bearer <token>` shows as one of those, minus a character or two at each
 *   end, whatever surrounds it. Both alphabets (standard and URL-safe); padding never counts.
 * - A text cut by wire.ts ends in CUT_MARK; what stands right before it is checked for a beginning
 *   of a secret, since a cut through a secret would otherwise print its first half.
 * - Secrets shorter than MIN_SUBSTRING_CHARS are replaced only where a whole value equals them: a
 *   one-character token (`"`) or a common one (`dlv`) cannot be cut out of every message and every
 *   ID without destroying them. The runner still masks them in its log.
 *
 * For a given set of secrets, everything is linear in the text: literal alternatives (no nested
 * quantifiers) and a fixed number of decoding rounds. Callers redact values, not serialized text
 * (see `redactValues`), so that no replacement can cut through JSON or Markdown syntax.
 */

const MASK = '***';
/** Secrets shorter than this are replaced only where a whole value is the secret. */
const MIN_SUBSTRING_CHARS = 6;
/** A cut text may end in fewer first characters of a secret than this, never in more. */
const MIN_PREFIX_CHARS = 4;
/** What wire.ts appends where it cut a text. */
export const CUT_MARK = '…';
/** Cuts checked per text, from its end: ours are few; a hostile body may hold a million. */
const CUT_MARKS_CHECKED = 256;
/** Escapes of escapes (`%255C`, `&amp;#x2F;`) are decoded once more; deeper nesting is not. */
const DECODE_ROUNDS = 2;

/** What a secret looks like once the escapes around it are decoded: spaces count as `+`. */
function fold(text: string): string {
  return text.replace(/ /g, '+');
}

/** Each secret's base64, at the three byte offsets it can start at inside a longer string. */
function base64Forms(secret: string): string[] {
  const forms = new Set<string>();
  // Form encoding is what RFC 6749 asks for before client credentials go into HTTP Basic.
  const spellings = new Set([secret, new URLSearchParams({ s: secret }).toString().slice(2)]);
  for (const spelling of spellings) {
    const bytes = Buffer.from(spelling, 'utf8');
    for (let offset = 0; offset < 3; offset++) {
      const encoded = Buffer.concat([Buffer.alloc(offset), bytes, Buffer.alloc(2)]).toString(
        'base64',
      );
      // Only the characters whose 6 bits all come from the secret: the same whatever surrounds it.
      const first = Math.ceil((8 * offset) / 6);
      const end = Math.floor((8 * (offset + bytes.length)) / 6);
      const middle = encoded.slice(first, end);
      if (middle.length < MIN_SUBSTRING_CHARS) continue;
      forms.add(middle);
      forms.add(middle.replace(/\+/g, '-').replace(/\//g, '_'));
    }
  }
  return [...forms];
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** One set of literal forms and a pattern that finds each of them. */
class Forms {
  readonly list: string[];
  readonly pattern: RegExp;
  readonly shortest: number;

  constructor(forms: string[]) {
    // Longest first: where two forms start at the same place, the longer one is taken.
    this.list = [...new Set(forms)].sort((a, b) => b.length - a.length);
    this.pattern = new RegExp(this.list.map(escapeRegExp).join('|'), 'g');
    this.shortest = Math.min(...this.list.map((form) => form.length));
  }
}

/** A text with each character's span in the original; without spans, it is the original. */
class View {
  constructor(
    readonly text: string,
    private readonly starts?: Int32Array,
    private readonly ends?: Int32Array,
  ) {}

  /** Where view characters `from` (inclusive) to `to` (exclusive) came from in the original. */
  origin(from: number, to: number): [number, number] {
    return [this.starts ? this.starts[from]! : from, this.ends ? this.ends[to - 1]! : to];
  }
}

const HEX = /^[0-9a-fA-F]+$/;
const hexAt = (text: string, at: number, digits: number): number => {
  const part = text.slice(at, at + digits);
  return part.length === digits && HEX.test(part) ? parseInt(part, 16) : -1;
};
const isAsciiPunctuation = (code: number): boolean =>
  (code >= 0x21 && code <= 0x2f) ||
  (code >= 0x3a && code <= 0x40) ||
  (code >= 0x5b && code <= 0x60) ||
  (code >= 0x7b && code <= 0x7e);
const JSON_ESCAPES: Record<string, number> = { b: 8, f: 12, n: 10, r: 13, t: 9 };
/** The named references that spell punctuation (the ones an escaper writes), and no others. */
const ENTITIES: Record<string, string> = {
  amp: '&',
  AMP: '&',
  lt: '<',
  LT: '<',
  gt: '>',
  GT: '>',
  quot: '"',
  QUOT: '"',
  apos: "'",
  sol: '/',
  bsol: '\\',
  lowbar: '_',
  UnderBar: '_',
  plus: '+',
  equals: '=',
  colon: ':',
  semi: ';',
  comma: ',',
  period: '.',
  num: '#',
  excl: '!',
  quest: '?',
  percnt: '%',
  dollar: '$',
  commat: '@',
  ast: '*',
  midast: '*',
  lpar: '(',
  rpar: ')',
  lsqb: '[',
  lbrack: '[',
  rsqb: ']',
  rbrack: ']',
  lcub: '{',
  lbrace: '{',
  rcub: '}',
  rbrace: '}',
  verbar: '|',
  vert: '|',
  VerticalLine: '|',
  grave: '`',
  Hat: '^',
  NewLine: '\n',
  Tab: '\t',
};

/** One escape at `at`: the characters it stands for and how many it takes, or undefined. */
function escapeAt(text: string, at: number): [decoded: string, width: number] | undefined {
  const char = text[at];
  if (char === '\\') {
    const next = text.charCodeAt(at + 1);
    if (next === 0x75 /* u */) {
      const unit = hexAt(text, at + 2, 4);
      return unit < 0 ? undefined : [String.fromCharCode(unit), 6];
    }
    if (next === 0x78 /* x */) {
      const byte = hexAt(text, at + 2, 2);
      return byte < 0 ? undefined : [String.fromCharCode(byte), 4];
    }
    const json = JSON_ESCAPES[text[at + 1] ?? ''];
    if (json !== undefined) return [String.fromCharCode(json), 2];
    return isAsciiPunctuation(next) ? [text[at + 1]!, 2] : undefined;
  }
  if (char === '%') return percentAt(text, at);
  if (char === '&') return referenceAt(text, at);
  return undefined;
}

/** `%XX`, or a whole `%XX%XX…` UTF-8 sequence for a character outside ASCII. */
function percentAt(text: string, at: number): [string, number] | undefined {
  const lead = hexAt(text, at + 1, 2);
  if (lead < 0) return undefined;
  if (lead < 0x80) return [String.fromCharCode(lead), 3];
  const length = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 0;
  if (length === 0) return undefined;
  let codePoint = lead & (0xff >> (length + 1));
  for (let index = 1; index < length; index++) {
    const byte = text[at + 3 * index] === '%' ? hexAt(text, at + 3 * index + 1, 2) : -1;
    if (byte < 0x80 || byte > 0xbf) return undefined;
    codePoint = (codePoint << 6) | (byte & 0x3f);
  }
  return codePoint > 0x10ffff ? undefined : [String.fromCodePoint(codePoint), 3 * length];
}

/** `&#47;`, `&#x2F;` (the `;` may be left out, as browsers allow) or a named reference. */
function referenceAt(text: string, at: number): [string, number] | undefined {
  if (text[at + 1] === '#') {
    const hex = text[at + 2] === 'x' || text[at + 2] === 'X';
    const first = at + (hex ? 3 : 2);
    const digits = (hex ? /^[0-9a-fA-F]{1,6}/ : /^[0-9]{1,7}/).exec(text.slice(first, first + 7));
    if (!digits) return undefined;
    const codePoint = parseInt(digits[0], hex ? 16 : 10);
    if (codePoint > 0x10ffff) return undefined;
    const end = first + digits[0].length;
    return [String.fromCodePoint(codePoint), end - at + (text[end] === ';' ? 1 : 0)];
  }
  const name = /^([A-Za-z]{2,12});/.exec(text.slice(at + 1, at + 15));
  const decoded = name ? ENTITIES[name[1]!] : undefined;
  return decoded === undefined ? undefined : [decoded, name![0].length + 1];
}

/** Characters that may start an escape; a view is only built for a text holding one. */
const ESCAPE_STARTS = /[\\%&]/;

/** The text with one round of escapes decoded (and spaces folded), each character mapped back. */
function decode(view: View): View {
  const source = view.text;
  const chars: string[] = [];
  const starts = new Int32Array(source.length);
  const ends = new Int32Array(source.length);
  let length = 0;
  for (let at = 0; at < source.length;) {
    const escape = escapeAt(source, at);
    const [decoded, width] = escape ?? [source[at]!, 1];
    const [start, end] = view.origin(at, at + width);
    // A decoded character outside the BMP is two units, both from the same span.
    for (let unit = 0; unit < decoded.length; unit++) {
      chars.push(decoded[unit] === ' ' ? '+' : decoded[unit]!);
      starts[length] = start;
      ends[length] = end;
      length++;
    }
    at += width;
  }
  return new View(chars.join(''), starts, ends);
}

/** What the registered secrets are searched by, built once per set of secrets. */
interface Compiled {
  /** The long secrets and their base64, exact: for the text as written. */
  raw?: Forms;
  /** The same, folded: for decoded views. */
  folded?: Forms;
  /** Whether a long secret holds a space or `+`, so that a text holding one needs a folded view. */
  folds: boolean;
  /** The short secrets, as written and folded. */
  short: Set<string>;
}

/** A short secret escaped twice takes at most 20 characters a character (`%25F0%259F%2598%2580`). */
const SHORT_ESCAPED_MAX_CHARS = 20 * (MIN_SUBSTRING_CHARS - 1);

export class Redactor {
  private readonly secrets = new Set<string>();
  private compiled: Compiled | undefined;

  /** Registers a secret: the client secret, an access token, each token issued. */
  add(secret: string | undefined): void {
    if (!secret || this.secrets.has(secret)) return;
    this.secrets.add(secret);
    this.compiled = undefined;
  }

  /** The text with every spelling of every secret replaced by `***` (see the file's comment). */
  redact(text: string): string {
    if (this.secrets.size === 0 || text.length === 0) return text;
    const { raw, folded, folds, short } = this.compile();
    if (short.size > 0 && this.isShortSecret(text, short)) return MASK;
    if (!raw || !folded) return text;
    // Decoding never makes a text longer, so a shorter one holds no form unless it was cut.
    if (text.length < raw.shortest && !text.includes(CUT_MARK)) return text;
    const spans: [number, number][] = [];
    let view = new View(text);
    for (let round = 0; ; round++) {
      const forms = round === 0 ? raw : folded;
      findForms(view, forms, spans);
      findCutPrefixes(view, forms, spans);
      const escaped = ESCAPE_STARTS.test(view.text) || (folds && /[ +]/.test(view.text));
      if (round === DECODE_ROUNDS || !escaped) break;
      view = decode(view);
    }
    return spans.length === 0 ? text : replaceSpans(text, spans);
  }

  /**
   * A copy of `value` with every string in it redacted as a value of its own (arrays, plain
   * objects, Maps, Sets and errors are walked; anything unchanged is returned as is, not copied).
   * Serializing afterwards keeps JSON valid and IDs whole, whatever the secrets are.
   */
  redactValues<T>(value: T): T {
    if (this.secrets.size === 0) return value;
    const seen = new Map<object, unknown>();
    const walk = (item: unknown): unknown => {
      if (typeof item === 'string') return this.redact(item);
      if (typeof item !== 'object' || item === null) return item;
      if (seen.has(item)) return seen.get(item);
      seen.set(item, item);
      const copy = copyRedacted(item, walk);
      seen.set(item, copy);
      return copy;
    };
    return walk(value) as T;
  }

  private compile(): Compiled {
    if (this.compiled) return this.compiled;
    const long = [...this.secrets].filter((secret) => secret.length >= MIN_SUBSTRING_CHARS);
    const forms = long.flatMap((secret) => [secret, ...base64Forms(secret)]);
    const short = new Set<string>();
    for (const secret of this.secrets) {
      if (secret.length < MIN_SUBSTRING_CHARS) short.add(secret).add(fold(secret));
    }
    this.compiled = {
      raw: forms.length > 0 ? new Forms(forms) : undefined,
      folded: forms.length > 0 ? new Forms(forms.map(fold)) : undefined,
      folds: long.some((secret) => /[ +]/.test(secret)),
      short,
    };
    return this.compiled;
  }

  /** Whether the whole text is a short secret, as written or escaped. */
  private isShortSecret(text: string, short: Set<string>): boolean {
    if (short.has(text)) return true;
    if (text.length > SHORT_ESCAPED_MAX_CHARS || !ESCAPE_STARTS.test(text)) return false;
    let view = new View(text);
    for (let round = 0; round < DECODE_ROUNDS; round++) {
      view = decode(view);
      if (short.has(view.text)) return true;
    }
    return false;
  }
}

/** Each place in the view where a form stands, as a span of the original. */
function findForms(view: View, forms: Forms, spans: [number, number][]): void {
  if (view.text.length < forms.shortest) return;
  const pattern = forms.pattern;
  pattern.lastIndex = 0;
  for (let match = pattern.exec(view.text); match; match = pattern.exec(view.text)) {
    spans.push(view.origin(match.index, match.index + match[0].length));
    // Forms may overlap (one secret inside another's base64): look again one character on.
    pattern.lastIndex = match.index + 1;
  }
}

/** Beginnings of a form that end right where the text was cut. */
function findCutPrefixes(view: View, forms: Forms, spans: [number, number][]): void {
  const text = view.text;
  let cut = text.lastIndexOf(CUT_MARK);
  for (let checked = 0; cut >= MIN_PREFIX_CHARS && checked < CUT_MARKS_CHECKED; checked++) {
    for (const form of forms.list) {
      const longest = Math.min(form.length - 1, cut);
      for (let length = longest; length >= MIN_PREFIX_CHARS; length--) {
        if (text.charCodeAt(cut - length) !== form.charCodeAt(0)) continue;
        if (form.startsWith(text.slice(cut - length, cut))) {
          spans.push(view.origin(cut - length, cut));
          break;
        }
      }
    }
    cut = cut > 0 ? text.lastIndexOf(CUT_MARK, cut - 1) : -1;
  }
}

/** The text with each span (merged where they touch or overlap) replaced by the mask. */
function replaceSpans(text: string, spans: [number, number][]): string {
  spans.sort((a, b) => a[0] - b[0]);
  const parts: string[] = [];
  let kept = 0;
  for (let index = 0; index < spans.length;) {
    const start = spans[index]![0];
    let end = spans[index++]![1];
    while (index < spans.length && spans[index]![0] <= end) end = Math.max(end, spans[index++]![1]);
    parts.push(text.slice(kept, start), MASK);
    kept = end;
  }
  parts.push(text.slice(kept));
  return parts.join('');
}

/** A container with its strings redacted, or the container itself when none changed. */
function copyRedacted(item: object, walk: (value: unknown) => unknown): unknown {
  if (Array.isArray(item)) {
    const items: readonly unknown[] = item;
    // Copied only from the first element that changes.
    let copy: unknown[] | undefined;
    items.forEach((value, index) => {
      const clean = walk(value);
      if (copy) copy.push(clean);
      else if (clean !== value) copy = [...items.slice(0, index), clean];
    });
    return copy ?? items;
  }
  if (item instanceof Map) {
    const entries = [...item].map(([key, value]) => [walk(key), walk(value)] as const);
    const changed = entries.some(([key, value]) => !item.has(key) || item.get(key) !== value);
    return changed ? new Map(entries) : item;
  }
  if (item instanceof Set) {
    const values = [...item].map(walk);
    return values.some((value) => !item.has(value)) ? new Set(values) : item;
  }
  const prototype = Object.getPrototypeOf(item) as object | null;
  // Plain records and errors (an ApiError's message) only: a Date, URL or buffer is left as is.
  if (prototype !== Object.prototype && prototype !== null && !(item instanceof Error)) return item;
  // Descriptors are read only once a value changes: most records (100,000 deliveries) do not, and
  // copying each one's descriptors would double the memory the run peaks at.
  let descriptors: PropertyDescriptorMap | undefined;
  for (const key of Reflect.ownKeys(item)) {
    const descriptor = Object.getOwnPropertyDescriptor(item, key);
    if (!descriptor || !('value' in descriptor)) continue;
    const value = walk(descriptor.value);
    if (value === descriptor.value) continue;
    descriptors ??= Object.getOwnPropertyDescriptors(item);
    (descriptors[key as string] as PropertyDescriptor).value = value;
  }
  return descriptors ? Object.create(prototype, descriptors) : item;
}
