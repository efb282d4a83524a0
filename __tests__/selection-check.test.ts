/**
 * SelectionCheck (run/recheck.ts), the check of a selection right before it is sent, at the scale
 * the action is sized for: when the events of well over 100,000 deliveries not sent yet all
 * changed meanwhile (another run redelivered them, say), each is skipped and recorded. A crash
 * there would leave them all in unsent-ids, "safe to send again", though each was redelivered.
 */
import { describe, expect, it } from '@jest/globals';
import type { Delivery } from '../src/model/domain.js';
import type { ListPage } from '../src/hindsite/paging.js';
import { SelectionCheck } from '../src/run/recheck.js';
import { VirtualClock } from './support/virtual-clock.js';
import { RecordingLogger } from './support/logger.js';

const COUNT = 150_000;
const PAGE_ROWS = 10_000;

const row = (id: string, eventId: string, createdAt: string): Delivery => ({
  id,
  eventId,
  webhookId: 'wh',
  eventAction: 'form_completed',
  state: 'errored',
  createdAt,
  response: null,
});

describe('SelectionCheck', () => {
  it('skips the deliveries of 150,000 events that all changed, every one of them', async () => {
    const selected = Array.from({ length: COUNT }, (_, index) =>
      row(`d${index}`, `e${index}`, '2026-11-29T10:00:00.000Z'),
    );
    // Each event has a newer delivery now, made after the selection.
    const listed = [
      ...selected.map((delivery, index) =>
        row(`n${index}`, delivery.eventId as string, '2026-11-29T11:00:00.000Z'),
      ),
      ...selected,
    ];
    const listPage: ListPage = async (_filters, page) =>
      listed.slice((page - 1) * PAGE_ROWS, page * PAGE_ROWS);
    const check = new SelectionCheck(new Map(selected.map((d) => [d.id, d])), listPage, {
      clock: new VirtualClock(),
      concurrency: 4,
      log: new RecordingLogger(),
      timeoutMs: 600_000,
    });

    const skipped = await check.check(
      selected.map((delivery) => delivery.id),
      'the deliveries not sent yet',
    );

    expect(skipped.size).toBe(COUNT);
    expect(check.changed).toHaveLength(COUNT);
    expect(check.changed[COUNT - 1]).toEqual(
      expect.objectContaining({ id: `d${COUNT - 1}`, newestId: `n${COUNT - 1}` }),
    );
  });
});
