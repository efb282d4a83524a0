/**
 * The sandbox's data and the API's rules for it: OAuth clients and their tokens, and each
 * organisation's deliveries. A retry adds a new row and leaves the original as it was (kept for
 * audit, as the docs say), redeliveries settle lazily by the clock, and lists page newest first.
 * Nothing here knows about HTTP; the routes turn requests into calls on the store.
 */
import { randomBytes } from 'node:crypto';
import type {
  DeliveryResponse,
  DeliveryState,
  SandboxClient,
  SandboxDelivery,
  SettleOutcome,
  SandboxClock,
  SettlePolicy,
} from './types.js';

/** Doorkeeper's default lifetime, and what the docs' sample shows. */
export const TOKEN_LIFETIME_SECONDS = 7200;
const DEFAULT_PAGE_SIZE = 20;

export interface ListFilters {
  webhookId?: string;
  state?: DeliveryState;
  /** Only rows created at or after this instant (ms since the epoch). */
  since?: number;
  page: number;
}

export interface StoreOptions {
  /** Token expiry, `createdAt` of new rows and settling follow it. */
  clock: SandboxClock;
  pageSize?: number;
  settle?: SettlePolicy;
}

interface TokenGrant {
  clientId: string;
  expiresAt: number;
}

/** One organisation's rows, oldest first, so appending a new (newest) row keeps it sorted. */
interface OrgIndex {
  rows: SandboxDelivery[];
  sorted: boolean;
}

export class SandboxStore {
  readonly pageSize: number;
  private readonly clock: SandboxClock;
  private readonly clients = new Map<string, SandboxClient>();
  private readonly tokens = new Map<string, TokenGrant>();
  private readonly rows = new Map<string, SandboxDelivery>();
  private readonly orgs = new Map<string, OrgIndex>();
  private settlePolicy: SettlePolicy | undefined;
  private deliverySeq = 0;
  private eventSeq = 0;

  constructor(options: StoreOptions) {
    this.clock = options.clock;
    this.pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
    if (!Number.isInteger(this.pageSize) || this.pageSize < 1) {
      throw new RangeError(`pageSize must be a positive integer, got ${this.pageSize}`);
    }
    this.settlePolicy = options.settle;
  }

  now(): number {
    return this.clock.now();
  }

  addClient(client: SandboxClient): void {
    this.clients.set(client.clientId, { ...client });
  }

  /** The client these credentials authenticate, if any. */
  authenticate(clientId: string | null, clientSecret: string | null): SandboxClient | undefined {
    const client = this.clients.get(clientId ?? '');
    return client && client.clientSecret === clientSecret ? client : undefined;
  }

  issueToken(clientId: string, expiresInSeconds = TOKEN_LIFETIME_SECONDS): string {
    if (!this.clients.has(clientId)) throw new Error(`unknown client ${clientId}`);
    // 32 random bytes in base64url = 43 URL-safe characters, like Doorkeeper's tokens.
    const token = randomBytes(32).toString('base64url');
    this.tokens.set(token, { clientId, expiresAt: this.now() + expiresInSeconds * 1000 });
    return token;
  }

  /** The client a bearer token was issued to, while the token is valid. */
  tokenClient(token: string): SandboxClient | undefined {
    const grant = this.tokens.get(token);
    return grant && this.now() < grant.expiresAt ? this.clients.get(grant.clientId) : undefined;
  }

  expireTokens(): void {
    this.tokens.clear();
  }

  seedDelivery(d: Partial<SandboxDelivery> & { organisationId: string }): SandboxDelivery {
    const id = d.id ?? this.nextDeliveryId();
    if (this.rows.has(id)) throw new Error(`delivery ${id} already exists`);
    const state = d.state ?? 'errored';
    const createdAt = new Date((d.createdAt ?? new Date(this.now())).getTime());
    const row: SandboxDelivery = {
      id,
      organisationId: d.organisationId,
      webhookId: d.webhookId ?? 'wh_default',
      eventId: d.eventId ?? `evt_${pad(++this.eventSeq)}`,
      eventAction: d.eventAction ?? 'form_completed',
      state,
      response: d.response !== undefined ? d.response : defaultResponse(state),
      createdAt,
      updatedAt: new Date((d.updatedAt ?? createdAt).getTime()),
    };
    if (d.redeliveryOf !== undefined) row.redeliveryOf = d.redeliveryOf;
    return this.insert(row);
  }

  delivery(id: string): SandboxDelivery | undefined {
    const row = this.rows.get(id);
    return row && this.settle(row);
  }

