import { describe, expect, it } from '@jest/globals';
import { InputError } from '../src/model/errors.js';
import { IdsFileError } from '../src/settings/ids-file.js';
import { parseApiUrl, parseDeliveryIds, parseSince, readSettings } from '../src/settings/inputs.js';
import type { InputReader } from '../src/settings/settings.js';
import { caught } from './support/caught.js';

const NOW = new Date('2026-11-29T12:00:00Z');

function reader(values: Record<string, string>, files: Record<string, string> = {}): InputReader {
  return {
    get: (name) => (values[name] ?? '').trim(),
    readIdsFile: (path) => {
      if (path in files) return files[path] as string;
      throw new IdsFileError(`names a file that cannot be read (ENOENT): ${path}`);
    },
    now: () => NOW,
  };
}

const CREDENTIALS = { 'client-id': 'cid', 'client-secret': 'shh' };

const inputError = (values: Record<string, string>, files?: Record<string, string>): InputError =>
  caught(InputError, () => readSettings(reader(values, files)));

describe('parseDeliveryIds', () => {
  it('splits on newlines, commas and spaces, trims and de-duplicates in first-seen order', () => {
    expect(parseDeliveryIds(' a,b\n c  d,,a\r\n\tb e ', 'delivery-ids')).toEqual([
      'a',
      'b',
      'c',
      'd',
      'e',
    ]);
  });

  it('reads a JSON array of strings', () => {
    expect(parseDeliveryIds('["x", " y ", "x", ""]', 'delivery-ids')).toEqual(['x', 'y']);
  });

  it('rejects malformed JSON and arrays of non-strings, naming the input', () => {
    expect(() => parseDeliveryIds('["x",', 'delivery-ids')).toThrow(
      /delivery-ids .*not a valid JSON array/,
    );
    expect(() => parseDeliveryIds('[1, 2]', 'delivery-ids-file')).toThrow(
      /delivery-ids-file must be a JSON array of strings/,
    );
  });

  it('accepts any printable ASCII ID up to 128 characters', () => {
    const ids = ['dlv_8f2a91', 'A-b.c:d/e_f~1', '!#$%&()*+;<>?@[\\]^{|}', 'x'.repeat(128)];
    expect(parseDeliveryIds(ids.join('\n'), 'delivery-ids')).toEqual(ids);
    expect(parseDeliveryIds(JSON.stringify(ids), 'delivery-ids')).toEqual(ids);
  });

  /** The message of the InputError that parsing throws. */
  function refusal(text: string, input = 'delivery-ids-file'): string {
    const error = caught(InputError, () => parseDeliveryIds(text, input));
    expect(error.input).toBe(input);
    return error.message;
  }

  it.each([
    ['KEY=sEcReT-value', 'an = sign'],
    ['dlv_1"sEcReT', 'a double quote'],
    ["dlv_1'sEcReT", 'a single quote'],
    ['dlv_1`sEcReT', 'a backtick'],
    ['dlv_1\u0000sEcReT', 'a NUL'],
    ['dlv_1\u001b[2JsEcReT', 'an escape'],
    ['dlv_1\u007fsEcReT', 'a DEL'],
    ['dlv_1\u200bsEcReT', 'a zero-width space'],
    ['dlv_1\u202esEcReT', 'a right-to-left override'],
    [`sEcReT${'x'.repeat(123)}`, '129 characters'],
    ['dlv_１２sEcReT', 'full-width digits'],
    ['dlv_e\u0301sEcReT', 'a combining accent'],
    ['dlv_ésEcReT', 'an accented letter'],
  ])('refuses %j (%s), naming the line and not the text', (bad) => {
    const message = refusal(`dlv_1\n\n  dlv_2, dlv_3\n${bad}\n`);
    expect(message).toBe(
      "Input delivery-ids-file: line 4 is not a delivery ID, so nothing was sent; fix or remove it. IDs are printable ASCII, at most 128 characters, without spaces, '=' or quotes.",
    );
    expect(message).not.toContain('sEcReT');
  });

  it('names the item when a line holds several, and counts lines as given', () => {
    expect(refusal('\n\n dlv_1, dlv_2 TOKEN=sEcReT dlv_3', 'delivery-ids')).toMatch(
      /^Input delivery-ids: line 3, item 3 is not a delivery ID/,
    );
  });

  it('names the index of an element of a JSON array, with the same rule', () => {
    const message = refusal('["dlv_1", " dlv_2 ", "sEcReT with spaces"]', 'delivery-ids');
    expect(message).toMatch(/^Input delivery-ids: the element at index 2 is not a delivery ID/);
    expect(message).not.toContain('sEcReT');
    expect(refusal('["dlv_1", "\\ud800"]')).toMatch(/element at index 1 is not/);
  });

  it('refuses the NUL-separated environment of a process', () => {
    const message = refusal('PATH=/usr/bin\0HOME=/root\0TOKEN=sEcReT a b\0');
    expect(message).toMatch(/^Input delivery-ids-file: line 1, item 1 is not a delivery ID/);
    expect(message).not.toMatch(/sEcReT|PATH|HOME/);
  });
});

