import { jest } from '@jest/globals';

/**
 * Virtual time for code that waits with setTimeout (the real clock, the sandbox's latency and
 * fault delays): only setTimeout and clearTimeout are faked, and a test moves them on with
 * `jest.advanceTimersByTimeAsync`. Sockets, setImmediate, process.nextTick and Date stay real, so
 * loopback HTTP still flows. Undo with `jest.useRealTimers()`.
 */
export function fakeTimeouts(): void {
  jest.useFakeTimers({
    doNotFake: [
      'Date',
      'hrtime',
      'nextTick',
      'performance',
      'queueMicrotask',
      'setImmediate',
      'clearImmediate',
      'setInterval',
      'clearInterval',
    ],
  });
}

/** Turns the event loop (real setImmediate) until `done()` holds: for I/O to arrive, not time. */
export async function until(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((resolve) => setImmediate(resolve));
}
