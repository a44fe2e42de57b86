import { describe, it, expect, beforeAll } from "vitest";
import { call } from "../../test/client.ts";
import { adminToken } from "../../test/fixtures.ts";
import { ownStack } from "../../test/own-stack.ts";
import { subdivide, syntheticCounty, syntheticGrid } from "../../core/geo/synthetic.ts";
import { centroid } from "../../core/geo/measure.ts";
import { boundaryProblems } from "../../core/geo/topology.ts";
import { toCsv, toGeoJson, type TreeRow } from "../../core/unit/export-format.ts";

/**
 * Boundaries route correctly (docs/data-model.md "Unit boundaries"): every unit write — create,
 * update, GeoJSON and CSV import — checks that a boundary lies within its parent's and does not
 * overlap its siblings'. Its own stack: one test switches the county to `boundaryCheck = warn`.
 */
ownStack();

let admin: string;
let community: any; // 金山社区 (demo, with a boundary)
let grid1: any; // its first grid (demo)
let street2: any; // 殿前街道 (demo)

const square = (x: number, y: number, d = 0.002) => ({ type: "Polygon", coordinates: [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]] });
const KM45_EAST = 45 / 101.2; // degrees of longitude at 24.5°N

beforeAll(async () => {
  admin = await adminToken();
  const byCode = async (code: string) => (await call("GET", `/v1/units?q=${code}&limit=5`, { token: admin })).body.items.find((u: any) => u.code === code);
  community = await byCode("350206001001");
  grid1 = await byCode("350206001001001");
  street2 = await byCode("350206002");
});

async function importAndWait(body: string, format: "geojson" | "csv", mode: "all" | "partial" | "check" = "all", query = "") {
  const r = await call("POST", `/v1/units/import?format=${format}&mode=${mode}${query}`, { token: admin, raw: body, headers: { "content-type": format === "csv" ? "text/csv" : "application/geo+json" } });
  expect(r.status, JSON.stringify(r.body)).toBe(202);
  for (const until = Date.now() + 60_000; Date.now() < until; await new Promise((res) => setTimeout(res, 100))) {
    const j = await call("GET", `/v1/jobs/${r.body.jobId}`, { token: admin });
    if (j.body.status === "succeeded" || j.body.status === "failed") return j.body;
  }
  throw new Error("import did not finish");
}

const unitByCode = async (code: string) => (await call("GET", `/v1/units?q=${code}&limit=5`, { token: admin })).body.items.find((u: any) => u.code === code);
const locate = (p: number[]) => call("GET", `/v1/units/locate?lng=${p[0]}&lat=${p[1]}`, { token: admin });

/** Locate until the answer is `unitId` (warm containers recheck the tree version every 5 s). */
async function locateSettles(p: number[], unitId: string) {
  let found: any;
  for (const until = Date.now() + 10_000; Date.now() < until; await new Promise((r) => setTimeout(r, 250))) {
    found = await locate(p);
    if (found.status === 200 && found.body.unit.id === unitId) break;
  }
  return found;
}

