import { BatchWriteCommand } from "@aws-sdk/lib-dynamodb";
import { db, tableName } from "./client.ts";

/** One plain (unconditional) write of a BatchWriteItem: a whole item, or the key of one to delete. */
export type PlainWrite = { put: Record<string, unknown> } | { delete: { pk: string; sk: string } };

/**
 * Plain writes of different areas in as few BatchWriteItem requests as they fit (25 each; #16: the
 * events consumer writes a batch's notifications, feed entries and outbox deletes together). A key
 * written twice is written once (a BatchWriteItem refuses duplicate keys; the last write wins).
 * Unprocessed items are sent again with a growing pause; what is still unprocessed after 8 tries
 * throws, so the caller's batch comes back. Every write here must be idempotent.
 */
export async function batchWritePlain(writes: PlainWrite[]): Promise<number> {
  const byKey = new Map<string, PlainWrite>();
  for (const w of writes) {
    const k = "put" in w ? w.put : w.delete;
    byKey.set(`${k.pk}\u0000${k.sk}`, w);
  }
  const all = [...byKey.values()].map((w) => ("put" in w ? { PutRequest: { Item: w.put } } : { DeleteRequest: { Key: w.delete } }));
  let requests = 0;
  for (let i = 0; i < all.length; i += 25) {
    let request: Record<string, any> | undefined = { [tableName()]: all.slice(i, i + 25) };
    for (let attempt = 0; request && Object.keys(request).length; attempt++) {
      if (attempt >= 8) throw new Error("BatchWriteItem left items unprocessed after 8 tries");
      if (attempt > 0) await new Promise((r) => setTimeout(r, 20 * 2 ** Math.min(attempt, 6)));
      const out: { UnprocessedItems?: Record<string, any> } = await db().send(new BatchWriteCommand({ RequestItems: request }));
      requests++;
      request = out.UnprocessedItems;
    }
  }
  return requests;
}
