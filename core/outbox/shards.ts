import { createHash } from "node:crypto";

/** Writes to time-ordered partitions (the outbox; timers before #16) are spread over a few shards. */
export const SHARDS = 4;

/**
 * Timers live on ONE partition of gsi1, `TIMERS#0` (#16): a county writes a few timers a second at
 * most, far below what one partition takes (1,000 writes a second), and the sweep that runs every
 * minute then reads one partition instead of four. Rows written before sit on `TIMERS#1..3` until
 * they fire; the sweep reads those shards until it finds them empty (core/timer/sweep.ts).
 */
export const TIMER_SHARD = 0;
/** The shards timers were spread over before #16, besides `TIMER_SHARD`. */
export const LEGACY_TIMER_SHARDS = Array.from({ length: SHARDS }, (_, i) => i).filter((i) => i !== TIMER_SHARD);

export function shardOf(id: string): number {
  return createHash("md5").update(id).digest()[0] % SHARDS;
}
