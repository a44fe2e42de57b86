import { ForbiddenError, InvalidError, NotFoundError } from "../errors.ts";
import { inScopes, requireScope, scopesFor, type Principal } from "../auth/principal.ts";
import type { Permission } from "../auth/roles.ts";
import { getUnit } from "../unit/repo.ts";
import type { Unit } from "../unit/schema.ts";

/**
 * Scope rules of the registry: a record is visible to whoever holds registry:read on a unit
 * above (or at) the record's unit, and writable with registry:write there. A grid worker sees
 * and changes only their grid's subtree; records outside the caller's read scope are 404.
 */
export const canRead = (p: Principal, unitPath: string) => inScopes(unitPath, scopesFor(p, "registry:read"));

export function requireWrite(p: Principal, unitPath: string): void {
  requireScope(p, "registry:write", unitPath);
}

/** 404 unless the record exists and the caller may read it. */
export function visibleOr404<T extends { unitPath: string }>(p: Principal, record: T | undefined, what: string, id: string): T {
  if (!record || !canRead(p, record.unitPath)) throw new NotFoundError(`${what} ${id} not found`);
  return record;
}

/** A unit named in input: must exist and be active (400 on the field) and be inside the caller's scope for `perm` (403). */
export async function unitInScope(p: Principal, unitId: string, perm: Permission, field = "unitId"): Promise<Unit> {
  const unit = await getUnit(unitId);
  if (!unit || !unit.active) throw new InvalidError("Unknown or inactive unit", { fields: [{ path: field, message: "unknown unit" }] });
  requireScope(p, perm, unit.path);
  return unit;
}

/** The subtree a list reads: the given unit (must be in scope) or the caller's widest scope. */
export async function listRoot(p: Principal, unitId: string | undefined, perm: Permission = "registry:read"): Promise<string | null> {
  const scopes = scopesFor(p, perm);
  if (unitId) {
    const unit = await getUnit(unitId);
    if (!unit) throw new InvalidError("Unknown unit", { fields: [{ path: "unitId", message: "unknown unit" }] });
    if (!inScopes(unit.path, scopes)) throw new ForbiddenError("This unit is outside your part of the hierarchy");
    return unit.path;
  }
  return [...scopes].sort((a, b) => a.length - b.length)[0] ?? null;
}

/** The registry's transaction helpers live in its repo; re-exported for the areas that still import them from here (core/duty). */
export { commit, del, put, putAtVersion } from "./repo.ts";
