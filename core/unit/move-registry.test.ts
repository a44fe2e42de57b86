import { describe, expect, it } from "vitest";
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { ownStack } from "../../test/own-stack.ts";
import { clock } from "../clock.ts";
import { db, tableName } from "../db/client.ts";
import { item } from "../db/items.ts";
import { measureCapacity, measured } from "../db/metrics.ts";
import { finishMove, forgetCachedMoves, MOVES_KEY, MOVES_RECHECK_MS, refreshMoves } from "./move-registry.ts";
import { startMove } from "./move-start.ts";
import { subtree } from "./repo.ts";
import type { PathMove } from "./paths.ts";

/**
 * The container's copy of the unit moves (authenticate reads it on every API call): read once per
 * MOVES_RECHECK_MS instead of once per call, and still correct when a move starts, because the
 * move waits until every copy read before it has expired. Own stack: it registers moves.
 */
ownStack();

const SYSTEM = { kind: "system" as const, id: "move-registry-test" };
const gets = async (fn: () => Promise<unknown>) => {
  measureCapacity(true);
  try {
    return (await measured(fn)).cost.requests;
  } finally {
    measureCapacity(false);
  }
};

describe("the container's copy of the unit moves", () => {
  it("is read once per recheck interval; a move stored by another container shows once the copy expires; a clock set back re-reads", async () => {
    forgetCachedMoves();
    const t0 = clock.now().getTime();
    const at = (ms: number) => new Date(t0 + ms);
    expect(await gets(() => refreshMoves(at(0)))).toBe(1);
    expect(await gets(() => refreshMoves(at(MOVES_RECHECK_MS - 1)))).toBe(0);

    // another container registers a move (its own Put; this container's copy does not know)
    const move: PathMove = { rootId: "U-OTHER", oldPath: "/x/old/", newPath: "/x/new/", jobId: "J-OTHER", startedAt: at(1000).toISOString(), finishedAt: at(1500).toISOString() };
    await db().send(new PutCommand({ TableName: tableName(), Item: item("UnitMoves", MOVES_KEY, { moves: [move], v: 1000 }) }));
    expect(await refreshMoves(at(MOVES_RECHECK_MS - 1))).toEqual([]);
    let seen: readonly PathMove[] = [];
    expect(await gets(async () => (seen = await refreshMoves(at(MOVES_RECHECK_MS))))).toBe(1);
    expect(seen).toEqual([move]);

    // the clock set back before the copy was read: read again
    expect(await gets(() => refreshMoves(at(-1)))).toBe(1);
  });

  it("a move starts only after every copy read before it has expired: a container that read just before sees it on its next call", async () => {
    const units = await subtree("/", { activeOnly: true });
    const root = units.find((u) => u.depth === 3)!;
    const parent = units.find((u) => u.depth === 2 && !root.path.startsWith(u.path))!;
    const newPath = `${parent.path}${root.id}/`;

    // container B: this module as another container sees it, its copy read right before the move is registered
    const instance = "./move-registry.ts?container=b";
    const other = (await import(/* @vite-ignore */ instance)) as typeof import("./move-registry.ts");
    expect(other.refreshMoves).not.toBe(refreshMoves); // a module instance of its own: its own copy
    other.forgetCachedMoves();
    const readAt = clock.now();
    expect((await other.refreshMoves(readAt)).some((m) => m.rootId === root.id)).toBe(false);

    const started = await startMove(SYSTEM, root, newPath, clock.now());
    // when startMove returns the units may move: B's copy has expired, so its next call reads the move
    const next = await other.refreshMoves(clock.now());
    expect(next.find((m) => m.rootId === root.id)).toMatchObject({ oldPath: root.path, newPath, jobId: started.jobId });
    expect(clock.now().getTime() - readAt.getTime()).toBeGreaterThanOrEqual(MOVES_RECHECK_MS);
    await finishMove(root.id, clock.now());
  }, 60_000);
});
