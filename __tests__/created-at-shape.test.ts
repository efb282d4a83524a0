/**
 * A created_at is read only in the documented date-time shape; anything else counts as absent, and
 * no window computed from the times a server gives can become an invalid date: a run that worked
 * is never turned into "Unexpected error: Invalid time value".
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { createdAtMs, windowStart } from '../src/model/domain.js';
import { pollFilters } from '../src/run/settle.js';
import { recheckFilters } from '../src/run/recheck.js';
import { listQuery } from '../src/hindsite/wire.js';
import { inProcess, json, runBundle, type Runner } from './support/runner.js';
import { useWorld, type World } from './support/world.js';

let world: World;
useWorld((started) => (world = started));
const runInWorld: Runner = inProcess(() => world.clock);

/** Readable by Date.parse, but not the documented date-time: the earliest date a Date can hold. */
const EARLIEST = '-271821-04-20T00:00:00Z';
const LATEST = '+275760-09-13T00:00:00Z';

const at = (createdAt: string) => ({ id: 'd', response: null, createdAt });

describe('createdAtMs', () => {
  it.each([
    EARLIEST,
    LATEST,
    '2024-01-15',
    'Mon, 15 Jan 2024 09:30:00 GMT',
    '1705311000',
    '2024-01-15 09:30:00Z',
  ])('counts %s as absent', (text) => {
    expect(createdAtMs(at(text))).toBeUndefined();
  });

  it.each([
    ['2024-01-15T09:30:00Z', Date.UTC(2024, 0, 15, 9, 30)],
    ['2024-01-15T09:30:00.250Z', Date.UTC(2024, 0, 15, 9, 30, 0, 250)],
    ['2024-01-15T10:30:00+01:00', Date.UTC(2024, 0, 15, 9, 30)],
    ['2024-01-15T09:30Z', Date.UTC(2024, 0, 15, 9, 30)],
  ])('reads %s', (text, ms) => {
    expect(createdAtMs(at(text))).toBe(ms);
  });
});

describe('windows computed from server times', () => {
  it('are valid dates from 1970 on, whatever the times they start from', () => {
    for (const ms of [-8.64e15, -1, 0, 60_000, 8.64e15, Infinity, -Infinity, NaN]) {
      const since = windowStart(ms);
      if (since === undefined) continue;
      expect(Number.isNaN(since.getTime())).toBe(false);
      expect(since.getTime()).toBeGreaterThanOrEqual(0);
      expect(() => listQuery({ since }, 1).toString()).not.toThrow();
    }
    expect(windowStart(NaN)).toBeUndefined();
    expect(windowStart(-8.64e15)).toEqual(new Date(0));
    expect(windowStart(8.64e15)?.toISOString()).toBe('+275760-09-13T00:00:00.000Z');
  });

  it('hold for the wait’s polls and a plan’s re-check at the edges of what a Date holds', () => {
    expect(pollFilters(-8.64e15, new Set(['wh'])).since).toEqual(new Date(0));
    expect(pollFilters(undefined, new Set(['wh'])).since).toBeUndefined();
    const planned = { id: 'p', eventId: 'e', eventAction: null, webhookId: null, state: 'errored' };
    expect(recheckFilters([{ ...planned, createdAt: '0000-01-01T00:00:00Z' }]).since).toEqual(
      new Date(0),
    );
    expect(recheckFilters([{ ...planned, createdAt: EARLIEST }]).since).toBeUndefined();
  });
});

/** The bulk replies carry this created_at on every new row. */
function bulkRowsCreatedAt(createdAt: string): void {
  world.sandbox.inject({
    route: 'bulk',
    times: Infinity,
    rewrite: (body) => {
      const reply = body as { webhook_deliveries: Record<string, unknown>[] };
      for (const row of reply.webhook_deliveries) row.created_at = createdAt;
      return reply;
    },
  });
}

describe('a run whose server gives a created_at out of shape', () => {
  it('waits for the new deliveries as if the bulk reply had none', async () => {
    world.sandbox.setSettle({ afterMs: 300, outcome: () => 'completed' });
    bulkRowsCreatedAt(EARLIEST);
    const ids = world.seed(3);
    const run = await runInWorld({
      ...world.inputs,
      'delivery-ids': ids.join(),
      wait: 'true',
      'poll-interval-seconds': '1',
    });
    expect(run.stdout).not.toContain('Unexpected error');
    expect(run.code).toBe(0);
    expect(run.outputs['completed-count']).toBe('3');
  });

  it('with the bundle, plans and applies a discovered delivery whose created_at is out of shape', async () => {
    const id = world.seedAt(1);
    world.sandbox.inject({
      route: 'list',
      times: Infinity,
      rewrite: (body) => {
        const reply = body as { webhook_deliveries: Record<string, unknown>[] };
        for (const row of reply.webhook_deliveries) if (row.id === id) row.created_at = EARLIEST;
        return reply;
      },
    });
    const planned = await runBundle({ ...world.inputs, since: '2h', 'dry-run': 'true' });
    expect(planned.code).toBe(0);
    const file = planned.outputs['plan-file'] ?? '';
    const plan = JSON.parse(readFileSync(file, 'utf8')) as { deliveries: { createdAt: unknown }[] };
    expect(plan.deliveries).toEqual([expect.objectContaining({ id, createdAt: null })]);
    const applied = await runBundle({
      ...world.inputs,
      'plan-file': file,
      'plan-digest': planned.outputs['plan-digest'] ?? '',
    });
    expect(applied.stdout).not.toContain('Unexpected error');
    expect(applied.code).toBe(0);
    expect(json(applied.outputs['created-ids'])).toHaveLength(1);
  });
});
