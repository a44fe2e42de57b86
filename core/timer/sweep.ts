import { sqsSend } from "../sqs.ts";
import { SHARDS } from "../outbox/shards.ts";
import { dueTimersPage, markTimerResent, saveSweepCursor, staleTimersPage, sweepCursors, type SweepCursor, type TimerRow } from "./repo.ts";

export interface TimeoutMessage {
  caseId: string;
  stage: string;
  dueAt: string;
  version?: number;
}

/** A timer the sweep sent this long ago and that is still there was not applied: it is sent again… */
export const STRAGGLER_MS = 15 * 60_000;
/** …at most this often while it stays (its message may be retrying in the queue). */
const RESEND_MS = 5 * 60_000;

/**
 * Find due timers on the time-ordered, sharded index (gsi1 `TIMERS#<shard>`, sort key
 * `<dueAt>#<caseId>`) — Queries, never a Scan — and send them to the `timeouts` queue.
 *
 * Each shard keeps a watermark (#16): the position of the last timer sent. A run reads the four
 * watermarks in one request, Queries each shard from its watermark to now, sends what it finds in
 * batches of ten, and moves the watermark over the timers whose send succeeded (up to the first
 * that failed, which the next run sends again). A sent timer is not written to: its message is in
 * SQS, which keeps it until it is applied or dead-lettered. So a due timer costs the sweep no
 * request of its own, only its share of a Query and of the watermark's one write per run.
 *
 * What the watermark passed and is still there `STRAGGLER_MS` later — a message that went to the
 * dead-letter queue, a timer the index showed only after the watermark passed its place — is found
 * by a second Query per shard up to the watermark's checkpoint (a position every timer before which
 * was sent at least `STRAGGLER_MS` ago; normally it reads nothing) and re-sent, marked so it goes at
 * most every `RESEND_MS`. The consumer's conditional write makes any double delivery harmless.
 */
export async function sweepTimers(now: Date, opts: { maxPerShard?: number } = {}): Promise<{ sent: number; resent: number }> {
  const url = process.env.WANGGE_QUEUE_TIMEOUTS_URL;
  if (!url) throw new Error("WANGGE_QUEUE_TIMEOUTS_URL is not set");
  const nowIso = now.toISOString();
  const to = `${nowIso}~`;
  const cursors = await sweepCursors(SHARDS);
  let sent = 0;
  let resent = 0;
  await Promise.all(
    Array.from({ length: SHARDS }, async (_, shard) => {
      // a watermark ahead of the clock (the clock was set back: tests, a host's clock jump) starts over
      const reset = cursors[shard].upTo > to;
      const cursor: SweepCursor = reset ? { upTo: "", checkpoint: "" } : cursors[shard];
      const from = cursor.upTo;
      let upTo = from;
      let start: Record<string, unknown> | undefined;
      let count = 0;
      shard: do {
        const page = await dueTimersPage(shard, from, to, start);
        const due = page.rows.filter((r) => r.at !== from); // BETWEEN includes the watermark's own timer
        for (let i = 0; i < due.length; i += 10) {
          const batch = due.slice(i, i + 10);
          const ok = await send(url, batch);
          sent += ok.size;
          count += batch.length;
          // the watermark moves over the contiguous run of sent timers only
          const firstFailed = batch.findIndex((_, j) => !ok.has(j));
          if (firstFailed >= 0) {
            if (firstFailed > 0) upTo = batch[firstFailed - 1].at;
            break shard;
          }
          upTo = batch[batch.length - 1].at;
        }
        start = page.next;
      } while (start && count < (opts.maxPerShard ?? 5000));

      // stragglers: only behind a checkpoint at least STRAGGLER_MS old (what was sent before it)
      const ripe = cursor.checkpointAt !== undefined && cursor.checkpointAt !== "" && now.getTime() - Date.parse(cursor.checkpointAt) >= STRAGGLER_MS;
      if (ripe && cursor.checkpoint) {
        const stale = await staleTimersPage(shard, cursor.checkpoint, new Date(now.getTime() - RESEND_MS).toISOString());
        for (let i = 0; i < stale.length; i += 10) {
          const batch = stale.slice(i, i + 10);
          const ok = await send(url, batch);
          resent += ok.size;
          await Promise.all(batch.filter((_, j) => ok.has(j)).map((t) => markTimerResent(t, now)));
        }
      }
      // the next checkpoint: everything up to this run's starting watermark was sent before now
      const moveCheckpoint = !cursor.checkpointAt || ripe;
      if (upTo > from || reset || (moveCheckpoint && from !== cursor.checkpoint)) {
        await saveSweepCursor(shard, { upTo, ...(moveCheckpoint ? { checkpoint: from, checkpointAt: nowIso } : { checkpoint: cursor.checkpoint, checkpointAt: cursor.checkpointAt }) }, { reset });
      }
    }),
  );
  return { sent, resent };
}

/** Send up to ten timers in one SendMessageBatch; the indexes that were accepted. */
async function send(url: string, batch: TimerRow[]): Promise<Set<number>> {
  const res = await sqsSend("SendMessageBatch", {
    QueueUrl: url,
    Entries: batch.map((t, j) => ({ Id: String(j), MessageBody: JSON.stringify({ caseId: t.caseId, stage: t.stage, dueAt: t.dueAt, version: t.version } satisfies TimeoutMessage) })),
  });
  return new Set((res.Successful ?? []).map((s) => Number(s.Id)));
}
