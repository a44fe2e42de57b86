import { AsyncLocalStorage } from "node:async_hooks";
import { RateLimitedError } from "../errors.ts";
import { addToSlot, readSlots as querySlots, takeBackFromSlots, type Slot } from "./repo.ts";

/**
 * The one rate limiter of the API (resident codes, verification, reports, grid pages, API keys):
 * a **rolling** window. "At most `limit` per `windowSeconds`" holds for *any* interval of that
 * length, not per calendar minute/hour/day (two codes at 12:00:59 and 12:01:01 are one minute
 * apart by the clock but two seconds apart in fact: the second is refused).
 *
 * Storage (docs/data-model.md): the window is cut into {@link SLOTS} slots of `windowSeconds /
 * SLOTS` seconds (at least one second); each slot is one counter item `pk = RATE#<bucket>`,
 * `sk = SLOT#<slot start>`, carrying `n` and `last` (the latest accepted time in it, ms). A call:
 *  1. Query the bucket's slots that still overlap the rolling window (strongly consistent), and
 *     add up `n` of the finished ones; a finished slot whose `last` is already out of the window
 *     counts nothing, so for a limit of one the window is exact to the millisecond;
 *  2. `UpdateItem ADD n 1` on the current slot with the condition `n < limit - earlier`: many
 *     containers may take the same bucket at once and never pass the limit together.
 * The count is never lower than the true rolling count, so the limit is never exceeded; it may
 * refuse at most one slot (1/60 of the window) early when an old slot straddles the window edge.
 * Slot items expire by TTL one window after they end. Time is the caller's `now` (the clock).
 */
export const SLOTS = 60;

/**
 * What a request learnt of a quota it counted against, for the `RateLimit` and `RateLimit-Policy`
 * response headers (functions/http.ts; draft-ietf-httpapi-ratelimit-headers, docs/reliability.md):
 * `policy` is the bucket's kind (never the bucket itself: those hold key ids, phone hashes, addresses).
 */
export interface Quota {
  policy: string;
  limit: number;
  windowSeconds: number;
  remaining: number;
  /** seconds until at least one more request fits again */
  resetSeconds: number;
}

/** The quotas noted during one request (the HTTP wrapper opens the scope; outside it nothing is kept). */
export const quotaScope = new AsyncLocalStorage<Quota[]>();

function note(bucket: string, limit: number, windowSeconds: number, remaining: number, resetSeconds: number): void {
  quotaScope.getStore()?.push({ policy: bucket.split("#")[0], limit, windowSeconds, remaining: Math.max(0, remaining), resetSeconds: Math.max(1, resetSeconds) });
}

/** Seconds until the oldest acceptance still in the window leaves it (the quota grows by at least one then). */
function restoredIn(slots: Slot[], nowMs: number, windowMs: number): number {
  const live = slots.filter((s) => s.n > 0 && s.last > nowMs - windowMs);
  if (!live.length) return Math.ceil(windowMs / 1000);
  const oldest = Math.min(...live.map((s) => s.last));
  return Math.ceil((oldest + windowMs - nowMs) / 1000);
}

export interface Window {
  limit: number;
  seconds: number;
}

export function slotMs(windowSeconds: number): number {
  return Math.max(1000, Math.floor((windowSeconds * 1000) / SLOTS));
}

/**
 * How many acceptances still count at `nowMs` among finished slots (pure, exported for tests),
 * and when enough of them leave the window for one more to fit.
 */
export function rollingCount(slots: Slot[], nowMs: number, windowMs: number, width: number): number {
  const from = nowMs - windowMs;
  let total = 0;
  for (const s of slots) {
    if (s.start + width <= from) continue; // wholly out of the window
    if (s.last <= from) continue; // everything in it happened before the window
    total += s.n;
  }
  return total;
}

/** Seconds until one more acceptance fits (at least 1). */
export function retryAfter(slots: Slot[], nowMs: number, windowMs: number, limit: number): number {
  const live = slots.filter((s) => s.last > nowMs - windowMs).sort((a, b) => a.last - b.last);
  let count = live.reduce((t, s) => t + s.n, 0);
  for (const s of live) {
    count -= s.n;
    if (count < limit) return Math.max(1, Math.ceil((s.last + windowMs - nowMs) / 1000));
  }
  return 1;
}

/** The bucket's slots that may still overlap the rolling window ending in the slot starting at `current` (strongly consistent). */
function readSlots(bucket: string, current: number, windowMs: number, width: number): Promise<Slot[]> {
  return querySlots(bucket, Math.max(0, current - windowMs - width), current);
}

