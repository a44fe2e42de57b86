import { createHash } from "node:crypto";

/** Writes to time-ordered partitions (timers, outbox) are spread over a few shards. */
export const SHARDS = 4;

export function shardOf(id: string): number {
  return createHash("md5").update(id).digest()[0] % SHARDS;
}
