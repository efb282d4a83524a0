/**
 * Up to `concurrency` workers, each taking the next item as soon as it is free, until `take` has
 * none left (it decides, at every take, whether new work may still start). Used for bulk calls and
 * for list pages.
 */
export async function runPool<T>(
  concurrency: number,
  take: () => T | undefined,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let failed = false;
  const worker = async (): Promise<void> => {
    for (
      let item = failed ? undefined : take();
      item !== undefined;
      item = failed ? undefined : take()
    ) {
      try {
        await work(item);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  // A worker that throws (a bug) stops the others from taking more, but every item already taken
  // finishes before the error is passed on: its outcome must be recorded, not abandoned.
  const outcomes = await Promise.allSettled(
    Array.from({ length: Math.max(1, concurrency) }, worker),
  );
  const failure = outcomes.find((outcome) => outcome.status === 'rejected');
  if (failure) throw failure.reason;
}
