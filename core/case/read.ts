import * as z from "zod/mini";
import { Cursor, IdFilter } from "../db/ids.ts";
import * as keys from "../db/keys.ts";
import { strip } from "../db/items.ts";
import { Filters, queryPage, type Page } from "../db/page.ts";
import { queryPathPage } from "../unit/paths-query.ts";
import { InvalidError, NotFoundError } from "../errors.ts";
import type { Principal } from "../auth/principal.ts";
import { getUnit } from "../unit/repo.ts";
import { parse } from "../validate.ts";
import { openCasesNewestFirst } from "./newest.ts";
import { canSee } from "./actor.ts";
import { residentEvent } from "./public.ts";
import { caseWithTimeline, casesOfReporter, type DomainEvent } from "./repo.ts";
import type { Case } from "./schema.ts";
import { view, type CaseView } from "./view.ts";

/* Reading a case with its timeline, and the case lists (issue #15: its own module, core/case/view.ts). */

export async function readCase(p: Principal, id: string, now: Date): Promise<CaseView> {
  const { case: c, events } = await caseWithTimeline(id);
  if (!c || !canSee(p, c)) throw new NotFoundError(`Case ${id} not found`);
  const publicOnly = p.kind === "resident";
  return view(p, c, now, {
    timeline: publicOnly ? (events.map((e) => residentEvent(e, p)) as unknown as DomainEvent[]) : events,
  });
}

export const CaseQuery = z.object({
  state: z.optional(z.enum(["reported", "accepted", "claimable", "dispatched", "in_progress", "handled", "verified", "closed", "rejected"])),
  unitId: z.optional(IdFilter(40)),
  categoryId: z.optional(IdFilter(40)),
  ownerDepartment: z.optional(IdFilter(40)),
  mine: z.optional(z.enum(["true", "false"])),
  /** only the cases the caller reported (open and closed, newest first): the desk's "reported by me" */
  reportedByMe: z.optional(z.enum(["true", "false"])),
  overdue: z.optional(z.enum(["true", "false"])),
  supervised: z.optional(z.enum(["true", "false"])),
  urgent: z.optional(z.enum(["true", "false"])),
  from: z.optional(z.iso.datetime().check(z.maxLength(40))),
  to: z.optional(z.iso.datetime().check(z.maxLength(40))),
  closedMonth: z.optional(z.string().check(z.maxLength(7), z.regex(/^\d{4}-\d{2}$/))),
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(200)), 50),
  cursor: z.optional(Cursor),
});

/**
 * Lists are Queries on keys designed for them: by state (gsi2, time-ordered), by owning
 * department (gsi3), open cases of a unit subtree (gsi1 begins_with path), closed cases of a month
 * (gsi1). Remaining filters apply within that key range; visibility is always enforced.
 */
