import { sqsSend } from "../sqs.ts";
import { logger } from "../log.ts";
import { LEGACY_TIMER_SHARDS, TIMER_SHARD } from "../outbox/shards.ts";
import { dueTimersPage, markTimerResent, readWatermark, saveSweepCursor, saveWatermark, shardHasTimers, staleTimersPage, sweepCursors, watermarkUpdate, type SweepCursor, type TimerRow, type Watermark } from "./repo.ts";

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
 * At most this many timers due in one run are applied by the sweep itself (one read, one
 * transaction); more go through the queue, whose consumers apply them in parallel. The environment
 * variable WANGGE_TIMER_APPLY_HERE_MAX overrides it (0: always through the queue; tests of the queue path).
 */
export const APPLY_HERE_MAX = 10;
const applyHereMax = () => (process.env.WANGGE_TIMER_APPLY_HERE_MAX ? Number(process.env.WANGGE_TIMER_APPLY_HERE_MAX) : APPLY_HERE_MAX);
/** At most this many timers sent by one run (what the four shards allowed together, 5,000 each); the next run goes on. */
const MAX_PER_RUN = 20_000;
/** A legacy shard (core/outbox/shards.ts) is retired once found empty this long after the one-shard sweep began. */
const RETIRE_AFTER_MS = 60 * 60_000;

/** The warm container's copy of the watermark (with its version); `undefined`: read it. */
let known: Watermark | undefined;

/** Forget the container's copy of the watermark (tests that swap the table under a process). */
export function forgetWatermark(): void {
  known = undefined;
}

/**
 * Find due timers on the time-ordered index (gsi1 `TIMERS#0`, sort key `<dueAt>#<caseId>`) — a
 * Query, never a Scan — and apply them: a few (≤ APPLY_HERE_MAX, the usual minute of a county) right
 * here, more through the `timeouts` queue, whose consumers apply them in parallel batches.
 *
 * The sweep keeps a watermark (#16): the position of the last timer it handled, with a version. A
 * warm container keeps its copy, so a run with nothing due is ONE Query; every write of the
 * watermark is conditional on the version it was computed from (another sweep wrote it: read it
 * again). A few due timers are applied with ONE consistent read of their cases and ONE transaction
 * that holds their decisions and the watermark's move (core/case/timeouts.ts `applyDueTimers`):
 * applied and passed together, or neither. When that transaction cannot be used (too big, a case
 * moved on, a lost answer) they go to the queue like a bulk: sent in batches of ten, the watermark
 * moved over the timers whose send succeeded (up to the first that failed, which the next run sends
 * again). A sent timer is not written to: its message is in SQS, which keeps it until it is applied
 * or dead-lettered; the consumer's conditional write makes any double delivery harmless.
 *
 * What the watermark passed and is still there `STRAGGLER_MS` later — a message that went to the
 * dead-letter queue, a timer the index showed only after the watermark passed its place — is found
 * by a second Query up to the watermark's checkpoint (a position every timer before which was
 * handled at least `STRAGGLER_MS` ago; it runs once the checkpoint is that old and normally reads
 * nothing) and re-sent, marked so it goes at most every `RESEND_MS`.
 *
 * Timers written before #16 sit on the legacy shards `TIMERS#1..3`: those are swept as before (their
 * own cursors, through the queue) until each is found empty an hour after the one-shard sweep began.
 */
