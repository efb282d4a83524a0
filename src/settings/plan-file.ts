/**
 * The plan-file format: what a dry run writes for a person to approve, and what a later run
 * applies. A plan binds a set of deliveries to one API and one client through its digest, so that
 * the approval of a digest is the approval of exactly that set (when the digest comes from the
 * approver: see planDigest). Pure: report/publish.ts writes the
 * file, settings/plan-inputs.ts reads it, run/draft-plan.ts makes one.
 */
import { createHash } from 'node:crypto';
import { isDeliveryId, type Delivery } from '../model/domain.js';
import { isObject } from '../model/json.js';
import { ID_RULE } from './formats.js';
import type { PlanFile, PlannedDelivery } from './settings.js';

export const PLAN_FORMAT: PlanFile['format'] = 'hindsite-redeliver-plan';
export const PLAN_VERSION: PlanFile['version'] = 2;
/** The first element of the digest's canonical form: a digest of another form can never match. */
const DIGEST_TAG = `${PLAN_FORMAT}/${PLAN_VERSION}`;

/** api-url as a plan binds it: scheme, host and port as URL normalizes them, and the path prefix. */
export function apiBase(url: URL): string {
  return url.pathname === '/' ? url.origin : `${url.origin}${url.pathname}`;
}

/** What a plan's digest binds: every field of the plan file but the digest itself. */
export type PlanContent = Pick<
  PlanFile,
  'createdAt' | 'apiUrl' | 'clientId' | 'selection' | 'deliveries'
>;

/**
 * SHA-256, as lowercase hex, of the UTF-8 bytes of the compact JSON text
 *
 *     ["hindsite-redeliver-plan/2", apiUrl, clientId, createdAt, [[key, value], ...],
 *      [[id, eventId, eventAction, webhookId, createdAt, state], ...]]
 *
 * with the selection's entries sorted by key, the deliveries in plan order, null where unknown, and
 * strings as JSON.stringify writes them. Arrays only, so that no key order is involved. Every field
 * of the file is bound, so that nothing a reviewer or the apply run reads from it can change
 * without changing the digest: createdAt too, so that the age plan-max-age checks cannot be
 * edited, nor refreshed by making the same plan again. Hashed a delivery at a time: a plan of
 * 100,000 deliveries never becomes one string.
 *
 * The digest is a plain hash that anyone can recompute for any file: it ties a plan to an approval
 * only when the digest the apply run is given comes from the approver (plan-digest), never from the
 * file.
 */
export function planDigest(plan: PlanContent): string {
  const hash = createHash('sha256');
  const selection = Object.entries(plan.selection).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const head = [DIGEST_TAG, plan.apiUrl, plan.clientId, plan.createdAt, selection];
  hash.update(`${JSON.stringify(head).slice(0, -1)},[`);
  plan.deliveries.forEach((delivery, index) => {
    const bound = [
      delivery.id,
      delivery.eventId,
      delivery.eventAction,
      delivery.webhookId,
      delivery.createdAt,
      delivery.state,
    ];
    hash.update(`${index > 0 ? ',' : ''}${JSON.stringify(bound)}`);
  });
  hash.update(']]');
  return hash.digest('hex');
}

/**
 * When a plan was made, only as a dry run writes it (`Date.prototype.toISOString`: UTC, with
 * milliseconds), and only a time that reads back as itself: Date.parse takes far more (RFC 2822
 * dates with comments, no day check), and whatever it takes would be shown in the summary.
 */
const PLAN_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
export function isPlanTime(value: unknown): value is string {
  if (typeof value !== 'string' || !PLAN_TIME.test(value)) return false;
  const time = Date.parse(value);
  return !Number.isNaN(time) && new Date(time).toISOString() === value;
}

function isApiBase(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > 2048 || !URL.canParse(value)) return false;
  const url = new URL(value);
  return (url.protocol === 'https:' || url.protocol === 'http:') && apiBase(url) === value;
}

/** A planned delivery as the rest of the run speaks of deliveries. */
export function asDelivery(planned: PlannedDelivery): Delivery {
  return {
    id: planned.id,
    eventId: planned.eventId,
    eventAction: planned.eventAction ?? undefined,
    webhookId: planned.webhookId ?? undefined,
    state: planned.state,
    createdAt: planned.createdAt ?? undefined,
    response: null,
  };
}

/** Why a text is not a plan this action can apply: completes "Input plan-file …". */
export class PlanFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlanFileError';
  }
}

const isText = (value: unknown): value is string | null =>
  value === null || typeof value === 'string';
const isName = (value: unknown): value is string => typeof value === 'string' && value.length > 0;
export const HEX_DIGEST = /^[0-9a-f]{64}$/;
/** Fields a planned delivery may leave null (or out): the list did not say. */
const OPTIONAL_FIELDS = ['eventAction', 'webhookId', 'createdAt'] as const;

