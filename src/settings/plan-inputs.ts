/**
 * The plan inputs (plan-file, plan-digest, plan-max-age): a plan read through the same bounded
 * reader as delivery-ids-file, and refused before any request unless it is the one approved.
 */
import { createHash } from 'node:crypto';
import { InputError } from '../model/errors.js';
import { IdsFileError } from './ids-file.js';
import { MAX_LOOKBACK_DAYS, MAX_LOOKBACK_MS, parseDuration } from './formats.js';
import { apiBase, HEX_DIGEST, parsePlanFile, PlanFileError } from './plan-file.js';
import type { Credentials, InputReader, PlanSource } from './settings.js';
import { type PlanFile } from './settings.js';

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

/** A plan made this far in our future comes from a runner whose clock is wrong. */
const FUTURE_SKEW_MS = 5 * 60_000;

/**
 * plan-max-age: a duration (30m, 24h, 7d), default 24h; at most as far back as since may reach, as
 * a plan older than that is not one to apply.
 */
export function parsePlanMaxAge(value: string): number {
  const ms = parseDuration(value || '24h') ?? NaN;
  if (!(ms > 0 && ms <= MAX_LOOKBACK_MS)) {
    throw new InputError(
      'plan-max-age',
      `Input plan-max-age must be a duration such as 30m, 24h or 7d, of at most ${MAX_LOOKBACK_DAYS} days; got "${value}".`,
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
 * the plan that was approved (plan-digest, required), was made for this API and this client, and is
 * not older than plan-max-age.
 */
export function readPlanSource(
  path: string,
  inputs: InputReader,
  binding: { apiUrl: URL; credentials: Credentials },
): PlanSource {
  const approved = parsePlanDigest(inputs.get('plan-digest'));
  // A plan file's own digest is a plain hash that whoever can rewrite the file can recompute: only
  // a digest from the approver ties the plan to the approval.
  if (!approved) {
    throw new InputError(
      'plan-digest',
      'Input plan-digest is required with plan-file: pass the plan-digest output of the dry run that was approved. A plan file cannot vouch for itself (anyone who can change it can recompute its digest); nothing was sent.',
    );
  }
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
  if (approved !== plan.digest) {
    throw new InputError(
      'plan-digest',
      `Input plan-digest does not match the plan: it is not the plan that was approved, so nothing was sent; apply the approved dry run's plan file. The approved digest is ${approved}, the plan file's is ${plan.digest}.`,
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
