/**
 * The reading of a filled row of the three lists counties keep in Excel (staff, departments,
 * categories) into what the services take. Their layout (columns, example rows, notes) is in
 * core/xlsx/specs.ts, re-exported here; a problem's text in core/xlsx/reason.ts.
 */
import * as z from "zod/mini";
import { Duration, type DurationUnit } from "../calendar/schema.ts";
import { CategoryCode } from "../category/schema.ts";
import { Contact, DepartmentCode } from "../department/schema.ts";
import { RoleName } from "../auth/roles.ts";
import { Password, Phone, Username } from "../user/schema.ts";
import type { DeadlineStage } from "../case/schema.ts";
import { CATEGORIES, STAGES } from "./spec-categories.ts";
import { DEPARTMENTS } from "./spec-departments.ts";
import { ROLE_ZH, STAFF } from "./spec-staff.ts";
import type { ListSpec } from "./specs.ts";
import type { RowProblem } from "./reason.ts";
import "../zod-en.ts";

// the one-sheet lists' specs only: the registry's and the unit tree's are core/xlsx/spec-registry.ts, spec-units.ts (issue #15)
export * from "./specs.ts";
export * from "./spec-categories.ts";
export * from "./spec-departments.ts";
export * from "./spec-staff.ts";
export { problemReason, type RowProblem } from "./reason.ts";
export { invalid, readActive, readRows, readYesNo, requiredProblems, splitCodes, zodHint, type Cells } from "./read-cells.ts";
import { invalid, readActive, readRows, readYesNo, requiredProblems, splitCodes, zodHint, type Cells } from "./read-cells.ts";

// ---- cell readers ----------------------------------------------------------------------------

const ROLE_BY_TEXT = new Map<string, RoleName>([
  ...RoleName.options.map((r) => [r, r] as [string, RoleName]),
  ...Object.entries(ROLE_ZH).map(([r, zh]) => [zh, r as RoleName] as [string, RoleName]),
]);
export function readRole(v: string): RoleName | undefined {
  return ROLE_BY_TEXT.get(v.trim()) ?? ROLE_BY_TEXT.get(v.trim().toLowerCase());
}

const DURATION_UNITS: Array<[RegExp, DurationUnit]> = [
  [/^(工作小时|working[ _]?hours?|wh)$/i, "working_hours"],
  [/^(小时|自然小时|calendar[ _]?hours?|hours?|h)$/i, "calendar_hours"],
  [/^(工作日|working[ _]?days?|wd)$/i, "working_days"],
  [/^(天|日|自然日|calendar[ _]?days?|days?|d)$/i, "calendar_days"],
];
export function readDuration(v: string): Duration | undefined | "invalid" {
  const t = v.trim();
  if (!t) return undefined;
  const m = /^(\d+(?:\.\d+)?)\s*(.+)$/.exec(t);
  const unit = m ? DURATION_UNITS.find(([re]) => re.test(m[2].trim()))?.[1] : undefined;
  if (!m || !unit) return "invalid";
  const out = Duration.safeParse({ amount: Number(m[1]), unit });
  return out.success ? out.data : "invalid";
}

// ---- staff -----------------------------------------------------------------------------------

export interface StaffAssignmentIn {
  line: number;
  role: RoleName;
  unitCode: string;
  departmentCode?: string;
}

/** One account of the sheet: its rows (one per role) merged. */
export interface StaffIn {
  lines: number[];
  username: string;
  displayName: string;
  phone?: string;
  active?: boolean;
  password?: string;
  assignments: StaffAssignmentIn[];
}

