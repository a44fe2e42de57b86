/**
 * Writing the records of an Excel import through the ordinary service writes (each one audited,
 * conditional and with its own checks), keyed by what identifies a record in the county: the
 * username of an account, the code of a department or category. A record that exists is updated
 * when the file says something else, and left alone (`unchanged`) when it says the same, so an
 * upload of the same file, or of the corrected file, never creates a second record. Two imports
 * racing on the same key both end on one record: a create that loses (code or username taken)
 * reads the winner and updates or keeps it. Departments and categories here; accounts in
 * core/xlsx/apply-staff.ts (each runner of the jobs consumer loads only its own writes, issue #15).
 */
import { ConflictError } from "../errors.ts";
import { categoryIdByCode, getCategory } from "../category/repo.ts";
import { applyUpdate } from "../category/rules.ts";
import type { Category, UpdateCategory } from "../category/schema.ts";
import { createCategory, updateCategory } from "../category/service.ts";
import { departmentIdByCode, getDepartment } from "../department/repo.ts";
import { createDepartment, updateDepartment } from "../department/service.ts";
import { codeRefs } from "../unit/repo-import.ts";
import type { CategoryIn, DepartmentIn, RowProblem } from "./lists.ts";
import { STAGES } from "./spec-categories.ts";

export { canon, each, refused, type ApplyContext, type ApplyResult, type IssuedCode, type Outcome } from "./apply-each.ts";
import { canon, each, refused, type ApplyContext, type ApplyResult, type Outcome } from "./apply-each.ts";
import { activeDepartmentIds } from "./apply-codes.ts";

// ---- departments -------------------------------------------------------------------------------

export async function applyDepartments(departments: DepartmentIn[], present: Set<string>, ctx: ApplyContext): Promise<ApplyResult> {
  const out: ApplyResult = { created: 0, updated: 0, unchanged: 0, problems: [] };
  const refs = await codeRefs(departments.flatMap((d) => d.unitCodes));
  const p = ctx.principal;
  await each(departments, 4, ctx, out, async (d) => {
    const missing = d.unitCodes.filter((c) => !refs.has(c));
    if (missing.length) return [{ line: d.line, key: "unitCodes", code: "unknown_unit", params: { value: missing.slice(0, 5).join("、") } }];
    const unitIds = d.unitCodes.map((c) => refs.get(c)!);
    for (let attempt = 0; attempt < 3; attempt++) {
      const id = await departmentIdByCode(d.code);
      const existing = id ? await getDepartment(id, true) : undefined;
      if (!existing) {
        try {
          const made = await createDepartment(p, { code: d.code, name: d.name, contact: d.contact, unitIds }, ctx.now());
          if (d.active === false) await updateDepartment(p, made.id, { version: made.version, active: false }, ctx.now());
          return "created";
        } catch (e) {
          if (e instanceof ConflictError && (await departmentIdByCode(d.code))) continue;
          return [refused(d.line, e)];
        }
      }
      const next = {
        name: d.name,
        contact: d.contact,
        unitIds: present.has("unitCodes") ? unitIds : existing.unitIds,
        active: d.active ?? existing.active,
      };
      if (canon({ name: existing.name, contact: existing.contact, unitIds: existing.unitIds, active: existing.active }) === canon(next)) return "unchanged";
      try {
        await updateDepartment(p, existing.id, { version: existing.version, ...next }, ctx.now());
        return "updated";
      } catch (e) {
        if (e instanceof ConflictError && (e.details as { current?: unknown } | undefined)?.current) continue;
        return [refused(d.line, e)];
      }
    }
    return [{ line: d.line, code: "refused", params: { message: "the department kept changing during the import; upload again" } }];
  });
  return out;
}

// ---- categories --------------------------------------------------------------------------------

