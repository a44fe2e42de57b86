/**
 * Chunks written at the same time (env WANGGE_IMPORT_CONCURRENCY, default 8). DynamoDB scales with
 * it; DynamoDB Local mostly serializes writes, so on the embedded stack it gains little (measured:
 * 6,721 units in 11.1 s with 8, 12.1 s with 1, on 2 vCPUs).
 */
export const concurrency = (): number => Number(process.env.WANGGE_IMPORT_CONCURRENCY) || 8;

/** Run `fn` over items with at most `limit` in flight. */
export async function pool<T, R>(items: T[], limit: number, fn: (x: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
