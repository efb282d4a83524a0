/**
 * The run's settings, as the input parser (inputs.ts) builds them: parsed and validated, before
 * the first request.
 */
import type { DeliveryState } from '../model/domain.js';

/**
 * One planned delivery, as the list API showed it when the plan was made. Its event and state are
 * always known (a dry run leaves out what it cannot look up), so that applying can check each
 * again; null where the list did not say.
 */
export interface PlannedDelivery {
  id: string;
  eventId: string;
  eventAction: string | null;
  webhookId: string | null;
  createdAt: string | null;
  state: string;
}

/** The plan file, version 2, as written and as read back. */
export interface PlanFile {
  format: 'hindsite-redeliver-plan';
  version: 2;
  /** SHA-256 (hex) of the canonical form of every other field: see planDigest. */
  digest: string;
  /** When the plan was made, exactly as `Date.prototype.toISOString` writes it (UTC). */
  createdAt: string;
  /** The API the plan was made for: api-url, normalized (see apiBase). */
  apiUrl: string;
  /** The client ID the plan was made with, or a fingerprint of its access-token (see clientIdOf). */
  clientId: string;
  /** How the deliveries were selected (for people). */
  selection: Record<string, string | null>;
  /** In the order they will be sent. */
  deliveries: PlannedDelivery[];
}

export type Credentials =
  | { kind: 'client-credentials'; clientId: string; clientSecret: string }
  | { kind: 'access-token'; accessToken: string };

export type SelectionSource =
  | { kind: 'delivery-ids'; ids: string[] }
  | { kind: 'delivery-ids-file'; path: string; ids: string[] }
  | {
      kind: 'discovery';
      since?: Date;
      sinceInput?: string;
      webhookId?: string;
      state: DeliveryState;
      /** Only deliveries whose event_action is one of these (event-action); undefined: any. */
      eventActions?: string[];
    }
  /** A plan a dry run wrote, checked (see plan-inputs.ts); `ids` are the planned IDs, in plan order. */
  | { kind: 'plan-file'; path: string; plan: PlanFile; ids: string[] };

/** Everything the run needs, parsed and validated before the first request. */
export interface Settings {
  credentials: Credentials;
  apiUrl: URL;
  source: SelectionSource;
  batchSize: number;
  concurrency: number;
  maxDeliveries: number;
  dryRun: boolean;
  failOnDropped: boolean;
  maxAttempts: number;
  timeoutMs: number;
  /** All list pages of discovery, or of a plan's re-check, together (discovery-timeout-seconds). */
  discoveryTimeoutMs: number;
  wait: { enabled: boolean; timeoutMs: number; pollIntervalMs: number };
  /** At most this many redeliveries per minute (max-rate); undefined: no limit. */
  maxRatePerMinute?: number;
  /** Deliveries sent first, whose new deliveries must complete before the rest is sent (0: none). */
  canary?: number;
}

export interface InputReader {
  /** The input's value, trimmed; '' when unset. */
  get(name: string): string;
  /**
   * The text of the file named by delivery-ids-file (or plan-file); throws an IdsFileError when it
   * cannot serve.
   */
  readIdsFile(path: string): string;
  now(): Date;
}

/** The plan-file source: a plan read, checked against this run, and still to be re-checked. */
export type PlanSource = Extract<SelectionSource, { kind: 'plan-file' }>;
