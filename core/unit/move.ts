import { ConflictError } from "../errors.ts";
import { auditPut, type AuditEntry } from "../audit/entry.ts";
import { subtree } from "./repo.ts";
import { commitMoveChunk, deleteMoveIntent, getMoveIntent, movedUnitOps, putMoveIntent } from "./repo-move.ts";
import type { Unit } from "./schema.ts";

const UNITS_PER_TRANSACTION = 30; // 3 writes each, under DynamoDB's 100-item limit

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
  if (!(await putMoveIntent(intent))) {
    const existing = await getMoveIntent<typeof intent>(root.id);
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
      ops.push(...movedUnitOps(u, next));
    }
    if (i === 0) {
      ops.push(auditPut({ actor, action: "unit.move", entity: "unit", entityId: root.id, summary: `${oldCode} → ${newRootCode} (${pending.length} units)`, changes: { path: { from: oldPath, to: newPath }, code: { from: oldCode, to: newRootCode } } }, now));
    }
    if (!(await commitMoveChunk(ops))) throw new ConflictError("Units of this subtree changed during the move, or a target code is taken; repeat the move to finish it");
    moved += chunk.length;
  }
  await deleteMoveIntent(root.id);
  return moved;
}
