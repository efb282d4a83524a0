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
  const worker = async (): Promise<void> => {
    for (let item = take(); item !== undefined; item = take()) await work(item);
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
}
