import { describe, it, expect, beforeAll } from "vitest";
import proj4 from "proj4";
import { call } from "../../test/client.ts";
import { adminToken } from "../../test/fixtures.ts";
import { syntheticGrid } from "../../core/geo/synthetic.ts";
import { CGCS2000_GK_39, shapefileZip, type ShapeRow } from "../../test/shapefile-writer.ts";

/**
 * Shapefile imports over HTTP, as a county GIS office's file arrives: zipped, CGCS2000 3° Gauss–Krüger
 * zone 39, GBK attributes without a .cpg, its own attribute names. Units under a street of this
 * file's own (350206008, no boundary), far from the demo county's polygons.
 */
const STREET = "350206008";
let admin: string;

beforeAll(async () => {
  admin = await adminToken();
  const root = (await call("GET", "/v1/units?q=350206&limit=1", { token: admin })).body.items[0];
  const made = await call("POST", "/v1/units", { token: admin, body: { parentId: root.id, name: "图层导入测试街道", code: STREET, type: "street" } });
  expect(made.status).toBe(201);
});

/** A 600 m square (WGS84) at `origin`, and the same ring in Gauss–Krüger metres. */
function square(origin: [number, number]) {
  const wgs = syntheticGrid({ origin, cols: 1, rows: 1, cellMeters: 600 })[0].boundary.coordinates[0] as [number, number][];
  return { wgs, gk: wgs.map((xy) => proj4("WGS84", CGCS2000_GK_39).forward(xy) as [number, number]) };
}

const metres = (a: [number, number], b: [number, number]) => Math.hypot((a[0] - b[0]) * 111_320 * Math.cos((a[1] * Math.PI) / 180), (a[1] - b[1]) * 110_540);

async function upload(zip: Uint8Array): Promise<string> {
  const up = await call("POST", "/v1/units/import-uploads", { token: admin, body: { contentType: "application/zip", size: zip.byteLength } });
  expect(up.status, JSON.stringify(up.body)).toBe(201);
  const put = await fetch(up.body.uploadUrl, { method: "PUT", headers: up.body.headers, body: new Uint8Array(zip) });
  expect(put.ok).toBe(true);
  return up.body.uploadKey;
}

