import { describe, expect, it } from '@jest/globals';
import {
  DELIVERY_FIELDS,
  fieldNames,
  listQuery,
  parseBulkReply,
  parseListReply,
  parseTokenReply,
  WIRE_TYPES,
  type WireType,
} from '../src/hindsite/wire.js';
import { serverText, shorten } from '../src/hindsite/server-text.js';
import {
  pathText,
  WIRE_ASSUMPTIONS,
  type FieldAssumption,
  type WireReply,
} from '../contract/assumptions.js';

/** A value of each type, as the docs' examples have it. */
const EXAMPLES: Record<WireType, unknown> = {
  'delivery ID': 'dlv_000001',
  ID: 'evt_000001',
  'non-empty string': 'tok_or_id_1',
  string: 'text',
  integer: 1_700_000_000,
  'positive integer': 7200,
  'date-time': '2024-01-15T09:30:00Z',
  'delivery state': 'errored',
  Bearer: 'Bearer',
  array: [],
  'array of strings': ['dlv_gone'],
  object: {},
  'object or null': { code: 502, error: null },
};

/** The body the field assumptions of `reply` describe, with one row where they say `[]`. */
function bodyOf(reply: WireReply): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const fields = WIRE_ASSUMPTIONS.filter(
    (assumption): assumption is FieldAssumption =>
      assumption.kind === 'field' && assumption.reply === reply,
  );
  for (const { path, type } of fields) {
    let at: Record<string, unknown> = body;
    path.forEach((key, index) => {
      const last = index === path.length - 1;
      if (key === '[]') return;
      if (path[index + 1] === '[]') {
        at[key] = Array.isArray(at[key]) && (at[key] as unknown[]).length ? at[key] : [{}];
        at = (at[key] as Record<string, unknown>[])[0] as Record<string, unknown>;
      } else if (last) {
        if (at[key] === undefined || type !== 'array') at[key] = EXAMPLES[type];
      } else {
        at[key] = at[key] ?? {};
        at = at[key] as Record<string, unknown>;
      }
    });
  }
  return body;
}

describe('the wire assumptions of src/wire.ts', () => {
  it('have unique names, and every field is named by its reply and path', () => {
    const names = WIRE_ASSUMPTIONS.map((assumption) => assumption.name);
    expect(new Set(names).size).toBe(names.length);
    for (const assumption of WIRE_ASSUMPTIONS) {
      if (assumption.kind === 'field') {
        expect(assumption.name).toBe(`${assumption.reply}: ${pathText(assumption.path)}`);
      }
    }
  });

  it('describe replies that the action’s parsers read, field for field', () => {
    const token = parseTokenReply(bodyOf('token'));
    expect(token).toEqual({
      accessToken: EXAMPLES['non-empty string'],
      expiresInSeconds: EXAMPLES['positive integer'],
      createdAtSeconds: EXAMPLES.integer,
    });
    const row = {
      id: EXAMPLES['delivery ID'],
      webhookId: EXAMPLES.ID,
      eventId: EXAMPLES.ID,
      eventAction: 'text',
      state: 'errored',
      response: { code: 502, error: null },
      createdAt: EXAMPLES['date-time'],
    };
    expect(parseListReply(bodyOf('list'))).toEqual([row]);
    expect(parseBulkReply(bodyOf('bulk'))).toEqual({ created: [row], droppedIds: ['dlv_gone'] });
  });

  it('are what the parsers need: without a relied-on field they read the reply differently', () => {
    for (const reply of ['token', 'list', 'bulk'] as const) {
      const parse = { token: parseTokenReply, list: parseListReply, bulk: parseBulkReply }[reply];
      const whole = JSON.stringify(parse(bodyOf(reply)));
      const relied = WIRE_ASSUMPTIONS.filter(
        (assumption): assumption is FieldAssumption =>
          assumption.kind === 'field' && assumption.reply === reply && assumption.reliedOn,
      );
      for (const { path } of relied) {
        const body = bodyOf(reply);
        const parent = path
          .slice(0, -1)
          .reduce<unknown>(
            (at, key) =>
              key === '[]' ? (at as unknown[])[0] : (at as Record<string, unknown>)[key],
            body,
          ) as Record<string, unknown>;
        delete parent[path[path.length - 1] as string];
        // token_type is relied on by what the action sends, not by what it reads.
        if (path.join('.') === 'token_type') continue;
        expect([pathText(path), JSON.stringify(parse(body))]).not.toEqual([pathText(path), whole]);
      }
    }
  });

  it('check types as the docs define them', () => {
    expect(WIRE_TYPES['date-time']('2024-01-15T09:30:00.123+01:00')).toBe(true);
    expect(WIRE_TYPES['date-time']('Jan 15 2024')).toBe(false);
    expect(WIRE_TYPES.Bearer('bearer')).toBe(true);
    expect(WIRE_TYPES['delivery state']('queued')).toBe(false);
    expect(WIRE_TYPES['positive integer'](0)).toBe(false);
    expect(WIRE_TYPES['array of strings'](['a', 1])).toBe(false);
    expect(WIRE_TYPES['object or null'](null)).toBe(true);
    expect(Object.values(DELIVERY_FIELDS)).toContain('event_id');
  });

  it('build the list query as the action always has', () => {
    const since = new Date('2024-01-15T09:30:00.000Z');
    expect(listQuery({ since, webhookId: 'wh 1', state: 'errored' }, 2).toString()).toBe(
      'webhook_id=wh+1&state=errored&since=2024-01-15T09%3A30%3A00Z&page=2',
    );
  });
});

// The wire format at its edges: replies that are not quite the documented shape, and server text
// cut in the middle of a character or of markup.

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
