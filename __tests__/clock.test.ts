/**
 * The real clock, the one main.ts passes in: it tells the time, waits, ends a wait early when
 * aborted, and runs a deadline unless cancelled.
 */
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { systemClock } from '../src/model/clock.js';
import { fakeTimeouts } from './support/timers.js';

describe('systemClock', () => {
  // Its timers run on fake timeouts: exact, and no real waiting.
  afterEach(() => {
    jest.useRealTimers();
  });

  it('tells the time, waits, and ends a wait early when aborted', async () => {
    const before = Date.now();
    expect(systemClock.now()).toBeGreaterThanOrEqual(before);
    const random = systemClock.random();
    expect(random >= 0 && random < 1).toBe(true);
    fakeTimeouts();
    let slept = false;
    void systemClock.sleep(20).then(() => (slept = true));
    await jest.advanceTimersByTimeAsync(19);
    expect(slept).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    expect(slept).toBe(true);
    const abort = new AbortController();
    const waiting = systemClock.sleep(60_000, abort.signal);
    abort.abort();
    await waiting;
    await systemClock.sleep(60_000, abort.signal);
    // Both waits ended without time passing, and left no timer to hold the process open.
    expect(jest.getTimerCount()).toBe(0);
  });

  it('runs a deadline unless cancelled', async () => {
    fakeTimeouts();
    const fired: string[] = [];
    systemClock.deadline(10, () => fired.push('kept'));
    const cancel = systemClock.deadline(10, () => fired.push('cancelled'));
    cancel();
    await jest.advanceTimersByTimeAsync(9);
    expect(fired).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);
    expect(fired).toEqual(['kept']);
  });
});
