import type { Clock } from '../model/clock.js';
import { plural } from '../model/text.js';

/**
 * A paced bulk call carries at most this much of the pace's allowance, so that the receiver gets a
 * trickle rather than a burst every minute: with max-rate 600, calls of 20 IDs every 2 s.
 */
export const PACE_CALL_SECONDS = 2;

/** What max-rate makes of a run, decided before the first bulk call. */
export interface PacePlan {
  /** Redeliveries per minute at most (max-rate). */
  perMinute: number;
  /** IDs per bulk call: batch-size, shrunk to PACE_CALL_SECONDS of the allowance when larger. */
  batchSize: number;
  /** Whether batch-size was shrunk to that. */
  shrunk: boolean;
  /** From the first bulk call to the start of the last one, at the pace (waits not included). */
  expectedMs: number;
}

/** The largest bulk call that fits PACE_CALL_SECONDS of the pace (one ID at the least). */
export function pacedBatchSize(batchSize: number, perMinute: number | undefined): number {
  if (perMinute === undefined) return batchSize;
  return Math.min(batchSize, Math.max(1, Math.floor((perMinute * PACE_CALL_SECONDS) / 60)));
}

/** The pace of a run at `perMinute`, whose bulk calls (shrunk by pacedBatchSize) are `batches`. */
export function pacePlan(
  perMinute: number,
  requestedBatchSize: number,
  batches: readonly { ids: readonly string[] }[],
): PacePlan {
  const batchSize = pacedBatchSize(requestedBatchSize, perMinute);
  // The last call starts once every call before it has had its share of time.
  const beforeLast = batches.slice(0, -1).reduce((sum, batch) => sum + batch.ids.length, 0);
  return {
    perMinute,
    batchSize,
    shrunk: batchSize < requestedBatchSize,
    expectedMs: (beforeLast * 60_000) / perMinute,
  };
}

/** "40 s", "2 min", "1 h 5 min": how long a paced run takes, for people. */
export function roughDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 90) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 90) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** The pace in one clause, for log lines: "at most 600 redeliveries per minute (…): about 2 min". */
export function describePace(pace: PacePlan, count: number): string {
  const calls = pace.shrunk
    ? `bulk calls shrunk to ${plural(pace.batchSize, 'ID')}`
    : `bulk calls of up to ${plural(pace.batchSize, 'ID')}`;
  const takes =
    pace.expectedMs < 1000
      ? `${plural(count, 'delivery goes', 'deliveries go')} out at once`
      : `${plural(count, 'delivery takes', 'deliveries take')} about ${roughDuration(pace.expectedMs)}`;
  return `at most ${plural(pace.perMinute, 'redelivery', 'redeliveries')} per minute (${calls}): ${takes}`;
}

/** A call waiting for its turn. */
interface Waiter {
  count: number;
  rank: number;
  order: number;
  signal?: AbortSignal;
  resolve: (started: boolean) => void;
}

/**
 * The pace of one run, shared by every bulk call in flight: a call of n IDs starts once the calls
 * before it have had their share of time (n / max-rate minutes each), so that over any stretch of
 * time no more than that stretch's allowance plus one call goes out. Waiting calls go in the order
 * of their rank (a batch's number: the oldest deliveries first, a retry included), then in the
 * order they asked; a call's time is booked only when it starts, so a run that stops holds no
 * bookings, and a run that fell behind (slow replies) does not catch up in a burst. The next
 * allowed time is read again after every wake, so that a hold set meanwhile (a 429's Retry-After,
 * a check of the selection going on) holds every call already waiting.
 */
export class Pace {
  private readonly msPerDelivery: number;
  /** When the next call may start (ms since the epoch). */
  private nextAt = -Infinity;
  private readonly waiting: Waiter[] = [];
  private asked = 0;
  /**
   * The waiters of each signal, and its one listener: the calls of a run share one signal, and a
   * listener per call would pile up on it.
   */
  private readonly bySignal = new Map<AbortSignal, { waiters: Set<Waiter>; abort: () => void }>();
  /** Ends the current sleep early: waiters left, and nobody may be left to wait for. */
  private wake: AbortController | undefined;
  private serving = false;
  /** Work that no call may start during (see holdWhile), each settling quietly. */
  private readonly holds = new Map<Promise<unknown>, Promise<void>>();

  constructor(
    perMinute: number,
    private readonly clock: Pick<Clock, 'now' | 'sleep'>,
  ) {
    this.msPerDelivery = 60_000 / perMinute;
  }

  /**
   * The server asked every call to wait (a 429's Retry-After): no call starts before `atMs`, so
   * that the calls waiting for their turn do not go out in the meantime and pile up after it.
   */
  holdUntil(atMs: number): void {
    this.nextAt = Math.max(this.nextAt, atMs);
  }

  /**
   * No call starts until `work` settles, whatever its outcome: a check of the selection going on,
   * whose answer the calls waiting for their turn must not go out before (each takes its turn
   * again after it, see send.ts). Their time runs from when the hold ends, as after a Retry-After.
   */
  holdWhile(work: Promise<unknown>): void {
    if (this.holds.has(work)) return;
    const release = (): void => {
      this.holds.delete(work);
    };
    this.holds.set(work, work.then(release, release));
  }

  /**
   * Resolves true when a call of `count` IDs may start now (its time is booked), or false when
   * `signal` ended the wait first (nothing is booked). `rank` places it among the calls waiting
   * (lower first; by default after them all).
   */
  start(count: number, signal?: AbortSignal, rank = Infinity): Promise<boolean> {
    if (signal?.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const waiter: Waiter = { count, rank, order: this.asked++, signal, resolve };
      if (signal) {
        let entry = this.bySignal.get(signal);
        if (!entry) {
          entry = { waiters: new Set(), abort: () => this.abandon(signal) };
          signal.addEventListener('abort', entry.abort, { once: true });
          this.bySignal.set(signal, entry);
        }
        entry.waiters.add(waiter);
      }
      this.waiting.push(waiter);
      void this.serve();
    });
  }

  /** Every call waiting with this signal stops waiting, unbooked. */
  private abandon(signal: AbortSignal): void {
    for (const waiter of this.bySignal.get(signal)?.waiters ?? []) {
      this.waiting.splice(this.waiting.indexOf(waiter), 1);
      this.settle(waiter, false);
    }
    if (this.waiting.length === 0) this.wake?.abort();
  }

  private settle(waiter: Waiter, started: boolean): void {
    const entry = waiter.signal && this.bySignal.get(waiter.signal);
    if (entry && waiter.signal) {
      entry.waiters.delete(waiter);
      if (entry.waiters.size === 0) {
        waiter.signal.removeEventListener('abort', entry.abort);
        this.bySignal.delete(waiter.signal);
      }
    }
    waiter.resolve(started);
  }

  /** Lets the first waiter go whenever its turn has come, one at a time, until none is left. */
  private async serve(): Promise<void> {
    if (this.serving) return;
    this.serving = true;
    try {
      while (this.waiting.length > 0) {
        if (this.holds.size > 0) {
          await Promise.all(this.holds.values());
          continue;
        }
        const wait = this.nextAt - this.clock.now();
        if (wait > 0) {
          this.wake = new AbortController();
          await this.clock.sleep(wait, this.wake.signal);
          this.wake = undefined;
          continue;
        }
        this.waiting.sort((a, b) => a.rank - b.rank || a.order - b.order);
        const first = this.waiting.shift() as Waiter;
        this.nextAt = Math.max(this.clock.now(), this.nextAt) + first.count * this.msPerDelivery;
        this.settle(first, true);
      }
    } finally {
      this.serving = false;
    }
  }
}