export async function listCases(p: Principal, input: unknown, now: Date): Promise<Page<CaseView>> {
  const q = parse(CaseQuery, input, "query");
  if (p.kind === "resident") {
    // a resident's list is their own reports: one Query on their reporter index, open and closed alike
    const own = await casesOfReporter("resident", p.id, q);
    const items = own.items.filter((c) => (!q.state || c.state === q.state) && (!q.categoryId || c.categoryId === q.categoryId));
    return { items: items.map((c) => view(p, c, now)), nextCursor: own.nextCursor };
  }
  if (q.reportedByMe === "true" && (p.kind === "user" || p.kind === "api_key")) {
    // one Query on the caller's reporter index; the other filters apply within that page
    const own = await casesOfReporter(p.kind, p.id, q);
    const items = own.items.filter((c) => canSee(p, c) && (!q.state || c.state === q.state) && (!q.categoryId || c.categoryId === q.categoryId));
    return { items: items.map((c) => view(p, c, now)), nextCursor: own.nextCursor };
  }
  const unitPath = q.unitId ? (await getUnit(q.unitId))?.path : undefined;
  if (q.unitId && !unitPath) throw new InvalidError("Unknown unit", { fields: [{ path: "unitId", message: "unknown unit" }] });
  const dept = p.kind === "user" ? p.assignments.find((a) => a.role === "department_staff")?.departmentId : undefined;
  const ownerDept = q.ownerDepartment ?? (q.mine === "true" && dept ? dept : undefined);
  const scopePath = unitPath ?? (p.kind === "user" ? (p.assignments.filter((a) => a.role !== "department_staff").map((a) => a.unitPath).sort((a, b) => a.length - b.length)[0] ?? "/") : p.kind === "api_key" ? (p.unitPath ?? "/") : "/");

  let keyInput: { IndexName: string; KeyConditionExpression: string; ExpressionAttributeValues: Record<string, unknown>; ScanIndexForward?: boolean };
  if (ownerDept) {
    keyInput = { IndexName: "gsi3", KeyConditionExpression: "gsi3pk = :pk", ExpressionAttributeValues: { ":pk": keys.caseByOwner("department", ownerDept, "", "").gsi3pk }, ScanIndexForward: false };
  } else if (q.state) {
    keyInput = { IndexName: "gsi2", KeyConditionExpression: "gsi2pk = :pk", ExpressionAttributeValues: { ":pk": keys.caseByState(q.state, "", "").gsi2pk }, ScanIndexForward: false };
  } else if (q.closedMonth) {
    keyInput = { IndexName: "gsi1", KeyConditionExpression: "gsi1pk = :pk AND begins_with(gsi1sk, :p)", ExpressionAttributeValues: { ":pk": `CASES#CLOSED#${q.closedMonth}`, ":p": scopePath } };
  } else {
    keyInput = { IndexName: "gsi1", KeyConditionExpression: "gsi1pk = :pk AND begins_with(gsi1sk, :p)", ExpressionAttributeValues: { ":pk": "CASES#OPEN", ":p": scopePath } };
  }
  const f = new Filters();
  if (unitPath && keyInput.IndexName !== "gsi1") f.add("begins_with(unitPath, :up)", { ":up": unitPath });
  if (q.state && keyInput.IndexName !== "gsi2") f.add("#st = :st", { ":st": q.state }, { "#st": "state" });
  if (q.categoryId) f.add("categoryId = :cat", { ":cat": q.categoryId });
  if (q.overdue) f.add("flags.overdue = :ov", { ":ov": q.overdue === "true" });
  if (q.supervised) f.add("flags.supervised = :sv", { ":sv": q.supervised === "true" });
  if (q.urgent) f.add("urgent = :ur", { ":ur": q.urgent === "true" });
  if (q.from) f.add("createdAt >= :from", { ":from": q.from });
  if (q.to) f.add("createdAt < :to", { ":to": q.to });
  if (q.mine === "true" && !ownerDept) f.add("(reporter.id = :me OR #ow.id = :me)", { ":me": p.id }, { "#ow": "owner" });
  if (p.kind === "api_key" && keyInput.IndexName === "gsi1" && !q.closedMonth) {
    // partners read open cases newest first (docs/api.md "Order of lists"): a merge of the time-ordered state index
    const newest = await openCasesNewestFirst(scopePath, f, q, (c) => canSee(p, c));
    return { items: newest.items.map((c) => view(p, c, now)), nextCursor: newest.nextCursor };
  }
  const map = (raw: Record<string, unknown>) => { const c = strip<Case>(raw)!; return canSee(p, c) ? c : undefined; };
  // by unit path: also where a moved subtree's cases still are while they are re-pathed (core/unit/paths-query.ts)
  const page =
    keyInput.IndexName === "gsi1"
      ? await queryPathPage<Case>(scopePath, (stored) => ({ ...keyInput, ...f.build({ ...keyInput.ExpressionAttributeValues, ":p": stored }) }), q, { map, maxReads: 30, pathOf: (raw) => String(raw.unitPath) })
      : await queryPage<Case>({ ...keyInput, ...f.build(keyInput.ExpressionAttributeValues) }, q, { map, maxReads: 30 });
  return { items: page.items.map((c) => view(p, c, now)), nextCursor: page.nextCursor };
}
