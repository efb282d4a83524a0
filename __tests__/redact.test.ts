import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { inert } from '../src/model/log.js';
import { runnerLogger } from '../src/report/runner-log.js';
import { Redactor } from '../src/model/redact.js';
import { serverText } from '../src/hindsite/server-text.js';
import { secretForms } from './support/runner.js';

const CLIENT_ID = 'ci-admin';
/** Every character class an escaper treats differently: `/`, `+`, space, `_`, `<`, `&`, `"`. */
const SECRET = 's3cr3t/+_<&> "x"-9';
const TOKEN = 'tok3n_Zm9vYmFy-Long-Enough';

const redactor = (...secrets: string[]): Redactor => {
  const made = new Redactor();
  for (const secret of secrets) made.add(secret);
  return made;
};
const hex = (char: string): string => char.charCodeAt(0).toString(16).padStart(2, '0');
const every = (text: string, encode: (char: string) => string): string =>
  [...text].map(encode).join('');
const base64 = (text: string): string => Buffer.from(text).toString('base64');

describe('Redactor', () => {
  const clean = redactor(SECRET, TOKEN, '');

  it.each([
    ['raw', SECRET],
    ['JSON-escaped', JSON.stringify(SECRET).slice(1, -1)],
    ['JSON-escaped with \\/', JSON.stringify(SECRET).slice(1, -1).replace(/\//g, '\\/')],
    ['\\u-escaped, every character', every(SECRET, (char) => `\\u${hex(char).padStart(4, '0')}`)],
    ['\\u-escaped, some characters', SECRET.replace(/[s3]/g, (char) => `\\u00${hex(char)}`)],
    ['\\u-escaped in upper case', every(SECRET, (char) => `\\u00${hex(char).toUpperCase()}`)],
    ['URL-encoded', encodeURIComponent(SECRET)],
    [
      'URL-encoded, lower-case hex',
      encodeURIComponent(SECRET).replace(/%../g, (e) => e.toLowerCase()),
    ],
    ['URL-encoded, every character', every(SECRET, (char) => `%${hex(char)}`)],
    ['form-encoded', new URLSearchParams({ s: SECRET }).toString().slice(2)],
    ['URL-encoded twice', encodeURIComponent(encodeURIComponent(SECRET))],
    ['HTML-escaped', SECRET.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')],
    ['HTML references, hex', every(SECRET, (char) => `&#x${hex(char).toUpperCase()};`)],
    ['HTML references, decimal', every(SECRET, (char) => `&#${char.charCodeAt(0)};`)],
    ['HTML named references', SECRET.replace(/\//g, '&sol;').replace(/_/g, '&lowbar;')],
    ['Markdown-escaped', SECRET.replace(/[_<&>"+/-]/g, '\\$&')],
    ['JSON inside a URL', encodeURIComponent(JSON.stringify(SECRET).slice(1, -1))],
  ])('removes the secret %s', (_, form) => {
    const text = `before ${form} after`;
    expect(clean.redact(text)).toBe('before *** after');
  });

  it.each([
    ['the secret', SECRET, ''],
    ['HTTP Basic client-id:secret', `${CLIENT_ID}:${SECRET}`, `${CLIENT_ID}:`],
    ['Bearer <token>', `Bearer ${TOKEN}`, 'Bearer'],
    ['a token after one byte', `x${TOKEN}`, ''],
    ['a token after two bytes', `xy${TOKEN}`, ''],
  ])('removes base64 of %s, in both alphabets, padded or not', (_, plain, kept) => {
    // What is left on each side of the mask is at most 3 characters: 2 bytes of the secret at most.
    const clearPrefix = base64(kept.slice(0, kept.length - (kept.length % 3)));
    const left = new RegExp(
      `^x ${clearPrefix.replace(/[+/]/g, '\\$&')}[A-Za-z0-9+/_-]{0,3}\\*\\*\\*[A-Za-z0-9+/_-]{0,3}=* y$`,
    );
    for (const encoded of [
      base64(plain),
      base64(plain).replace(/=+$/, ''),
      Buffer.from(plain).toString('base64url'),
    ]) {
      const redacted = clean.redact(`x ${encoded} y`);
      expect(redacted).toMatch(left);
    }
  });

  it('leaves no spelling of secretForms (the leak check of the end-to-end tests)', () => {
    // Each followed by a cut mark, as the first half of a secret only ever is in what we show.
    const text = [...secretForms(SECRET), ...secretForms(TOKEN)].join('… | ');
    const redacted = clean.redact(text);
    for (const form of [...secretForms(SECRET), ...secretForms(TOKEN)]) {
      expect(redacted).not.toContain(form);
    }
  });

  it('never leaves the start of a secret where a text was cut through it', () => {
    for (const length of [4, 10, SECRET.length - 1]) {
      expect(
        clean.redact(`HTTP 400: bad secret ${SECRET.slice(0, length)}… after 3 attempts`),
      ).toBe('HTTP 400: bad secret ***… after 3 attempts');
    }
    // Three characters carry too little to tell from any other text.
    expect(clean.redact(`ends in ${SECRET.slice(0, 3)}…`)).toBe(`ends in ${SECRET.slice(0, 3)}…`);
    // An escaped spelling cut through, and a cut base64 credential.
    const escaped = every(TOKEN, (char) => `\\u00${hex(char)}`);
    expect(clean.redact(`"${escaped.slice(0, 60)}…`)).toBe('"***…');
    const basic = base64(`${CLIENT_ID}:${TOKEN}`);
    expect(clean.redact(`Basic ${basic.slice(0, 30)}…`)).toMatch(
      /^Basic [A-Za-z0-9+/]{12,15}\*\*\*…$/,
    );
  });

  it('redacts server text after decoding and before cutting: no part of a secret survives', () => {
    const body = JSON.stringify({
      error: 'invalid_client',
      error_description: `${'x'.repeat(175)} ${SECRET}`,
    });
    // The cut at 200 characters falls 8 characters into the secret: shown neither when the body
    // was redacted before the cut, nor when only the cut text is.
    for (const text of [serverText(body), serverText(clean.redact(body))]) {
      const shown = clean.redact(text);
      expect(shown).not.toContain(SECRET.slice(0, 4));
      expect(shown).toMatch(/x \*\*\*…$|x \*\*\*$/);
    }
  });

  it('replaces a secret shorter than 6 characters only where it is a whole value', () => {
    const short = redactor('"', 'dlv');
    expect(short.redact('"')).toBe('***');
    expect(short.redact('dlv')).toBe('***');
    expect(short.redact('%22')).toBe('***');
    expect(short.redact('\\"')).toBe('***');
    // A one-character token cannot be cut out of every message, nor `dlv` out of every ID.
    expect(short.redact('{"id":"dlv_000001"}')).toBe('{"id":"dlv_000001"}');
    expect(short.redact('dlv_000001')).toBe('dlv_000001');
  });

  it('redacts values, not serialized text: JSON stays valid and IDs whole', () => {
    const values = redactor('"', 'dlv', TOKEN);
    const report = {
      requested: ['dlv_000001', 'dlv', '"', `new-${TOKEN}`],
      created: [{ id: 'dlv_000002', originalId: 'dlv_000001' }],
      settled: new Map([['dlv_000002', { id: 'dlv_000002', error: `token ${TOKEN}` }]]),
      failure: `Bulk redelivery failed: HTTP 422: "dlv" is not ${TOKEN}`,
    };
    const clean = values.redactValues(report);
    const json = JSON.parse(JSON.stringify({ ...clean, settled: [...clean.settled] })) as unknown;
    expect(json).toEqual({
      requested: ['dlv_000001', '***', '***', 'new-***'],
      created: [{ id: 'dlv_000002', originalId: 'dlv_000001' }],
      settled: [['dlv_000002', { id: 'dlv_000002', error: 'token ***' }]],
      failure: 'Bulk redelivery failed: HTTP 422: "dlv" is not ***',
    });
    // Nothing changed, nothing copied; errors keep their class and fields.
    expect(values.redactValues(report.created)).toBe(report.created);
    class ApiLikeError extends Error {
      constructor(
        message: string,
        readonly status: number,
      ) {
        super(message);
      }
    }
    const error = values.redactValues(new ApiLikeError(`refused ${TOKEN}`, 401));
    expect(error).toBeInstanceOf(ApiLikeError);
    expect([error.message, error.status]).toEqual(['refused ***', 401]);
  });

  it('stays linear on a large text full of escapes and cuts', () => {
    const text = `${'%41\\u0042&amp;… '.repeat(10_000)}${encodeURIComponent(TOKEN)}`;
    const started = performance.now();
    expect(clean.redact(text).endsWith(' ***')).toBe(true);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe('serverText', () => {
  it('cuts a body to its first 8 KB without leaving the start of a secret that straddles the cut', () => {
    // Markup fills the window; its only text is the start of a token at its very end.
    const page = `<p>${'<b></b>'.repeat(1169)}${TOKEN}</p>`;
    expect(page.indexOf(TOKEN)).toBeLessThan(8192);
    expect(page.indexOf(TOKEN) + TOKEN.length).toBeGreaterThan(8192);
    expect(serverText(page)).toBe(`${TOKEN.slice(0, 8192 - page.indexOf(TOKEN))}…`);
    expect(redactor(TOKEN).redact(serverText(page))).toBe('***…');
  });

  it('cleans up a 1 MB unclosed <script> page in well under a deadline', () => {
    const page = `<html><body><h1>Oops</h1>${'<script'.repeat(150_000)}`;
    expect(page.length).toBeGreaterThan(1_000_000);
    const started = performance.now();
    const text = serverText(page);
    // The old cleanup took minutes here (each `<script` scanned the rest of the body); a linear
    // one takes milliseconds, and the bound leaves room for a busy machine.
    expect(performance.now() - started).toBeLessThan(5000);
    expect(text).toBe('Oops…');
  });

  it('keeps the words of a page: no tags, no scripts or styles, one line', () => {
    const page =
      '<html><style>p{x:1}</style><SCRIPT>alert(1)</Script><p>Bad\n\trequest:</p> a < b<br/>';
    expect(serverText(page)).toBe('Bad request: a < b');
  });

  it('never passes raw control bytes on: escaped, or a binary body named', () => {
    expect(serverText('{"error":"bad\\u001b[31m red\\r\\n::add-mask::x"}')).toBe(
      'bad\\x1b[31m red ::add-mask::x',
    );
    expect(serverText('over\u202eride\u0085')).toBe('over\\u202eride\\x85');
    const gzip = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xcb, 0x48, 0xcd]).toString();
    expect(serverText(gzip)).toBe(`a body that is not text (${gzip.length} characters, not shown)`);
  });
});

describe('the runner log', () => {
  let written: string;
  const write = process.stdout.write.bind(process.stdout);
  beforeEach(() => {
    written = '';
    process.stdout.write = (chunk: string | Uint8Array) => {
      written += chunk.toString();
      return true;
    };
  });
  afterEach(() => {
    process.stdout.write = write;
  });

  it('cannot be made to run a workflow command or rewrite itself by a server', () => {
    const log = runnerLogger(redactor(TOKEN));
    log.info(`::add-mask::Failed`);
    log.info(`HTTP 400: x\n  ::set-output name=created-ids::["x"]\r::error::fake`);
    log.info(`HTTP 400: ##[set-output name=unsent-ids;][] \u001b[2K ${TOKEN}`);
    log.warning('line\u001b[1A\rover');
    const lines = written.split('\n').filter(Boolean);
    expect(lines).toEqual([
      '\\::add-mask::Failed',
      'HTTP 400: x',
      '  \\::set-output name=created-ids::["x"]\\x0d::error::fake',
      'HTTP 400: ##\\[set-output name=unsent-ids;][] \\x1b[2K ***',
      '::warning::line\\x1b[1A\\x0dover',
    ]);
    for (const line of lines.slice(0, -1)) expect(line.trimStart().startsWith('::')).toBe(false);
    expect(written).not.toContain('\r');
    expect(written).not.toContain('\u001b');
  });

  it('leaves ordinary lines as they are', () => {
    expect(inert('Batch 1/2: 3 ID(s) sent: a::b ## [x]')).toBe(
      'Batch 1/2: 3 ID(s) sent: a::b ## [x]',
    );
  });
});

// The decoder on escapes that are not quite escapes: non-ASCII secrets spelled in UTF-8 percent
// sequences, broken sequences that must not complete a secret, backslashes and character
// references that stand for nothing; and the containers redactValues walks or leaves alone.

const only = (secret: string): Redactor => {
  const redactor = new Redactor();
  redactor.add(secret);
  return redactor;
};

describe('percent-encoded UTF-8', () => {
  // Two-, three- and four-byte characters: é, €, 😀.
  const SECRET = 'sé€ret-😀-42';
  const redactor = only(SECRET);

  it('removes a non-ASCII secret spelled in percent sequences, whatever the case of the hex', () => {
    const encoded = encodeURIComponent(SECRET);
    expect(redactor.redact(`token=${encoded}&x=1`)).toBe('token=***&x=1');
    expect(redactor.redact(`token=${encoded.toLowerCase()}`)).toBe('token=***');
  });

  it.each([
    ['a % before no hex digits', 's%zz%E2%82%ACret-%F0%9F%98%80-42'],
    ['a lone continuation byte', 's%80%E2%82%ACret-%F0%9F%98%80-42'],
    ['a lead byte followed by no %', 's%C3xx%E2%82%ACret-%F0%9F%98%80-42'],
    ['a continuation byte below 0x80', 's%C3%29%E2%82%ACret-%F0%9F%98%80-42'],
    ['a continuation byte above 0xBF', 's%C3%C3%E2%82%ACret-%F0%9F%98%80-42'],
  ])('leaves %s as written: it decodes to no character of the secret', (_, text) => {
    expect(redactor.redact(text)).toBe(text);
  });

  it('decodes no code point past U+10FFFF, and still finds the secret beside it', () => {
    const encoded = encodeURIComponent(SECRET);
    expect(redactor.redact(`%F7%BF%BF%BF ${encoded}`)).toBe('%F7%BF%BF%BF ***');
    expect(redactor.redact(`%F4%8F%BF%BF ${encoded}`)).toBe('%F4%8F%BF%BF ***');
  });
});

describe('backslashes that escape nothing', () => {
  const redactor = only('secret-ab');

  it.each([
    ['\\u without four hex digits', '\\u00zz', '\\u00zz ***'],
    ['\\x without two hex digits', '\\xg1', '\\xg1 ***'],
    ['a backslash before a letter that is no escape', '\\q', '\\q ***'],
  ])('keeps %s and still finds the secret after it', (_, prefix, expected) => {
    expect(redactor.redact(`${prefix} secret\\u002dab`)).toBe(expected);
  });

  it('keeps a backslash that ends the text', () => {
    expect(redactor.redact('secret\\-ab\\')).toBe('***\\');
  });
});

describe('HTML character references', () => {
  const redactor = only('secret-ab');

  it('reads a numeric reference without its semicolon, as browsers do', () => {
    expect(redactor.redact('<b>secret&#45ab</b>')).toBe('<b>***</b>');
    // Without it, the digits run as far as they go, as in a browser: `&#x2Dab` is U+2DAB.
    expect(redactor.redact('<b>secret&#x2Dab</b>')).toBe('<b>secret&#x2Dab</b>');
  });

  it.each([
    ['no digits', '&#;', '&#x;'],
    ['a code point past U+10FFFF', '&#1114112;', '&#x110000;'],
  ])('leaves a reference with %s as written', (_, decimal, hex) => {
    for (const reference of [decimal, hex]) {
      expect(redactor.redact(`secret${reference}ab`)).toBe(`secret${reference}ab`);
      expect(redactor.redact(`${reference} secret&#45;ab`)).toBe(`${reference} ***`);
    }
  });
});

describe('short secrets', () => {
  it('masks a whole value that decodes to the secret, and nothing that decodes to another', () => {
    const redactor = only('dlv');
    expect(redactor.redact('%64lv')).toBe('***');
    expect(redactor.redact('%2564lv')).toBe('***');
    expect(redactor.redact('%41%42%43')).toBe('%41%42%43');
    expect(redactor.redact('&lt;dlv&gt;')).toBe('&lt;dlv&gt;');
  });
});

describe('redactValues', () => {
  const redactor = only('tok3n-secret');

  it('returns a Set with its strings redacted, and a Set without secrets as it is', () => {
    const clean = new Set(['dlv_1', 'dlv_2']);
    expect(redactor.redactValues(clean)).toBe(clean);
    const dirty = new Set(['dlv_1', 'Bearer tok3n-secret']);
    const copy = redactor.redactValues(dirty);
    expect(copy).not.toBe(dirty);
    expect([...copy]).toEqual(['dlv_1', 'Bearer ***']);
    expect([...dirty]).toEqual(['dlv_1', 'Bearer tok3n-secret']);
  });

  it('never calls a getter: redacting has no side effects', () => {
    let reads = 0;
    const value = {
      message: 'refused tok3n-secret',
      get lazy(): string {
        reads++;
        return 'computed';
      },
    };
    const copy = redactor.redactValues(value);
    expect(reads).toBe(0);
    expect(copy.message).toBe('refused ***');
    expect(copy).not.toBe(value);
  });
});
