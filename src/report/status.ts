/** The headline of a run: the one place that decides what the summary's first line says. */
import { plural } from '../model/text.js';
import type { RunResult } from '../run/result.js';
import {
  joinSentences,
  type Lists,
  sentenceCase,
  shortList,
  type Status,
  WARNING_IDS,
} from './facts.js';

/** The one place that decides the headline; `failure` is failureMessage's verdict on the run. */
export function statusOf(result: RunResult, lists: Lists, failure: string | undefined): Status {
  if (failure !== undefined) return { kind: 'failed', text: failure };
  const selected = lists.selected.length;
  const unmatched = unmatchedFilters(result);
  if (result.verdict.kind === 'dry-run' || result.settings?.dryRun) {
    return selected > 0
      ? {
          kind: 'dry-run',
          empty: false,
          text: `Dry run: ${plural(selected, 'delivery', 'deliveries')} to approve; nothing was sent.`,
        }
      : {
          kind: 'dry-run',
          empty: true,
          text: joinSentences(
            'Dry run: nothing to approve.',
            whyNothing(result),
            'No plan was written.',
          ),
          // A dry run that matched nothing is as likely a typo in a filter as a run that sends.
          warning: unmatched && `Nothing to approve: ${unmatched}`,
        };
  }
  const created = lists.created.length;
  if (created > 0) {
    return {
      kind: 'redelivered',
      text: `${plural(created, 'redelivery', 'redeliveries')} created.`,
    };
  }
  if (selected > 0) {
    const dropped = lists.dropped.length;
    const what =
      dropped === selected
        ? selected === 1
          ? 'HINDSITE dropped the only delivery ID: it does not exist or belongs to another organisation.'
          : `HINDSITE dropped all ${plural(selected, 'delivery ID')}: they do not exist or belong to another organisation.`
        : `HINDSITE created no redelivery for the ${plural(selected, 'delivery', 'deliveries')} selected.`;
    return {
      kind: 'nothing-redelivered',
      text: `Nothing redelivered: ${what}`,
      warning: `Nothing redelivered: ${what}${dropped > 0 ? ` Check the IDs (dropped-ids): ${shortList(lists.dropped, WARNING_IDS)}.` : ''}`,
    };
  }
  if (unmatched) {
    const text = `Nothing redelivered: ${unmatched}`;
    return { kind: 'nothing-redelivered', text, warning: text };
  }
  return {
    kind: 'nothing-to-do',
    text: joinSentences('Nothing to do: no failed deliveries found.', whyNothing(result)),
  };
}

/**
 * Discovery that matched no delivery at all under its filters (a typo in webhook-id, say): the
 * sentence naming the filters' values, or undefined.
 */
export function unmatchedFilters(result: RunResult): string | undefined {
  const selection = result.selection;
  if (selection?.source.kind !== 'discovery' || requestedCount(result) > 0) return undefined;
  const source = selection.source;
  const filters: string[] = [];
  if (source.webhookId) filters.push(`webhook-id: ${source.webhookId}`);
  if (source.since) {
    const iso = source.since.toISOString();
    filters.push(
      source.sinceInput && source.sinceInput !== iso
        ? `since: ${source.sinceInput}, from ${iso}`
        : `since: ${iso}`,
    );
  }
  if (source.eventActions) filters.push(`event-action: ${source.eventActions.join(', ')}`);
  return `discovery matched no delivery under its filters (${filters.join('; ')}). Check these values.`;
}

/** Why a run selected nothing, in a sentence ('' when there is nothing to say). */
export function whyNothing(result: RunResult): string {
  const selection = result.selection;
  if (!selection) return '';
  const source = selection.source;
  switch (source.kind) {
    case 'delivery-ids':
      return 'The delivery-ids input lists no ID.';
    case 'delivery-ids-file':
      return 'The delivery-ids-file lists no ID.';
    case 'discovery': {
      const found = requestedCount(result);
      if (found === 0) return sentenceCase(unmatchedFilters(result) ?? '');
      return `Discovery found ${plural(found, 'delivery', 'deliveries')}; the newest delivery of each event is not ${source.state}.`;
    }
    case 'plan-file':
      return selection.skippedCount > 0
        ? `${sentenceCase(plural(selection.skippedCount, 'planned delivery', 'planned deliveries'))} changed since the plan (skipped).`
        : 'The plan lists no delivery.';
  }
}

/**
 * Deliveries the run started from, before skipping: the distinct IDs given, the deliveries
 * discovery found under its filters (event-action included), or the deliveries of the plan.
 */
export function requestedCount({ settings, selection }: RunResult): number {
  const source = selection?.source ?? settings?.source;
  if (!source) return 0;
  if (source.kind !== 'discovery') return source.ids.length;
  return selection ? selection.discoveredCount - (selection.leftOutCount ?? 0) : 0;
}
