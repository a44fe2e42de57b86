import { DeleteCommand, GetCommand, PutCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { db, tableName } from "../db/client.ts";
import { item } from "../db/items.ts";
import { keys } from "../db/keys.ts";
import { isConditionFailure, mapStorageError } from "../db/errors.ts";
import { ConflictError } from "../errors.ts";
import { auditPut, type AuditEntry } from "../audit/entry.ts";
import { codeRefItem, subtree, unitItem } from "./repo.ts";
import type { Unit } from "./schema.ts";

const UNITS_PER_TRANSACTION = 30; // 3 writes each, under DynamoDB's 100-item limit

const intentKey = (rootId: string) => ({ pk: `MOVE#${rootId}`, sk: "META" });

/**
 * Move a unit and its whole subtree under a new parent: every descendant's path and code
 * prefix change. Large subtrees don't fit one transaction, so the move is journaled: an intent
 * item records the target first, then units are rewritten in chunks, each unit conditionally
 * (only if it still has its old path). If the process dies halfway, repeating the same move
 * finds the intent and finishes it; no unit is left orphaned with a path pointing nowhere, since a
 * unit's path is rewritten only together with its code references, and parents before children.
 */
export async function moveSubtree(root: Unit, parent: Unit, newRootCode: string, now: Date, actor: AuditEntry["actor"], rootWarnings?: Unit["boundaryWarnings"]): Promise<number> {
  const newPath = `${parent.path}${root.id}/`;
  let intent = { rootId: root.id, oldPath: root.path, newPath, oldCode: root.code, newCode: newRootCode, parentId: parent.id, startedAt: now.toISOString() };
  try {
    await db().send(
      new PutCommand({ TableName: tableName(), Item: item("MoveIntent", intentKey(root.id), intent), ConditionExpression: "attribute_not_exists(pk)" }),
    );
  } catch (e) {
    if (!isConditionFailure(e)) mapStorageError(e);
    const existing = (await db().send(new GetCommand({ TableName: tableName(), Key: intentKey(root.id), ConsistentRead: true }))).Item as typeof intent | undefined;
    if (!existing || existing.newPath !== newPath || existing.newCode !== newRootCode) {
      throw new ConflictError("Another move of this unit is in progress; repeat that move to finish it", { pending: existing?.newPath });
    }
    intent = existing; // resume: the old location is the one recorded when the move began
  }
  const { oldPath, oldCode } = intent;
  // units still at the old location (a resumed move skips what is done)
  const pending = (await subtree(oldPath)).sort((a, b) => a.depth - b.depth);
  const at = now.toISOString();
  let moved = 0;
  for (let i = 0; i < pending.length; i += UNITS_PER_TRANSACTION) {
    const chunk = pending.slice(i, i + UNITS_PER_TRANSACTION);
    const ops: any[] = [];
    for (const u of chunk) {
      const code = newRootCode + u.code.slice(oldCode.length);
      const next: Unit = {
        ...u,
        parentId: u.id === root.id ? parent.id : u.parentId,
        // the moved unit's boundary problems are those under its new parent (boundaryCheck = warn)
        ...(u.id === root.id && rootWarnings !== undefined ? { boundaryWarnings: rootWarnings.length ? rootWarnings : undefined } : {}),
        path: newPath + u.path.slice(oldPath.length),
        code,
        version: u.version + 1,
        updatedAt: at,
      };
      ops.push({
        Put: {
          TableName: tableName(),
          Item: unitItem(next),
          ConditionExpression: "#path = :old",
          ExpressionAttributeNames: { "#path": "path" },
          ExpressionAttributeValues: { ":old": u.path },
        },
      });
      if (code !== u.code) {
        ops.push({ Delete: { TableName: tableName(), Key: keys.unitCode(u.code), ConditionExpression: "unitId = :id", ExpressionAttributeValues: { ":id": u.id } } });
        ops.push({ Put: { TableName: tableName(), Item: codeRefItem(code, u.id), ConditionExpression: "attribute_not_exists(pk) OR unitId = :id", ExpressionAttributeValues: { ":id": u.id } } });
      }
    }
    if (i === 0) {
      ops.push(auditPut({ actor, action: "unit.move", entity: "unit", entityId: root.id, summary: `${oldCode} → ${newRootCode} (${pending.length} units)`, changes: { path: { from: oldPath, to: newPath }, code: { from: oldCode, to: newRootCode } } }, now));
    }
    try {
      await db().send(new TransactWriteCommand({ TransactItems: ops }));
    } catch (e) {
      if (isConditionFailure(e)) throw new ConflictError("Units of this subtree changed during the move, or a target code is taken; repeat the move to finish it");
      mapStorageError(e);
    }
    moved += chunk.length;
  }
  await db().send(new DeleteCommand({ TableName: tableName(), Key: intentKey(root.id) }));
  return moved;
}
