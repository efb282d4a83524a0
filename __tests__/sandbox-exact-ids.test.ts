/**
 * The sandbox compares IDs exactly, as the documented API is taken to: another spelling of a
 * delivery ID (its case, a zero-padded number, a full-width digit) is an ID it does not know, so
 * the bulk call drops it; another spelling of a webhook ID filters to no row. The contract check
 * "list: IDs compared exactly" confirms this against it.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { HindsiteSandbox, type DeliveryJson } from '../sandbox/index.js';

const ADMIN = { clientId: 'admin', clientSecret: 'admin-secret', organisationId: 'org_a' };

let sandbox: HindsiteSandbox;
let token: string;
beforeEach(async () => {
  sandbox = await HindsiteSandbox.start();
  sandbox.addClient({ ...ADMIN, admin: true });
  token = sandbox.issueToken(ADMIN.clientId);
});
afterEach(async () => {
  await sandbox.close();
});

async function call(path: string, body?: unknown): Promise<Record<string, unknown>> {
  const reply = await fetch(`${sandbox.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(reply.status).toBeLessThan(300);
  return (await reply.json()) as Record<string, unknown>;
}

describe('the sandbox compares IDs exactly', () => {
  it('drops another spelling of a delivery ID, and redelivers the ID itself once', async () => {
    const { id } = sandbox.seedDelivery({
      id: 'Dlv_7',
      organisationId: ADMIN.organisationId,
      webhookId: 'wh_Orders_42',
    });
    const spellings = ['dlv_7', 'DLV_7', 'Dlv_07', 'Dlv_\uff17', 'Dlv_7\u200b'];
    const reply = await call('/api/v2/webhook_deliveries/redeliveries', {
      delivery_ids: [...spellings, id],
    });
    expect((reply['meta'] as { dropped_ids: string[] }).dropped_ids).toEqual(spellings);
    expect(sandbox.deliveries().filter((row) => row.redeliveryOf === id)).toHaveLength(1);
  });

  it('lists no row for another spelling of a webhook ID', async () => {
    sandbox.seedDelivery({ organisationId: ADMIN.organisationId, webhookId: 'wh_Orders_42' });
    const rowsFor = async (webhookId: string): Promise<DeliveryJson[]> =>
      (await call(`/api/v2/webhook_deliveries?webhook_id=${encodeURIComponent(webhookId)}`))[
        'webhook_deliveries'
      ] as DeliveryJson[];
    expect(await rowsFor('wh_Orders_42')).toHaveLength(1);
    for (const spelling of [
      'wh_orders_42',
      'WH_oRDERS_42',
      'wh_Orders_042',
      'wh_Orders_\uff14\uff12',
    ]) {
      expect(await rowsFor(spelling)).toEqual([]);
    }
  });
});
