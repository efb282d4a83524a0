/**
 * discovery-timeout-seconds: discovery and a plan's re-check read every list page before anything
 * is sent, and timeout-seconds bounds each page, not all of them: a server that answers each page
 * just in time could hold the step for hours. This bounds the pages of one selection together,
 * and those of each check of the selection right before sending (recheck.ts SelectionCheck). The
 * wait after sending has its own deadline (wait-timeout-seconds) and does not come here.
 */
import type { ListPage } from '../hindsite/paging.js';
import type { Clock } from '../model/clock.js';
import { ApiError } from '../model/errors.js';
import { plural } from '../model/text.js';

export interface ListDeadline {
  timeoutMs: number;
  clock: Clock;
  /** The job was cancelled: the walk stops, and its own error stands. */
  cancel?: AbortSignal;
  /** The error to fail with once the deadline has passed, given the pages read by then. */
  expired: (pagesRead: number) => ApiError;
}

/**
 * Runs `walk` with a `listPage` that starts no page once the deadline has passed and uses no page
 * that came back after it, and a signal that stops the pages in flight at the deadline (or when
 * the job is cancelled). The deadline is the clock's: its time decides what a page may start or
 * return, and a real timer stops a page that is still waiting for its reply.
 */
export async function withinDeadline<T>(
  deadline: ListDeadline,
  listPage: ListPage,
  walk: (listPage: ListPage, signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const { timeoutMs, clock, cancel } = deadline;
  const endsAtMs = clock.now() + timeoutMs;
  const stop = new AbortController();
  let timedOut = false;
  const cancelTimer = clock.deadline(timeoutMs, () => {
    timedOut = true;
    stop.abort();
  });
  const onCancel = (): void => stop.abort();
  if (cancel?.aborted) onCancel();
  else cancel?.addEventListener('abort', onCancel, { once: true });
  const passed = (): boolean => timedOut || clock.now() >= endsAtMs;
  let pagesRead = 0;
  const bounded: ListPage = async (filters, page, signal) => {
    if (passed()) throw deadline.expired(pagesRead);
    const rows = await listPage(filters, page, signal);
    if (passed()) throw deadline.expired(pagesRead);
    pagesRead++;
    return rows;
  };
  try {
    return await walk(bounded, stop.signal);
  } catch (error) {
    // A page stopped at the deadline fails as "stopped": the deadline is what the user must know.
    if (!cancel?.aborted && passed()) throw deadline.expired(pagesRead);
    throw error;
  } finally {
    cancelTimer();
    cancel?.removeEventListener('abort', onCancel);
  }
}

const seconds = (ms: number): string => `${ms / 1000} s`;
const pagesText = (pagesRead: number): string =>
  pagesRead > 0 ? ` ${plural(pagesRead, 'list page was', 'list pages were')} read by then.` : '';

/** Discovery ran out of time: nothing was selected, so nothing was sent. */
export function discoveryTimedOut(timeoutMs: number, pagesRead: number): ApiError {
  return new ApiError(
    `Discovery did not finish within discovery-timeout-seconds (${seconds(timeoutMs)}), so nothing was redelivered: narrow it with since or webhook-id, or raise discovery-timeout-seconds.${pagesText(pagesRead)}`,
    'not-sent',
  );
}

/**
 * A dry run's look-up of explicit IDs in the list ran out of time: no plan was made, and every ID
 * is still to send.
 */
export function lookupTimedOut(timeoutMs: number, pagesRead: number, given: number): ApiError {
  return new ApiError(
    `Looking up the delivery IDs in the list did not finish within discovery-timeout-seconds (${seconds(timeoutMs)}), so no plan was made: raise discovery-timeout-seconds. The ${plural(given, 'ID is', 'IDs are')} in unsent-ids, safe to send again.${pagesText(pagesRead)}`,
    'not-sent',
  );
}

/** A plan's re-check ran out of time: every planned delivery is still to send. */
export function recheckTimedOut(timeoutMs: number, pagesRead: number, planned: number): ApiError {
  return new ApiError(
    `Checking the plan again did not finish within discovery-timeout-seconds (${seconds(timeoutMs)}), so nothing was sent: raise discovery-timeout-seconds, or make a plan with a narrower since or webhook-id. The ${plural(planned, 'planned delivery is', 'planned deliveries are')} in unsent-ids, safe to send again.${pagesText(pagesRead)}`,
    'not-sent',
  );
}

/**
 * A check of the selection right before sending ran out of time: what was not sent yet stays
 * unsent. Completes "Checking the deliveries not sent yet again before sending them failed: …".
 */
export function freshCheckTimedOut(timeoutMs: number, pagesRead: number): ApiError {
  return new ApiError(
    `the list was not read within discovery-timeout-seconds (${seconds(timeoutMs)}), so nothing more was sent: raise discovery-timeout-seconds, or narrow the selection with since or webhook-id.${pagesText(pagesRead)}`,
    'not-sent',
  );
}
