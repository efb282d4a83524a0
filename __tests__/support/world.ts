import { afterEach, beforeEach } from '@jest/globals';
import { HindsiteSandbox, type SandboxDelivery, type SandboxOptions } from '../../sandbox/index.js';
import { VirtualClock } from './virtual-clock.js';

export const ADMIN = { clientId: 'ci-admin', clientSecret: 'sEcReT-admin-7f3a9c' };
export const VIEWER = { clientId: 'ci-viewer', clientSecret: 'sEcReT-viewer-2b8d41' };
export const ORG = 'org_acme';
export const OTHER_ORG = 'org_other';

export interface World {
  sandbox: HindsiteSandbox;
  /** The time of this world: the sandbox and the in-process action both read it. */
  clock: VirtualClock;
  /** Inputs that point the action at the sandbox with admin credentials. */
  inputs: Record<string, string>;
  seed: (count: number, fields?: Partial<SandboxDelivery>) => string[];
  /** One errored delivery created `hoursAgo` hours before the world's clock. */
  seedAt: (hoursAgo: number, fields?: Partial<SandboxDelivery>) => string;
  /** The body of a bulk reply (a lying one, to inject) with these new rows, created now. */
  bulkReply: (rows: ReplyRow[], droppedIds?: string[]) => string;
  /** The bulk redelivery calls the sandbox received: when, and the IDs each carried. */
  bulkCalls: () => { at: number; ids: string[] }[];
}

export interface ReplyRow {
  id: string;
  eventId?: string;
  webhookId?: string;
}

const HOUR_MS = 3_600_000;

/** A sandbox with an admin and a non-admin client of one organisation, and another organisation. */
export async function startWorld(options: SandboxOptions = {}): Promise<World> {
  const clock = new VirtualClock();
  const sandbox = await HindsiteSandbox.start({ clock, ...options });
  return worldOn(sandbox, sandbox.url, clock);
}

/** The same world over a sandbox that the test serves itself at `url` (behind TLS, say). */
export function worldOn(
  sandbox: HindsiteSandbox,
  url: string,
  clock: VirtualClock = new VirtualClock(),
): World {
  sandbox.addClient({ ...ADMIN, organisationId: ORG, admin: true });
  sandbox.addClient({ ...VIEWER, organisationId: ORG, admin: false });
  return {
    sandbox,
    clock,
    inputs: {
      'client-id': ADMIN.clientId,
      'client-secret': ADMIN.clientSecret,
      'api-url': url,
    },
    bulkCalls: () =>
      sandbox.requestsTo('bulk').map((request) => ({
        at: request.at,
        ids: (JSON.parse(request.body) as { delivery_ids: string[] }).delivery_ids,
      })),
    seed: (count, fields = {}) =>
      Array.from(
        { length: count },
        () => sandbox.seedDelivery({ organisationId: ORG, state: 'errored', ...fields }).id,
      ),
    seedAt: (hoursAgo, fields = {}) =>
      sandbox.seedDelivery({
        organisationId: ORG,
        state: 'errored',
        createdAt: new Date(clock.now() - hoursAgo * HOUR_MS),
        ...fields,
      }).id,
    bulkReply: (rows, droppedIds = []) =>
      JSON.stringify({
        webhook_deliveries: rows.map((row) => ({
          id: row.id,
          webhook_id: row.webhookId ?? 'wh_orders',
          event_id: row.eventId ?? `evt_${row.id}`,
          event_action: 'form_completed',
          state: 'pending',
          response: null,
          created_at: new Date(clock.now()).toISOString(),
        })),
        meta: { dropped_ids: droppedIds },
      }),
  };
}

/**
 * A fresh world for every test of the file: `onStart` receives it (assign it to the file's
 * `world`), and its sandbox is closed after the test.
 */
export function useWorld(onStart: (world: World) => void, options?: SandboxOptions): void {
  let current: World | undefined;
  beforeEach(async () => {
    current = await startWorld(options);
    onStart(current);
  });
  afterEach(async () => {
    await current?.sandbox.close();
  });
}