export function readStaffRows(rows: Array<{ line: number; cells: Record<string, string> }>): { accounts: StaffIn[]; problems: RowProblem[] } {
  const problems: RowProblem[] = [];
  const groups = new Map<string, { rows: Array<{ line: number; cells: Record<string, string> }>; bad: Set<number> }>();
  for (const r of rows) {
    const key = r.cells.username.toLowerCase() || `#${r.line}`;
    const g = groups.get(key) ?? { rows: [], bad: new Set<number>() };
    g.rows.push(r);
    groups.set(key, g);
  }
  const accounts: StaffIn[] = [];
  for (const g of groups.values()) {
    const first = g.rows[0];
    const own: RowProblem[] = [];
    const account: StaffIn = { lines: g.rows.map((r) => r.line), username: first.cells.username, displayName: "", assignments: [] };
    const seenRoles = new Map<string, number>();
    g.rows.forEach((r, i) => {
      const c = r.cells;
      const line = r.line;
      // later rows of an account may leave name, phone, status and password empty
      own.push(...requiredProblems(STAFF, line, c, i > 0 ? ["displayName"] : []));
      if (c.username) {
        const h = zodHint(Username, c.username);
        if (h) own.push(invalid(line, "username", c.username, h));
      }
      const agree = (key: "displayName" | "phone" | "active" | "password", value: string | undefined) => {
        if (!c[key]) return;
        if (value !== undefined && value !== "" && value !== c[key]) own.push({ line, key, code: "rows_disagree", params: { field: key, other: first.line } });
      };
      if (i === 0) account.displayName = c.displayName;
      else agree("displayName", account.displayName);
      if (c.displayName && c.displayName.length > 64) own.push(invalid(line, "displayName", c.displayName.slice(0, 20), "at most 64 characters"));
      if (c.phone) {
        const h = zodHint(Phone, c.phone);
        if (h) own.push(invalid(line, "phone", c.phone, h));
        else if (account.phone === undefined) account.phone = c.phone;
        else agree("phone", account.phone);
      }
      if (c.active) {
        const a = readActive(c.active);
        if (a === "invalid") own.push(invalid(line, "active", c.active, "启用 or 停用"));
        else if (account.active === undefined) account.active = a;
        else if (a !== account.active) own.push({ line, key: "active", code: "rows_disagree", params: { field: "active", other: first.line } });
      }
      if (c.password) {
        const h = zodHint(Password, c.password);
        if (h) own.push(invalid(line, "password", "••••", h));
        else if (account.password === undefined) account.password = c.password;
        else agree("password", account.password);
      }
      if (c.role) {
        const role = readRole(c.role);
        if (!role) own.push({ line, key: "role", code: "unknown_role", params: { value: c.role } });
        else if (c.unitCode) {
          if (role === "department_staff" && !c.departmentCode) own.push({ line, key: "departmentCode", code: "required", params: { field: "departmentCode" } });
          const k = `${role}|${c.unitCode}`;
          const before = seenRoles.get(k);
          if (before !== undefined) own.push({ line, key: "role", code: "duplicate_in_file", params: { value: `${c.role} ${c.unitCode}`, other: before } });
          else seenRoles.set(k, line);
          account.assignments.push({ line, role, unitCode: c.unitCode, ...(c.departmentCode ? { departmentCode: c.departmentCode } : {}) });
        }
      }
    });
    if (account.assignments.length > 20) own.push(invalid(first.line, "role", String(account.assignments.length), "at most 20 roles per account"));
    if (own.length) {
      problems.push(...own);
      const bad = new Set(own.map((p) => p.line));
      const firstBad = Math.min(...bad);
      for (const r of g.rows) if (!bad.has(r.line)) problems.push({ line: r.line, code: "other_row", params: { other: firstBad } });
      continue;
    }
    accounts.push(account);
  }
  return { accounts, problems };
}

// ---- departments -----------------------------------------------------------------------------

export interface DepartmentIn {
  line: number;
  code: string;
  name: string;
  contact: { name: string; phone?: string };
  unitCodes: string[];
  active?: boolean;
}

