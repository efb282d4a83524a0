import { describe, expect, it } from '@jest/globals';
import { ApiError } from '../src/model/errors.js';
import {
  backoffDelayMs,
  parseRetryAfter,
  withRetries,
  type Attempt,
} from '../src/hindsite/retry.js';
import { RecordingLogger } from './support/logger.js';
import { VirtualClock } from './support/virtual-clock.js';

const START = Date.parse('2026-11-29T12:00:00Z');

describe('backoffDelayMs', () => {
  it('doubles from one second, with jitter in the upper half, capped at 20 s', () => {
    expect(backoffDelayMs(1, () => 0)).toBe(500);
    expect(backoffDelayMs(1, () => 1)).toBe(1000);
    expect(backoffDelayMs(2, () => 0)).toBe(1000);
    expect(backoffDelayMs(3, () => 0.5)).toBe(3000);
    expect(backoffDelayMs(10, () => 1)).toBe(20_000);
  });
});

describe('parseRetryAfter', () => {
  const now = START;
  it('reads delay-seconds', () => {
    expect(parseRetryAfter('7', now)).toBe(7000);
    expect(parseRetryAfter(['0'], now)).toBe(0);
  });
  it('reads an HTTP date, and a date in the past as no wait', () => {
    expect(parseRetryAfter('Sun, 29 Nov 2026 12:00:03 GMT', now)).toBe(3000);
    expect(parseRetryAfter('Sun, 29 Nov 2026 11:00:00 GMT', now)).toBe(0);
  });
  it('ignores what is absent or unreadable', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter('-1', now)).toBeUndefined();
    expect(parseRetryAfter('soon-ish', now)).toBeUndefined();
  });
});

describe('withRetries', () => {
  const failure = (retryAfterMs?: number): Attempt<string> => ({
    reason: 'HTTP 503',
    error: (attempts) => new ApiError(`gave up after ${attempts}`, 'refused', 503),
    retryAfterMs,
  });

  it('repeats until done, waiting the backoff or the server-requested time, logging each retry', async () => {
    const clock = new VirtualClock(START, 0);
    const log = new RecordingLogger();
    const results = [failure(), failure(2500), { done: 'ok' }];
    const value = await withRetries(
      'Call',
      { maxAttempts: 3, log, clock },
      async () => results.shift() as Attempt<string>,
    );
    expect(value).toBe('ok');
    expect(clock.waits).toEqual([500, 2500]);
    expect(clock.now()).toBe(START + 3000);
    expect(log.lines).toEqual([
      'Call: HTTP 503; attempt 1 of 3, retrying in 0.5 s.',
      'Call: HTTP 503; attempt 2 of 3, retrying in 2.5 s (Retry-After).',
    ]);
  });

  it('draws the jitter from the clock', async () => {
    const clock = new VirtualClock(START, 1);
    let attempts = 0;
    await withRetries('Call', { maxAttempts: 3, log: new RecordingLogger(), clock }, async () =>
      ++attempts < 3 ? failure() : { done: 'ok' },
    );
    expect(clock.waits).toEqual([1000, 2000]);
  });

  it('throws the last error after exactly maxAttempts attempts', async () => {
    let attempts = 0;
    const clock = new VirtualClock(START, 0);
    const run = withRetries(
      'Call',
      { maxAttempts: 3, log: new RecordingLogger(), clock },
      async () => {
        attempts++;
        return failure();
      },
    );
    await expect(run).rejects.toThrow('gave up after 3');
    expect(attempts).toBe(3);
    // No wait after the last attempt.
    expect(clock.waits).toEqual([500, 1000]);
  });

  it('does not retry with maxAttempts 1', async () => {
    let attempts = 0;
    const clock = new VirtualClock(START, 0);
    await expect(
      withRetries('Call', { maxAttempts: 1, log: new RecordingLogger(), clock }, async () => {
        attempts++;
        return failure();
      }),
    ).rejects.toThrow('gave up after 1');
    expect(attempts).toBe(1);
    expect(clock.waits).toEqual([]);
  });

  it('starts no retry once the caller abandons the call, and cuts the wait short', async () => {
    const controller = new AbortController();
    const clock = new VirtualClock(START, 0);
    const log = new RecordingLogger();
    let attempts = 0;
    const run = withRetries(
      'Call',
      { maxAttempts: 5, log, clock },
      async () => {
        attempts++;
        // The caller gives up while the retry waits: this runs before the virtual clock can end
        // the wait (its wake-up is queued after this one).
        setImmediate(() => controller.abort());
        return failure(60_000 - 1);
      },
      controller.signal,
    );
    await expect(run).rejects.toThrow('gave up after 1');
    expect(attempts).toBe(1);
    expect(clock.waits).toEqual([59_999]);
    // The wait ended at the abort: no virtual time passed.
    expect(clock.now()).toBe(START);
  });

  it('starts no retry when the call was abandoned during the attempt', async () => {
    const controller = new AbortController();
    const clock = new VirtualClock(START, 0);
    let attempts = 0;
    await expect(
      withRetries(
        'Call',
        { maxAttempts: 5, log: new RecordingLogger(), clock },
        async () => {
          attempts++;
          controller.abort();
          return failure();
        },
        controller.signal,
      ),
    ).rejects.toThrow('gave up after 1');
    expect(attempts).toBe(1);
    expect(clock.waits).toEqual([]);
  });

  it('refuses a Retry-After over 60 s and says when to call back', async () => {
    const clock = new VirtualClock(START, 0);
    const run = withRetries(
      'Call',
      { maxAttempts: 3, log: new RecordingLogger(), clock },
      async () => failure(120_000),
    );
    const error = await run.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).message).toMatch(
      /^gave up after 1 The server asked to be called back at 2026-11-29T12:02:00.000Z \(in 120 s\)/,
    );
    // The error keeps what the failure means for the IDs.
    expect((error as ApiError).outcome).toBe('refused');
    expect((error as ApiError).status).toBe(503);
    expect(clock.waits).toEqual([]);
  });

  it('waits a Retry-After of exactly 60 s', async () => {
    const clock = new VirtualClock(START, 0);
    const results = [failure(60_000), { done: 'ok' }];
    await expect(
      withRetries(
        'Call',
        { maxAttempts: 3, log: new RecordingLogger(), clock },
        async () => results.shift() as Attempt<string>,
      ),
    ).resolves.toBe('ok');
    expect(clock.waits).toEqual([60_000]);
  });
});
