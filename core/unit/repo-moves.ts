import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { db, tableName } from "../db/client.ts";
import { item } from "../db/items.ts";
import { isConditionFailure } from "../db/errors.ts";
import type { PathMove } from "./paths.ts";

/**
 * The table side of the registry of unit moves (core/unit/move-registry.ts): one item
 * `CONFIG` / `UNIT_MOVES` → `{moves, v}`, read consistently and replaced at the version read.
 * Kept light: every authenticated request may read it.
 */
export const MOVES_KEY = { pk: "CONFIG", sk: "UNIT_MOVES" };

export interface StoredMoves {
  moves: PathMove[];
  v: number;
}

/** The stored moves and their version (0 when the item does not exist): one consistent GetItem. */
export async function readMoves(): Promise<StoredMoves> {
  const out = await db().send(new GetCommand({ TableName: tableName(), Key: MOVES_KEY, ConsistentRead: true }));
  return { moves: (out.Item?.moves as PathMove[] | undefined) ?? [], v: (out.Item?.v as number | undefined) ?? 0 };
}

/** Replace the moves if still at version `v` read (or create them when `v` is 0); false when someone wrote meanwhile. */
export async function replaceMoves(moves: PathMove[], v: number): Promise<boolean> {
  try {
    await db().send(
      new PutCommand({
        TableName: tableName(),
        Item: item("UnitMoves", MOVES_KEY, { moves, v: v + 1 }),
        ConditionExpression: v ? "v = :v" : "attribute_not_exists(pk)",
        ExpressionAttributeValues: v ? { ":v": v } : undefined,
      }),
    );
    return true;
  } catch (e) {
    if (!isConditionFailure(e)) throw e;
    return false;
  }
}
