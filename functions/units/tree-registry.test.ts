import { describe, it, expect, beforeAll } from "vitest";
import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { ownStack } from "../../test/own-stack.ts";
import { as, forgetLogins, newIdNumber, ok } from "../registry/testing.ts";
import { DEMO_PASSWORD } from "../../test/fixtures.ts";
import { db, tableName } from "../../core/db/client.ts";
import { tallyKey } from "../../core/registry/repo-tally.ts";
import { handler as recount } from "../jobs/registry-recount.ts";

/**
 * The unit tree's registry counts (登记户/登记人/场所) are the unit's whole subtree, kept on every
 * registry write (create, move to another unit, delete), on a unit move (old ancestors lose, new
 * ones gain) and corrected by the nightly recount. Own stack: it moves units and rewrites a tally.
 */
ownStack();

type Counts = { households: number; people: number; places: number };
let street1: string;
let street2: string;
let community: any;
let gridA: any;
let gridB: any;

/** A unit's registry counts as the tree shows them (read through its parent's level). */
async function counts(unitId: string, parentId?: string): Promise<Counts> {
  // the dispatch center reads the registry county-wide
  const page = ok(await as("center", "GET", parentId ? `/v1/units/tree?parentId=${parentId}&limit=200` : "/v1/units/tree"));
  const node = [page.parent, ...page.items].find((n: any) => n?.id === unitId);
  expect(node, `unit ${unitId} in the tree`).toBeTruthy();
  return node.registry;
}

/** A unit's open cases as the tree shows them (its subtree's live count). */
async function openCases(unitId: string, parentId: string): Promise<number> {
  const page = ok(await as("center", "GET", `/v1/units/tree?parentId=${parentId}&limit=200`));
  const node = [page.parent, ...page.items].find((n: any) => n?.id === unitId);
  expect(node, `unit ${unitId} in the tree`).toBeTruthy();
  return node.figures.open;
}

const plus = (a: Counts, b: Partial<Counts>): Counts => ({ households: a.households + (b.households ?? 0), people: a.people + (b.people ?? 0), places: a.places + (b.places ?? 0) });

beforeAll(async () => {
  forgetLogins();
  const byCode = async (code: string) => ok(await as("admin", "GET", `/v1/units?q=${code}&limit=5`)).items.find((u: any) => u.code === code);
  street1 = (await byCode("350206001")).id;
  street2 = (await byCode("350206002")).id;
  community = ok(await as("admin", "POST", "/v1/units", { parentId: street1, name: "台账汇总社区", code: "350206001085" }));
  gridA = ok(await as("admin", "POST", "/v1/units", { parentId: community.id, name: "汇总甲网格", code: "350206001085001" }));
  gridB = ok(await as("admin", "POST", "/v1/units", { parentId: community.id, name: "汇总乙网格", code: "350206001085002" }));
  // the community's clerk keeps its registry
  ok(await as("admin", "POST", "/v1/users", { username: "tallyclerk", displayName: "汇总社区工作人员", password: DEMO_PASSWORD, assignments: [{ role: "community_staff", unitId: community.id }] }));
});