/** What the file says of a category, as an update: an empty cell of a column in the file clears (inherit / default). */
function categoryChanges(c: CategoryIn, departmentIds: string[] | undefined, present: Set<string>): Omit<UpdateCategory, "version"> {
  const changes: Omit<UpdateCategory, "version"> = { code: c.code, name: c.name };
  for (const k of ["isDispute", "police", "urgent", "claimWindow"] as const) if (present.has(k)) changes[k] = c[k] ?? null;
  if (present.has("departmentCodes")) changes.departmentIds = departmentIds ?? null;
  const deadlines: NonNullable<UpdateCategory["deadlines"]> = {};
  for (const s of STAGES) if (present.has(s)) deadlines[s] = c.deadlines[s] ?? null;
  if (Object.keys(deadlines).length) changes.deadlines = deadlines;
  if (c.active !== undefined) changes.active = c.active;
  return changes;
}

const comparable = (c: Category) => ({
  code: c.code,
  name: c.name,
  parentId: c.parentId,
  isDispute: c.isDispute,
  police: c.police,
  urgent: c.urgent,
  claimWindow: c.claimWindow,
  departmentIds: c.departmentIds,
  deadlines: c.deadlines,
  active: c.active,
});

export async function applyCategories(categories: CategoryIn[], present: Set<string>, ctx: ApplyContext): Promise<ApplyResult> {
  const out: ApplyResult = { created: 0, updated: 0, unchanged: 0, problems: [] };
  const depts = await activeDepartmentIds(categories.flatMap((c) => c.departmentCodes ?? []));
  const p = ctx.principal;
  const inFile = new Map(categories.map((c) => [c.code, c]));
  // classes first, then their subcategories (a class may be on any row of the file)
  const top = categories.filter((c) => !c.parentCode);
  const children = categories.filter((c) => c.parentCode);
  const one = async (c: CategoryIn): Promise<Outcome | RowProblem[]> => {
    const unknown = (c.departmentCodes ?? []).filter((d) => !depts.has(d));
    if (unknown.length) return [{ line: c.line, key: "departmentCodes", code: "unknown_department", params: { value: unknown.slice(0, 5).join("、") } }];
    const departmentIds = c.departmentCodes?.map((d) => depts.get(d)!);
    let parentId: string | null = null;
    if (c.parentCode) {
      const pid = await categoryIdByCode(c.parentCode);
      const parent = pid ? await getCategory(pid, true) : undefined;
      if (!parent) return [{ line: c.line, key: "parentCode", code: "unknown_parent", params: { value: c.parentCode } }];
      if (parent.parentId || inFile.get(c.parentCode)?.parentCode) return [{ line: c.line, key: "parentCode", code: "parent_not_top", params: { value: c.parentCode } }];
      parentId = parent.id;
    }
    for (let attempt = 0; attempt < 3; attempt++) {
      const id = await categoryIdByCode(c.code);
      const existing = id ? await getCategory(id, true) : undefined;
      if (!existing) {
        try {
          const made = await createCategory(
            p,
            {
              code: c.code,
              name: c.name,
              parentId,
              ...Object.fromEntries((["isDispute", "police", "urgent", "claimWindow"] as const).filter((k) => c[k] !== undefined).map((k) => [k, c[k]])),
              ...(departmentIds ? { departmentIds } : {}),
              deadlines: c.deadlines,
            },
            ctx.now(),
          );
          if (c.active === false) await updateCategory(p, made.id, { version: made.version, active: false }, ctx.now());
          return "created";
        } catch (e) {
          if (e instanceof ConflictError && (await categoryIdByCode(c.code))) continue;
          return [refused(c.line, e)];
        }
      }
      if (existing.parentId !== parentId) {
        return [{ line: c.line, key: "parentCode", code: "refused", params: { message: "a category cannot move to another parent by import; change it in the console" } }];
      }
      const changes = categoryChanges(c, departmentIds, present);
      if (canon(comparable(applyUpdate(existing, changes))) === canon(comparable(existing))) return "unchanged";
      try {
        await updateCategory(p, existing.id, { version: existing.version, ...changes }, ctx.now());
        return "updated";
      } catch (e) {
        if (e instanceof ConflictError && (e.details as { current?: unknown } | undefined)?.current) continue;
        return [refused(c.line, e)];
      }
    }
    return [{ line: c.line, code: "refused", params: { message: "the category kept changing during the import; upload again" } }];
  };
  await each(top, 4, ctx, out, one);
  await each(children, 4, ctx, out, one);
  return out;
}
