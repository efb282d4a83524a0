/**
 * The real clock, the one main.ts passes in: it tells the time, waits, ends a wait early when
 * aborted, and runs a deadline unless cancelled.
 */
import { describe, expect, it } from '@jest/globals';
import { systemClock } from '../src/model/clock.js';

describe('systemClock', () => {
  it('tells the time, waits, and ends a wait early when aborted', async () => {
    const before = Date.now();
    expect(systemClock.now()).toBeGreaterThanOrEqual(before);
    const random = systemClock.random();
    expect(random >= 0 && random < 1).toBe(true);
    const started = Date.now();
    await systemClock.sleep(20);
    expect(Date.now() - started).toBeGreaterThanOrEqual(15);
    const abort = new AbortController();
    const waiting = systemClock.sleep(60_000, abort.signal);
    abort.abort();
    await waiting;
    await systemClock.sleep(60_000, abort.signal);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('runs a deadline unless cancelled', async () => {
    const fired: string[] = [];
    systemClock.deadline(10, () => fired.push('kept'));
    const cancel = systemClock.deadline(10, () => fired.push('cancelled'));
    cancel();
    await systemClock.sleep(40);
    expect(fired).toEqual(['kept']);
  });
});