export async function sweepTimers(now: Date, opts: { maxPerShard?: number } = {}): Promise<{ sent: number; resent: number; applied: number }> {
  const url = process.env.WANGGE_QUEUE_TIMEOUTS_URL;
  if (!url) throw new Error("WANGGE_QUEUE_TIMEOUTS_URL is not set");
  const nowIso = now.toISOString();
  const to = `${nowIso}~`;
  let sent = 0;
  let resent = 0;
  let applied = 0;
  for (let attempt = 0; ; attempt++) {
    const w = known ?? (known = await readWatermark(TIMER_SHARD));
    // the shards of before #16, until each is found empty (legacy: the four-shard sweep's code path)
    const legacy = LEGACY_TIMER_SHARDS.filter((n) => !w.retired.includes(n));
    let retired = w.retired;
    if (legacy.length && attempt === 0) {
      const r = await sweepLegacy(legacy, now, url, opts);
      sent += r.sent;
      resent += r.resent;
      if (w.since && now.getTime() - Date.parse(w.since) >= RETIRE_AFTER_MS) {
        const empty = (await Promise.all(legacy.map(async (n) => ((await shardHasTimers(n)) ? -1 : n)))).filter((n) => n >= 0);
        if (empty.length) retired = [...retired, ...empty].sort();
      }
    }

    // a watermark ahead of the clock (the clock was set back: tests, a host's clock jump) starts over
    const reset = w.upTo > to;
    const cursor: SweepCursor = reset ? { upTo: "", checkpoint: "" } : w;
    const from = cursor.upTo;
    // stragglers: only behind a checkpoint at least STRAGGLER_MS old (what was handled before it)
    const ripe = Boolean(cursor.checkpointAt) && now.getTime() - Date.parse(cursor.checkpointAt!) >= STRAGGLER_MS;
    if (ripe && cursor.checkpoint && attempt === 0) resent += await resendStragglers(TIMER_SHARD, cursor.checkpoint, now, url);
    // the next checkpoint: everything up to this run's starting watermark was handled before now
    const moveCheckpoint = !cursor.checkpointAt || ripe;
    const next = (upTo: string): Omit<Watermark, "v"> => ({
      upTo,
      ...(moveCheckpoint ? { checkpoint: from, checkpointAt: nowIso } : { checkpoint: cursor.checkpoint, checkpointAt: cursor.checkpointAt }),
      since: w.since ?? nowIso,
      retired,
    });

    const page = await dueTimersPage(TIMER_SHARD, from, to);
    const due = page.rows.filter((r) => r.at !== from); // BETWEEN includes the watermark's own timer
    if (due.length && due.length <= applyHereMax() && !page.next) {
      const mark = next(due[due.length - 1].at);
      const { applyDueTimers } = await import("../case/timeouts.ts");
      const out = await applyDueTimers(due.map(message), now, [{ Update: watermarkUpdate(TIMER_SHARD, mark, w.v) }]).catch((e: Error) => {
        logger.warn("due timers not applied by the sweep, sent to the queue", { error: e.message });
        return "queue" as const;
      });
      if (out === "applied") {
        known = { ...mark, v: w.v + 1 };
        return { sent, resent, applied: applied + due.length };
      }
      if (out === "extra") {
        known = undefined; // another sweep moved the watermark: read it and look again (once)
        if (attempt === 0) continue;
      }
    }

    // through the queue: batches of ten, the watermark moved over the contiguous run of sent timers
    let upTo = from;
    let rows = due;
    let start = page.next;
    let count = 0;
    pages: for (;;) {
      // the next page is read while this one is sent (a bulk of 10,000 is 20 pages and 1,000 sends)
      const ahead = start && count + rows.length < (opts.maxPerShard ?? MAX_PER_RUN) ? dueTimersPage(TIMER_SHARD, from, to, start) : undefined;
      ahead?.catch(() => undefined); // a failed read surfaces where it is awaited below
      // a page's batches are sent at once; the watermark still moves only over the contiguous run of sent timers
      const batches = Array.from({ length: Math.ceil(rows.length / 10) }, (_, i) => rows.slice(i * 10, i * 10 + 10));
      const oks = await Promise.all(batches.map((batch) => send(url, batch).catch(() => new Set<number>())));
      for (const [i, batch] of batches.entries()) {
        const ok = oks[i];
        sent += ok.size;
        count += batch.length;
        const firstFailed = batch.findIndex((_, j) => !ok.has(j));
        if (firstFailed >= 0) {
          if (firstFailed > 0) upTo = batch[firstFailed - 1].at;
          for (const later of oks.slice(i + 1)) sent += later.size; // sent too, and sent again by the next run
          break pages;
        }
        upTo = batch[batch.length - 1].at;
      }
      if (!start || count >= (opts.maxPerShard ?? MAX_PER_RUN)) break;
      const more = await (ahead ?? dueTimersPage(TIMER_SHARD, from, to, start));
      rows = more.rows.filter((r) => r.at !== from);
      start = more.next;
    }
    const changed = upTo > from || reset || (moveCheckpoint && from !== cursor.checkpoint) || !w.since || retired !== w.retired;
    if (changed) await moveWatermark(w, next(upTo));
    return { sent, resent, applied };
  }
}