/** A point inside both overlapping micro-grids. */
const overlapPoint = (rows: TreeRow[]) => {
  const [a, b] = [centroid(rows[2].boundary!), centroid(rows[3].boundary!)];
  return [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
};

/** A far-away grid with two micro-grids that overlap by a quarter of each, under a community without a boundary. */
function overlappingMicroGrids(communityCode: string, origin: [number, number]): TreeRow[] {
  const [cell] = syntheticGrid({ origin, cols: 1, rows: 1, cellMeters: 400 });
  const [left, right] = subdivide(cell, 2, 1);
  const ring = right.boundary.coordinates[0];
  const w = (ring[1][0] - ring[0][0]) / 2;
  const shifted = { type: "Polygon" as const, coordinates: [ring.map(([x, y]) => [x - w, y] as [number, number])] }; // half over the left one
  const g = `${communityCode}001`;
  return [
    { code: communityCode, name: `边界测试社区${communityCode.slice(-3)}`, parentCode: communityCode.slice(0, 9), level: "community", type: "community" },
    { code: g, name: "边界测试网格", parentCode: communityCode, level: "grid", type: "residential", boundary: cell.boundary },
    { code: `${g}01`, name: "第1微网格", parentCode: g, level: "micro_grid", type: "residential", boundary: left.boundary },
    { code: `${g}02`, name: "第2微网格", parentCode: g, level: "micro_grid", type: "residential", boundary: shifted },
  ];
}

/** A grid under 金山社区 drawn 45 km east of the community. */
function gridOutside(code: string): TreeRow[] {
  const [x, y] = centroid(community.boundary);
  return [{ code, name: "飞地网格", parentCode: community.code, level: "grid", type: "residential", boundary: square(x + KM45_EAST, y) as any }];
}

describe("unit boundaries fit their place in the hierarchy", () => {
  it("seeds the demo county without a single boundary problem (tiling polygons only touch)", () => {
    const shape = syntheticCounty({ origin: [118.08, 24.48], streets: [2, 1], streetMeters: 4000, communities: [2, 1], grids: [2, 2], microGrids: 64, jitter: 0.1, seed: 7 });
    const byId = new Map(shape.map((u) => [u.id, u]));
    let problems = 0;
    for (const u of shape.slice(1)) {
      const siblings = shape.filter((s) => s.parentId === u.parentId && s.id !== u.id).map((s) => ({ id: s.id, code: s.id, name: s.id, boundary: s.boundary }));
      problems += boundaryProblems(u.boundary, byId.get(u.parentId!)!.boundary, siblings).length;
    }
    expect(shape.length).toBeGreaterThan(80);
    expect(problems).toBe(0);
  });

  it("refuses an import with a grid drawn 45 km outside its county, in GeoJSON and in CSV", async () => {
    for (const [format, body] of [
      ["geojson", toGeoJson(gridOutside("350206001001901"))],
      ["csv", toCsv(gridOutside("350206001001902"))],
    ] as const) {
      const job = await importAndWait(body, format);
      expect(job.status).toBe("failed");
      expect(job.result).toMatchObject({ created: 0, rejected: 1, written: false });
      expect(job.errors).toHaveLength(1);
      expect(job.errors[0].reason).toMatch(/^boundary: boundary lies \d+ m² \(100\.0 %\) outside its parent$/);
    }
    expect(await unitByCode("350206001001901")).toBeUndefined();
    expect(await unitByCode("350206001001902")).toBeUndefined();
  });

  it("refuses two overlapping micro-grids of an import, naming each other and the shared area, and imports the rest", async () => {
    const rows = overlappingMicroGrids("350206002091", [119.2, 25.2]);
    const job = await importAndWait(toGeoJson(rows), "geojson", "partial");
    expect(job.status).toBe("succeeded");
    expect(job.result).toMatchObject({ created: 2, rejected: 2 });
    const reasons = Object.fromEntries(job.errors.map((e: any) => [e.line, e.reason]));
    expect(reasons[3]).toMatch(/^boundary: boundary overlaps sibling 35020600209100102 第2微网格 by \d+ m² \(50\.0 %\)$/);
    expect(reasons[4]).toMatch(/^boundary: boundary overlaps sibling 35020600209100101 第1微网格 by \d+ m² \(50\.0 %\)$/);
    // the overlap routes to the grid, never to one of the two at random
    const grid = await unitByCode("350206002091001");
    const found = await locateSettles(overlapPoint(rows), grid.id);
    expect(found.status).toBe(200);
    expect(found.body.unit.id).toBe(grid.id);
  });

  it("reports a file's topology before writing anything: the overlap and the gap with their areas and shapes, a duplicated code", async () => {
    const rows = overlappingMicroGrids("350206002095", [119.4, 25.2]);
    // a micro-grid without a boundary, entered twice by mistake (both lines refused, the others checked)
    const twice = { code: "35020600209500103", name: "重复编码的微网格", parentCode: "350206002095001", level: "micro_grid", type: "residential" };
    const withDuplicate = [...rows, twice, { ...twice }];
    const job = await importAndWait(toGeoJson(withDuplicate), "geojson", "check");
    expect(job.status).toBe("succeeded");
    expect(job.result).toMatchObject({ written: false, checked: true, rows: 6, topologyCount: 3 });
    const byId = Object.fromEntries(job.result.topology.map((f: any) => [f.id, f]));
    const [m1, m2, g] = ["35020600209500101", "35020600209500102", "350206002095001"];
    // the two micro-grids share a quarter of the 400 m × 400 m grid (≈ 40,000 m²), half of each
    expect(byId[`overlap:${m1}:${m2}`]).toMatchObject({ kind: "overlap", codes: expect.arrayContaining([m1]), share: 0.5, acceptable: true, highlight: { type: "MultiPolygon" } });
    expect(byId[`overlap:${m1}:${m2}`].areaM2).toBeGreaterThan(38_000);
    expect(byId[`overlap:${m1}:${m2}`].areaM2).toBeLessThan(42_000);
    // and leave its last quarter uncovered
    expect(byId[`gap:${g}`]).toMatchObject({ kind: "gap", codes: [g], lines: [2], share: 0.25, acceptable: true, highlight: { type: "MultiPolygon" } });
    expect(byId["duplicate:35020600209500103"]).toMatchObject({ kind: "duplicate_code", lines: [5, 6], acceptable: false });
    // the duplicated lines are also the job's line-numbered errors; nothing was written
    expect(job.errors.map((e: any) => e.line)).toEqual([5, 6]);
    expect(await unitByCode("350206002095")).toBeUndefined();
  });

  it("writes the rows whose findings the admin accepted, with their warnings, where the county refuses boundary problems", async () => {
    const rows = overlappingMicroGrids("350206002096", [119.5, 25.2]);
    const [m1, m2] = ["35020600209600101", "35020600209600102"];
    const refused = await importAndWait(toGeoJson(rows), "geojson", "all");
    expect(refused.status).toBe("failed");
    expect(refused.result).toMatchObject({ written: false, rejected: 2 });
    // an accept that names an id of the wrong form is a 400 naming the field
    const bad = await call("POST", "/v1/units/import?format=geojson&accept=drop-table", { token: admin, raw: toGeoJson(rows), headers: { "content-type": "application/geo+json" } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.fields[0].path).toMatch(/^accept/);
    const accepted = await importAndWait(toGeoJson(rows), "geojson", "all", `&accept=overlap:${m1}:${m2},gap:350206002096001`);
    expect(accepted.status).toBe("succeeded");
    expect(accepted.result).toMatchObject({ created: 4, rejected: 0, warningCount: 2 });
    const second = await unitByCode(m2);
    expect(second.boundaryWarnings).toEqual([expect.objectContaining({ kind: "overlaps_sibling", siblingCode: m1, share: 0.5 })]);
    const audit = await call("GET", `/v1/audit?entity=job&entityId=${accepted.id}`, { token: admin });
    expect(audit.body.items[0].summary).toContain(`2 topology findings accepted: overlap:${m1}:${m2}, gap:350206002096001`);
  });

  it("refuses a created or updated boundary over a sibling or outside the parent with the field, the sibling and the area", async () => {
    // a new grid of 金山社区 drawn over its first grid
    const [gx, gy] = centroid(grid1.boundary);
    const over = await call("POST", "/v1/units", { token: admin, body: { parentId: community.id, name: "重叠网格", code: "350206001001903", boundary: square(gx - 0.0005, gy - 0.0005, 0.001) } });
    expect(over.status).toBe(400);
    expect(over.body.error.details.fields[0]).toEqual({ path: "boundary", message: expect.stringMatching(/^boundary overlaps sibling 350206001001001 第1网格 by \d+ m² \(100\.0 %\)$/) });
    expect(over.body.error.details.problems[0]).toMatchObject({ kind: "overlaps_sibling", siblingId: grid1.id, siblingCode: "350206001001001", share: 1 });
    const [cx, cy] = centroid(community.boundary);
    const outside = await call("POST", "/v1/units", { token: admin, body: { parentId: community.id, name: "飞地网格", code: "350206001001904", boundary: square(cx + KM45_EAST, cy) } });
    expect(outside.status).toBe(400);
    expect(outside.body.error.details.problems).toEqual([expect.objectContaining({ kind: "outside_parent", share: 1 })]);

    // a unit without a boundary is fine; giving it one that overlaps is refused, one that fits is kept
    const bare = await call("POST", "/v1/units", { token: admin, body: { parentId: street2.id, name: "无边界社区", code: "350206002092" } });
    expect(bare.status).toBe(201);
    const patched = await call("PATCH", `/v1/units/${grid1.id}`, { token: admin, body: { version: grid1.version, boundary: square(cx + KM45_EAST, cy) } });
    expect(patched.status).toBe(400);
    expect(patched.body.error.details.fields.map((f: any) => f.path)).toEqual(["boundary"]);
    const renamed = await call("PATCH", `/v1/units/${grid1.id}`, { token: admin, body: { version: grid1.version, boundary: grid1.boundary, name: grid1.name } });
    expect(renamed.status).toBe(200);
    expect(renamed.body.boundaryWarnings).toBeUndefined();
  });

  it("refuses to move a unit under a parent its boundary lies outside of, and leaves it where it was", async () => {
    const current = (await call("GET", `/v1/units/${community.id}`, { token: admin })).body;
    const moved = await call("POST", `/v1/units/${community.id}/move`, { token: admin, body: { version: current.version, parentId: street2.id, code: "350206002093" } });
    expect(moved.status).toBe(400);
    expect(moved.body.error.details.fields.map((f: any) => f.path)).toEqual(["boundary"]);
    expect(moved.body.error.details.problems).toEqual([expect.objectContaining({ kind: "outside_parent" })]);
    const after = (await call("GET", `/v1/units/${community.id}`, { token: admin })).body;
    expect({ path: after.path, code: after.code, version: after.version }).toEqual({ path: current.path, code: current.code, version: current.version });
  });

  it("accepts them with recorded warnings where the county allows it, and locate still never routes there from outside", async () => {
    const s = (await call("GET", "/v1/settings", { token: admin })).body;
    const put = await call("PUT", "/v1/settings", { token: admin, body: { ...s, boundaryCheck: "warn" } });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    try {
      const [cx, cy] = centroid(community.boundary);
      const far = square(cx + KM45_EAST, cy);
      const made = await call("POST", "/v1/units", { token: admin, body: { parentId: community.id, name: "飞地网格", code: "350206001001905", boundary: far } });
      expect(made.status).toBe(201);
      expect(made.body.boundaryWarnings).toEqual([expect.objectContaining({ kind: "outside_parent", share: 1 })]);
      const audit = await call("GET", `/v1/audit?entity=unit&entityId=${made.body.id}`, { token: admin });
      expect(audit.body.items[0].summary).toMatch(/boundary warnings: boundary lies \d+ m² \(100\.0 %\) outside its parent/);

      const rows = overlappingMicroGrids("350206002093", [119.3, 25.2]);
      const job = await importAndWait(toCsv(rows), "csv");
      expect(job.status).toBe("succeeded");
      expect(job.result).toMatchObject({ created: 4, rejected: 0, warningCount: 2 });
      expect(job.result.warnings.map((w: any) => w.line)).toEqual([4, 5]); // CSV lines (the header is line 1)
      const second = await unitByCode("35020600209300102");
      expect(second.boundaryWarnings).toEqual([expect.objectContaining({ kind: "overlaps_sibling", siblingCode: "35020600209300101", share: 0.5 })]);
      // overlapping units of one depth: the lowest code wins, every time
      const first = await unitByCode("35020600209300101");
      expect((await locateSettles(overlapPoint(rows), first.id)).body.unit.id).toBe(first.id);
      for (let i = 0; i < 3; i++) expect((await locate(overlapPoint(rows))).body.unit.id).toBe(first.id);
      // the index now holds the grid drawn outside 金山社区: it is still not reached from out there
      expect((await locate(centroid(far as any))).status).toBe(404);

      // a move under a parent its boundary lies outside of goes ahead, with the problem recorded on the unit
      const before = (await call("GET", `/v1/units/${community.id}`, { token: admin })).body;
      const moved = await call("POST", `/v1/units/${community.id}/move`, { token: admin, body: { version: before.version, parentId: street2.id, code: "350206002094" } });
      expect(moved.status, JSON.stringify(moved.body)).toBe(200);
      expect(moved.body.unit.boundaryWarnings).toEqual([expect.objectContaining({ kind: "outside_parent" })]);
    } finally {
      const now = (await call("GET", "/v1/settings", { token: admin })).body;
      await call("PUT", "/v1/settings", { token: admin, body: { ...now, boundaryCheck: "refuse" } });
    }
  });
});
