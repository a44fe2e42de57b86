/**
 * Writing the accounts of a staff import (core/xlsx/apply.ts has the rule: keyed by username,
 * created, updated or left unchanged through the ordinary service writes). Apart from the
 * departments' and categories' writes so that each runner of the jobs consumer loads only its own
 * (core/xlsx/import-staff.ts; issue #15).
 */
import { inScopes, scopesFor } from "../auth/principal.ts";
import { ConflictError } from "../errors.ts";
import { getUserByUsername, usersByUsername } from "../user/repo.ts";
import { createStaff, createStaffWithActivation, createStaffWithActivations, updateStaff } from "../user/service.ts";
import { issueCode, setActivation } from "../user/activation-code.ts";
import type { RowProblem, StaffIn } from "./lists.ts";
import { canon, each, refused, type ApplyContext, type ApplyResult } from "./apply-each.ts";
import { activeDepartmentIds, activeUnits } from "./apply-codes.ts";

const assignmentKey = (a: { role: string; unitId: string; departmentId?: string }) => `${a.role}|${a.unitId}|${a.departmentId ?? ""}`;

/** Accounts whose reads are made together before their writes (a BatchGet takes 100 keys). */
const WINDOW = 100;

/**
 * Write the accounts, `started` (the job shown importing) awaited before the first write. The reads
 * of each window of accounts are made at once: the units and departments their rows name and the
 * accounts already there (the first window's beside `started`); each account's writes then use them,
 * reading an account again only when its write found it changed meanwhile.
 */
export async function applyStaff(accounts: StaffIn[], ctx: ApplyContext, started?: Promise<unknown>): Promise<ApplyResult> {
  const out: ApplyResult = { created: 0, updated: 0, unchanged: 0, problems: [], activations: [] };
  const p = ctx.principal;
  const writeScopes = scopesFor(p, "users:write");
  const issued = (a: StaffIn, code: string, expiresAt: string) =>
    out.activations!.push({ username: a.username, displayName: a.displayName, ...(a.phone ? { phone: a.phone } : {}), unitCodes: [...new Set(a.assignments.map((x) => x.unitCode))], code, expiresAt });
  if (!accounts.length) await started;
  for (let i = 0; i < accounts.length; i += WINDOW) {
    const part = accounts.slice(i, i + WINDOW);
    const [units, depts, found] = await Promise.all([
      activeUnits(part.flatMap((a) => a.assignments.map((x) => x.unitCode))),
      activeDepartmentIds(part.flatMap((a) => a.assignments.flatMap((x) => (x.departmentCode ? [x.departmentCode] : [])))),
      usersByUsername(part.map((a) => a.username)),
      i === 0 ? started : undefined,
    ]);
    // the units by id, for the account writes (the same read: core/user/service.ts resolveAssignments)
    const known = new Map([...units.values()].map((u) => [u.id, u]));
    const resolved = new Map(
      part.map((a) => {
        const problems: RowProblem[] = [];
        const assignments = a.assignments.map((x) => {
          const unitId = units.get(x.unitCode)?.id;
          if (!unitId) problems.push({ line: x.line, key: "unitCode", code: "unknown_unit", params: { value: x.unitCode } });
          const departmentId = x.departmentCode ? depts.get(x.departmentCode.toUpperCase()) : undefined;
          if (x.departmentCode && !departmentId) problems.push({ line: x.line, key: "departmentCode", code: "unknown_department", params: { value: x.departmentCode } });
          return { role: x.role, unitId: unitId ?? "", ...(departmentId ? { departmentId } : {}) };
        });
        return [a, { assignments, problems }] as const;
      }),
    );
    const fieldsOf = (a: StaffIn) => ({ username: a.username, displayName: a.displayName, ...(a.phone ? { phone: a.phone } : {}), assignments: resolved.get(a)!.assignments });
    // new accounts that get an activation code (no initial password, active): created together, not
    // one transaction each; those of a refused transaction are made one by one below
    const together = part.filter((a) => !a.password && a.active !== false && !resolved.get(a)!.problems.length && !found.has(a.username.toLowerCase()));
    const made = new Map(together.length ? zip(together, await createStaffWithActivations(p, together.map(fieldsOf), ctx.now(), ctx.jobId, known)) : []);
    // accounts without an initial password cost no scrypt (activation codes); those with one hash it once
    await each(part, 4, ctx, out, async (a) => {
      const { assignments, problems } = resolved.get(a)!;
      if (problems.length) return withOtherRows(a.lines, problems);
      const early = made.get(a);
      if (early && "user" in early) {
        issued(a, early.code, early.expiresAt);
        return "created";
      }
      if (early) return withOtherRows(a.lines, [refused(a.lines[0], early.error)]);
      for (let attempt = 0; attempt < 3; attempt++) {
        const existing = attempt === 0 ? found.get(a.username.toLowerCase()) : await getUserByUsername(a.username);
        if (!existing) {
          try {
            const fields = fieldsOf(a);
            let user;
            if (a.password) user = await createStaff(p, { ...fields, password: a.password }, ctx.now(), undefined, known);
            else {
              const r = await createStaffWithActivation(p, fields, ctx.now(), ctx.jobId, known);
              user = r.user;
              issued(a, r.code, r.expiresAt);
            }
            if (a.active === false) await updateStaff(p, user.id, { version: user.version, active: false }, ctx.now());
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
  }
  return out;
}

const zip = <A, B>(as: A[], bs: B[]): [A, B][] => as.map((a, i) => [a, bs[i]]);

/** An account's problems, plus `other_row` on its rows that have none. */
function withOtherRows(lines: number[], problems: RowProblem[]): RowProblem[] {
  const bad = new Set(problems.map((p) => p.line));
  const first = Math.min(...bad);
  return [...problems, ...lines.filter((l) => !bad.has(l)).map((line): RowProblem => ({ line, code: "other_row", params: { other: first } }))];
}