describe("registry counts per subtree in the unit tree", () => {
  it("count a unit's subtree on every write: create, move between grids, delete", async () => {
    const street1Before = await counts(street1, (await as("admin", "GET", `/v1/units/${street1}`)).body.parentId);
    const h1 = ok(await as("tallyclerk", "POST", "/v1/registry/households", { unitId: gridA.id, address: "汇总小区 1 号", membersCount: 2 }));
    const h2 = ok(await as("tallyclerk", "POST", "/v1/registry/households", { unitId: gridA.id, address: "汇总小区 2 号", membersCount: 1 }));
    ok(await as("tallyclerk", "POST", "/v1/registry/people", { householdId: h1.id, name: "张汇总", idNumber: newIdNumber() }));
    ok(await as("tallyclerk", "POST", "/v1/registry/people", { householdId: h1.id, name: "李汇总", idNumber: newIdNumber({ gender: "female" }) }));
    const loner = ok(await as("tallyclerk", "POST", "/v1/registry/people", { unitId: gridB.id, name: "王汇总", idNumber: newIdNumber() }));
    ok(await as("tallyclerk", "POST", "/v1/registry/places", { unitId: gridB.id, name: "汇总小卖部", kind: "shop", address: "汇总小区门口", ownerName: "赵店主", ownerPhone: "13900002222" }));

    expect(await counts(community.id, street1)).toEqual({ households: 2, people: 3, places: 1 });
    expect(await counts(gridA.id, community.id)).toEqual({ households: 2, people: 2, places: 0 });
    expect(await counts(gridB.id, community.id)).toEqual({ households: 0, people: 1, places: 1 });
    // the street above counts them too
    const parentOfStreet = (await as("admin", "GET", `/v1/units/${street1}`)).body.parentId;
    expect(await counts(street1, parentOfStreet)).toEqual(plus(street1Before, { households: 2, people: 3, places: 1 }));

    // a household moving to the other grid takes its members along; the community's total does not change
    const current = ok(await as("tallyclerk", "GET", `/v1/registry/households/${h1.id}`));
    ok(await as("tallyclerk", "PATCH", `/v1/registry/households/${h1.id}`, { version: current.version, unitId: gridB.id }));
    expect(await counts(gridA.id, community.id)).toEqual({ households: 1, people: 0, places: 0 });
    expect(await counts(gridB.id, community.id)).toEqual({ households: 1, people: 3, places: 1 });
    expect(await counts(community.id, street1)).toEqual({ households: 2, people: 3, places: 1 });

    // deleted records leave every count
    ok(await as("tallyclerk", "DELETE", `/v1/registry/people/${loner.id}?version=${loner.version}`));
    ok(await as("tallyclerk", "DELETE", `/v1/registry/households/${h2.id}?version=${h2.version}`));
    expect(await counts(community.id, street1)).toEqual({ households: 1, people: 2, places: 1 });
    expect(await counts(street1, parentOfStreet)).toEqual(plus(street1Before, { households: 1, people: 2, places: 1 }));
  });

  it("follow a unit move: the old street loses the subtree's records and open cases, the new one gains them, the grids keep theirs", async () => {
    const county = (await as("admin", "GET", `/v1/units/${street1}`)).body.parentId;
    // two open cases in the community, counted by the aggregate consumer before the move
    for (const i of [1, 2]) ok(await as("center", "POST", "/v1/cases", { categoryId: "cat-env-garbage", unitId: gridA.id, description: `汇总迁移事件 ${i}`, location: { lng: 118.09, lat: 24.49 } }));
    for (let i = 0; i < 120 && (await openCases(community.id, street1)) < 2; i++) await new Promise((r) => setTimeout(r, 250));
    expect(await openCases(community.id, street1)).toBe(2);
    const [o1, o2] = [await openCases(street1, county), await openCases(street2, county)];
    const [s1, s2, c] = [await counts(street1, county), await counts(street2, county), await counts(community.id, street1)];
    const unit = ok(await as("admin", "GET", `/v1/units/${community.id}`));
    const moved = ok(await as("admin", "POST", `/v1/units/${community.id}/move`, { version: unit.version, parentId: street2, code: "350206002085" }));
    const jobId = moved.jobId;
    for (let i = 0; i < 240; i++) {
      const job = ok(await as("admin", "GET", `/v1/jobs/${jobId}`));
      if (job.status === "succeeded") break;
      expect(job.status).not.toBe("failed");
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(ok(await as("admin", "GET", `/v1/jobs/${jobId}`)).status).toBe("succeeded");
    const neg = (x: Counts) => ({ households: -x.households, people: -x.people, places: -x.places });
    expect(await counts(street1, county)).toEqual(plus(s1, neg(c)));
    expect(await counts(street2, county)).toEqual(plus(s2, c));
    expect(await counts(community.id, street2)).toEqual(c);
    expect(await counts(gridB.id, community.id)).toEqual({ households: 1, people: 2, places: 1 });
    // the live open-case counts moved with the cases, in the same transaction as each case's new path
    expect(await openCases(street1, county)).toBe(o1 - 2);
    expect(await openCases(street2, county)).toBe(o2 + 2);
    expect(await openCases(community.id, street2)).toBe(2);
    expect(await openCases(gridA.id, community.id)).toBe(2);
  });

  it("are corrected by the nightly recount when a count drifted (e.g. a crash between a write and its count)", async () => {
    const before = await counts(gridB.id, community.id);
    await db().send(new UpdateCommand({ TableName: tableName(), Key: tallyKey(gridB.id), UpdateExpression: "ADD households :d, people :d", ExpressionAttributeValues: { ":d": 7 } }));
    expect(await counts(gridB.id, community.id)).toEqual(plus(before, { households: 7, people: 7 }));
    const out = await recount();
    expect(out.corrected).toBe(1);
    expect(await counts(gridB.id, community.id)).toEqual(before);
    // a second run finds nothing to correct
    expect((await recount()).corrected).toBe(0);
  });

  it("are shown only to readers of the registry", async () => {
    // department staff read the county's cases but not its registry
    const page = ok(await as("dept1", "GET", `/v1/units/tree?parentId=${community.id}`));
    expect(page.items.length).toBe(2);
    for (const n of page.items) {
      expect(n.figures).toBeDefined();
      expect(n.registry).toBeUndefined();
    }
  });
});
