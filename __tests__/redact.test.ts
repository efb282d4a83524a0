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
    // The old cleanup took minutes here (each `<script` scanned the rest of the body).
    expect(performance.now() - started).toBeLessThan(200);
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
    process.stdout.write = ((chunk: string | Uint8Array) => {
      written += chunk.toString();
      return true;
    }) as typeof process.stdout.write;
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