/** What one accepted `consume` counted: the bucket and the slot it was added to (for {@link giveBack}). */
export interface Taken {
  bucket: string;
  slot: number;
}

/** Take one from the bucket's rolling window, or throw 429 (`RateLimitedError`) with Retry-After. */
export async function consume(bucket: string, limit: number, windowSeconds: number, now: Date): Promise<Taken> {
  const nowMs = now.getTime();
  const windowMs = windowSeconds * 1000;
  const width = slotMs(windowSeconds);
  const current = Math.floor(nowMs / width) * width;
  const slots = await readSlots(bucket, current, windowMs, width);
  const earlier = rollingCount(
    slots.filter((s) => s.start < current),
    nowMs,
    windowMs,
    width,
  );
  const room = limit - earlier;
  const refuse = () => {
    const wait = retryAfter(slots.map((s) => (s.start === current ? { ...s, last: Math.max(s.last, nowMs) } : s)), nowMs, windowMs, limit);
    note(bucket, limit, windowSeconds, 0, wait);
    return new RateLimitedError(wait);
  };
  if (room <= 0) throw refuse();
  const inSlot = await addToSlot(bucket, current, room, nowMs, Math.ceil((current + width + windowMs) / 1000) + 60);
  if (inSlot === undefined) throw refuse();
  const after = [...slots.filter((s) => s.start !== current), { start: current, n: inSlot, last: nowMs }];
  note(bucket, limit, windowSeconds, limit - earlier - inSlot, restoredIn(after, nowMs, windowMs));
  return { bucket, slot: current };
}

/**
 * Undo acceptances whose request turned out not to be the caller's to pay for (e.g. an SMS the
 * provider refused because of the county's own configuration: core/resident/service.ts). One
 * transaction decrements each taken slot by one, each guarded by `n >= 1`, so the buckets are given
 * back together or not at all and a count never goes below zero; slots taken by other requests in
 * the meantime are untouched (only our own one unit leaves the slot). Call at most once per take.
 */
export async function giveBack(taken: readonly Taken[]): Promise<void> {
  if (!taken.length) return;
  await takeBackFromSlots(taken);
}

/**
 * Would one more be refused right now? The seconds to wait, or undefined when there is room.
 * Reads only (for limits that count failures: check before the attempt, `consume` after a failure).
 */
export async function peek(bucket: string, limit: number, windowSeconds: number, now: Date): Promise<number | undefined> {
  const nowMs = now.getTime();
  const windowMs = windowSeconds * 1000;
  const width = slotMs(windowSeconds);
  const current = Math.floor(nowMs / width) * width;
  const slots = await readSlots(bucket, current, windowMs, width);
  const used = rollingCount(slots.filter((s) => s.start < current), nowMs, windowMs, width) + slots.filter((s) => s.start === current).reduce((n, s) => n + s.n, 0);
  const wait = used < limit ? undefined : retryAfter(slots, nowMs, windowMs, limit);
  note(bucket, limit, windowSeconds, limit - used, wait ?? restoredIn(slots, nowMs, windowMs));
  return wait;
}

/**
 * The response headers for the quotas a request counted against (draft-ietf-httpapi-ratelimit-headers,
 * structured fields): `RateLimit-Policy` lists each policy (`q` quota units per `w` seconds, a rolling
 * window), `RateLimit` the one closest to exhaustion (`r` units left, `t` seconds until one more
 * fits). Nothing when the request counted against no quota.
 */
export function rateLimitHeaders(quotas: Quota[]): Record<string, string> {
  if (!quotas.length) return {};
  const byPolicy = new Map<string, Quota>();
  for (const q of quotas) {
    const seen = byPolicy.get(q.policy);
    if (!seen || q.remaining < seen.remaining || (q.remaining === seen.remaining && q.resetSeconds > seen.resetSeconds)) byPolicy.set(q.policy, q);
  }
  const all = [...byPolicy.values()];
  const tightest = all.reduce((a, b) => (b.remaining < a.remaining || (b.remaining === a.remaining && b.resetSeconds > a.resetSeconds) ? b : a));
  return {
    "ratelimit-policy": all.map((q) => `"${q.policy}";q=${q.limit};w=${q.windowSeconds}`).join(", "),
    ratelimit: `"${tightest.policy}";r=${tightest.remaining};t=${tightest.resetSeconds}`,
  };
}

/** The same, with a named window. */
export const take = (bucket: string, w: Window, now: Date): Promise<Taken> => consume(bucket, w.limit, w.seconds, now);
