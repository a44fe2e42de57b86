import { describe, it, expect, beforeAll } from "vitest";
import { call } from "../../test/client.ts";
import { adminToken, tokenFor } from "../../test/fixtures.ts";

const square = (lng: number, lat: number, d = 0.001) => ({
  type: "Polygon",
  coordinates: [[[lng, lat], [lng + d, lat], [lng + d, lat + d], [lng, lat + d], [lng, lat]]],
});

let admin: string;
let rootId: string;
let streetId: string;

beforeAll(async () => {
  admin = await adminToken();
  const me = await call("GET", "/v1/me", { token: admin });
  rootId = me.body.assignments[0].unitId;
  const streets = await call("GET", `/v1/units?parentId=${rootId}`, { token: admin });
  streetId = streets.body.items[0].id;
});

describe("units", () => {
  it("lists the children of the county ordered by code", async () => {
    const r = await call("GET", `/v1/units?parentId=${rootId}`, { token: admin });
    expect(r.status).toBe(200);
    const codes = r.body.items.map((u: any) => u.code);
    expect(codes.slice(0, 2)).toEqual(["350206001", "350206002"]); // other tests may add streets after these
    expect([...codes].sort()).toEqual(codes);
  });

  it("creates a community under a street with a code extending the street's code", async () => {
    const r = await call("POST", "/v1/units", { token: admin, body: { parentId: streetId, name: "新建社区", code: "350206001099", type: "community" } });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ level: "community", depth: 2, version: 1, active: true });
    expect(r.body.path.startsWith(`/${rootId}/${streetId}/`)).toBe(true);
  });

  it("refuses a code that does not extend the parent's code", async () => {
    const r = await call("POST", "/v1/units", { token: admin, body: { parentId: streetId, name: "错编码", code: "350207001098" } });
    expect(r.status).toBe(400);
    expect(r.body.error.details.fields[0].path).toBe("code");
  });

  it("refuses a duplicate code with 409", async () => {
    const body = { parentId: streetId, name: "重复", code: "350206001097" };
    expect((await call("POST", "/v1/units", { token: admin, body })).status).toBe(201);
    const r = await call("POST", "/v1/units", { token: admin, body });
    expect(r.status).toBe(409);
    expect(r.body.error.message).toContain("350206001097");
  });

  it("refuses an open (unclosed) boundary ring with a clear message", async () => {
    const open = { type: "Polygon", coordinates: [[[118, 24], [118.1, 24], [118.1, 24.1], [118, 24.1]]] };
    const r = await call("POST", "/v1/units", { token: admin, body: { parentId: streetId, name: "坏边界", code: "350206001096", boundary: open } });
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.body.error.details)).toMatch(/closed|first/i);
  });

  it("refuses a self-intersecting (bow-tie) boundary", async () => {
    const bowtie = { type: "Polygon", coordinates: [[[118, 24], [118.1, 24.1], [118.1, 24], [118, 24.1], [118, 24]]] };
    const r = await call("POST", "/v1/units", { token: admin, body: { parentId: streetId, name: "坏边界", code: "350206001095", boundary: bowtie } });
    expect(r.status).toBe(400);
  });

  it("applies an update only with the current version; a stale version gets 409 with the current record", async () => {
    const created = (await call("POST", "/v1/units", { token: admin, body: { parentId: streetId, name: "改名前", code: "350206001094" } })).body;
    const ok = await call("PATCH", `/v1/units/${created.id}`, { token: admin, body: { version: 1, name: "改名后" } });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ name: "改名后", version: 2 });
    const stale = await call("PATCH", `/v1/units/${created.id}`, { token: admin, body: { version: 1, name: "又改" } });
    expect(stale.status).toBe(409);
    expect(stale.body.error.details.current.name).toBe("改名后");
  });

  it("lets exactly one of two concurrent edits with the same version win", async () => {
    const u = (await call("POST", "/v1/units", { token: admin, body: { parentId: streetId, name: "并发", code: "350206001093" } })).body;
    const results = await Promise.all(["甲", "乙", "丙"].map((name) => call("PATCH", `/v1/units/${u.id}`, { token: admin, body: { version: 1, name } })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409]);
  });

  it("locates the deepest unit containing a point, with its ancestors", async () => {
    const micro = (await call("GET", "/v1/units?q=350206001001001&limit=5", { token: admin })).body.items.find((u: any) => u.level === "micro_grid");
    const [lng, lat] = micro.centroid;
    const r = await call("GET", `/v1/units/locate?lng=${lng}&lat=${lat}`, { token: admin });
    expect(r.status).toBe(200);
    expect(r.body.unit.id).toBe(micro.id);
    expect(r.body.ancestors.map((a: any) => a.level)).toEqual(["county", "street", "community", "grid"]);
  });

  it("answers 404 for a point outside the county", async () => {
    const r = await call("GET", "/v1/units/locate?lng=100&lat=30", { token: admin });
    expect(r.status).toBe(404);
  });

  it("moves a subtree: descendants get the new path and code prefix", async () => {
    const community = (await call("POST", "/v1/units", { token: admin, body: { parentId: streetId, name: "待迁社区", code: "350206001092" } })).body;
    const grid = (await call("POST", "/v1/units", { token: admin, body: { parentId: community.id, name: "待迁网格", code: "350206001092001", boundary: square(118.3, 24.3) } })).body;
    const other = (await call("GET", `/v1/units?parentId=${rootId}`, { token: admin })).body.items[1];
    const r = await call("POST", `/v1/units/${community.id}/move`, { token: admin, body: { version: 1, parentId: other.id } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ moved: 2, unit: { code: "350206002092", parentId: other.id } });
    const g = (await call("GET", `/v1/units/${grid.id}`, { token: admin })).body;
    expect(g.code).toBe("350206002092001");
    expect(g.path).toBe(`/${rootId}/${other.id}/${community.id}/${grid.id}/`);
    const byOldCode = await call("GET", "/v1/units?q=350206001092", { token: admin });
    expect(byOldCode.body.items).toEqual([]);
  });

  it("refuses to move a unit under its own descendant (cycle)", async () => {
    const community = (await call("POST", "/v1/units", { token: admin, body: { parentId: streetId, name: "环", code: "350206001091" } })).body;
    const grid = (await call("POST", "/v1/units", { token: admin, body: { parentId: community.id, name: "环网格", code: "350206001091001" } })).body;
    const r = await call("POST", `/v1/units/${community.id}/move`, { token: admin, body: { version: 1, parentId: grid.id } });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(/descendant/);
  });

  it("refuses to deactivate a unit with active staff or open cases, with the reason", async () => {
    const community = (await call("POST", "/v1/units", { token: admin, body: { parentId: streetId, name: "停用测试社区", code: "350206001089" } })).body;
    const grid = (await call("POST", "/v1/units", { token: admin, body: { parentId: community.id, name: "停用测试网格", code: "350206001089001", boundary: square(118.31, 24.31) } })).body;
    const user = await call("POST", "/v1/users", { token: admin, body: { username: `gw-${grid.id.slice(-6)}`, displayName: "停用测试网格员", password: "a-long-password-1", assignments: [{ role: "grid_worker", unitId: grid.id }] } });
    expect(user.status).toBe(201);
    const withStaff = await call("POST", `/v1/units/${grid.id}/deactivate`, { token: admin, body: { version: grid.version } });
    expect(withStaff.status).toBe(409);
    expect(withStaff.body.error.details.reason).toBe("active_staff");
    const parent = await call("POST", `/v1/units/${community.id}/deactivate`, { token: admin, body: { version: community.version } });
    expect(parent.body.error.details.reason).toBe("active_children");
    await call("PATCH", `/v1/users/${user.body.id}`, { token: admin, body: { version: user.body.version, active: false } });
    const token = await tokenFor("center");
    const reported = await call("POST", "/v1/cases", { token, body: { categoryId: "cat-env-garbage", description: "停用前的案件", location: { lng: 118.3105, lat: 24.3105 }, unitId: grid.id } });
    expect(reported.status).toBe(201);
    const withCase = await call("POST", `/v1/units/${grid.id}/deactivate`, { token: admin, body: { version: grid.version } });
    expect(withCase.body.error.details.reason).toBe("open_cases");
    await call("POST", `/v1/cases/${reported.body.case.id}/reject`, { token, body: { reason: "测试" } });
    const ok = await call("POST", `/v1/units/${grid.id}/deactivate`, { token: admin, body: { version: grid.version } });
    expect(ok.status).toBe(200);
    expect(ok.body.active).toBe(false);
  });

  it("shows a grid worker only their part of the hierarchy", async () => {
    const worker = await tokenFor("worker2");
    const r = await call("GET", `/v1/units?subtreeOf=${streetId}`, { token: worker });
    expect(r.status).toBe(404);
    const own = await call("GET", "/v1/units?limit=200", { token: worker });
    expect(own.status).toBe(200);
    expect(own.body.items.every((u: any) => u.code.startsWith("350206002001001"))).toBe(true);
  });

  it("forbids a grid worker from creating units (403)", async () => {
    const r = await call("POST", "/v1/units", { token: await tokenFor("worker1"), body: { parentId: streetId, name: "x", code: "350206001090" } });
    expect(r.status).toBe(403);
  });

  it("rejects an invalid cursor with 400", async () => {
    const r = await call("GET", `/v1/units?parentId=${rootId}&cursor=bm90LWEtY3Vyc29y`, { token: admin });
    expect(r.status).toBe(400);
  });

  it("pages through a subtree with cursors without repeating or skipping units", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const r: any = await call("GET", `/v1/units?subtreeOf=${streetId}&limit=7${cursor ? `&cursor=${cursor}` : ""}`, { token: admin });
      expect(r.status).toBe(200);
      seen.push(...r.body.items.map((u: any) => u.id));
      cursor = r.body.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    const all = await call("GET", `/v1/units?subtreeOf=${streetId}&limit=200`, { token: admin });
    expect(seen.length).toBe(all.body.items.length);
  });
});
