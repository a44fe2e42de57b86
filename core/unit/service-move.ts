import { ConflictError, InvalidError } from "../errors.ts";
import { actorOf } from "../audit/entry.ts";
import { requireScope, type Principal } from "../auth/principal.ts";
import { getSettings, levelKey } from "../settings/settings.ts";
import { parse } from "../validate.ts";
import { checkChildCode } from "./codes.ts";
import { bumpTreeVersion, getUnit } from "./repo.ts";
import { MoveUnit, type Unit } from "./schema.ts";
import { canRead, readUnit } from "./read.ts";
import { moveSubtree } from "./move.ts";
import { checkBoundary } from "./boundary.ts";

/**
 * Move a unit (and its subtree) under a new parent of the level above: `POST /v1/units/{id}/move`.
 * Its own module so that unit create, update and deactivate requests (core/unit/service.ts) do not
 * load it; the records under the subtree follow in the unit-move job (core/unit/move-job.ts, queued
 * through core/unit/move-start.ts, which names the job kind from core/unit/move-kind.ts only).
 */
export async function moveUnit(p: Principal, id: string, input: unknown, now: Date): Promise<{ unit: Unit; moved: number; jobId: string }> {
  const data = parse(MoveUnit, input, "move");
  const settings = await getSettings();
  const current = await readUnit(p, id);
  requireScope(p, "units:write", current.path);
  if (!current.parentId) throw new ConflictError("The county root cannot be moved");
  if (current.version !== data.version) throw new ConflictError("The unit was changed by someone else; reload and retry", { current });
  const parent = await getUnit(data.parentId, true);
  if (!parent || !canRead(p, parent)) throw new InvalidError("New parent not found", { fields: [{ path: "parentId", message: "unknown unit" }] });
  requireScope(p, "units:write", parent.path);
  if (parent.path.startsWith(current.path)) {
    throw new InvalidError("A unit cannot be moved under itself or its own descendants", { fields: [{ path: "parentId", message: "would create a cycle" }] });
  }
  if (!parent.active) throw new ConflictError("New parent is inactive");
  if (parent.depth !== current.depth - 1) {
    throw new InvalidError(`A ${current.level} must sit under a unit of level ${levelKey(settings, current.depth - 1)}`, { fields: [{ path: "parentId", message: "wrong level" }] });
  }
  const oldParent = await getUnit(current.parentId, true);
  const segment = current.code.slice(oldParent ? oldParent.code.length : current.code.length);
  const code = data.code ?? parent.code + segment;
  checkChildCode(settings, parent, code);
  // the unit's boundary must fit under its new parent and beside its new siblings, as on create and update
  // (refused under boundaryCheck = refuse; under warn the move goes ahead and its problems are recorded on the unit, as on update)
  const warnings = current.boundary ? await checkBoundary(settings, current.boundary, parent, current.id) : [];
  // records under the subtree follow in the unit-move job; reads read old paths as new meanwhile
  const { startMove } = await import("./move-start.ts");
  const job = await startMove(p, current, `${parent.path}${current.id}/`, now);
  const moved = await moveSubtree(current, parent, code, now, actorOf(p), current.boundary ? warnings : undefined);
  await bumpTreeVersion();
  await job.enqueue();
  const unit = await getUnit(id, true);
  return { unit: unit!, moved, jobId: job.jobId };
}
