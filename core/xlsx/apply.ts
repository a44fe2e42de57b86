/**
 * Writing the records of an Excel import through the ordinary service writes (each one audited,
 * conditional and with its own checks), keyed by what identifies a record in the county: the
 * username of an account, the code of a department or category. A record that exists is updated
 * when the file says something else, and left alone (`unchanged`) when it says the same, so an
 * upload of the same file, or of the corrected file, never creates a second record. Two imports
 * racing on the same key both end on one record: a create that loses (code or username taken)
 * reads the winner and updates or keeps it.
 */
import { inScopes, scopesFor, type Principal } from "../auth/principal.ts";
import { ConflictError } from "../errors.ts";
import { categoryIdByCode, getCategory } from "../category/repo.ts";
import { applyUpdate } from "../category/rules.ts";
import type { Category, UpdateCategory } from "../category/schema.ts";
import { createCategory, updateCategory } from "../category/service.ts";
import { departmentIdByCode, getDepartment, getDepartments } from "../department/repo.ts";
import { createDepartment, updateDepartment } from "../department/service.ts";
import { pool } from "../unit/pool.ts";
import { codeRefs } from "../unit/repo-import.ts";
import { getUnits } from "../unit/repo.ts";
import { getUserByUsername } from "../user/repo.ts";
import { createStaff, createStaffWithActivation, updateStaff } from "../user/service.ts";
import { issueCode, setActivation } from "../user/activation.ts";
import type { CategoryIn, DepartmentIn, RowProblem, StaffIn } from "./lists.ts";
import { STAGES } from "./lists.ts";

export { canon, each, refused, type ApplyContext, type ApplyResult, type IssuedCode, type Outcome } from "./apply-each.ts";
import { canon, each, refused, type ApplyContext, type ApplyResult, type Outcome } from "./apply-each.ts";

/** code → active unit id, for the codes that have one. */
async function activeUnitIds(codes: string[]): Promise<Map<string, string>> {
  const refs = await codeRefs(codes);
  const units = await getUnits([...refs.values()]);
  return new Map([...refs].filter(([, id]) => units.get(id)?.active));
}

/** code → active department id. */
async function activeDepartmentIds(codes: string[]): Promise<Map<string, string>> {
  const unique = [...new Set(codes.map((c) => c.toUpperCase()))];
  const ids = new Map<string, string>();
  await pool(unique, 8, async (c) => {
    const id = await departmentIdByCode(c);
    if (id) ids.set(c, id);
  });
  const found = await getDepartments([...ids.values()]);
  return new Map([...ids].filter(([, id]) => found.get(id)?.active));
}

// ---- staff -------------------------------------------------------------------------------------

const assignmentKey = (a: { role: string; unitId: string; departmentId?: string }) => `${a.role}|${a.unitId}|${a.departmentId ?? ""}`;

export async function applyStaff(accounts: StaffIn[], ctx: ApplyContext): Promise<ApplyResult> {
  const out: ApplyResult = { created: 0, updated: 0, unchanged: 0, problems: [], activations: [] };
  const units = await activeUnitIds(accounts.flatMap((a) => a.assignments.map((x) => x.unitCode)));
  const depts = await activeDepartmentIds(accounts.flatMap((a) => a.assignments.flatMap((x) => (x.departmentCode ? [x.departmentCode] : []))));
  const p = ctx.principal;
  const writeScopes = scopesFor(p, "users:write");
  const issued = (a: StaffIn, code: string, expiresAt: string) =>
    out.activations!.push({ username: a.username, displayName: a.displayName, ...(a.phone ? { phone: a.phone } : {}), unitCodes: [...new Set(a.assignments.map((x) => x.unitCode))], code, expiresAt });
  // accounts without an initial password cost no scrypt (activation codes); those with one hash it once
  await each(accounts, 4, ctx, out, async (a) => {
    const problems: RowProblem[] = [];
    const assignments = a.assignments.map((x) => {
      const unitId = units.get(x.unitCode);
      if (!unitId) problems.push({ line: x.line, key: "unitCode", code: "unknown_unit", params: { value: x.unitCode } });
      const departmentId = x.departmentCode ? depts.get(x.departmentCode.toUpperCase()) : undefined;
      if (x.departmentCode && !departmentId) problems.push({ line: x.line, key: "departmentCode", code: "unknown_department", params: { value: x.departmentCode } });
      return { role: x.role, unitId: unitId ?? "", ...(departmentId ? { departmentId } : {}) };
    });
    if (problems.length) return withOtherRows(a.lines, problems);
    for (let attempt = 0; attempt < 3; attempt++) {
      const existing = await getUserByUsername(a.username);
      if (!existing) {
        try {
          const fields = { username: a.username, displayName: a.displayName, ...(a.phone ? { phone: a.phone } : {}), assignments };
          let made;
          if (a.password) made = await createStaff(p, { ...fields, password: a.password }, ctx.now());
          else {
            const r = await createStaffWithActivation(p, fields, ctx.now(), ctx.jobId);
            made = r.user;
            issued(a, r.code, r.expiresAt);
          }
          if (a.active === false) await updateStaff(p, made.id, { version: made.version, active: false }, ctx.now());
          return "created";
        } catch (e) {
          if (e instanceof ConflictError && (await getUserByUsername(a.username))) continue; // taken meanwhile: update it
          return withOtherRows(a.lines, [refused(a.lines[0], e)]);
        }
      }
      if (!existing.assignments.every((x) => inScopes(x.unitPath, writeScopes))) {
        return withOtherRows(a.lines, [{ line: a.lines[0], key: "username", code: "refused", params: { message: "this account holds roles outside your part of the hierarchy" } }]);
      }
      const active = a.active ?? existing.active;
      const phone = a.phone ?? existing.phone;
      const same =
        existing.displayName === a.displayName &&
        existing.phone === phone &&
        existing.active === active &&
        canon(existing.assignments.map(assignmentKey).sort()) === canon(assignments.map(assignmentKey).sort());
      if (same && ctx.jobId && existing.activationJob === ctx.jobId && existing.activationHash && !existing.passwordHash && existing.active) {
        // created by an earlier run of this same job whose codes were never delivered: a fresh code replaces it
        const code = issueCode(ctx.now());
        try {
          await setActivation(p, existing, code, ctx.now(), ctx.jobId);
        } catch (e) {
          if (e instanceof ConflictError) continue;
          throw e;
        }
        issued(a, code.code, code.expiresAt);
        return "created";
      }
      if (same) return "unchanged";
      try {
        await updateStaff(p, existing.id, { version: existing.version, displayName: a.displayName, ...(phone ? { phone } : {}), active, assignments }, ctx.now());
        return "updated";
      } catch (e) {
        if (e instanceof ConflictError && (e.details as { current?: unknown } | undefined)?.current) continue; // changed meanwhile: read again
        return withOtherRows(a.lines, [refused(a.lines[0], e)]);
      }
    }
    return withOtherRows(a.lines, [{ line: a.lines[0], code: "refused", params: { message: "the account kept changing during the import; upload again" } }]);
  });
  return out;
}

/** An account's problems, plus `other_row` on its rows that have none. */
function withOtherRows(lines: number[], problems: RowProblem[]): RowProblem[] {
  const bad = new Set(problems.map((p) => p.line));
  const first = Math.min(...bad);
  return [...problems, ...lines.filter((l) => !bad.has(l)).map((line): RowProblem => ({ line, code: "other_row", params: { other: first } }))];
}

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
