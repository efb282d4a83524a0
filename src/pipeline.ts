import type { HindsiteClient } from './client.js';
import type { ApiError } from './errors.js';
import { sendBatches } from './execute.js';
import { RedeliveryLedger } from './ledger.js';
import type { Settings } from './inputs.js';
import type { Logger } from './log.js';
import { planBatches } from './plan.js';
import type { Sleep } from './retry.js';
import type { RunOutcome } from './report.js';
import { shortList } from './report.js';
import { selectDeliveries } from './selection.js';
import { pollFilters, waitForSettle } from './settle.js';

export interface PipelineContext {
  client: HindsiteClient;
  log: Logger;
  sleep: Sleep;
  now: () => number;
}

/**
 * settings → selection → plan → bulk calls → ledger → (wait). Fills `outcome` as it goes, so that
 * whatever throws, the report still says where every ID stands.
 */
export async function runPipeline(
  settings: Settings,
  outcome: RunOutcome,
  context: PipelineContext,
): Promise<void> {
  const { client, log } = context;
  const selection = await selectDeliveries(
    settings.source,
    (filters, page, signal) => client.listDeliveries(filters, page, signal),
    settings.concurrency,
  );
  outcome.selection = selection;
  const ledger = new RedeliveryLedger(selection.ids, selection.known);
  outcome.ledger = ledger;
  if (selection.source.kind === 'discovery') {
    log.info(
      `Discovery: ${selection.discoveredCount} deliveries found in ${selection.pagesRead} page(s); ${selection.ids.length} selected, ${selection.skippedCount} skipped.`,
    );
  }
  try {
    if (selection.ids.length === 0) {
      log.info('Nothing to retry: no delivery was selected.');
      return;
    }
    const batches = planBatches(selection.ids, settings);
    if (settings.dryRun) {
      log.info(
        `Dry run: ${selection.ids.length} delivery(ies) would be redelivered in ${batches.length} bulk call(s); nothing was sent.`,
      );
      return;
    }
    // Credentials are checked before the first batch, so that a bad secret leaves every ID unsent.
    await client.authenticate();
    const requestedAtMs = context.now();
    const send = (): Promise<ApiError[]> =>
      sendBatches(batches, (ids, label) => client.redeliver(ids, label), ledger, {
        concurrency: settings.concurrency,
        log,
      });
    // One line per bulk call: folded when there are many, with the totals after the fold.
    const failures =
      batches.length === 1
        ? await send()
        : await log.group(
            `Redelivering ${selection.ids.length} deliveries in ${batches.length} bulk calls of up to ${settings.batchSize} IDs, up to ${settings.concurrency} at a time`,
            send,
          );
    if (batches.length > 1) {
      log.info(
        `Bulk redelivery: ${ledger.createdCount} created, ${ledger.idsWith('dropped').length} dropped, ${ledger.idsWith('failed').length} failed, ${ledger.idsWith('unsent').length} unsent, of ${selection.ids.length} IDs.`,
      );
    }
    if (failures.length > 0) {
      outcome.failure = describeFailures(failures[0]?.message ?? '', ledger);
      return;
    }
    const dropped = ledger.idsWith('dropped');
    if (settings.wait.enabled && ledger.createdCount > 0) {
      const target = {
        ids: ledger.createdIds,
        details: ledger.createdDetails,
        filters: pollFilters(ledger.earliestCreatedAtMs, ledger.createdWebhooks, requestedAtMs),
      };
      const settle = await waitForSettle(
        target,
        (filters, page, signal) => client.listDeliveries(filters, page, signal),
        {
          timeoutMs: settings.wait.timeoutMs,
          pollIntervalMs: settings.wait.pollIntervalMs,
          concurrency: settings.concurrency,
          log,
          sleep: context.sleep,
          now: context.now,
        },
      );
      outcome.settle = settle;
      const problems: string[] = [];
      if (settle.failingIds.length > 0) {
        problems.push(
          `${settle.failingIds.length} new delivery(ies) failed again (failing-ids): the receiver still refuses them; fix it, then re-run with the original IDs`,
        );
      }
      if (settle.unsettledIds.length > 0) {
        problems.push(
          `${settle.unsettledIds.length} new delivery(ies) had not settled ${settle.error ? `when polling failed (${settle.error})` : `after ${settings.wait.timeoutMs / 1000} s`} (unsettled-ids): check them later or raise wait-timeout-seconds`,
        );
      }
      if (problems.length > 0) {
        outcome.failure = `Redelivered ${ledger.createdCount} delivery(ies), but ${problems.join('; ')}.`;
        return;
      }
    }
    if (dropped.length > 0 && settings.failOnDropped) {
      outcome.failure = `HINDSITE dropped ${dropped.length} delivery ID(s) and fail-on-dropped is true: ${shortList(dropped, 20)}. They do not exist or belong to another organisation.`;
    }
  } finally {
    ledger.close();
  }
}

/** Says what went wrong, and for each group of IDs whether it is safe to send again. */
export function describeFailures(firstMessage: string, ledger: RedeliveryLedger): string {
  const unknown = ledger.failedIds('unknown').length;
  const rejected = ledger.failedIds('rejected').length;
  const handled = ledger.idsWith('confirmed').length + ledger.idsWith('dropped').length;
  const parts = [firstMessage];
  if (unknown > 0) {
    parts.push(
      `${unknown} ID(s) may have been redelivered (outcome unknown; in failed-ids): check them in HINDSITE before sending them again.`,
    );
  }
  if (rejected > 0) {
    parts.push(
      `${rejected} ID(s) were refused and not redelivered (in failed-ids): safe to send again once the cause is fixed.`,
    );
  }
  parts.push(
    `${ledger.idsWith('unsent').length} ID(s) were never sent (unsent-ids): safe to send again. ${handled} ID(s) were handled before the failure.`,
  );
  return parts.join(' ');
}