export function readDepartmentRows(rows: Array<{ line: number; cells: Cells }>): { departments: DepartmentIn[]; problems: RowProblem[] } {
  const { records, problems } = readRows(
    DEPARTMENTS,
    rows,
    (c, line, own) => {
      const code = DepartmentCode.safeParse(c.code);
      if (c.code && !code.success) own.push(invalid(line, "code", c.code, code.error.issues[0].message));
      if (c.name.length > 64) own.push(invalid(line, "name", c.name.slice(0, 20), "at most 64 characters"));
      const contact = Contact.safeParse({ name: c.contactName || "-", ...(c.contactPhone ? { phone: c.contactPhone } : {}) });
      if (!contact.success) {
        for (const i of contact.error.issues) {
          const key = i.path[0] === "phone" ? "contactPhone" : "contactName";
          own.push(invalid(line, key, key === "contactPhone" ? c.contactPhone : c.contactName, i.message));
        }
      }
      const active = readActive(c.active ?? "");
      if (active === "invalid") own.push(invalid(line, "active", c.active, "启用 or 停用"));
      const unitCodes = splitCodes(c.unitCodes ?? "");
      if (unitCodes.length > 500) own.push(invalid(line, "unitCodes", String(unitCodes.length), "at most 500 units"));
      const d: DepartmentIn = { line, code: code.data ?? "", name: c.name.trim(), contact: contact.data ?? { name: c.contactName }, unitCodes: [...new Set(unitCodes)], ...(active === undefined || active === "invalid" ? {} : { active }) };
      return d;
    },
    (d) => d.code || undefined,
  );
  return { departments: records, problems };
}

// ---- categories ------------------------------------------------------------------------------

export interface CategoryIn {
  line: number;
  code: string;
  name: string;
  parentCode: string | null;
  /** undefined: the cell was empty (inherit, or the default on a top-level category) */
  isDispute?: boolean;
  police?: boolean;
  urgent?: boolean;
  claimWindow?: boolean;
  departmentCodes?: string[];
  deadlines: Partial<Record<DeadlineStage, Duration>>;
  active?: boolean;
}

export function readCategoryRows(rows: Array<{ line: number; cells: Cells }>): { categories: CategoryIn[]; problems: RowProblem[] } {
  const { records, problems } = readRows(
    CATEGORIES,
    rows,
    (c, line, own) => {
      const code = CategoryCode.safeParse(c.code);
      if (c.code && !code.success) own.push(invalid(line, "code", c.code, code.error.issues[0].message));
      const parent = c.parentCode ? CategoryCode.safeParse(c.parentCode) : undefined;
      if (parent && !parent.success) own.push(invalid(line, "parentCode", c.parentCode, parent.error.issues[0].message));
      if (c.name.length > 64) own.push(invalid(line, "name", c.name.slice(0, 20), "at most 64 characters"));
      const out: CategoryIn = { line, code: code.data ?? c.code, name: c.name.trim(), parentCode: parent?.success ? parent.data : null, deadlines: {} };
      for (const k of ["isDispute", "police", "urgent", "claimWindow"] as const) {
        const v = readYesNo(c[k] ?? "");
        if (v === "invalid") own.push(invalid(line, k, c[k], "是 or 否"));
        else if (v !== undefined) out[k] = v;
      }
      if (c.departmentCodes) out.departmentCodes = [...new Set(splitCodes(c.departmentCodes).map((x) => x.toUpperCase()))];
      for (const s of STAGES) {
        const d = readDuration(c[s] ?? "");
        if (d === "invalid") own.push(invalid(line, s, c[s], "e.g. 2工作小时, 24小时, 5工作日, 3天"));
        else if (d) out.deadlines[s] = d;
      }
      const active = readActive(c.active ?? "");
      if (active === "invalid") own.push(invalid(line, "active", c.active, "启用 or 停用"));
      else if (active !== undefined) out.active = active;
      if (out.parentCode && out.parentCode === out.code) own.push(invalid(line, "parentCode", c.parentCode, "a category cannot be its own parent"));
      return out;
    },
    (c, cells) => (CategoryCode.safeParse(cells.code).success ? c.code : undefined),
  );
  return { categories: records, problems };
}
