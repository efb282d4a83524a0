/**
 * The wire format at its edges: replies that are not quite the documented shape, server text cut
 * in the middle of a character or of markup, and the event a delivery without a webhook belongs to.
 */
import { describe, expect, it } from '@jest/globals';
import { eventKey } from '../src/model/domain.js';
import { serverText, shorten } from '../src/hindsite/server-text.js';
import {
  fieldNames,
  parseBulkReply,
  parseListReply,
  parseTokenReply,
} from '../src/hindsite/wire.js';

describe('shorten', () => {
  it('drops the final full stops, since every message adds its own', () => {
    expect(shorten('The request was refused...')).toBe('The request was refused');
    expect(shorten('...')).toBe('');
  });

  it('never cuts a character outside the BMP in half', () => {
    // The 200th unit is the first half of the emoji: the cut falls before it.
    expect(shorten(`${'a'.repeat(199)}😀 and more`)).toBe(`${'a'.repeat(199)}…`);
    // The 200th unit is the second half: the emoji is kept whole.
    expect(shorten(`${'a'.repeat(198)}😀 and more`)).toBe(`${'a'.repeat(198)}😀…`);
  });
});

describe('serverText of markup that does not end', () => {
  it('keeps a final "<" as text', () => {
    expect(serverText('Bad request: a <')).toBe('Bad request: a <');
  });

  it('drops a script or style element that is never closed, to the end of the body', () => {
    expect(serverText('<p>Down for maintenance</p><script>var token = "abc";')).toBe(
      'Down for maintenance',
    );
    expect(serverText('<h1>Oops</h1><style>p { color: red }</style')).toBe('Oops');
  });
});

describe('parseListReply', () => {
  it('reads the last response under its other spellings, and nothing of the wrong type', () => {
    const deliveries = parseListReply({
      webhook_deliveries: [
        { id: 'dlv_1', response: { status_code: 502, error_message: 'Bad gateway' } },
        { id: 'dlv_2', response: { code: '500', error: 42 } },
        { id: 'dlv_3', response: 'HTTP 500' },
      ],
    });
    expect(deliveries?.map((delivery) => delivery.response)).toEqual([
      { code: 502, error: 'Bad gateway' },
      { code: null, error: null },
      null,
    ]);
  });
});

describe('parseBulkReply', () => {
  it('reads a reply without meta, or with null dropped_ids, as nothing dropped', () => {
    expect(parseBulkReply({ webhook_deliveries: [] })).toEqual({ created: [], droppedIds: [] });
    expect(parseBulkReply({ webhook_deliveries: [], meta: { dropped_ids: null } })).toEqual({
      created: [],
      droppedIds: [],
    });
    expect(parseBulkReply({ webhook_deliveries: [], meta: 'none' })).toEqual({
      created: [],
      droppedIds: [],
    });
  });

  it.each([
    ['webhook_deliveries is not a list', { webhook_deliveries: { id: 'dlv_1' } }],
    ['dropped_ids is not a list', { webhook_deliveries: [], meta: { dropped_ids: 'dlv_1' } }],
    ['dropped_ids holds a number', { webhook_deliveries: [], meta: { dropped_ids: ['a', 7] } }],
  ])('refuses a reply whose %s', (_, body) => {
    expect(parseBulkReply(body)).toBeUndefined();
  });
});

describe('parseTokenReply', () => {
  it.each([
    ['a string', 'token'],
    ['null', null],
    ['a list', [{ access_token: 't' }]],
  ])('refuses %s', (_, body) => {
    expect(parseTokenReply(body)).toBeUndefined();
  });

  it('takes Doorkeeper’s two hours when expires_in is absent, zero or not a number', () => {
    for (const expires of [{}, { expires_in: 0 }, { expires_in: '3600' }]) {
      expect(parseTokenReply({ access_token: 'tok', ...expires })).toEqual({
        accessToken: 'tok',
        expiresInSeconds: 7200,
        createdAtSeconds: undefined,
      });
    }
  });
});

describe('fieldNames', () => {
  it('names at most ten top-level fields, and says when there are none or no object', () => {
    expect(fieldNames([{ access_token: 'x' }])).toBe('not a JSON object');
    expect(fieldNames('text')).toBe('not a JSON object');
    expect(fieldNames({})).toBe('none');
    const many = Object.fromEntries(Array.from({ length: 12 }, (_, index) => [`f${index}`, index]));
    expect(fieldNames(many)).toBe('f0, f1, f2, f3, f4, f5, f6, f7, f8, f9');
  });
});

describe('eventKey', () => {
  it('keys an event without a webhook apart from the same event under a webhook', () => {
    const bare = eventKey({ id: 'a', eventId: 'evt_1', response: null });
    const onWebhook = eventKey({ id: 'b', eventId: 'evt_1', webhookId: 'wh', response: null });
    expect(bare).toBe('\u0000evt_1');
    expect(onWebhook).toBe('wh\u0000evt_1');
    expect(eventKey({ id: 'c', webhookId: 'wh', response: null })).toBeUndefined();
    expect(eventKey(undefined)).toBeUndefined();
  });
});
