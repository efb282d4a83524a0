/**
 * The plan a dry run writes: its selection in sending order, with what the run knew of each
 * delivery, bound by its digest (see settings/plan-file.ts).
 */
import type { Credentials, SelectionSource } from '../settings/settings.js';
import { apiBase, planDigest, PLAN_FORMAT, PLAN_VERSION } from '../settings/plan-file.js';
import { clientIdOf } from '../settings/plan-inputs.js';
import type { Settings } from '../settings/settings.js';
import { type PlanFile, type PlannedDelivery } from '../settings/settings.js';
import { type Selection } from './result.js';

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
    // lookup.ts leaves out of a dry run's selection what applying could not check again.
    if (!delivery?.eventId || !delivery.state) {
      throw new Error(`delivery ${id} was selected for a plan without a known event and state`);
    }
    return {
      id,
      eventId: delivery.eventId,
      eventAction: delivery.eventAction ?? null,
      webhookId: delivery.webhookId ?? null,
      createdAt: delivery.createdAt ?? null,
      state: delivery.state,
    };
  });
  const content = {
    createdAt: new Date(nowMs).toISOString(),
    apiUrl: apiBase(binding.apiUrl),
    clientId: clientIdOf(binding.credentials),
    selection: describeSelection(selection.source),
    deliveries,
  };
  return {
    format: PLAN_FORMAT,
    version: PLAN_VERSION,
    digest: planDigest(content),
    ...content,
  };
}

/**
 * The plan of a dry run, to be written next to its report: none when it selected nothing it could
 * send (nothing at all, over the cap, a failed discovery, a cancelled job) or was not a dry run:
 * there is nothing to approve.
 */
export function planOfRun(
  {
    settings,
    selection,
    verdict,
  }: { settings?: Settings; selection?: Selection; verdict: { kind: string } },
  nowMs: number,
): PlanFile | undefined {
  if (!settings?.dryRun || !selection || selection.ids.length === 0) return undefined;
  if (verdict.kind !== 'dry-run' && verdict.kind !== 'ok') return undefined;
  return buildPlanFile(selection, settings, nowMs);
}