/**
 * The plan in `text`, or a PlanFileError that says what is wrong without repeating what the file
 * holds (a path that names the wrong file must not print it): not JSON (cut short, or not a plan),
 * not a plan, another version, a field of the wrong type, or content that its digest does not match.
 */
export function parsePlanFile(text: string): PlanFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new PlanFileError('is not valid JSON: the file is cut short, or is not a plan file');
  }
  const version = isObject(raw) ? raw['version'] : undefined;
  // A version of its own first: a plan file of a later release may be shaped in any other way.
  if (typeof version === 'number' && version < PLAN_VERSION && version >= 1) {
    throw new PlanFileError(
      `is a plan of an older version (${version}), whose deliveries given by ID would be sent without being checked again: this action applies plans of version ${PLAN_VERSION} only; make a new plan with this version of the action and have it approved`,
    );
  }
  if (typeof version === 'number' && version !== PLAN_VERSION) {
    throw new PlanFileError(
      `is a plan of an unknown version (${version}): this action applies plans of version ${PLAN_VERSION} only; make the plan with the same version of the action that applies it`,
    );
  }
  if (!isObject(raw) || raw['format'] !== PLAN_FORMAT) {
    throw new PlanFileError(
      `is not a plan file: it has no "format": "${PLAN_FORMAT}" (a plan is the plan-file output of a dry run)`,
    );
  }
  if (version !== PLAN_VERSION) {
    throw new PlanFileError(
      `is a plan of no version number: this action applies plans of version ${PLAN_VERSION} only`,
    );
  }
  const field = (name: string, ok: boolean, what: string): void => {
    if (!ok) throw new PlanFileError(`is not a valid plan: "${name}" must be ${what}`);
  };
  const { digest, createdAt, apiUrl, clientId, selection, deliveries } = raw;
  field('digest', typeof digest === 'string' && HEX_DIGEST.test(digest), '64 lowercase hex digits');
  field(
    'createdAt',
    isPlanTime(createdAt),
    'a date-time as a dry run writes it (YYYY-MM-DDTHH:mm:ss.sssZ)',
  );
  // Both are shown when they differ from this run's: only what a dry run could have written.
  field('apiUrl', isApiBase(apiUrl), 'an http(s) URL as a dry run writes it');
  field(
    'clientId',
    typeof clientId === 'string' && clientId.length <= 256 && !/[\p{C}]/u.test(clientId),
    'a client ID (at most 256 printable characters)',
  );
  field(
    'selection',
    isObject(selection) && Object.values(selection).every(isText),
    'an object of strings',
  );
  field('deliveries', Array.isArray(deliveries), 'an array');
  const planned = (deliveries as unknown[]).map((entry, index): PlannedDelivery => {
    const at = `deliveries[${index}]`;
    field(at, isObject(entry) && typeof entry['id'] === 'string', 'an object with an "id"');
    const delivery = entry as Record<string, unknown>;
    // Applying checks each planned delivery again by its event and state: without them it could
    // only send it unchecked (plans of version 1 held such deliveries).
    field(`${at}.eventId`, isName(delivery['eventId']), 'the event of the delivery (a string)');
    field(`${at}.state`, isName(delivery['state']), 'the state of the delivery (a string)');
    for (const name of OPTIONAL_FIELDS) {
      field(`${at}.${name}`, isText(delivery[name] ?? null), 'a string or null');
    }
    return {
      id: delivery['id'] as string,
      eventId: delivery['eventId'] as string,
      eventAction: (delivery['eventAction'] as string | null | undefined) ?? null,
      webhookId: (delivery['webhookId'] as string | null | undefined) ?? null,
      createdAt: (delivery['createdAt'] as string | null | undefined) ?? null,
      state: delivery['state'] as string,
    };
  });
  // Every ID has the shape of one (the file may not be what it claims), and none is planned twice.
  const seen = new Set<string>();
  planned.forEach((delivery, index) => {
    field(`deliveries[${index}].id`, isDeliveryId(delivery.id), `a delivery ID (${ID_RULE})`);
    field(`deliveries[${index}].id`, !seen.has(delivery.id), 'an ID not planned before');
    seen.add(delivery.id);
  });
  const plan: PlanFile = {
    format: PLAN_FORMAT,
    version: PLAN_VERSION,
    digest: digest as string,
    createdAt: createdAt as string,
    apiUrl: apiUrl as string,
    clientId: clientId as string,
    selection: selection as Record<string, string | null>,
    deliveries: planned,
  };
  if (planDigest(plan) !== plan.digest) {
    throw new PlanFileError(
      'does not match its own digest: the plan was changed after it was made',
    );
  }
  return plan;
}
