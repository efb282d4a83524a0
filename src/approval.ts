/**
 * Plan files: what a dry run writes for a person to approve, and what a later run applies. A plan
 * binds a set of deliveries to one API and one client through its digest, so that the approval of
 * a digest is the approval of exactly that set. Pure: publish.ts writes the file, and the reading
 * goes through the same bounded reader as delivery-ids-file.
 */
import { createHash } from 'node:crypto';
import { isDeliveryId, type Delivery } from './domain.js';
import { InputError } from './errors.js';
import { IdsFileError } from './ids-file.js';
import { DURATION, ID_RULE, UNIT_MS } from './formats.js';
import type { Credentials, InputReader, SelectionSource } from './inputs.js';
import type { RunResult } from './result.js';
import type { Selection } from './selection.js';

export const PLAN_FORMAT = 'hindsite-redeliver-plan';
export const PLAN_VERSION = 1;
/** The first element of the digest's canonical form: a digest of another form can never match. */
const DIGEST_TAG = `${PLAN_FORMAT}/${PLAN_VERSION}`;

/** One planned delivery; null where the run did not know (explicit IDs know only the ID). */
export interface PlannedDelivery {
  id: string;
  eventId: string | null;
  eventAction: string | null;
  webhookId: string | null;
  createdAt: string | null;
  state: string | null;
}

/** The plan file, version 1, as written and as read back. */
export interface PlanFile {
  format: typeof PLAN_FORMAT;
  version: typeof PLAN_VERSION;
  /** SHA-256 (hex) of the canonical form of what the plan binds: see planDigest. */
  digest: string;
  /** When the plan was made (ISO 8601, UTC). */
  createdAt: string;
  /** The API the plan was made for: api-url, normalized (see apiBase). */
  apiUrl: string;
  /** The client ID the plan was made with, or a fingerprint of its access-token (see clientIdOf). */
  clientId: string;
  /** How the deliveries were selected (for people; not bound by the digest). */
  selection: Record<string, string | null>;
  /** In the order they will be sent. */
  deliveries: PlannedDelivery[];
}

/** The plan-file source: a plan read, checked against this run, and still to be re-checked. */
export type PlanSource = Extract<SelectionSource, { kind: 'plan-file' }>;

/** api-url as a plan binds it: scheme, host and port as URL normalizes them, and the path prefix. */
export function apiBase(url: URL): string {
  return url.pathname === '/' ? url.origin : `${url.origin}${url.pathname}`;
}

/**
 * Who a plan is bound to: the client ID, or for an access-token a fingerprint of the token (the
 * first 16 hex digits of its SHA-256: enough to tell tokens apart, nothing to recover one from),
 * so that a plan made with one token is not applied with another account's.
 */
