import { ulid } from "ulid";
import type { Page } from "../db/page.ts";
import { ConflictError, InvalidError, NotFoundError } from "../errors.ts";
import { actorOf, auditPut, diff } from "../audit/entry.ts";
import type { Principal } from "../auth/principal.ts";
import { requireCountyWide } from "../settings/scope.ts";
import { getUnits } from "../unit/repo.ts";
import { openCasesOwnedBy } from "../case/open-count.ts";
import { parse } from "../validate.ts";
import { departmentAssignSeq, departmentsPage, forgetCachedDepartments, getDepartment, putNewDepartment, replaceDepartment } from "./repo.ts";
import { CreateDepartment, DepartmentQuery, UpdateDepartment, type Department } from "./schema.ts";

/** Every served unit must exist (400 naming the unknown ones). */
async function checkUnits(unitIds: string[]): Promise<void> {
  if (!unitIds.length) return;
  const found = await getUnits(unitIds);
  const fields = unitIds.flatMap((id, i) => (found.has(id) ? [] : [{ path: `unitIds.${i}`, message: "unknown unit" }]));
  if (fields.length) throw new InvalidError("Unknown units", { fields });
}

/** Departments are county-wide reference data: anyone with departments:read sees them all. */
export async function readDepartment(_p: Principal, id: string): Promise<Department> {
  const d = await getDepartment(id);
  if (!d) throw new NotFoundError(`Department ${id} not found`);
  return d;
}

/** Create a department (county-wide departments:write). `id` is for seeds; the API always generates one. */
export async function createDepartment(p: Principal, input: unknown, now: Date, id = ulid(now.getTime())): Promise<Department> {
  requireCountyWide(p, "departments:write");
  const data = parse(CreateDepartment, input, "department");
  await checkUnits(data.unitIds);
  const at = now.toISOString();
  const dept: Department = { id, name: data.name, code: data.code, contact: data.contact, unitIds: data.unitIds, active: true, version: 1, createdAt: at, updatedAt: at };
  await putNewDepartment(dept, auditPut({ actor: actorOf(p), action: "department.create", entity: "department", entityId: id, summary: `${dept.code} ${dept.name}` }, now));
  forgetCachedDepartments();
  return dept;
}

/** Change fields of a department with the version read; a code change moves the code reference. */
export async function updateDepartment(p: Principal, id: string, input: unknown, now: Date): Promise<Department> {
  requireCountyWide(p, "departments:write");
  const { version, ...changes } = parse(UpdateDepartment, input, "department update");
  const current = await getDepartment(id, true);
  if (!current) throw new NotFoundError(`Department ${id} not found`);
  if (current.version !== version) throw new ConflictError("The department was changed by someone else; reload and retry", { current });
  if (changes.unitIds) await checkUnits(changes.unitIds);
  // never strand a case: a department that owns open cases stays active until the center reassigns them.
  // `assignSeq` is bumped by every case commit that gives this department a case (core/case/repo.ts);
  // the write below requires it unchanged, so a dispatch racing this count makes the deactivation retry.
  const deactivating = changes.active === false && current.active;
  const assignSeq = deactivating ? await departmentAssignSeq(id) : undefined;
  if (deactivating) {
    const open = await openCasesOwnedBy("department", id);
    if (open > 0) {
      throw new ConflictError(`${open} open case(s) are with this department; the center must reassign them first`, {
        fields: [{ path: "active", message: "open cases" }],
        field: "active",
        reason: "open_cases",
        count: open,
      });
    }
  }
  const next: Department = { ...current, ...changes, version: current.version + 1, updatedAt: now.toISOString() };
  const audit = auditPut({ actor: actorOf(p), action: "department.update", entity: "department", entityId: id, summary: `${next.code} ${next.name}`, changes: diff(current, next) }, now);
  await replaceDepartment(current, next, version, audit, deactivating ? { assignSeq } : undefined);
  forgetCachedDepartments(); // this container's case loop reads them again at once
  return next;
}

/** All departments by code; `q` matches part of the name or the start of the code. */
export async function listDepartments(_p: Principal, input: unknown): Promise<Page<Department>> {
  const q = parse(DepartmentQuery, input, "query");
  return departmentsPage(q);
}
