/**
 * The worker pool after a failure: the other workers take nothing more, and an item in flight
 * finishes before the failure is passed on.
 */
import { describe, expect, it } from '@jest/globals';
import { runPool } from '../src/model/pool.js';

/** A promise and the functions that settle it, for ordering work by hand. */
function deferred(): { promise: Promise<void>; resolve: () => void; reject: (e: Error) => void } {
  let resolve = (): void => undefined;
  let reject = (_: Error): void => undefined;
  const promise = new Promise<void>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  return { promise, resolve, reject };
}

describe('runPool', () => {
  it('stops the other workers before they take anything when work throws at once', async () => {
    const items = [1, 2, 3, 4];
    const taken: number[] = [];
    const take = (): number | undefined => {
      const item = items.shift();
      if (item !== undefined) taken.push(item);
      return item;
    };
    const bug = new TypeError('work is broken');
    await expect(
      runPool(3, take, () => {
        throw bug;
      }),
    ).rejects.toBe(bug);
    expect(taken).toEqual([1]);
  });

  it('lets an item in flight finish after another fails, then takes nothing more', async () => {
    const items = [1, 2, 3, 4];
    const gates = new Map(items.map((item) => [item, deferred()]));
    const finished: number[] = [];
    const pool = runPool(
      2,
      () => items.shift(),
      async (item) => {
        await gates.get(item)?.promise;
        finished.push(item);
      },
    );
    let settled = false;
    void pool.catch(() => (settled = true));
    const failure = new Error('batch 1 broke');
    gates.get(1)?.reject(failure);
    await new Promise((done) => setImmediate(done));
    // The failure is not passed on while item 2 is still in flight.
    expect(settled).toBe(false);
    gates.get(2)?.resolve();
    await expect(pool).rejects.toBe(failure);
    expect(finished).toEqual([2]);
    expect(items).toEqual([3, 4]);
  });
});
