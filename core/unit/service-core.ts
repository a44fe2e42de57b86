import { ulid } from "ulid";
import { ConflictError, InvalidError } from "../errors.ts";
import { centroid } from "../geo/measure.ts";
import { actorOf, auditPut, diff } from "../audit/entry.ts";
import { requireScope, type Principal } from "../auth/principal.ts";
import { getSettings, levelKey } from "../settings/settings.ts";
import { parse } from "../validate.ts";
import { checkChildCode, defaultType } from "./codes.ts";
import { activeStaffCount, bumpTreeVersion, getUnit, hasActiveChildren, insertUnit, replaceUnit, unitIdByCode } from "./repo.ts";
import { CreateUnit, DeactivateUnit, UpdateUnit, type Unit } from "./schema.ts";
import { canRead, readUnit } from "./read.ts";
import type { BoundaryProblem, checkBoundary, warningSummary } from "./boundary.ts";

/**
 * Unit create, update and deactivate without a static import of the boundary check
 * (core/unit/boundary.ts → polyclip-ts, bignumber.js, splaytree: ≈ 45 KB): the check comes from
 * `boundaries`, called only when a write carries a boundary. core/unit/service.ts passes the lazily
 * imported boundary.ts (the API routes); a caller whose units never carry geometry (the Excel unit
 * workbook) passes none, and a boundary given there is refused (400), never stored unchecked.
 */
export interface BoundaryChecks {
  checkBoundary: typeof checkBoundary;
  warningSummary: typeof warningSummary;
}
export type BoundaryLoader = () => Promise<BoundaryChecks>;

async function checksFor(boundaries: BoundaryLoader | undefined): Promise<BoundaryChecks> {
  if (!boundaries) throw new InvalidError("Boundaries are not accepted here", { fields: [{ path: "boundary", message: "not accepted here" }] });
  return boundaries();
}

export async function createUnit(p: Principal, input: unknown, now: Date, boundaries?: BoundaryLoader): Promise<Unit> {
  const data = parse(CreateUnit, input, "unit");
  const settings = await getSettings();
  const parent = await getUnit(data.parentId, true);
  if (!parent || !canRead(p, parent)) throw new InvalidError("Parent unit not found", { fields: [{ path: "parentId", message: "unknown unit" }] });
  requireScope(p, "units:write", parent.path);
  if (!parent.active) throw new ConflictError("Parent unit is inactive");
  checkChildCode(settings, parent, data.code);
  let warnings: BoundaryProblem[] = [];
  let summary = "";
  if (data.boundary) {
    const checks = await checksFor(boundaries);
    warnings = await checks.checkBoundary(settings, data.boundary, parent);
    summary = checks.warningSummary(warnings);
  }
  const id = ulid(now.getTime());
  const at = now.toISOString();
  const level = levelKey(settings, parent.depth + 1);
  const unit: Unit = {
    id,
    parentId: parent.id,
    depth: parent.depth + 1,
    level,
    name: data.name,
    code: data.code,
    type: data.type === "other" ? defaultType(level) : data.type,
    path: `${parent.path}${id}/`,
    boundary: data.boundary,
    centroid: data.boundary ? centroid(data.boundary) : undefined,
    ...(warnings.length ? { boundaryWarnings: warnings } : {}),
    households: data.households,
    population: data.population,
    active: true,
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
  const audit = auditPut({ actor: actorOf(p), action: "unit.create", entity: "unit", entityId: id, unitPath: unit.path, summary: `${unit.code} ${unit.name}${summary}` }, now);
  if (!(await insertUnit(unit, parent, audit))) {
    const owner = await unitIdByCode(unit.code);
    if (owner) throw new ConflictError(`Code ${unit.code} is already used`, { fields: [{ path: "code", message: "duplicate code" }] });
    throw new ConflictError("The parent unit changed meanwhile; reload and retry");
  }
  await bumpTreeVersion();
  return unit;
}

export async function updateUnit(p: Principal, id: string, input: unknown, now: Date, boundaries?: BoundaryLoader): Promise<Unit> {
  const data = parse(UpdateUnit, input, "unit update");
  const current = await readUnit(p, id);
  requireScope(p, "units:write", current.path);
  const { version, ...changes } = data;
  const next: Unit = { ...current, ...changes, boundary: changes.boundary === null ? undefined : (changes.boundary ?? current.boundary), version: current.version + 1, updatedAt: now.toISOString() };
  next.centroid = next.boundary ? centroid(next.boundary) : undefined;
  if (changes.boundary !== undefined) {
    // a new boundary is checked against the parent and the siblings; warnings follow the boundary (none once it is removed)
    const parent = next.boundary && current.parentId ? await getUnit(current.parentId, true) : undefined;
    const warnings = parent ? await (await checksFor(boundaries)).checkBoundary(await getSettings(), next.boundary, parent, current.id) : [];
    next.boundaryWarnings = warnings.length ? warnings : undefined;
  }
  await conditionalReplace(current, next, version, { action: "unit.update", p, now });
  await bumpTreeVersion();
  return next;
}

export async function deactivateUnit(p: Principal, id: string, input: unknown, now: Date): Promise<Unit> {
  const { version } = parse(DeactivateUnit, input, "deactivation");
  const current = await readUnit(p, id);
  requireScope(p, "units:write", current.path);
  if (!current.parentId) throw new ConflictError("The county root cannot be deactivated");
  if (!current.active) return current;
  if (await hasActiveChildren(id)) throw new ConflictError("Deactivate the active child units first", { reason: "active_children" });
  const staff = await activeStaffCount(id);
  if (staff > 0) throw new ConflictError(`${staff} staff role assignment(s) still point to this unit; reassign them first`, { reason: "active_staff", count: staff });
  const { openCaseCount } = await import("../case/open-count.ts");
  const open = await openCaseCount(current.path);
  if (open > 0) throw new ConflictError(`${open} open case(s) remain in this unit; close or move them first`, { reason: "open_cases", count: open });
  const next: Unit = { ...current, active: false, version: current.version + 1, updatedAt: now.toISOString() };
  await conditionalReplace(current, next, version, { action: "unit.deactivate", p, now });
  await bumpTreeVersion();
  return next;
}

/** Replace a unit item if its version is the expected one; audit in the same transaction. */
async function conditionalReplace(current: Unit, next: Unit, expected: number, ctx: { action: string; p: Principal; now: Date }) {
  const audit = auditPut({ actor: actorOf(ctx.p), action: ctx.action, entity: "unit", entityId: next.id, unitPath: next.path, summary: `${next.code} ${next.name}`, changes: diff(current, next) }, ctx.now);
  if (!(await replaceUnit(next, expected, audit))) {
    const now = await getUnit(current.id, true);
    throw new ConflictError("The unit was changed by someone else; reload and retry", { current: now });
  }
}
