/**
 * A delivery's string fields have sane lengths (IDs the action's own ID rule): past them a reply is
 * not the documented one, and the error names the field, never its value.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { HindsiteClient } from '../src/hindsite/client.js';
import {
  DELIVERY_FIELD_MAX_CHARS,
  Malformed,
  parseListReply,
  readBulkReply,
  readListReply,
} from '../src/hindsite/wire.js';
import { ApiError } from '../src/model/errors.js';
import { Redactor } from '../src/model/redact.js';
import { RecordingLogger } from './support/logger.js';
import { VirtualClock } from './support/virtual-clock.js';
import { ADMIN, startWorld, type World } from './support/world.js';

const ROW = {
  id: 'dlv_1',
  webhook_id: 'wh_orders',
  event_id: 'evt_1',
  event_action: 'form_completed',
  state: 'errored',
  response: { code: 502, error: 'Bad Gateway' },
  created_at: '2026-11-29T10:00:00Z',
};

const list = (...rows: Record<string, unknown>[]): unknown => ({
  webhook_deliveries: [ROW, ...rows],
  meta: {},
});
const problem = (read: unknown): string | undefined =>
  read instanceof Malformed ? read.text : undefined;

describe('the length limits of a delivery’s fields', () => {
  it('are the ID rule for IDs and documented, generous limits for the rest', () => {
    expect(DELIVERY_FIELD_MAX_CHARS).toEqual({
      id: 128,
      webhook_id: 128,
      event_id: 128,
      event_action: 256,
      state: 64,
      created_at: 64,
      'response.error': 4096,
    });
  });

  it.each(['id', 'webhook_id', 'event_id', 'event_action', 'state', 'created_at'] as const)(
    'read %s up to its limit, and refuse the page one character past it, naming the row and field',
    (field) => {
      const max = DELIVERY_FIELD_MAX_CHARS[field];
      const atLimit = { ...ROW, id: 'dlv_2', [field]: 'a'.repeat(max) };
      expect(readListReply(list(atLimit))).toHaveLength(2);
      const past = { ...ROW, id: 'dlv_2', [field]: 'a'.repeat(max + 1) };
      const expected =
        field === 'id'
          ? 'webhook_deliveries[1].id is not an ID (printable, at most 128 characters, without spaces, = or quotes)'
          : `webhook_deliveries[1].${field} is ${max + 1} characters long, more than ${max}`;
      expect(problem(readListReply(list(past)))).toBe(expected);
      // The parser the contract suite uses reads no such page at all.
      expect(parseListReply(list(past))).toBeUndefined();
    },
  );

  it('refuses an error text past 4,096 characters in whichever spelling it comes', () => {
    const row = (response: unknown): unknown => list({ ...ROW, id: 'dlv_2', response });
    const read = readListReply(row({ status_code: 500, error_message: 'e'.repeat(4096) }));
    expect((read as { response: unknown }[])[1]?.response).toEqual({
      code: 500,
      error: 'e'.repeat(4096),
    });
    expect(problem(readListReply(row({ code: 500, message: 'e'.repeat(4097) })))).toBe(
      'webhook_deliveries[1].response.message is 4097 characters long, more than 4096',
    );
  });

  it('holds webhook and event IDs to the ID rule, and reads other types as absent as before', () => {
    expect(problem(readListReply(list({ ...ROW, id: 'dlv_2', event_id: 'evt 2' })))).toBe(
      'webhook_deliveries[1].event_id is not an ID (printable, at most 128 characters, without spaces, = or quotes)',
    );
    expect(problem(readListReply(list({ ...ROW, id: 'dlv_2', webhook_id: 'wh="x"' })))).toMatch(
      /^webhook_deliveries\[1\]\.webhook_id is not an ID/,
    );
    const numbers = readListReply(list({ ...ROW, id: 'dlv_2', event_id: 42, webhook_id: 7 }));
    expect((numbers as { eventId?: string; webhookId?: string }[])[1]).toMatchObject({
      eventId: undefined,
      webhookId: undefined,
    });
  });

  it('names what is wrong with the reply as a whole, a row that is not an object, and dropped_ids', () => {
    expect(problem(readListReply('text'))).toBe('the reply is not a JSON object');
    expect(problem(readListReply({ meta: {} }))).toBe('webhook_deliveries is missing');
    expect(problem(readListReply({ webhook_deliveries: {} }))).toBe(
      'webhook_deliveries is not an array',
    );
    expect(problem(readListReply({ webhook_deliveries: [ROW, 'dlv_2'] }))).toBe(
      'webhook_deliveries[1] is not an object',
    );
    expect(problem(readListReply({ webhook_deliveries: [{ id: 7 }] }))).toBe(
      'webhook_deliveries[0].id is not a string',
    );
    expect(problem(readListReply({ webhook_deliveries: [{}] }))).toBe(
      'webhook_deliveries[0].id is missing',
    );
    expect(problem(readBulkReply({ webhook_deliveries: [], meta: { dropped_ids: [1] } }))).toBe(
      'meta.dropped_ids is not an array of strings',
    );
    expect(
      problem(readBulkReply({ webhook_deliveries: [{ ...ROW, state: 's'.repeat(65) }] })),
    ).toBe('webhook_deliveries[0].state is 65 characters long, more than 64');
  });
});

describe('a reply past the limits, from the sandbox', () => {
  let world: World;
  let clock: VirtualClock;
  beforeEach(async () => {
    clock = new VirtualClock(Date.now(), 0);
    world = await startWorld({ clock });
  });
  afterEach(async () => {
    await world.sandbox.close();
  });

  const client = (): HindsiteClient =>
    new HindsiteClient({
      apiUrl: new URL(world.sandbox.url),
      credentials: { kind: 'client-credentials', ...ADMIN },
      maxAttempts: 2,
      timeoutMs: 2000,
      log: new RecordingLogger(),
      clock,
      redactor: new Redactor(),
      onToken: () => undefined,
    });
  const rowsOf = (body: unknown): Record<string, unknown>[] =>
    (body as { webhook_deliveries: Record<string, unknown>[] }).webhook_deliveries;

  it('is a list page that is not the documented reply: retried, then an error naming the field', async () => {
    world.seed(2);
    const action = 'a'.repeat(300_000);
    world.sandbox.inject({
      route: 'list',
      times: 2,
      rewrite: (body) => {
        const rows = rowsOf(body);
        (rows[1] as Record<string, unknown>)['event_action'] = action;
        return body;
      },
    });
    const error = await client()
      .listDeliveries({}, 1)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).outcome).toBe('not-sent');
    expect((error as ApiError).message).toBe(
      'List deliveries (page 1) failed: HTTP 200 with a body that is not the documented JSON (webhook_deliveries[1].event_action is 300000 characters long, more than 256) after 2 attempts. HINDSITE may be unavailable; try again later.',
    );
    expect(world.sandbox.requestsTo('list')).toHaveLength(2);
  });

  it('quotes the server’s words where a reply has no rows at all', async () => {
    world.sandbox.inject({
      route: 'list',
      times: 2,
      status: 200,
      body: JSON.stringify({ error: 'maintenance' }),
    });
    const error = await client()
      .listDeliveries({}, 1)
      .catch((caught: unknown) => caught as ApiError);
    expect((error as ApiError).message).toMatch(
      /not the documented JSON \(webhook_deliveries is missing: maintenance\) after 2 attempts/,
    );
  });

  it('is a bulk reply whose outcome is unknown, naming the field', async () => {
    const ids = world.seed(1);
    world.sandbox.inject({
      route: 'bulk',
      afterHandling: true,
      rewrite: (body) => {
        const [row] = rowsOf(body);
        (row as Record<string, unknown>)['event_id'] = 'e'.repeat(129);
        return body;
      },
    });
    const error = await client()
      .redeliver(ids, 'batch 1 of 1')
      .catch((caught: unknown) => caught as ApiError);
    expect((error as ApiError).outcome).toBe('unknown');
    expect((error as ApiError).message).toMatch(
      /^Bulk redelivery \(batch 1 of 1\) failed: HTTP 20\d with a body that is not the documented JSON \(webhook_deliveries\[0\]\.event_id is 129 characters long, more than 128\)\. The outcome is unknown/,
    );
    expect(world.sandbox.requestsTo('bulk')).toHaveLength(1);
  });
});
