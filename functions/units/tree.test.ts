import { describe, it, expect, beforeAll } from "vitest";
import { advanceClock, call, queuesIdle, runJob } from "../../test/client.ts";
import { tokenFor } from "../../test/fixtures.ts";
import { must, report } from "../../test/cases.ts";
import { ownStack } from "../../test/own-stack.ts";

// exact figures: no other file's cases on this stack. Monday 2026-11-23 09:00 in Shanghai (working hours)
ownStack({ at: "2026-11-23T01:00:00Z" });

type Node = { id: string; name: string; code: string; level: string; leaf: boolean; figures?: { open: number; overdue: number; reports: number; closed: number } };

const tree = async (username: string, query = "") => {
  const r = await call("GET", `/v1/units/tree${query}`, { token: await tokenFor(username) });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body as { month: string; parent: Node | null; items: Node[]; nextCursor: string | null };
};
const childByCode = async (username: string, parentId: string, code: string) => (await tree(username, `?parentId=${parentId}`)).items.find((n) => n.code === code)!;

let county: Node;
beforeAll(async () => {
  county = (await tree("admin")).items[0];
});

describe("the unit tree, one level at a time, with figures from the aggregates", () => {
  it("starts at the caller's own units and lists children by code with the subtree's open cases, reports, closures and overdue events", async () => {
    expect(county).toMatchObject({ code: "350206", level: "county", leaf: false, figures: { open: 0, overdue: 0, reports: 0, closed: 0 } });
    const streets = await tree("admin", `?parentId=${county.id}`);
    expect(streets.parent?.id).toBe(county.id);
    expect(streets.items.map((s) => [s.code, s.name])).toEqual([
      ["350206001", "湖里街道"],
      ["350206002", "殿前街道"],
    ]);

    const a = await report("worker1");
    const b = await report("worker1");
    const c = await report("worker1");
    await must("center", b.case.id, "reject", { reason: "重复上报" });
    await must("center", c.case.id, "accept");
    await queuesIdle();
    // the accept stage's deadline passes for a: the timer marks it overdue (an `overdue` event of the month)
    await advanceClock(60 * 24 * 3);
    await runJob("timer-sweep");
    await queuesIdle();

    const root = (await tree("admin")).items[0];
    expect(root.figures).toEqual({ open: 2, overdue: 1, reports: 3, closed: 0 });
    const street1 = await childByCode("admin", county.id, "350206001");
    const street2 = await childByCode("admin", county.id, "350206002");
    expect(street1.figures).toMatchObject({ open: 2, reports: 3, overdue: 1 });
    expect(street2.figures).toEqual({ open: 0, overdue: 0, reports: 0, closed: 0 });
    const community = await childByCode("admin", street1.id, "350206001001");
    const grid = await childByCode("admin", community.id, "350206001001001");
    expect(grid).toMatchObject({ name: "第1网格", level: "grid", leaf: false, figures: { open: 2, reports: 3 } });
    expect(a.case.unitPath).toContain(`/${grid.id}/`);
  });

  it("pages the micro-grids of a grid (never all of a county at once), every one a leaf", async () => {
    const street1 = await childByCode("admin", county.id, "350206001");
    const community = await childByCode("admin", street1.id, "350206001001");
    const grid = await childByCode("admin", community.id, "350206001001001");
    const first = await tree("admin", `?parentId=${grid.id}&limit=3`);
    expect(first.items).toHaveLength(3);
    expect(first.nextCursor).not.toBeNull();
    const rest: Node[] = [];
    let cursor = first.nextCursor;
    while (cursor) {
      const page = await tree("admin", `?parentId=${grid.id}&limit=3&cursor=${encodeURIComponent(cursor)}`);
      rest.push(...page.items);
      cursor = page.nextCursor;
    }
    const all = [...first.items, ...rest];
    expect(all).toHaveLength(4); // the demo county cuts each grid into 4 micro-grids
    const codes = all.map((n) => n.code);
    expect(codes).toEqual([...codes].sort());
    expect(new Set(codes).size).toBe(codes.length);
    expect(all.every((n) => n.leaf && n.level === "micro_grid")).toBe(true);
  });

  it("keeps each caller in their part of the hierarchy: figures only where they may read cases", async () => {
    const mine = await tree("worker1");
    expect(mine.items.map((n) => [n.code, n.level])).toEqual([["350206001001001", "grid"]]);
    expect(mine.items[0].figures?.open).toBe(2);
    // the county is an ancestor (context): its children are only the street on the way to the grid, without figures
    const up = await tree("worker1", `?parentId=${county.id}`);
    expect(up.items.map((n) => n.code)).toEqual(["350206001"]);
    expect(up.items[0].figures).toBeUndefined();
    expect(up.parent?.figures).toBeUndefined();
    const street2 = await childByCode("admin", county.id, "350206002");
    expect((await call("GET", `/v1/units/tree?parentId=${street2.id}`, { token: await tokenFor("worker1") })).status).toBe(404);
    expect((await tree("street1")).items.map((n) => n.code)).toEqual(["350206001"]);
    expect((await call("GET", "/v1/units/tree")).status).toBe(401);
    expect((await call("GET", "/v1/units/tree?month=2026-13", { token: await tokenFor("admin") })).status).toBe(400);
  });
});

describe("the county map of grids", () => {
  it("gives every grid of the caller's part with its boundary at map precision and its figures", async () => {
    const r = await call("GET", "/v1/units/map?level=grid", { token: await tokenFor("center") });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.truncated).toBe(false);
    const items = r.body.items as { id: string; code: string; pathName: string; boundary: { type: string; coordinates: number[][][] }; figures: { open: number } }[];
    expect(items).toHaveLength(16);
    const grid = items.find((i) => i.code === "350206001001001")!;
    expect(grid.pathName).toBe("湖里街道 › 金山社区 › 第1网格");
    expect(grid.figures.open).toBe(2);
    expect(items.filter((i) => i.code !== grid.code).every((i) => i.figures.open === 0)).toBe(true);
    expect(grid.boundary.type).toBe("Polygon");
    const coords = grid.boundary.coordinates.flat(1);
    expect(coords.length).toBeGreaterThanOrEqual(4);
    expect(coords.every(([x, y]) => Math.round(x * 1e5) / 1e5 === x && Math.round(y * 1e5) / 1e5 === y)).toBe(true);

    const worker = await call("GET", "/v1/units/map?level=grid", { token: await tokenFor("worker1") });
    expect(worker.body.items.map((i: { code: string }) => i.code)).toEqual(["350206001001001"]);
    const community = await call("GET", "/v1/units/map?level=grid", { token: await tokenFor("community1") });
    expect(community.body.items).toHaveLength(4);
    expect((await call("GET", "/v1/units/map?level=planet", { token: await tokenFor("center") })).status).toBe(400);
  });
});
