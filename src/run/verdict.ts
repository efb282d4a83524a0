/**
 * The verdict of a run, decided in one place from the values the stages returned: what stopped
 * selecting, how sending ended, whether the job was cancelled, and whatever was thrown. Every
 * verdict but the checkpoint's `checking` is built here and nowhere else.
 */
import { errorMessage, InputError, type ApiError } from '../model/errors.js';
import type { Verdict } from './result.js';

/** How the send stage ended, as that stage saw it. */
export type SendEnd =
  /** No delivery was selected: nothing to send. */
  | { kind: 'nothing-selected' }
  /** More deliveries than max-deliveries: nothing was sent. */
  | { kind: 'over-cap'; selected: number; cap: number }
  /** A dry run: the bulk calls it would make, none made. */
  | { kind: 'dry-run'; bulkCalls: number }
  /** The token exchange before the first bulk call failed: nothing was sent. */
  | { kind: 'not-authenticated'; error: ApiError }
  /** The job was cancelled before, or between, the phases of sending. */
  | { kind: 'stopped' }
  /** A bulk call (or the re-check before one) failed: no batch started after it. */
  | { kind: 'batches-failed'; first: ApiError }
  /** The canary's new deliveries did not all complete: the rest was not sent. */
  | { kind: 'canary-not-passed'; timeoutMs: number }
  /** Everything was sent; with wait, `unsettled` when new deliveries failed again or did not settle. */
  | { kind: 'sent'; unsettled?: { timeoutMs: number } };

/** What the stages of a run produced, as far as the run got. */
export interface StageOutcomes {
  /** Thrown where nothing typed was expected: an input refused before the run, or a bug. */
  thrown?: unknown;
  /** The job was cancelled: the name of the signal. */
  cancelledBy?: string;
  /** Selecting failed (discovery, a plan's re-check, looking up IDs): nothing was sent. */
  selectFailed?: ApiError;
  send?: SendEnd;
  /** fail-on-dropped was asked, and HINDSITE dropped this many IDs. */
  droppedAgainstFailOnDropped?: number;
}

export function decideVerdict(outcomes: StageOutcomes): Verdict {
  const { thrown, cancelledBy, selectFailed, send } = outcomes;
  if (thrown instanceof InputError) return { kind: 'input-refused', message: thrown.message };
  if (thrown !== undefined) {
    return {
      kind: 'unexpected',
      message: errorMessage(thrown),
      stack: thrown instanceof Error ? thrown.stack : undefined,
    };
  }
  // Whatever else went wrong, a cancelled job says so first: it explains the rest.
  if (cancelledBy !== undefined) return { kind: 'cancelled', signal: cancelledBy };
  if (selectFailed) return { kind: 'api-failed', error: selectFailed };
  switch (send?.kind) {
    case undefined:
    case 'nothing-selected':
    case 'stopped':
      return { kind: 'ok' };
    case 'over-cap':
      return { kind: 'over-cap', selected: send.selected, cap: send.cap };
    case 'dry-run':
      return { kind: 'dry-run', bulkCalls: send.bulkCalls };
    case 'not-authenticated':
      return { kind: 'api-failed', error: send.error };
    case 'batches-failed':
      return { kind: 'batches-failed', first: send.first };
    case 'canary-not-passed':
      return { kind: 'canary-refused', timeoutMs: send.timeoutMs };
    case 'sent':
      if (send.unsettled) return { kind: 'not-settled', timeoutMs: send.unsettled.timeoutMs };
      if ((outcomes.droppedAgainstFailOnDropped ?? 0) > 0) return { kind: 'dropped' };
      return { kind: 'ok' };
  }
}