export function clientIdOf(credentials: Credentials): string {
  if (credentials.kind === 'client-credentials') return credentials.clientId;
  const fingerprint = createHash('sha256').update(credentials.accessToken).digest('hex');
  return `access-token:sha256:${fingerprint.slice(0, 16)}`;
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

function describeSelection(source: SelectionSource): Record<string, string | null> {
  switch (source.kind) {
    case 'delivery-ids':
      return { source: 'delivery-ids' };
    case 'delivery-ids-file':
      return { source: 'delivery-ids-file', path: source.path };
    case 'discovery':
      return {
        source: 'discovery',
        since: source.since?.toISOString() ?? null,
        sinceInput: source.sinceInput ?? null,
        webhookId: source.webhookId ?? null,
        state: source.state,
      };
    case 'plan-file':
      return { source: 'plan-file', path: source.path, digest: source.plan.digest };
  }
}

/** The plan of a dry run: the selection in sending order, with what the run knew of each. */
export function buildPlanFile(
  selection: Selection,
  binding: { apiUrl: URL; credentials: Credentials },
  nowMs: number,
): PlanFile {
  const known = selection.known;
  const deliveries = selection.ids.map((id): PlannedDelivery => {
    const delivery = known.get(id);
    return {
      id,
      eventId: delivery?.eventId ?? null,
      eventAction: delivery?.eventAction ?? null,
      webhookId: delivery?.webhookId ?? null,
      createdAt: delivery?.createdAt ?? null,
      state: delivery?.state ?? null,
    };
  });
  const apiUrl = apiBase(binding.apiUrl);
  const clientId = clientIdOf(binding.credentials);
  const createdAt = new Date(nowMs).toISOString();
  return {
    format: PLAN_FORMAT,
    version: PLAN_VERSION,
    digest: planDigest(apiUrl, clientId, createdAt, deliveries),
    createdAt,
    apiUrl,
    clientId,
    selection: describeSelection(selection.source),
    deliveries,
  };
}

/**
 * The plan of a dry run, to be written next to its report: none when it selected nothing it could
 * send (over the cap, a failed discovery, a cancelled job) or was not a dry run.
 */
export function planOfRun(result: RunResult, nowMs: number): PlanFile | undefined {
  const { settings, selection, verdict } = result;
  if (!settings?.dryRun || !selection) return undefined;
  if (verdict.kind !== 'dry-run' && verdict.kind !== 'ok') return undefined;
  return buildPlanFile(selection, settings, nowMs);
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

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isText = (value: unknown): value is string | null =>
  value === null || typeof value === 'string';
const HEX_DIGEST = /^[0-9a-f]{64}$/;
const DELIVERY_FIELDS = ['eventId', 'eventAction', 'webhookId', 'createdAt', 'state'] as const;

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
    for (const name of DELIVERY_FIELDS) {
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

/** At most as far back as since may reach; a plan older than that is not one to apply. */
const MAX_PLAN_AGE_MS = 3650 * (UNIT_MS['d'] as number);
/** A plan made this far in our future comes from a runner whose clock is wrong. */
const FUTURE_SKEW_MS = 5 * 60_000;

/** plan-max-age: a duration (30m, 24h, 7d), default 24h. */
export function parsePlanMaxAge(value: string): number {
  const duration = DURATION.exec(value || '24h');
  const ms = duration
    ? Number(duration[1]) * (UNIT_MS[(duration[2] as string).toLowerCase()] as number)
    : NaN;
  if (!(ms > 0 && ms <= MAX_PLAN_AGE_MS)) {
    throw new InputError(
      'plan-max-age',
      `Input plan-max-age must be a duration such as 30m, 24h or 7d, of at most 3650 days; got "${value}".`,
    );
  }
  return ms;
}

/** plan-digest: the digest a person approved (64 hex digits), or '' when not given. */
export function parsePlanDigest(value: string): string {
  if (value !== '' && !HEX_DIGEST.test(value.toLowerCase())) {
    throw new InputError(
      'plan-digest',
      'Input plan-digest must be the 64 hex digits of a plan-digest output.',
    );
  }
  return value.toLowerCase();
}

function age(ms: number): string {
  const hours = ms / 3_600_000;
  return hours >= 48
    ? `${Math.floor(hours / 24)} days`
    : hours >= 1
      ? `${Math.floor(hours)} h`
      : `${Math.floor(ms / 60_000)} min`;
}

/**
 * The plan named by plan-file, refused (an InputError, before any request) unless it is intact, is
 * the plan that was approved (plan-digest, when given), was made for this API and this client, and
 * is not older than plan-max-age.
 */
export function readPlanSource(
  path: string,
  inputs: InputReader,
  binding: { apiUrl: URL; credentials: Credentials },
): PlanSource {
  const approved = parsePlanDigest(inputs.get('plan-digest'));
  const maxAgeMs = parsePlanMaxAge(inputs.get('plan-max-age'));
  let plan: PlanFile;
  try {
    plan = parsePlanFile(inputs.readIdsFile(path));
  } catch (error) {
    if (!(error instanceof IdsFileError || error instanceof PlanFileError)) throw error;
    const where = error instanceof PlanFileError ? `: ${path}` : '';
    throw new InputError(
      'plan-file',
      `Input plan-file ${error.message}${where}; nothing was sent.`,
    );
  }
  const refuse = (message: string): InputError =>
    new InputError('plan-file', `Input plan-file ${message}; nothing was sent.`);
  if (approved && approved !== plan.digest) {
    throw new InputError(
      'plan-digest',
      `Input plan-digest does not match the plan: the approved digest is ${approved}, the plan file's is ${plan.digest}. It is not the plan that was approved; nothing was sent.`,
    );
  }
  const apiUrl = apiBase(binding.apiUrl);
  if (plan.apiUrl !== apiUrl) {
    throw refuse(
      `holds a plan made for another API origin (${plan.apiUrl}) than this run's api-url (${apiUrl})`,
    );
  }
  const clientId = clientIdOf(binding.credentials);
  if (plan.clientId !== clientId) {
    const who = (id: string): string =>
      id.startsWith('access-token:') ? 'an access-token' : `client ID ${id}`;
    throw refuse(
      `holds a plan made with another client ID or access-token (${who(plan.clientId)}) than this run's (${who(clientId)})`,
    );
  }
  const now = inputs.now().getTime();
  const madeAt = Date.parse(plan.createdAt);
  if (madeAt - now > FUTURE_SKEW_MS) {
    throw refuse(
      `holds a plan made in the future (${plan.createdAt}): the clock of the runner that made it, or of this one, is wrong`,
    );
  }
  if (now - madeAt > maxAgeMs) {
    throw refuse(
      `holds a plan that has expired: made at ${plan.createdAt}, ${age(now - madeAt)} ago, it is older than plan-max-age (${inputs.get('plan-max-age') || '24h'}). Make a new plan and have it approved`,
    );
  }
  return { kind: 'plan-file', path, plan, ids: plan.deliveries.map((delivery) => delivery.id) };
}
