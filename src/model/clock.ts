/**
 * Time and chance, in one object passed down from `run()`: the client, the connection pool, the
 * retry loop and the wait loop read the time, wait and draw jitter only through it, so that tests
 * can run the whole action on virtual time.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Waits `ms` with nothing else to do (backoff, Retry-After, poll interval); `signal` ends it early. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /**
   * Calls `onExpiry` after `ms` of real time unless cancelled: the deadline of work in flight
   * (a request, a poll). Always real time, also on a virtual clock, so that a deadline never cuts
   * a request that is merely waiting for its reply.
   */
  deadline(ms: number, onExpiry: () => void): () => void;
  /** A number in [0, 1), for jitter. */
  random(): number;
}

/** A timer that an abort clears, so that an abandoned wait never holds the process open. */
function realSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** setTimeout cannot wait longer than this (about 24.8 days). */
const MAX_TIMER_MS = 2_147_483_647;

export function realDeadline(ms: number, onExpiry: () => void): () => void {
  const timer = setTimeout(onExpiry, Math.min(Math.max(0, ms), MAX_TIMER_MS));
  return () => clearTimeout(timer);
}

/** The real clock: only `main.ts` creates it. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: realSleep,
  deadline: realDeadline,
  random: () => Math.random(),
};
