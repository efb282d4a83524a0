import { describe, expect, it } from '@jest/globals';
import type { PlanSource } from '../src/settings/settings.js';
import type { Delivery } from '../src/model/domain.js';
import { selectFromPlan } from '../src/run/recheck.js';
import { selectDeliveries } from '../src/run/selection.js';
import { type PlanFile, type PlannedDelivery } from '../src/settings/settings.js';

const row = (id: string, eventId: string, createdAt: string, state: string): Delivery => ({
  id,
  eventId,
  webhookId: 'wh',
  state,
  createdAt,
  response: null,
});
const P: PlannedDelivery = {
  id: 'dlv_P',
  eventId: 'evt_E',
  eventAction: 'x',
  webhookId: 'wh',
  createdAt: '2026-11-29T10:00:00.000Z',
  state: 'errored',
};
const source = (deliveries: PlannedDelivery[]): PlanSource => ({
  kind: 'plan-file',
  path: 'p.json',
  ids: deliveries.map((d) => d.id),
  plan: { deliveries } as unknown as PlanFile,
});

/**
 * Pages read at once from a list that grows at the top while it is read: a row pushed from page 1
 * onto page 2 between the two reads is on neither as read. A hostile review showed the plan's
 * re-check (and discovery) then missed the newer delivery of an event and sent it again.
 */
describe('reading a list that grows while it is read', () => {
  it('does not miss the newer delivery of a planned event when page 2 is served before page 1', async () => {
    // Newest first, 2 rows a page. N: someone already redelivered event E, and it completed.
    const list: Delivery[] = [
      row('dlv_A', 'evt_A', '2026-11-29T11:30:00Z', 'completed'),
      row('dlv_N', 'evt_E', '2026-11-29T11:00:00Z', 'completed'),
      row('dlv_P', 'evt_E', '2026-11-29T10:00:00Z', 'errored'),
      row('dlv_B', 'evt_B', '2026-11-29T09:59:30Z', 'completed'),
    ];
    const pageOf = (page: number): Delivery[] => list.slice((page - 1) * 2, page * 2);
    let releasePage1!: () => void;
    const page1Gate = new Promise<void>((resolve) => (releasePage1 = resolve));
    let page2Asked = false;
    const listPage = async (_filters: unknown, page: number): Promise<Delivery[]> => {
      if (page === 2) page2Asked = true;
      await Promise.resolve(); // let the other pages read at the same time be asked for
      // Read together with page 2, page 1 is answered after it.
      if (page === 1 && page2Asked) await page1Gate;
      if (page === 1) return pageOf(1);
      const rows = pageOf(page);
      if (page === 2) {
        // Any new delivery in the organisation, created between the two reads.
        list.unshift(row('dlv_X', 'evt_X', '2026-11-29T11:59:00Z', 'in_progress'));
        releasePage1();
      }
      return rows;
    };
    const selection = await selectFromPlan(source([P]), listPage, 4);
    // dlv_P's event already has a newer delivery (dlv_N, completed): it must be skipped.
    expect(selection.ids).toEqual([]);
  });
});

describe('a re-check that reads too much', () => {
  it('says what to do, not to give inputs that plan-file excludes', async () => {
    const listPage = async (_f: unknown, page: number): Promise<Delivery[]> => [
      row(`dlv_${page}`, `evt_${page}`, '2026-11-29T10:00:00Z', 'errored'),
    ];
    const error = await selectFromPlan(source([P]), listPage, 4).catch((e: Error) => e);
    expect((error as Error).message).toBe(
      'Checking the plan again read 2000 pages of deliveries without reaching the end of the list; nothing was sent. Make a plan with a narrower since or webhook-id.',
    );
  });
});

describe('discovery over a list that grows while it is read', () => {
  it('does not select an event whose newer delivery was pushed across a page boundary', async () => {
    const list: Delivery[] = [
      row('dlv_A', 'evt_A', '2026-11-29T11:30:00Z', 'completed'),
      row('dlv_N', 'evt_E', '2026-11-29T11:00:00Z', 'completed'),
      row('dlv_P', 'evt_E', '2026-11-29T10:00:00Z', 'errored'),
      row('dlv_B', 'evt_B', '2026-11-29T09:59:30Z', 'completed'),
    ];
    const pageOf = (page: number): Delivery[] => list.slice((page - 1) * 2, page * 2);
    let releasePage1!: () => void;
    const page1Gate = new Promise<void>((resolve) => (releasePage1 = resolve));
    let page2Asked = false;
    const listPage = async (_filters: unknown, page: number): Promise<Delivery[]> => {
      if (page === 2) page2Asked = true;
      await Promise.resolve();
      if (page === 1 && page2Asked) await page1Gate;
      if (page === 1) return pageOf(1);
      const rows = pageOf(page);
      if (page === 2 && list[0]?.id !== 'dlv_X') {
        list.unshift(row('dlv_X', 'evt_X', '2026-11-29T11:59:00Z', 'in_progress'));
        releasePage1();
      }
      return rows;
    };
    const selection = await selectDeliveries({ kind: 'discovery', state: 'errored' }, listPage, 4);
    expect(selection.ids).toEqual([]);
  });
});
