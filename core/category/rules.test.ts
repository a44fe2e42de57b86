import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { defaultCalendar, zonedTimeToUtc, toLocalParts } from "../calendar/index.ts";
import { DEFAULT_DEADLINES, applyUpdate, caseRulesFor, deadlineFor, resolve, responsibleDepartments, streetOf } from "./rules.ts";
import type { Category } from "./schema.ts";

const base = { active: true, version: 1, createdAt: "2026-03-01T00:00:00.000Z", updatedAt: "2026-03-01T00:00:00.000Z" };
const parent: Category = {
  ...base,
  id: "c-env",
  code: "01",
  name: "市容环境",
  parentId: null,
  isDispute: false,
  police: false,
  urgent: false,
  departmentIds: ["d-urban", "d-housing"],
  byStreet: { s1: ["d-s1-squad"] },
  claimWindow: true,
  deadlines: { handle: { amount: 3, unit: "working_days" } },
};
const child: Category = { ...base, id: "c-litter", code: "0101", name: "暴露垃圾", parentId: "c-env", urgent: true, deadlines: { verify: { amount: 4, unit: "working_hours" } } };

describe("resolve", () => {
  it("takes a child's own rules, else its parent's, else the county defaults", () => {
    const r = resolve(child, parent);
    expect(r).toMatchObject({ id: "c-litter", parentId: "c-env", urgent: true, isDispute: false, claimWindow: true, departmentIds: ["d-urban", "d-housing"], byStreet: { s1: ["d-s1-squad"] } });
    expect(r.deadlines).toEqual({ ...DEFAULT_DEADLINES, handle: { amount: 3, unit: "working_days" }, verify: { amount: 4, unit: "working_hours" } });
  });

  it("lets a child cancel its parent's street overrides with an empty map", () => {
    expect(resolve({ ...child, byStreet: {} }, parent).byStreet).toEqual({});
  });

  it("makes a child inactive when its parent is", () => {
    expect(resolve(child, { ...parent, active: false }).active).toBe(false);
    expect(resolve(child, parent).active).toBe(true);
  });

  it("gives a top-level category without rules the defaults", () => {
    const bare: Category = { ...base, id: "x", code: "09", name: "其他", parentId: null, deadlines: {} };
    expect(resolve(bare)).toMatchObject({ isDispute: false, police: false, urgent: false, departmentIds: [], byStreet: {}, claimWindow: true, deadlines: DEFAULT_DEADLINES });
  });

  it("never takes a rule from the defaults when the child or its parent sets it (property)", () => {
    const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
    fc.assert(
      fc.property(maybe(fc.boolean()), maybe(fc.boolean()), maybe(fc.array(fc.string(), { maxLength: 3 })), maybe(fc.array(fc.string(), { maxLength: 3 })), (c, p, cd, pd) => {
        const r = resolve({ ...child, urgent: c, departmentIds: cd }, { ...parent, urgent: p, departmentIds: pd });
        expect(r.urgent).toBe(c ?? p ?? false);
        expect(r.departmentIds).toEqual(cd ?? pd ?? []);
      }),
    );
  });
});

describe("responsibility matrix", () => {
  const r = resolve(child, parent);

  it("finds the street of a unit path", () => {
    expect(streetOf("/county/s1/c1/g1/")).toBe("s1");
    expect(streetOf("/county/")).toBeUndefined();
  });

  it("uses the street's override inside that street and the category's list elsewhere", () => {
    expect(responsibleDepartments(r, "/county/s1/c1/g1/")).toEqual(["d-s1-squad"]);
    expect(responsibleDepartments(r, "/county/s2/c3/")).toEqual(["d-urban", "d-housing"]);
    expect(responsibleDepartments(r, "/county/")).toEqual(["d-urban", "d-housing"]);
  });

  it("names the first department responsible and offers the claim window to all", () => {
    expect(caseRulesFor(r, "/county/s2/")).toEqual({ responsibleDepartmentId: "d-urban", candidateDepartments: ["d-urban", "d-housing"], claimWindow: true, policeCategory: false });
    expect(caseRulesFor({ ...r, departmentIds: [], byStreet: {} }, "/county/s2/")).toEqual({ candidateDepartments: [], claimWindow: true, policeCategory: false });
  });
});

describe("deadlineFor", () => {
  const cal = defaultCalendar(2026);
  const at = (s: string) => zonedTimeToUtc(s.slice(0, 10), s.slice(11, 16), cal.timeZone);
  const show = (d: Date) => {
    const p = toLocalParts(d, cal.timeZone);
    return `${p.date} ${p.time}`;
  };

  it("counts a stage limit on the working calendar", () => {
    const r = resolve(child, parent);
    // verify: 4 working hours from Friday 16:00 → Monday 11:00
    expect(show(deadlineFor(r, cal, "verify", at("2026-03-06 16:00")))).toBe("2026-03-09 11:00");
    // handle: 3 working days from the eve of National Day → skips the holiday, counts the make-up Saturday
    expect(show(deadlineFor(r, cal, "handle", at("2026-09-30 10:00")))).toBe("2026-10-10 10:00");
  });
});

describe("applyUpdate", () => {
  it("clears a child's override with null so that it inherits again", () => {
    const next = applyUpdate(child, { urgent: null, deadlines: { verify: null, handle: { amount: 1, unit: "working_days" } } });
    expect(next.urgent).toBeUndefined();
    expect(next.deadlines).toEqual({ handle: { amount: 1, unit: "working_days" } });
    expect(child.deadlines).toEqual({ verify: { amount: 4, unit: "working_hours" } });
  });

  it("restores the default on a top-level category for null", () => {
    const next = applyUpdate(parent, { departmentIds: null, claimWindow: null, name: "市容" });
    expect(next).toMatchObject({ departmentIds: [], claimWindow: true, name: "市容", byStreet: { s1: ["d-s1-squad"] } });
  });
});
