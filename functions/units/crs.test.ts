import { describe, it, expect, beforeAll, vi } from "vitest";
import { call, useStackEnv } from "../../test/client.ts";
import { adminToken, tokenFor } from "../../test/fixtures.ts";
import { distanceMeters } from "../../core/geo/measure.ts";
import { fromWgs84 } from "../../core/geo/crs.ts";

/**
 * Points as Chinese maps give them (GCJ-02 from AMap/Tencent/WeChat, BD-09 from Baidu) land in the
 * grid the person is really in. Two adjacent grids of this file's own (codes 350206001618xxx: no
 * other test or the seed uses them) share the edge lng = 110.51; the point P lies ~150 m west of
 * it, in grid A. Its GCJ-02 and BD-09 forms lie east of the edge, so read as WGS84 they fall in B.
 */
const A = [[[110.5, 28.3], [110.51, 28.3], [110.51, 28.31], [110.5, 28.31], [110.5, 28.3]]];
const B = [[[110.51, 28.3], [110.52, 28.3], [110.52, 28.31], [110.51, 28.31], [110.51, 28.3]]];
const P: [number, number] = [110.5085, 28.305];
const P_GCJ = fromWgs84(...P, "gcj02");
const P_BD = fromWgs84(...P, "bd09");

let admin: string;
let gridA: any;
let gridB: any;

beforeAll(async () => {
  useStackEnv();
  admin = await adminToken();
  const me = await call("GET", "/v1/me", { token: admin });
  const county = me.body.assignments[0].unitId;
  const streets = await call("GET", `/v1/units?parentId=${county}`, { token: admin });
  const street = streets.body.items.find((u: any) => u.code === "350206001");
  const community = await call("POST", "/v1/units", { token: admin, body: { parentId: street.id, name: "坐标测试社区", code: "350206001618" } });
  expect(community.status).toBe(201);
  const mk = (name: string, code: string, ring: number[][][]) =>
    call("POST", "/v1/units", { token: admin, body: { parentId: community.body.id, name, code, type: "residential", boundary: { type: "Polygon", coordinates: ring } } });
  const [a, b] = [await mk("坐标测试西网格", "350206001618001", A), await mk("坐标测试东网格", "350206001618002", B)];
  expect([a.status, b.status]).toEqual([201, 201]);
  [gridA, gridB] = [a.body, b.body];
  // a warm API keeps its locate index up to 5 s before it looks for a new tree version (core/unit/locate.ts):
  // wait until the new grids are in it (another file may have located a point just before)
  await vi.waitFor(async () => expect((await call("GET", `/v1/units/locate?lng=${P[0]}&lat=${P[1]}`, { token: admin })).body.unit?.id).toBe(gridA.id), { timeout: 20_000, interval: 500 });
});

describe("coordinate systems on the API", () => {
  it("the converted points are on the other side of the shared edge (the case this test is about)", () => {
    expect(P[0]).toBeLessThan(110.51);
    expect(P_GCJ[0]).toBeGreaterThan(110.51);
    expect(P_BD[0]).toBeGreaterThan(110.51);
    expect(P_BD[0]).toBeLessThan(110.52);
  });

  it("locates a GCJ-02 or BD-09 point near a grid edge in the grid it is really in", async () => {
    const at = (p: [number, number], crs?: string) => call("GET", `/v1/units/locate?lng=${p[0]}&lat=${p[1]}${crs ? `&crs=${crs}` : ""}`, { token: admin });
    expect((await at(P)).body.unit.id).toBe(gridA.id);
    expect((await at(P_GCJ, "gcj02")).body.unit.id).toBe(gridA.id);
    expect((await at(P_BD, "bd09")).body.unit.id).toBe(gridA.id);
    // the same numbers taken as WGS84 fall in the neighbour: why crs matters
    expect((await at(P_GCJ)).body.unit.id).toBe(gridB.id);
    expect((await at(P_GCJ, "wgs84")).body.unit.id).toBe(gridB.id);
    const bad = await at(P_GCJ, "baidu");
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.fields[0].path).toBe("crs");
  });

  it("files a report given in GCJ-02 in the right grid, stores WGS84 and answers in the asked system", async () => {
    const body = { categoryId: "cat-env-garbage", description: "坐标测试：路灯不亮", location: { lng: P_GCJ[0], lat: P_GCJ[1], crs: "gcj02", address: "西网格路口" } };
    const center = await tokenFor("center"); // the dispatcher reports for the whole county (hotline)
    const r = await call("POST", "/v1/cases", { token: center, body });
    expect(r.status).toBe(201);
    expect(r.body.case.unitId).toBe(gridA.id);
    // answered in the system it was given in
    expect(r.body.case.location.crs).toBe("gcj02");
    expect(distanceMeters([r.body.case.location.lng, r.body.case.location.lat], P_GCJ)).toBeLessThan(1);
    expect(r.body.case.location.address).toBe("西网格路口");
    // stored and read back as WGS84 by default
    const plain = await call("GET", `/v1/cases/${r.body.case.id}`, { token: admin });
    expect(plain.body.case.location.crs).toBeUndefined();
    expect(distanceMeters([plain.body.case.location.lng, plain.body.case.location.lat], P)).toBeLessThan(1);
    const bd = await call("GET", `/v1/cases/${r.body.case.id}?crs=bd09`, { token: admin });
    expect(bd.body.case.location.crs).toBe("bd09");
    expect(distanceMeters([bd.body.case.location.lng, bd.body.case.location.lat], P_BD)).toBeLessThan(1);
    const list = await call("GET", `/v1/cases?unitId=${gridA.id}&crs=gcj02`, { token: admin });
    const mine = list.body.items.find((v: any) => v.case.id === r.body.case.id);
    expect(distanceMeters([mine.case.location.lng, mine.case.location.lat], P_GCJ)).toBeLessThan(1);
  });

  it("gives the grid page's centroid in the asked system", async () => {
    const wgs = await call("GET", `/v1/residents/grids/${gridA.code}`);
    const gcj = await call("GET", `/v1/residents/grids/${gridA.code}?crs=gcj02`);
    expect(wgs.status).toBe(200);
    expect(gcj.body.crs).toBe("gcj02");
    expect(distanceMeters(gcj.body.grid.centroid, fromWgs84(wgs.body.grid.centroid[0], wgs.body.grid.centroid[1], "gcj02"))).toBeLessThan(0.01);
    expect(distanceMeters(gcj.body.grid.centroid, wgs.body.grid.centroid)).toBeGreaterThan(300);
  });
});
