/**
 * Plans in words: the review a dry run's summary gives the person who approves it, and what
 * applying a plan found. Pure, like summary.ts, which places these sections in the summary.
 */
import { SUMMARY_ROWS } from '../model/domain.js';
import { codeSpan, table } from './markdown.js';
import type { NotPlanned, PlanCheck } from '../run/plan-check.js';
import { plural } from '../model/text.js';
import { type PlanFile, type PlannedDelivery } from '../settings/settings.js';

/** Rows of the per-webhook and per-event-action counts; the rest are counted in one line. */
const COUNT_ROWS = 20;

/** How the apply run's selection was made, for the summary's "Selection:" line. */
export function describePlanSelection(check: PlanCheck): string {
  return `the plan file ${codeSpan(check.path)} (\`plan-file\`), digest ${codeSpan(check.digest)}, made at ${codeSpan(check.createdAt)}`;
}

/** The rows the selection table adds for a plan being applied. */
export function planCountRows(check: PlanCheck): [string, number][] {
  return [
    ['Planned', check.planned],
    ['Skipped: changed since the plan', check.changed.length],
  ];
}

function countBy(
  deliveries: readonly PlannedDelivery[],
  key: (delivery: PlannedDelivery) => string | null,
): [string | null, number][] {
  const counts = new Map<string | null, number>();
  for (const delivery of deliveries) {
    const value = key(delivery);
    counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  return [...counts].sort(
    ([a, countA], [b, countB]) => countB - countA || String(a).localeCompare(String(b)),
  );
}

function countTable(title: string, counts: [string | null, number][]): string {
  const rows = counts
    .slice(0, COUNT_ROWS)
    .map(([value, count]) => [value === null ? '(not listed)' : value, count]);
  return table([title, 'Deliveries'], rows, counts.length);
}

/** The time range of the planned events: the earliest and latest created_at known. */
function timeRange(deliveries: readonly PlannedDelivery[]): [string, string] | undefined {
  let first: number | undefined;
  let last: number | undefined;
  for (const delivery of deliveries) {
    const time = delivery.createdAt === null ? NaN : Date.parse(delivery.createdAt);
    if (Number.isNaN(time)) continue;
    first = Math.min(first ?? time, time);
    last = Math.max(last ?? time, time);
  }
  return first === undefined || last === undefined
    ? undefined
    : [new Date(first).toISOString(), new Date(last).toISOString()];
}

/** Why a delivery was left out of a plan, in the words of the "Not planned" table. */
export const NOT_PLANNED_REASONS: Record<NotPlanned['reason'], string> = {
  'not found': "not found: unknown, or another organisation's",
  'not newest': 'not the newest delivery of its event',
  'unknown event': 'listed without an event or state: applying could not check it',
};

function notPlannedSection(notPlanned: readonly NotPlanned[], reportFile?: string): string[] {
  if (notPlanned.length === 0) return [];
  const rows = notPlanned
    .slice(0, SUMMARY_ROWS)
    .map((delivery) => [
      delivery.id,
      NOT_PLANNED_REASONS[delivery.reason],
      delivery.newestId,
      delivery.newestState,
    ]);
  return [
    `#### Not planned (${notPlanned.length})`,
    '',
    'Left out of the plan: no approval covers them, and applying the plan never sends them. Applying checks every planned delivery again by its event, and these could not be checked, or would be skipped (`notPlanned` in the report file).',
    '',
    table(
      ['Delivery', 'Why', 'Newest delivery of its event', 'Its state'],
      rows,
      notPlanned.length,
      reportFile,
    ),
    '',
  ];
}

/**
 * What a person approves: the digest that binds the set, the totals, counts per webhook and per
 * event action, the time range of the events, what was left out, and what applying (once, or
 * again) does (the rows follow in "Would be redelivered").
 */
export function planReview(
  plan: PlanFile,
  planFilePath: string | undefined,
  notPlanned: readonly NotPlanned[] = [],
  reportFile?: string,
): string {
  const deliveries = plan.deliveries;
  const byWebhook = countBy(deliveries, (delivery) => delivery.webhookId);
  const byAction = countBy(deliveries, (delivery) => delivery.eventAction);
  const range = timeRange(deliveries);
  const totals: [string, string | number][] = [['Deliveries planned', deliveries.length]];
  if (notPlanned.length > 0) totals.push(['Not planned', notPlanned.length]);
  totals.push(
    ['Webhooks', byWebhook.filter(([webhook]) => webhook !== null).length],
    ['Event actions', byAction.filter(([action]) => action !== null).length],
    ['Events from', range?.[0] ?? '—'],
    ['Events to', range?.[1] ?? '—'],
  );
  const madeAt = codeSpan(plan.createdAt);
  const parts = [
    '### Plan for approval',
    '',
    `**Plan digest** (\`plan-digest\`): ${codeSpan(plan.digest)}`,
    '',
    `Made at ${madeAt} for ${codeSpan(plan.apiUrl)} with ${plan.clientId.startsWith('access-token:') ? 'an access-token' : `client ID ${codeSpan(plan.clientId)}`}.${planFilePath ? ` Plan file (\`plan-file\`): ${codeSpan(planFilePath)}.` : ''}`,
    '',
    table(['', 'Count'], totals, totals.length),
    '',
  ];
  if (deliveries.length > 0) {
    parts.push(countTable('Webhook', byWebhook), '', countTable('Event action', byAction), '');
  }
  parts.push(...notPlannedSection(notPlanned, reportFile));
  parts.push(
    `To apply exactly this set, run the action with \`plan-file\` set to this plan file and \`plan-digest: ${plan.digest}\` (required: pass this digest as approved, never one read from the file), within \`plan-max-age\` (24h by default) of ${madeAt}. Applying checks every planned delivery again through the list API and skips each event whose newest delivery is no longer the planned one, in the planned state (retried, or completed).`,
    '',
    'Applying this plan again (a second run, or "Re-run jobs") redelivers nothing that an earlier apply redelivered: those events have a newer delivery by then, so they are skipped. What an earlier apply did not get redelivered (a refused call, say) is sent.',
  );
  return parts.join('\n');
}

/** What applying a plan found before sending: which events changed since the plan. */
export function planApplied(check: PlanCheck, reportFile?: string): string {
  const parts = ['### Plan applied', ''];
  if (check.rechecked > 0) {
    parts.push(
      `${plural(check.rechecked, 'planned delivery was', 'planned deliveries were')} checked again through the list API before sending: ${plural(check.changed.length, 'event')} changed since the plan (a newer delivery, e.g. from an earlier apply of this plan, or another state) and ${check.changed.length === 1 ? 'was' : 'were'} skipped (\`skipped-count\`).`,
      '',
    );
  }
  if (check.changed.length > 0) {
    const rows = check.changed
      .slice(0, SUMMARY_ROWS)
      .map((delivery) => [
        delivery.id,
        delivery.eventId,
        delivery.webhookId,
        delivery.plannedState,
        delivery.newestId,
        delivery.newestState,
      ]);
    parts.push(
      `#### Skipped: changed since the plan (${check.changed.length})`,
      '',
      table(
        [
          'Planned delivery',
          'Event',
          'Webhook',
          'Planned state',
          'Newest delivery now',
          'Its state',
        ],
        rows,
        check.changed.length,
        reportFile,
      ),
    );
  }
  return parts.join('\n').trimEnd();
}