async function importJob(body: Record<string, unknown>): Promise<any> {
  const r = await call("POST", "/v1/units/import", { token: admin, body });
  expect(r.status, JSON.stringify(r.body)).toBe(202);
  const until = Date.now() + 60_000;
  while (Date.now() < until) {
    const j = await call("GET", `/v1/jobs/${r.body.jobId}`, { token: admin });
    if (j.body.status === "succeeded" || j.body.status === "failed") return j.body;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error("import did not finish");
}

const units = async (prefix: string) => (await call("GET", `/v1/units?q=${prefix}&limit=50`, { token: admin })).body.items as any[];

describe("Shapefile imports", () => {
  const a = square([118.74, 24.6]);
  const b = square([118.75, 24.6]);
  const rows: ShapeRow[] = [
    { attributes: { BianMa: `${STREET}001`, MingCheng: "滨海社区", ShangJi: STREET }, rings: [a.gk] },
    { attributes: { BianMa: `${STREET}002`, MingCheng: "五缘湾社区", ShangJi: STREET }, rings: [b.gk] },
  ];

  it("asks which attributes hold the code, name and parent when the file uses its own names", async () => {
    const key = await upload(shapefileZip(rows, { prj: CGCS2000_GK_39, encoding: "gbk" }));
    const job = await importJob({ uploadKey: key, format: "shapefile" });
    expect(job.status).toBe("failed");
    expect(job.errors[0]).toMatchObject({ line: 0, code: "unmapped_attributes", params: { missing: "code, name, parentCode" } });
    expect(await units(`${STREET}0`)).toEqual([]);
  });

  it("refuses a .prj in a projection it does not support, naming the projection (core/geo/projections.ts)", async () => {
    const oblique = CGCS2000_GK_39.replace('PROJECTION["Gauss_Kruger"]', 'PROJECTION["Hotine_Oblique_Mercator_Azimuth_Natural_Origin"],PARAMETER["Azimuth",30.0],PARAMETER["Longitude_Of_Center",117.0],PARAMETER["Latitude_Of_Center",24.0]');
    const key = await upload(shapefileZip(rows, { prj: oblique, encoding: "gbk" }));
    const job = await importJob({ uploadKey: key, format: "shapefile", fields: { code: "BianMa", name: "MingCheng", parentCode: "ShangJi" } });
    expect(job.status).toBe("failed");
    expect(job.errors[0]).toMatchObject({ line: 0, code: "unsupported_projection", params: { projection: "Hotine_Oblique_Mercator_Azimuth_Natural_Origin" } });
    expect(job.errors[0].reason).toContain("supported: Transverse Mercator / Gauss–Krüger");
    expect(await units(`${STREET}0`)).toEqual([]);
  });

  it("imports reprojected polygons with GBK names under the attributes it is told, and a re-import changes nothing", async () => {
    const zip = shapefileZip(rows, { prj: CGCS2000_GK_39, encoding: "gbk" });
    const fields = { code: "BianMa", name: "MingCheng", parentCode: "ShangJi" };
    const job = await importJob({ uploadKey: await upload(zip), format: "shapefile", fields });
    expect(job.status, JSON.stringify(job.errors)).toBe("succeeded");
    expect(job.result).toMatchObject({ created: 2, rejected: 0 });
    const made = await units(`${STREET}00`);
    expect(made.map((u) => [u.code, u.name]).sort()).toEqual([[`${STREET}001`, "滨海社区"], [`${STREET}002`, "五缘湾社区"]]);
    const ring = made.find((u) => u.code === `${STREET}001`).boundary.coordinates[0] as [number, number][];
    for (const corner of a.wgs) expect(Math.min(...ring.map((p) => metres(p, corner)))).toBeLessThan(0.05);
    const again = await importJob({ uploadKey: await upload(zip), format: "shapefile", fields });
    expect(again.result).toMatchObject({ created: 0, updated: 0, unchanged: 2 });
  });

  it("in partial mode imports the good records and names the bad one by its record number", async () => {
    const c = square([118.76, 24.6]);
    const zip = shapefileZip(
      [
        { attributes: { code: `${STREET}003`, name: "钟宅社区", parent_code: STREET }, rings: [c.gk] },
        { attributes: { code: "not-a-code", name: "坏记录", parent_code: STREET }, rings: [square([118.77, 24.6]).gk] },
      ],
      { prj: CGCS2000_GK_39, encoding: "gbk" },
    );
    const job = await importJob({ uploadKey: await upload(zip), format: "shapefile", mode: "partial" });
    expect(job.result).toMatchObject({ created: 1, rejected: 1 });
    expect(job.errors).toHaveLength(1);
    expect(job.errors[0].line).toBe(2);
    expect(job.errors[0].reason).toContain("code");
  });

  it("goes through the same boundary checks as GeoJSON and CSV: overlapping siblings and a grid 50 km outside its community are refused", async () => {
    // 滨海社区 (`${STREET}001`, square a) was imported above
    const zip = shapefileZip(
      [
        { attributes: { code: `${STREET}004`, name: "好社区", parent_code: STREET }, rings: [square([118.8, 24.6]).gk] },
        { attributes: { code: `${STREET}005`, name: "甲社区", parent_code: STREET }, rings: [square([118.82, 24.6]).gk] },
        { attributes: { code: `${STREET}006`, name: "乙社区", parent_code: STREET }, rings: [square([118.823, 24.6]).gk] },
        { attributes: { code: `${STREET}001001`, name: "远处网格", parent_code: `${STREET}001` }, rings: [square([119.24, 24.6]).gk] },
      ],
      { prj: CGCS2000_GK_39, encoding: "gbk" },
    );
    const job = await importJob({ uploadKey: await upload(zip), format: "shapefile", mode: "partial" });
    expect(job.status).toBe("succeeded");
    expect(job.result).toMatchObject({ created: 1, rejected: 3 });
    const reasons = Object.fromEntries(job.errors.map((e: any) => [e.line, e.reason]));
    expect(reasons[2]).toMatch(new RegExp(`^boundary: boundary overlaps sibling ${STREET}006 乙社区 by \\d+ m² \\(\\d+\\.\\d %\\)$`));
    expect(reasons[3]).toMatch(new RegExp(`^boundary: boundary overlaps sibling ${STREET}005 甲社区 by \\d+ m² \\(\\d+\\.\\d %\\)$`));
    expect(reasons[4]).toMatch(/^boundary: boundary lies \d+ m² \(100\.0 %\) outside its parent$/);
    expect((await units(`${STREET}00`)).map((u) => u.code).filter((c) => /00[456]$|001001$/.test(c))).toEqual([`${STREET}004`]);
  });

  it("refuses a Shapefile sent inline, pointing at the upload route", async () => {
    const zip = await call("POST", "/v1/units/import?format=shapefile", { token: admin, raw: "PK", headers: { "content-type": "application/zip" } });
    expect(zip.status).toBe(415);
    expect(zip.body.error.code).toBe("unsupported_media_type");
    const r = await call("POST", "/v1/units/import?format=shapefile", { token: admin, raw: "PK", headers: { "content-type": "text/csv" } });
    expect(r.status).toBe(400);
    expect(r.body.error.details.fields).toEqual([{ path: "format", message: "upload the zip first" }]);
    expect(r.body.error.message).toContain("/v1/units/import-uploads");
  });
});
