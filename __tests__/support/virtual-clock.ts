import { realDeadline, type Clock } from '../../src/model/clock.js';

interface Sleeper {
  at: number;
  order: number;
  wake: () => void;
}

/**
 * Virtual time for tests: `sleep` never waits for real. Sleepers are woken one per macrotask in the
 * order of their wake-up time, and the clock jumps to each one's time as it wakes, so a backoff of
 * 20 s or a poll interval of 15 s costs a few microseconds while still ordering events as real time
 * would. Before each jump the event loop turns once more, so that a request sent on waking reaches
 * a loopback server at the time it was sent rather than at the next sleeper's (paced bulk calls
 * are recorded in their own slots). Deadlines of work in flight stay real (see Clock.deadline).
 * `random` is fixed, so jitter is reproducible.
 */
export class VirtualClock implements Clock {
  /** Every wait asked for, in order: what a test checks backoff and Retry-After against. */
  readonly waits: number[] = [];
  private current: number;
  private readonly sleepers: Sleeper[] = [];
  private order = 0;
  private pumping = false;

  /** Starts at the real time, so that rows seeded "an hour ago" are an hour before the clock. */
  constructor(
    startMs = Date.now(),
    private readonly fixedRandom = 0.5,
  ) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  random(): number {
    return this.fixedRandom;
  }

  deadline(ms: number, onExpiry: () => void): () => void {
    return realDeadline(ms, onExpiry);
  }

  /** Moves the clock forward by hand (e.g. "an hour passes between plan and apply"). */
  advance(ms: number): void {
    this.current += ms;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.waits.push(ms);
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const sleeper: Sleeper = {
        at: this.current + Math.max(0, ms),
        order: this.order++,
        wake: () => {
          signal?.removeEventListener('abort', abort);
          resolve();
        },
      };
      const abort = (): void => {
        const index = this.sleepers.indexOf(sleeper);
        if (index >= 0) this.sleepers.splice(index, 1);
        sleeper.wake();
      };
      signal?.addEventListener('abort', abort, { once: true });
      this.sleepers.push(sleeper);
      this.pump();
    });
  }

  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    setImmediate(() => setImmediate(() => this.wakeNext()));
  }

  private wakeNext(): void {
    this.pumping = false;
    this.sleepers.sort((a, b) => a.at - b.at || a.order - b.order);
    const next = this.sleepers.shift();
    if (!next) return;
    this.current = Math.max(this.current, next.at);
    next.wake();
    if (this.sleepers.length > 0) this.pump();
  }
}