describe('parseApiUrl', () => {
  it('accepts https with a path prefix and strips trailing slashes', () => {
    expect(parseApiUrl('https://api.example.com/hindsite/').href).toBe(
      'https://api.example.com/hindsite',
    );
  });

  it.each([
    'http://localhost:8080',
    'http://127.0.0.1:1',
    'http://127.9.8.7',
    'http://[::1]:3000/',
  ])('allows plain http to the loopback host %s', (url) => {
    expect(parseApiUrl(url).protocol).toBe('http:');
  });

  it.each([
    'http://example.com',
    'http://10.0.0.1',
    'http://localhost.evil.com',
    'http://128.0.0.1',
  ])('refuses plain http to %s', (url) => {
    expect(() => parseApiUrl(url)).toThrow(/api-url must use https:\/\//);
  });

  it('refuses what is not a URL, other schemes, user info and queries', () => {
    expect(() => parseApiUrl('app.hindsiteind.com')).toThrow(
      /api-url must be an absolute https:\/\/ URL/,
    );
    expect(() => parseApiUrl('ftp://x.com')).toThrow(/scheme "ftp:"/);
    expect(() => parseApiUrl('https://u:p@x.com')).toThrow(/user name or password/);
    expect(() => parseApiUrl('https://x.com/?a=1')).toThrow(/without a query/);
  });
});

describe('parseSince', () => {
  it('reads durations back from now', () => {
    expect(parseSince('30m', NOW).toISOString()).toBe('2026-11-29T11:30:00.000Z');
    expect(parseSince('24h', NOW).toISOString()).toBe('2026-11-28T12:00:00.000Z');
    expect(parseSince('7d', NOW).toISOString()).toBe('2026-11-22T12:00:00.000Z');
  });

  it('rounds a duration down to whole seconds', () => {
    expect(parseSince('1h', new Date('2026-11-29T12:00:00.999Z')).toISOString()).toBe(
      '2026-11-29T11:00:00.000Z',
    );
  });

  it('reads ISO 8601 date-times, UTC unless an offset is given', () => {
    expect(parseSince('2026-11-28T09:00:00Z', NOW).toISOString()).toBe('2026-11-28T09:00:00.000Z');
    expect(parseSince('2026-11-28T09:00:00+02:00', NOW).toISOString()).toBe(
      '2026-11-28T07:00:00.000Z',
    );
    expect(parseSince('2026-11-28T09:00', NOW).toISOString()).toBe('2026-11-28T09:00:00.000Z');
    expect(parseSince('2026-11-28', NOW).toISOString()).toBe('2026-11-28T00:00:00.000Z');
  });

  it.each([
    'yesterday',
    '0h',
    '7x',
    '2026-13-45T00:00:00Z',
    '-5m',
    '2026-02-30',
    '2026-02-29T10:00:00Z',
    '2026-11-28T24:00:00Z',
    '2026-11-28T12:60:00Z',
  ])('rejects %s', (value) => {
    expect(() => parseSince(value, NOW)).toThrow(/Input since must be an ISO 8601 date-time/);
  });

  it('rejects a time in the future', () => {
    expect(() => parseSince('2027-01-01T00:00:00Z', NOW)).toThrow(/since is in the future/);
  });

  it('reaches at most 3650 days back', () => {
    expect(parseSince('3650d', NOW).toISOString()).toBe('2016-12-01T12:00:00.000Z');
    expect(parseSince('2016-12-01T12:00:00Z', NOW).toISOString()).toBe('2016-12-01T12:00:00.000Z');
    expect(parseSince('521w', NOW).toISOString()).toBe('2016-12-04T12:00:00.000Z');
  });

  it.each([
    '3651d',
    '522w',
    '200000000d',
    '2016-12-01T11:59:59Z',
    '1969-12-31T23:59:59Z',
    '0001-01-01',
  ])('rejects %s as too far back, with the earliest time allowed', (value) => {
    expect(() => parseSince(value, NOW)).toThrow(
      'Input since must be at most 3650 days back (not before 2016-12-01T12:00:00.000Z)',
    );
  });

  it('takes a duration of hundreds of digits (Infinity to Number) as too far back', () => {
    expect(() => parseSince(`${'9'.repeat(400)}s`, NOW)).toThrow(/at most 3650 days back/);
  });
});

describe('readSettings', () => {
  it('applies the documented defaults', () => {
    const settings = readSettings(reader({ ...CREDENTIALS, 'delivery-ids': 'a' }));
    expect(settings).toMatchObject({
      credentials: { kind: 'client-credentials', clientId: 'cid', clientSecret: 'shh' },
      source: { kind: 'delivery-ids', ids: ['a'] },
      batchSize: 100,
      concurrency: 4,
      maxDeliveries: 1000,
      dryRun: false,
      failOnDropped: false,
      maxAttempts: 3,
      timeoutMs: 30_000,
      discoveryTimeoutMs: 600_000,
      wait: { enabled: false, timeoutMs: 600_000, pollIntervalMs: 15_000 },
    });
    expect(settings.apiUrl.href).toBe('https://app.hindsiteind.com/');
  });

  it('prefers access-token and needs no client credentials with it', () => {
    const settings = readSettings(reader({ 'access-token': 'tok', 'delivery-ids': 'a' }));
    expect(settings.credentials).toEqual({ kind: 'access-token', accessToken: 'tok' });
  });

  it.each([
    [{ 'delivery-ids': 'a' }, 'client-id', /client-id is required/],
    [{ 'client-id': 'c', 'delivery-ids': 'a' }, 'client-secret', /client-secret is required/],
    [
      { 'client-secret': 's', 'delivery-ids': 'a' },
      'client-id',
      /client-id is required when client-secret/,
    ],
    [CREDENTIALS, 'delivery-ids', /No deliveries to retry/],
    [{ ...CREDENTIALS, 'delivery-ids': '["a"' }, 'delivery-ids', /not a valid JSON array/],
    [
      { ...CREDENTIALS, 'delivery-ids': 'a', 'batch-size': 'ten' },
      'batch-size',
      /batch-size must be an integer from 1 to 1000/,
    ],
    [
      { ...CREDENTIALS, 'delivery-ids': 'a', 'batch-size': '1001' },
      'batch-size',
      /from 1 to 1000; got 1001/,
    ],
    [{ ...CREDENTIALS, 'delivery-ids': 'a', 'batch-size': '0' }, 'batch-size', /from 1 to 1000/],
    [
      { ...CREDENTIALS, 'delivery-ids': 'a', 'fail-on-dropped': 'yes' },
      'fail-on-dropped',
      /must be true or false/,
    ],
    [{ ...CREDENTIALS, 'delivery-ids': 'a', 'dry-run': '1' }, 'dry-run', /must be true or false/],
    [{ ...CREDENTIALS, 'delivery-ids': 'a', 'api-url': 'not a url' }, 'api-url', /absolute https/],
    [
      { ...CREDENTIALS, 'delivery-ids': 'a', 'api-url': 'http://example.com' },
      'api-url',
      /must use https/,
    ],
    [
      { ...CREDENTIALS, 'delivery-ids': 'a', 'max-deliveries': '0' },
      'max-deliveries',
      /at least 1/,
    ],
    [
      { ...CREDENTIALS, 'delivery-ids': 'a', 'max-deliveries': '-3' },
      'max-deliveries',
      /at least 1/,
    ],
    [
      { ...CREDENTIALS, 'delivery-ids': 'a', 'max-deliveries': '99999999999999999999' },
      'max-deliveries',
      /must be an integer from 1 to 9007199254740991; got 99999999999999999999\./,
    ],
    [
      { ...CREDENTIALS, 'delivery-ids': 'a', 'max-deliveries': '9007199254740992' },
      'max-deliveries',
      /from 1 to 9007199254740991/,
    ],
    [
      { ...CREDENTIALS, 'delivery-ids': 'a', 'batch-size': '9'.repeat(400) },
      'batch-size',
      /from 1 to 1000/,
    ],
    [{ ...CREDENTIALS, 'delivery-ids': 'a', concurrency: '17' }, 'concurrency', /from 1 to 16/],
    [{ ...CREDENTIALS, 'delivery-ids': 'a', 'max-attempts': '0' }, 'max-attempts', /from 1 to 10/],
    [
      { ...CREDENTIALS, 'delivery-ids': 'a', 'timeout-seconds': '0' },
      'timeout-seconds',
      /number of seconds/,
    ],
    [
      { ...CREDENTIALS, 'delivery-ids': 'a', 'timeout-seconds': '9'.repeat(400) },
      'timeout-seconds',
      /from 0.1 to 3600/,
    ],
    [
      { ...CREDENTIALS, 'delivery-ids': 'a', 'wait-timeout-seconds': `1${'0'.repeat(400)}.5` },
      'wait-timeout-seconds',
      /from 1 to 21600/,
    ],
    [
      { ...CREDENTIALS, 'delivery-ids': 'a', 'timeout-seconds': 'soon' },
      'timeout-seconds',
      /number of seconds/,
    ],
    [
      { ...CREDENTIALS, 'delivery-ids': 'a', 'poll-interval-seconds': '0.5' },
      'poll-interval-seconds',
      /from 1 to/,
    ],
    [{ ...CREDENTIALS, since: 'last week' }, 'since', /Input since must be/],
    [{ ...CREDENTIALS, since: '200000000d' }, 'since', /at most 3650 days back/],
    [{ ...CREDENTIALS, 'delivery-ids': 'dlv_1 A=b' }, 'delivery-ids', /item 2 is not a delivery/],
    [
      { ...CREDENTIALS, since: '1d', state: 'failed' },
      'state',
      /state must be one of errored, retrying, completed, pending, in_progress/,
    ],
    [
      { ...CREDENTIALS, 'delivery-ids-file': 'missing.txt' },
      'delivery-ids-file',
      /cannot be read \(ENOENT\): missing.txt/,
    ],
    [{ ...CREDENTIALS, 'delivery-ids': 'a', since: '1d' }, 'delivery-ids', /exactly one source/],
    [
      { ...CREDENTIALS, 'delivery-ids': 'a', 'delivery-ids-file': 'f' },
      'delivery-ids',
      /exactly one source/,
    ],
    [
      { ...CREDENTIALS, 'delivery-ids-file': 'f', 'webhook-id': 'wh' },
      'delivery-ids-file',
      /exactly one source/,
    ],
    [{ ...CREDENTIALS, state: 'errored' }, 'delivery-ids', /No deliveries to retry/],
  ])('rejects %j, naming %s', (values, input, message) => {
    const error = inputError(values);
    expect(error.input).toBe(input);
    expect(error.message).toMatch(message);
  });

  it('accepts the largest max-deliveries there is', () => {
    const settings = readSettings(
      reader({ ...CREDENTIALS, 'delivery-ids': 'a', 'max-deliveries': '9007199254740991' }),
    );
    expect(settings.maxDeliveries).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('says why delivery-ids-file cannot serve, and takes no other failure of the reader for one', () => {
    const refusing: InputReader = {
      ...reader({ ...CREDENTIALS, 'delivery-ids-file': '/tmp/fifo' }),
      readIdsFile: () => {
        throw new IdsFileError(
          'must be a regular file of at most 64 MiB; got a FIFO (named pipe): /tmp/fifo',
        );
      },
    };
    expect(() => readSettings(refusing)).toThrow(
      new InputError(
        'delivery-ids-file',
        'Input delivery-ids-file must be a regular file of at most 64 MiB; got a FIFO (named pipe): /tmp/fifo',
      ),
    );
    const broken: InputReader = {
      ...refusing,
      readIdsFile: () => {
        throw new TypeError('a bug');
      },
    };
    expect(() => readSettings(broken)).toThrow(TypeError);
  });

  it('refuses a file line that is not an ID, by its line number in the file', () => {
    const error = inputError(
      { ...CREDENTIALS, 'delivery-ids-file': 'ids.txt' },
      { 'ids.txt': 'dlv_1\ndlv_2\nAPI_KEY=sEcReT\n' },
    );
    expect(error.input).toBe('delivery-ids-file');
    expect(error.message).toMatch(/^Input delivery-ids-file: line 3 is not a delivery ID/);
    expect(error.message).not.toContain('sEcReT');
  });

  it('reads IDs from a file in either format', () => {
    const settings = readSettings(
      reader({ ...CREDENTIALS, 'delivery-ids-file': 'ids.txt' }, { 'ids.txt': 'a\nb\n\na\n' }),
    );
    expect(settings.source).toEqual({
      kind: 'delivery-ids-file',
      path: 'ids.txt',
      ids: ['a', 'b'],
    });
  });

  it('starts discovery from since and/or webhook-id, with state defaulting to errored', () => {
    const settings = readSettings(reader({ ...CREDENTIALS, since: '24h', 'webhook-id': 'wh_1' }));
    expect(settings.source).toEqual({
      kind: 'discovery',
      since: new Date('2026-11-28T12:00:00Z'),
      sinceInput: '24h',
      webhookId: 'wh_1',
      state: 'errored',
    });
    const byWebhook = readSettings(
      reader({ ...CREDENTIALS, 'webhook-id': 'wh_1', state: 'retrying' }),
    );
    expect(byWebhook.source).toMatchObject({
      kind: 'discovery',
      since: undefined,
      state: 'retrying',
    });
  });

  it('accepts booleans in YAML spellings and fractional timeouts', () => {
    const settings = readSettings(
      reader({
        ...CREDENTIALS,
        'delivery-ids': 'a',
        'dry-run': 'True',
        wait: 'TRUE',
        'timeout-seconds': '1.5',
      }),
    );
    expect(settings.dryRun).toBe(true);
    expect(settings.wait.enabled).toBe(true);
    expect(settings.timeoutMs).toBe(1500);
  });
});