  deliveries(): SandboxDelivery[] {
    return Array.from(this.rows.values(), (row) => this.settle(row));
  }

  setSettle(policy: SettlePolicy | undefined): void {
    this.settlePolicy = policy;
  }

  /** One page of an organisation's rows, newest first (createdAt desc, then id desc). */
  listPage(organisationId: string, filters: ListFilters): SandboxDelivery[] {
    const org = this.orgs.get(organisationId);
    if (!org) return [];
    if (!org.sorted) {
      org.rows.sort(compareOldestFirst);
      org.sorted = true;
    }
    const skip = (filters.page - 1) * this.pageSize;
    const page: SandboxDelivery[] = [];
    let matched = 0;
    for (let i = org.rows.length - 1; i >= 0 && page.length < this.pageSize; i--) {
      const row = org.rows[i]!;
      // Newest first, so every remaining row is older than `since` too.
      if (filters.since !== undefined && row.createdAt.getTime() < filters.since) break;
      if (filters.webhookId !== undefined && row.webhookId !== filters.webhookId) continue;
      if (filters.state !== undefined && this.settle(row).state !== filters.state) continue;
      if (matched++ >= skip) page.push(this.settle(row));
    }
    return page;
  }

  /**
   * One new row per ID of the organisation, in the order given; IDs that are unknown or belong to
   * another organisation are dropped (and returned in order), as the bulk endpoint documents.
   */
  redeliver(
    organisationId: string,
    ids: readonly string[],
  ): { created: SandboxDelivery[]; dropped: string[] } {
    const created: SandboxDelivery[] = [];
    const dropped: string[] = [];
    for (const id of ids) {
      const original = this.rows.get(id);
      if (original && original.organisationId === organisationId) {
        created.push(this.redeliverOne(original));
      } else {
        dropped.push(id);
      }
    }
    return { created, dropped };
  }

  private redeliverOne(original: SandboxDelivery): SandboxDelivery {
    const now = this.now();
    return this.insert({
      id: this.nextDeliveryId(),
      organisationId: original.organisationId,
      webhookId: original.webhookId,
      eventId: original.eventId,
      eventAction: original.eventAction,
      state: 'pending',
      response: null,
      createdAt: new Date(now),
      updatedAt: new Date(now),
      redeliveryOf: original.id,
    });
  }

  private insert(row: SandboxDelivery): SandboxDelivery {
    this.rows.set(row.id, row);
    let org = this.orgs.get(row.organisationId);
    if (!org) {
      org = { rows: [], sorted: true };
      this.orgs.set(row.organisationId, org);
    }
    // Rows usually arrive newest-last; anything else just defers one sort to the next list call.
    const last = org.rows[org.rows.length - 1];
    if (last && compareOldestFirst(last, row) > 0) org.sorted = false;
    org.rows.push(row);
    return row;
  }

  private nextDeliveryId(): string {
    let id: string;
    do id = `dlv_${pad(++this.deliverySeq)}`;
    while (this.rows.has(id));
    return id;
  }

  /**
   * Settling is lazy: a pending redelivery whose `createdAt + afterMs <= now()` takes its outcome
   * the first time it is read, and keeps it. That needs no timers and follows any clock.
   */
  private settle(row: SandboxDelivery): SandboxDelivery {
    const policy = this.settlePolicy;
    if (!policy || row.state !== 'pending' || row.redeliveryOf === undefined) return row;
    const due = row.createdAt.getTime() + policy.afterMs;
    if (this.now() < due) return row;
    const outcome = policy.outcome({
      originalId: row.redeliveryOf,
      newId: row.id,
      eventId: row.eventId,
      webhookId: row.webhookId,
    });
    row.state = outcome === 'never' ? 'in_progress' : outcome;
    row.response = settledResponse(outcome);
    row.updatedAt = new Date(due);
    return row;
  }
}

function compareOldestFirst(a: SandboxDelivery, b: SandboxDelivery): number {
  const byTime = a.createdAt.getTime() - b.createdAt.getTime();
  if (byTime !== 0) return byTime;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function defaultResponse(state: DeliveryState): DeliveryResponse | null {
  if (state === 'completed') return { code: 200, error: null };
  if (state === 'errored' || state === 'retrying') return { code: 500, error: null };
  return null; // pending / in_progress: no attempt has finished yet
}

function settledResponse(outcome: SettleOutcome): DeliveryResponse | null {
  return outcome === 'never' ? null : defaultResponse(outcome);
}

function pad(n: number): string {
  return String(n).padStart(6, '0');
}
