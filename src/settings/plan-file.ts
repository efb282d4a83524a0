/**
 * The plan-file format: what a dry run writes for a person to approve, and what a later run
 * applies. A plan binds a set of deliveries to one API and one client through its digest, so that
 * the approval of a digest is the approval of exactly that set. Pure: report/publish.ts writes the
 * file, settings/plan-inputs.ts reads it, run/draft-plan.ts makes one.
 */
import { createHash } from 'node:crypto';
import { isDeliveryId, type Delivery } from '../model/domain.js';
import { isObject } from '../model/json.js';
import { ID_RULE } from './formats.js';
import type { PlanFile, PlannedDelivery } from './settings.js';

export const PLAN_FORMAT: PlanFile['format'] = 'hindsite-redeliver-plan';
export const PLAN_VERSION: PlanFile['version'] = 1;
/** The first element of the digest's canonical form: a digest of another form can never match. */
const DIGEST_TAG = `${PLAN_FORMAT}/${PLAN_VERSION}`;

/** api-url as a plan binds it: scheme, host and port as URL normalizes them, and the path prefix. */
export function apiBase(url: URL): string {
  return url.pathname === '/' ? url.origin : `${url.origin}${url.pathname}`;
}

/**
 * SHA-256, as lowercase hex, of the UTF-8 bytes of the compact JSON text
 *
 *     ["hindsite-redeliver-plan/1", apiUrl, clientId, createdAt, [[id, eventId, webhookId, state], ...]]
 *
 * createdAt is bound so that the age plan-max-age checks cannot be edited, nor refreshed by making
 * the same plan again: a new plan needs a new approval.
 * with the deliveries in plan order, null where unknown, and strings as JSON.stringify writes them.
 * Arrays only, so that no key order is involved. Hashed a delivery at a time: a plan of 100,000
 * deliveries never becomes one string.
 */
export function planDigest(
  apiUrl: string,
  clientId: string,
  createdAt: string,
  deliveries: readonly PlannedDelivery[],
): string {
  const hash = createHash('sha256');
  hash.update(
    `[${[DIGEST_TAG, apiUrl, clientId, createdAt].map((field) => JSON.stringify(field)).join(',')},[`,
  );
  deliveries.forEach((delivery, index) => {
    const bound = [delivery.id, delivery.eventId, delivery.webhookId, delivery.state];
    hash.update(`${index > 0 ? ',' : ''}${JSON.stringify(bound)}`);
  });
  hash.update(']]');
  return hash.digest('hex');
}

/** A planned delivery as the rest of the run speaks of deliveries. */
export function asDelivery(planned: PlannedDelivery): Delivery {
  return {
    id: planned.id,
    eventId: planned.eventId ?? undefined,
    eventAction: planned.eventAction ?? undefined,
    webhookId: planned.webhookId ?? undefined,
    state: planned.state ?? undefined,
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
export const HEX_DIGEST = /^[0-9a-f]{64}$/;
/** The fields of a planned delivery besides its ID, each a string or null. */
const PLANNED_TEXT_FIELDS = ['eventId', 'eventAction', 'webhookId', 'createdAt', 'state'] as const;

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
    typeof createdAt === 'string' && !Number.isNaN(Date.parse(createdAt)),
    'an ISO 8601 date-time',
  );
  field('apiUrl', typeof apiUrl === 'string' && apiUrl.length > 0, 'a URL');
  field('clientId', typeof clientId === 'string', 'a string');
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
    for (const name of PLANNED_TEXT_FIELDS) {
      field(`${at}.${name}`, isText(delivery[name] ?? null), 'a string or null');
    }
    return {
      id: delivery['id'] as string,
      eventId: (delivery['eventId'] as string | null | undefined) ?? null,
      eventAction: (delivery['eventAction'] as string | null | undefined) ?? null,
      webhookId: (delivery['webhookId'] as string | null | undefined) ?? null,
      createdAt: (delivery['createdAt'] as string | null | undefined) ?? null,
      state: (delivery['state'] as string | null | undefined) ?? null,
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
  if (planDigest(plan.apiUrl, plan.clientId, plan.createdAt, plan.deliveries) !== plan.digest) {
    throw new PlanFileError(
      'does not match its own digest: the plan was changed after it was made',
    );
  }
  return plan;
}
