/**
 * The sandbox's own time on the wire (the `Date` header of every reply, from its clock, not the
 * machine's), and a redelivery made in HINDSITE's web app rather than through the API.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { HindsiteSandbox } from '../sandbox/index.js';
import { VirtualClock } from './support/virtual-clock.js';

const T0 = Date.parse('2025-01-15T12:00:00.000Z');
const ADMIN = { clientId: 'admin', clientSecret: 'secret', organisationId: 'org_a', admin: true };

let sandbox: HindsiteSandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

async function start(clock: VirtualClock): Promise<HindsiteSandbox> {
  sandbox = await HindsiteSandbox.start({ clock });
  sandbox.addClient(ADMIN);
  return sandbox;
}

describe('the Date header', () => {
  it('is the sandbox clock’s time on every reply, API, token and unknown paths alike', async () => {
    const clock = new VirtualClock(T0);
    const server = await start(clock);
    const token = server.issueToken(ADMIN.clientId);
    const list = await fetch(`${server.url}/api/v2/webhook_deliveries`, {
      headers: { authorization: `Bearer ${token}` },
    });
    await list.text();
    expect(list.headers.get('date')).toBe('Wed, 15 Jan 2025 12:00:00 GMT');
    clock.advance(90_000);
    const missing = await fetch(`${server.url}/nowhere`);
    await missing.text();
    expect(missing.headers.get('date')).toBe('Wed, 15 Jan 2025 12:01:30 GMT');
    const refused = await fetch(`${server.url}/oauth/token`, { method: 'POST' });
    await refused.text();
    expect(refused.headers.get('date')).toBe('Wed, 15 Jan 2025 12:01:30 GMT');
  });

  it('can be replaced by a fault, or left empty', async () => {
    const server = await start(new VirtualClock(T0));
    const token = server.issueToken(ADMIN.clientId);
    server.inject({ route: 'list', headers: { date: '' } });
    const reply = await fetch(`${server.url}/api/v2/webhook_deliveries`, {
      headers: { authorization: `Bearer ${token}` },
    });
    await reply.text();
    expect(reply.headers.get('date')).toBe('');
  });
});

describe('a redelivery from HINDSITE’s web app', () => {
  it('adds a pending row of the same event, at the sandbox’s time, and drops unknown IDs', async () => {
    const clock = new VirtualClock(T0);
    const server = await start(clock);
    const original = server.seedDelivery({ organisationId: 'org_a', createdAt: new Date(T0 - 1) });
    const other = server.seedDelivery({ organisationId: 'org_b' });
    clock.advance(5000);
    const { created, dropped } = server.redeliver('org_a', [original.id, other.id, 'dlv_none']);
    expect(dropped).toEqual([other.id, 'dlv_none']);
    expect(created).toEqual([
      expect.objectContaining({
        eventId: original.eventId,
        webhookId: original.webhookId,
        state: 'pending',
        createdAt: new Date(T0 + 5000),
      }),
    ]);
    // Not through the API: no request was recorded, and the original is untouched.
    expect(server.requests).toEqual([]);
    expect(server.delivery(original.id)?.state).toBe('errored');
  });
});
