import { build } from "esbuild";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import proj4 from "proj4";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { transformOf } from "../../core/geo/shapefile.ts";
import { ADDED_PROJECTIONS, PROJECTIONS } from "../../core/geo/projections.ts";
import { lambdaEsbuild } from "../esbuild.ts";

/*
 * proj4 as the deployed bundles carry it (stacks/esbuild.ts: only the projections of
 * core/geo/projections.ts, no mgrs) against the whole package that Node loads (`npm start`, tests):
 * the same points for every supported projection, and the same refusal of the others.
 */
type Proj4 = typeof proj4;
type TransformOf = typeof transformOf;
const root = fileURLToPath(new URL("../..", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "wangge-proj4-"));
let lean: { proj4: Proj4; transformOf: TransformOf };

beforeAll(async () => {
  const out = join(dir, "lean.mjs");
  const r = await build({
    stdin: { contents: `export { default as proj4 } from "proj4"; export { transformOf } from "./core/geo/shapefile.ts";`, resolveDir: root, loader: "ts" },
    outfile: out,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "esnext",
    mainFields: ["module", "main"],
    metafile: true,
    logLevel: "silent",
    ...lambdaEsbuild,
  });
  const inputs = Object.keys(r.metafile.inputs);
  lean = await import(pathToFileURL(out).href);
  // what is bundled: proj4's lib (not its dist), the five added projections and no others, no mgrs package
  expect(inputs.some((i) => i.includes("node_modules/proj4/lib/index.js"))).toBe(true);
  const projs = inputs.filter((i) => /node_modules\/proj4\/lib\/projections\//.test(i)).map((i) => i.split("/").pop()!.replace(/\.js$/, "")).sort();
  expect(projs).toEqual([...ADDED_PROJECTIONS, "longlat", "merc"].sort());
  expect(inputs.filter((i) => i.includes("node_modules/mgrs/"))).toEqual([]);
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const GEOG = `GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]`;
const projcs = (name: string, projection: string, params: Record<string, number>) =>
  `PROJCS["${name}",${GEOG},PROJECTION["${projection}"],${Object.entries(params).map(([k, v]) => `PARAMETER["${k}",${v}]`).join(",")},UNIT["Meter",1.0]]`;

/** A definition in each supported projection (the .prj WKT a Chinese boundary file carries, or proj4's string), around its area. */
const CASES: Array<{ proj: (typeof PROJECTIONS)[number]["proj"]; def: string; lon: [number, number]; lat: [number, number] }> = [
  { proj: "etmerc", def: projcs("CGCS2000_3_Degree_GK_CM_117E", "Gauss_Kruger", { False_Easting: 500000, False_Northing: 0, Central_Meridian: 117, Scale_Factor: 1, Latitude_Of_Origin: 0 }), lon: [115.5, 118.5], lat: [22, 45] },
  { proj: "etmerc", def: `PROJCS["Xian 1980 / 3-degree Gauss-Kruger zone 39",GEOGCS["Xian 1980",DATUM["Xian_1980",SPHEROID["IAG 1975",6378140,298.257]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",117],PARAMETER["scale_factor",1],PARAMETER["false_easting",39500000],PARAMETER["false_northing",0],UNIT["metre",1]]`, lon: [115.5, 118.5], lat: [22, 45] },
  { proj: "tmerc", def: projcs("CGCS2000_GK_CM_105E_fast", "Fast_Transverse_Mercator", { False_Easting: 500000, False_Northing: 0, Central_Meridian: 105, Scale_Factor: 1, Latitude_Of_Origin: 0 }), lon: [102, 108], lat: [22, 45] },
  { proj: "utm", def: "+proj=utm +zone=50 +ellps=WGS84 +datum=WGS84 +units=m +no_defs", lon: [114, 120], lat: [22, 45] },
  { proj: "lcc", def: projcs("Asia_Lambert_Conformal_Conic", "Lambert_Conformal_Conic", { False_Easting: 0, False_Northing: 0, Central_Meridian: 105, Standard_Parallel_1: 30, Standard_Parallel_2: 62, Latitude_Of_Origin: 0 }), lon: [75, 134], lat: [18, 53] },
  { proj: "aea", def: projcs("China_Albers_Equal_Area", "Albers", { False_Easting: 0, False_Northing: 0, Central_Meridian: 105, Standard_Parallel_1: 25, Standard_Parallel_2: 47, Latitude_Of_Origin: 0 }), lon: [75, 134], lat: [18, 53] },
  { proj: "merc", def: projcs("WGS_1984_Web_Mercator_Auxiliary_Sphere", "Mercator_Auxiliary_Sphere", { False_Easting: 0, False_Northing: 0, Central_Meridian: 0, Standard_Parallel_1: 0, Auxiliary_Sphere_Type: 0 }), lon: [75, 134], lat: [18, 53] },
  { proj: "longlat", def: `GEOGCS["GCS_Beijing_1954",DATUM["D_Beijing_1954",SPHEROID["Krasovsky_1940",6378245.0,298.3]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]`, lon: [75, 134], lat: [18, 53] },
];

/** A 7 × 7 grid over the area. */
const grid = (lon: [number, number], lat: [number, number]) =>
  Array.from({ length: 49 }, (_, i) => [lon[0] + ((lon[1] - lon[0]) * (i % 7)) / 6, lat[0] + ((lat[1] - lat[0]) * Math.floor(i / 7)) / 6] as [number, number]);

describe("proj4 in the deployed bundles", () => {
  it("covers every supported projection with a case", () => {
    expect(new Set(CASES.map((c) => c.proj))).toEqual(new Set(PROJECTIONS.map((p) => p.proj)));
  });

  it.each(CASES.map((c) => [`${c.proj}: ${c.def.slice(0, 48)}`, c] as const))("%s: the same points as the whole proj4, both ways (≤ 1e-9)", (_, c) => {
    const full = proj4(c.def, "WGS84");
    const part = lean.proj4(c.def, "WGS84");
    const used = new lean.proj4.Proj(c.def);
    expect(used.names).toContain(PROJECTIONS.find((p) => p.proj === c.proj)!.id);
    let worst = 0;
    for (const ll of grid(c.lon, c.lat)) {
      const xy = full.inverse(ll) as [number, number];
      const xy2 = part.inverse(ll) as [number, number];
      const back = full.forward(xy) as [number, number];
      const back2 = part.forward(xy) as [number, number];
      for (const [a, b] of [[xy, xy2], [back, back2]] as const) worst = Math.max(worst, Math.abs(a[0] - b[0]), Math.abs(a[1] - b[1]));
      expect(Math.abs(back[0] - ll[0]) + Math.abs(back[1] - ll[1])).toBeLessThan(1e-6); // a real round trip, not NaN
    }
    expect(worst).toBeLessThanOrEqual(1e-9);
  });

  it.each(CASES.filter((c) => c.def.startsWith("PROJCS") || c.def.startsWith("GEOGCS")).map((c) => [c.proj, c] as const))("%s .prj: the Shapefile transform is the same in the bundle as in Node", async (_, c) => {
    const node = await transformOf(c.def);
    const bundled = await lean.transformOf(c.def);
    expect(bundled.crs).toBe(node.crs);
    const ll = grid(c.lon, c.lat)[24];
    const xy = proj4(c.def, "WGS84").inverse(ll) as [number, number];
    const a = node.transform!(xy);
    const b = bundled.transform!(xy);
    expect(Math.abs(a[0] - b[0]) + Math.abs(a[1] - b[1])).toBeLessThanOrEqual(1e-9);
  });

  const OTHERS = [
    ["Hotine_Oblique_Mercator", projcs("Hong_Kong_oblique", "Hotine_Oblique_Mercator_Azimuth_Natural_Origin", { False_Easting: 0, False_Northing: 0, Scale_Factor: 1, Azimuth: 30, Longitude_Of_Center: 114, Latitude_Of_Center: 22 })],
    ["Cassini_Soldner", projcs("Cassini_local", "Cassini_Soldner", { False_Easting: 0, False_Northing: 0, Central_Meridian: 114, Latitude_Of_Origin: 22 })],
    ["Lambert_Azimuthal_Equal_Area", projcs("Asia_LAEA", "Lambert_Azimuthal_Equal_Area", { False_Easting: 0, False_Northing: 0, Central_Meridian: 105, Latitude_Of_Origin: 35 })],
    ["Polyconic", projcs("Polyconic_China", "Polyconic", { False_Easting: 0, False_Northing: 0, Central_Meridian: 105, Latitude_Of_Origin: 0 })],
  ] as const;

  it.each(OTHERS)("%s is refused alike in the bundle and in Node, naming the projection", async (projection, def) => {
    for (const t of [transformOf, lean.transformOf]) {
      const e = await t(def).then(() => undefined, (x: unknown) => x as { status: number; code: string; message: string; details: unknown });
      // an InvalidError: 400 {error: {code: "invalid", details}} wherever it reaches a response; a unit import job's file error
      expect(e).toMatchObject({ status: 400, code: "invalid", details: { problem: "unsupported_projection", projection: expect.stringContaining(projection.split("_")[0]) } });
      expect(e?.message).toContain("is not supported; supported: Transverse Mercator / Gauss–Krüger");
    }
    // the whole proj4 knows it (so Node refuses by our check, not by lacking the code), the bundle does not
    expect(() => proj4(def, "WGS84")).not.toThrow();
    expect(() => lean.proj4(def, "WGS84")).toThrow();
  });

  it("has no MGRS in the bundle", () => {
    expect(() => lean.proj4.mgrs.forward([117, 32])).toThrow(/not bundled/);
  });
});
