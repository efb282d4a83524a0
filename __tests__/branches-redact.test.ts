/**
 * The redactor's decoder on escapes that are not quite escapes: non-ASCII secrets spelled in UTF-8
 * percent sequences, broken sequences that must not complete a secret, backslashes and character
 * references that stand for nothing; and the containers redactValues walks or leaves alone.
 */
import { describe, expect, it } from '@jest/globals';
import { Redactor } from '../src/model/redact.js';

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
