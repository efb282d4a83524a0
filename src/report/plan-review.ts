/**
 * Plans in words: the review a dry run's summary gives the person who approves it, and what
 * applying a plan found. Pure, like render.ts, which places these sections in the summary.
 */
import { SUMMARY_ROWS } from '../model/domain.js';
import { codeSpan, table } from './markdown.js';
import type { PlanCheck } from '../run/plan-check.js';
import { plural } from '../model/text.js';
import { type PlanFile, type PlannedDelivery } from '../settings/settings.js';

/** Rows of the per-webhook and per-event-action counts; the rest are counted in one line. */
const COUNT_ROWS = 20;

/** How the apply run's selection was made, for the summary's "Selection:" line. */
export function describePlanSelection(check: PlanCheck): string {
  return `the plan file ${codeSpan(check.path)} (\`plan-file\`), digest ${codeSpan(check.digest)}, made at ${check.createdAt}`;
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
    .map(([value, count]) => [value === null ? '(unknown: given by ID)' : value, count]);
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

/**
 * What a person approves: the digest that binds the set, the totals, counts per webhook and per
 * event action, and the time range of the events (the rows follow in "Would be redelivered").
 */
export function planReview(plan: PlanFile, planFilePath: string | undefined): string {
  const deliveries = plan.deliveries;
  const byWebhook = countBy(deliveries, (delivery) => delivery.webhookId);
  const byAction = countBy(deliveries, (delivery) => delivery.eventAction);
  const range = timeRange(deliveries);
  const byId = deliveries.filter((delivery) => delivery.eventId === null).length;
  const totals: [string, string | number][] = [
    ['Deliveries planned', deliveries.length],
    ['Events known (checked again when applied)', deliveries.length - byId],
    ['Given by ID (applied as planned)', byId],
    ['Webhooks', byWebhook.filter(([webhook]) => webhook !== null).length],
    ['Event actions', byAction.filter(([action]) => action !== null).length],
    ['Events from', range?.[0] ?? '—'],
    ['Events to', range?.[1] ?? '—'],
  ];
  const parts = [
    '### Plan for approval',
    '',
    `**Plan digest** (\`plan-digest\`): ${codeSpan(plan.digest)}`,
    '',
    `Made at ${plan.createdAt} for ${codeSpan(plan.apiUrl)} with ${plan.clientId.startsWith('access-token:') ? 'an access-token' : `client ID ${codeSpan(plan.clientId)}`}.${planFilePath ? ` Plan file (\`plan-file\`): ${codeSpan(planFilePath)}.` : ''}`,
    '',
    table(['', 'Count'], totals, totals.length),
    '',
  ];
  if (deliveries.length > 0) {
    parts.push(countTable('Webhook', byWebhook), '', countTable('Event action', byAction), '');
  }
  parts.push(
    `To apply exactly this set, run the action with \`plan-file\` set to this plan file and \`plan-digest: ${plan.digest}\`, within \`plan-max-age\` (24h by default) of ${plan.createdAt}. Events that change before then (retried, or completed) are skipped.`,
  );
  return parts.join('\n');
}

/** What applying a plan found before sending: which events changed, which went as planned. */
export function planApplied(check: PlanCheck, reportFile?: string): string {
  const parts = ['### Plan applied', ''];
  if (check.rechecked > 0) {
    parts.push(
      `${plural(check.rechecked, 'planned delivery was', 'planned deliveries were')} checked again through the list API before sending: ${plural(check.changed.length, 'event')} changed since the plan (a newer delivery, or another state) and ${check.changed.length === 1 ? 'was' : 'were'} skipped (\`skipped-count\`).`,
      '',
    );
  }
  if (check.asPlanned > 0) {
    parts.push(
      `${plural(check.asPlanned, 'planned delivery was', 'planned deliveries were')} given by ID, with no event known: HINDSITE offers no lookup by ID, so ${check.asPlanned === 1 ? 'it is' : 'they are'} applied as planned, without a check.`,
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
