import { describe, expect, it } from '@jest/globals';
import { ApiError } from '../src/errors.js';
import type { Logger } from '../src/log.js';
import { backoffDelayMs, parseRetryAfter, sleep, withRetries, type Attempt } from '../src/retry.js';

function recordingLog(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (m) => lines.push(m),
    group: (_title, work) => work(),
    warning: (m) => lines.push(m),
    debug: () => undefined,
  };
}

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
  const now = Date.parse('2026-11-29T12:00:00Z');
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
    error: (attempts) => new ApiError(`gave up after ${attempts}`, 'rejected', 503),
    retryAfterMs,
  });

  it('repeats until done, waiting the backoff or the server-requested time, logging each retry', async () => {
    const waits: number[] = [];
    const log = recordingLog();
    const results = [failure(), failure(2500), { done: 'ok' }];
    const value = await withRetries(
      'Call',
      {
        maxAttempts: 3,
        log,
        sleep: async (ms) => void waits.push(ms),
        now: () => 0,
        random: () => 0,
      },
      async () => results.shift() as Attempt<string>,
    );
    expect(value).toBe('ok');
    expect(waits).toEqual([500, 2500]);
    expect(log.lines).toEqual([
      'Call: HTTP 503; attempt 1 of 3, retrying in 0.5 s.',
      'Call: HTTP 503; attempt 2 of 3, retrying in 2.5 s (Retry-After).',
    ]);
  });

  it('throws the last error after exactly maxAttempts attempts', async () => {
    let attempts = 0;
    const run = withRetries(
      'Call',
      { maxAttempts: 3, log: recordingLog(), sleep: async () => undefined, now: () => 0 },
      async () => {
        attempts++;
        return failure();
      },
    );
    await expect(run).rejects.toThrow('gave up after 3');
    expect(attempts).toBe(3);
  });

  it('does not retry with maxAttempts 1', async () => {
    let attempts = 0;
    await expect(
      withRetries(
        'Call',
        { maxAttempts: 1, log: recordingLog(), sleep: async () => undefined, now: () => 0 },
        async () => {
          attempts++;
          return failure();
        },
      ),
    ).rejects.toThrow('gave up');
    expect(attempts).toBe(1);
  });

  it('starts no retry once the caller abandons the call, and cuts the wait short', async () => {
    const controller = new AbortController();
    let attempts = 0;
    const started = Date.now();
    const run = withRetries(
      'Call',
      { maxAttempts: 5, log: recordingLog(), sleep, now: Date.now },
      async () => {
        attempts++;
        setTimeout(() => controller.abort(), 10);
        return failure(60_000 - 1);
      },
      controller.signal,
    );
    await expect(run).rejects.toThrow('gave up after 1');
    expect(attempts).toBe(1);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('refuses a Retry-After over 60 s and says when to call back', async () => {
    const sleeps: number[] = [];
    const run = withRetries(
      'Call',
      {
        maxAttempts: 3,
        log: recordingLog(),
        sleep: async (ms) => void sleeps.push(ms),
        now: () => Date.parse('2026-11-29T12:00:00Z'),
      },
      async () => failure(120_000),
    );
    await expect(run).rejects.toThrow(
      /^gave up after 1 The server asked to be called back at 2026-11-29T12:02:00.000Z \(in 120 s\)/,
    );
    expect(sleeps).toEqual([]);
  });
});
