import { ConflictError } from "../errors.ts";
import { setKnownMoves, type PathMove } from "./paths.ts";
import type { Refresher } from "../config/repo.ts";
import { MOVES_KEY, readMoves, replaceMoves } from "./repo-moves.ts";

/** One item holds the county's unit moves in progress (and those finished within the hour): core/unit/repo-moves.ts. */
export { MOVES_KEY };
/** A finished move is kept this long: access tokens issued before it may still carry the old path. */
const KEEP_FINISHED_MS = 60 * 60 * 1000;
/**
 * How long a container trusts its snapshot of the moves before reading the item again (one
 * consistent GetItem per container per interval, instead of one per API call). Correct because a
 * new move's units do not move until every container's snapshot has expired: `startMove` waits
 * `MOVE_VISIBLE_AFTER_MS` after the move is registered (docs/data-model.md "Unit moves").
 */
export const MOVES_RECHECK_MS = 5_000;
/** Clock skew between containers allowed for on top of the recheck interval. */
const CLOCK_SKEW_MS = 1_000;
/** After registering a move, this long until every container's snapshot includes it. */
export const MOVE_VISIBLE_AFTER_MS = MOVES_RECHECK_MS + CLOCK_SKEW_MS;

const read = readMoves;

/** This container's copy of the stored moves and when (request time) it was read. */
let cache: { moves: PathMove[]; readAt: number } | undefined;

/**
 * The moves as this container knows them, made its snapshot: read (one consistent GetItem) when
 * the copy is older than `MOVES_RECHECK_MS` at `now` (or `now` is before it was read: the clock was
 * set back), else the cached copy. `readAt` is the request time, taken before the read started,
 * so the copy is never trusted longer than `MOVES_RECHECK_MS` after the item was read.
 */
export async function refreshMoves(now: Date): Promise<readonly PathMove[]> {
  const t = now.getTime();
  if (!cache || t < cache.readAt || t - cache.readAt >= MOVES_RECHECK_MS) cache = { moves: (await read()).moves, readAt: t };
  const live = cache.moves.filter((m) => !m.finishedAt || t - Date.parse(m.finishedAt) < KEEP_FINISHED_MS);
  setKnownMoves(live);
  return live;
}

/**
 * The moves' refresh, for a read the request makes anyway (core/config/repo.ts `readWithConfig`;
 * #16): the same consistent read of the same item, with the request time as `readAt`, so the
 * bound above holds whichever read refreshed the copy.
 */
export const movesRefresher: Refresher = {
  name: "unit moves",
  key: MOVES_KEY,
  due: (now, early = false) => {
    const t = now.getTime();
    return !cache || t < cache.readAt || t - cache.readAt >= (early ? MOVES_RECHECK_MS / 2 : MOVES_RECHECK_MS);
  },
  apply: (raw, now) => {
    const t = now.getTime();
    cache = { moves: (raw?.moves as PathMove[] | undefined) ?? [], readAt: t };
    setKnownMoves(cache.moves.filter((m) => !m.finishedAt || t - Date.parse(m.finishedAt) < KEEP_FINISHED_MS));
  },
};

/** Forget the cached copy: the next `refreshMoves` reads the item (a new container). */
export function forgetCachedMoves(): void {
  cache = undefined;
}

async function write(change: (moves: PathMove[]) => PathMove[] | undefined, now: Date): Promise<PathMove[]> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const current = await read();
    const next = change(current.moves.filter((m) => !m.finishedAt || now.getTime() - Date.parse(m.finishedAt) < KEEP_FINISHED_MS));
    if (!next) return current.moves;
    if (await replaceMoves(next, current.v)) {
      setKnownMoves(next);
      cache = { moves: next, readAt: now.getTime() };
      return next;
    }
  }
  throw new ConflictError("The unit moves changed meanwhile; retry");
}

/**
 * Register a move before its units move. One move at a time per county: another unfinished move
 * is a 409; registering the same move again (a retried request) returns it unchanged.
 */
export async function registerMove(m: PathMove, now: Date): Promise<PathMove> {
  let result = m;
  await write((moves) => {
    const open = moves.find((x) => !x.finishedAt);
    if (open && open.rootId === m.rootId && open.newPath === m.newPath) {
      result = open;
      return undefined;
    }
    if (open) throw new ConflictError("Another unit move is still re-pathing its records; wait until its job finishes", { reason: "move_in_progress", jobId: open.jobId, rootId: open.rootId });
    return [...moves, m];
  }, now);
  return result;
}

/** Mark a move finished (its records carry the new path). */
export async function finishMove(rootId: string, now: Date): Promise<void> {
  await write((moves) => {
    if (!moves.some((x) => x.rootId === rootId && !x.finishedAt)) return undefined;
    return moves.map((x) => (x.rootId === rootId && !x.finishedAt ? { ...x, finishedAt: now.toISOString() } : x));
  }, now);
}