/** Write the watermark from the version it was computed from; when another sweep wrote it meanwhile, read it and move it only forward. */
async function moveWatermark(w: Watermark, next: Omit<Watermark, "v">): Promise<void> {
  if (await saveWatermark(TIMER_SHARD, next, w.v)) {
    known = { ...next, v: w.v + 1 };
    return;
  }
  const now = await readWatermark(TIMER_SHARD);
  known = now;
  if (now.upTo >= next.upTo) return; // a sweep got as far or further: nothing to move
  const merged = { ...next, since: now.since ?? next.since, retired: [...new Set([...now.retired, ...next.retired])].sort() };
  known = (await saveWatermark(TIMER_SHARD, merged, now.v)) ? { ...merged, v: now.v + 1 } : undefined;
}

const message = (t: TimerRow): TimeoutMessage => ({ caseId: t.caseId, stage: t.stage, dueAt: t.dueAt, version: t.version });

/** Re-send the stragglers of a shard behind `checkpoint` (not re-sent in RESEND_MS) and mark them. */
async function resendStragglers(shard: number, checkpoint: string, now: Date, url: string): Promise<number> {
  let resent = 0;
  const stale = await staleTimersPage(shard, checkpoint, new Date(now.getTime() - RESEND_MS).toISOString());
  for (let i = 0; i < stale.length; i += 10) {
    const batch = stale.slice(i, i + 10);
    const ok = await send(url, batch);
    resent += ok.size;
    await Promise.all(batch.filter((_, j) => ok.has(j)).map((t) => markTimerResent(t, now)));
  }
  return resent;
}

/** The legacy shards, as the four-shard sweep did it: their cursors in one BatchGetItem, a Query each, through the queue. */
async function sweepLegacy(shards: number[], now: Date, url: string, opts: { maxPerShard?: number }): Promise<{ sent: number; resent: number }> {
  const nowIso = now.toISOString();
  const to = `${nowIso}~`;
  const cursors = await sweepCursors(shards);
  let sent = 0;
  let resent = 0;
  await Promise.all(
    shards.map(async (shard, k) => {
      const reset = cursors[k].upTo > to;
      const cursor: SweepCursor = reset ? { upTo: "", checkpoint: "" } : cursors[k];
      const from = cursor.upTo;
      let upTo = from;
      let start: Record<string, unknown> | undefined;
      let count = 0;
      shard: do {
        const page = await dueTimersPage(shard, from, to, start);
        const due = page.rows.filter((r) => r.at !== from);
        for (let i = 0; i < due.length; i += 10) {
          const batch = due.slice(i, i + 10);
          const ok = await send(url, batch);
          sent += ok.size;
          count += batch.length;
          const firstFailed = batch.findIndex((_, j) => !ok.has(j));
          if (firstFailed >= 0) {
            if (firstFailed > 0) upTo = batch[firstFailed - 1].at;
            break shard;
          }
          upTo = batch[batch.length - 1].at;
        }
        start = page.next;
      } while (start && count < (opts.maxPerShard ?? 5000));
      const ripe = Boolean(cursor.checkpointAt) && now.getTime() - Date.parse(cursor.checkpointAt!) >= STRAGGLER_MS;
      if (ripe && cursor.checkpoint) resent += await resendStragglers(shard, cursor.checkpoint, now, url);
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
