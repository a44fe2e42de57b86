import { DeleteCommand, GetCommand, PutCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { db, tableName } from "../db/client.ts";
import { item } from "../db/items.ts";
import * as keys from "../db/keys.ts";
import { isConditionFailure, mapStorageError } from "../db/errors.ts";
import { codeRefItem, unitItem } from "./repo.ts";
import type { Unit } from "./schema.ts";

/**
 * The table side of moving a subtree (core/unit/move.ts): the journal item `MOVE#<rootId>` / `META`
 * (the move's target, written first, deleted last) and the chunked rewrites of the units with
 * their code references.
 */
const intentKey = (rootId: string) => ({ pk: `MOVE#${rootId}`, sk: "META" });

/** Record the move's intent if none exists for this unit; false when one does. */
export async function putMoveIntent<T extends { rootId: string }>(intent: T): Promise<boolean> {
  try {
    await db().send(new PutCommand({ TableName: tableName(), Item: item("MoveIntent", intentKey(intent.rootId), intent), ConditionExpression: "attribute_not_exists(pk)" }));
    return true;
  } catch (e) {
    if (!isConditionFailure(e)) mapStorageError(e);
    return false;
  }
}

/** The recorded intent of a move of this unit (consistent GetItem). */
export async function getMoveIntent<T>(rootId: string): Promise<T | undefined> {
  return (await db().send(new GetCommand({ TableName: tableName(), Key: intentKey(rootId), ConsistentRead: true }))).Item as T | undefined;
}

export async function deleteMoveIntent(rootId: string): Promise<void> {
  await db().send(new DeleteCommand({ TableName: tableName(), Key: intentKey(rootId) }));
}

/** Transaction parts of one moved unit: its item only if still at the old path, and its code reference moved when the code changes. */
export function movedUnitOps(u: Unit, next: Unit): any[] {
  const ops: any[] = [
    {
      Put: {
        TableName: tableName(),
        Item: unitItem(next),
        ConditionExpression: "#path = :old",
        ExpressionAttributeNames: { "#path": "path" },
        ExpressionAttributeValues: { ":old": u.path },
      },
    },
  ];
  if (next.code !== u.code) {
    ops.push({ Delete: { TableName: tableName(), Key: keys.unitCode(u.code), ConditionExpression: "unitId = :id", ExpressionAttributeValues: { ":id": u.id } } });
    ops.push({ Put: { TableName: tableName(), Item: codeRefItem(next.code, u.id), ConditionExpression: "attribute_not_exists(pk) OR unitId = :id", ExpressionAttributeValues: { ":id": u.id } } });
  }
  return ops;
}

/** One chunk of the move in one transaction; false when a condition failed. */
export async function commitMoveChunk(ops: any[]): Promise<boolean> {
  try {
    await db().send(new TransactWriteCommand({ TransactItems: ops }));
    return true;
  } catch (e) {
    if (isConditionFailure(e)) return false;
    mapStorageError(e);
  }
}
