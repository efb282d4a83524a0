import type { Clock } from '../model/clock.js';
import { ApiError } from '../model/errors.js';
import type { Logger } from '../model/log.js';

/** The longest server-requested wait the action takes; beyond it the step fails and says when. */
export const MAX_RETRY_AFTER_MS = 60_000;
const BASE_DELAY_MS = 1_000;
const MAX_DELAY_MS = 20_000;

/**
 * Exponential backoff with jitter: the n-th wait (n from 1) is drawn from the upper half of
 * base·2^(n-1), so concurrent clients spread out but a wait is never close to zero.
 */
export function backoffDelayMs(retryNumber: number, random: () => number): number {
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (retryNumber - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * `Retry-After` as milliseconds from now: either delay-seconds or an HTTP date. Undefined when absent
 * or unreadable (then our own backoff applies).
 */
export function parseRetryAfter(
  value: string | string[] | undefined,
  nowMs: number,
): number | undefined {
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (!/[a-z]/i.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

export type Attempt<T> =
  | { done: T }
  | {
      /** Why this attempt failed, for the log line. */
      reason: string;
      /** The error to fail with when no attempt is left, given how many attempts were made. */
      error: (attempts: number) => ApiError;
      /** The server's Retry-After, when it sent one. */
      retryAfterMs?: number;
    };

export interface RetryContext {
  maxAttempts: number;
  log: Logger;
  clock: Clock;
  /** A paced run (max-rate): what the pace needs to know of a call's retries. */
  pace?: RetryPace;
}

export interface RetryPace {
  /** The server asked to be called back in `ms` (Retry-After): hold every call until then. */
  hold(ms: number): void;
  /** Before each attempt after the first: its turn in the pace, like any call; false ends it. */
  turn(): Promise<boolean>;
}

/**
 * Runs `attempt` until it is done, throws, or `maxAttempts` attempts have failed. Only failures the
 * caller classed as safe to repeat come back here as a `reason`; every other failure is thrown by
 * `attempt` itself. Once `signal` aborts (the caller no longer needs the result), no retry starts.
 */
export async function withRetries<T>(
  what: string,
  context: RetryContext,
  attempt: (attemptNumber: number) => Promise<Attempt<T>>,
  signal?: AbortSignal,
): Promise<T> {
  for (let attemptNumber = 1; ; attemptNumber++) {
    const result = await attempt(attemptNumber);
    if ('done' in result) return result.done;
    if (attemptNumber >= context.maxAttempts || signal?.aborted) {
      throw result.error(attemptNumber);
    }
    if (result.retryAfterMs !== undefined && result.retryAfterMs > MAX_RETRY_AFTER_MS) {
      const error = result.error(attemptNumber);
      // A server may ask for any number of seconds: past what a date can hold, say so in words.
      const at = new Date(context.clock.now() + result.retryAfterMs);
      const when = Number.isNaN(at.getTime())
        ? 'a time too far away to name'
        : `${at.toISOString()} (in ${Math.ceil(result.retryAfterMs / 1000)} s)`;
      throw new ApiError(
        `${error.message} The server asked to be called back at ${when}, which is longer than the ${MAX_RETRY_AFTER_MS / 1000} s this action waits; re-run after that time.`,
        error.outcome,
        error.status,
      );
    }
    const waitMs =
      result.retryAfterMs ?? backoffDelayMs(attemptNumber, () => context.clock.random());
    const source = result.retryAfterMs !== undefined ? ' (Retry-After)' : '';
    context.log.info(
      `${what}: ${result.reason}; attempt ${attemptNumber} of ${context.maxAttempts}, retrying in ${(waitMs / 1000).toFixed(1)} s${source}.`,
    );
    const pace = context.pace;
    if (pace && result.retryAfterMs !== undefined) {
      // The server's wait holds every paced call, and this call waits for it in the pace, at its
      // own place: it goes first after the hold, before the calls that came after it.
      pace.hold(result.retryAfterMs);
    } else {
      await context.clock.sleep(waitMs, signal);
    }
    if (signal?.aborted) throw result.error(attemptNumber);
    if (pace && !(await pace.turn())) throw result.error(attemptNumber);
    if (signal?.aborted) throw result.error(attemptNumber);
  }
}
