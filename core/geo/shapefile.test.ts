import { describe, it, expect } from "vitest";
import proj4 from "proj4";
import { zipSync } from "fflate";
import { readShapefileZip } from "./shapefile.ts";
import { CGCS2000_GEOGRAPHIC, CGCS2000_GK_39, CGCS2000_GK6_20, XIAN80_GK_117, shapefileZip } from "../../test/shapefile-writer.ts";
import { InvalidError } from "../errors.ts";

/** A small square in 湖里区 (WGS84) and the same square in a projected system. */
const square: [number, number][] = [[118.1, 24.48], [118.1, 24.49], [118.11, 24.49], [118.11, 24.48], [118.1, 24.48]];
const projected = (prj: string) => square.map((xy) => proj4("WGS84", prj).forward(xy) as [number, number]);
const metres = (a: [number, number], b: [number, number]) => Math.hypot((a[0] - b[0]) * 111_320 * Math.cos((a[1] * Math.PI) / 180), (a[1] - b[1]) * 110_540);
const ringOf = (f: { geometry: { coordinates: unknown } | null }) => (f.geometry!.coordinates as [number, number][][])[0];

async function problemOf(zip: Uint8Array): Promise<string | undefined> {
  try {
    await readShapefileZip(zip);
  } catch (e) {
    if (e instanceof InvalidError) return (e.details as { problem?: string }).problem;
    throw e;
  }
  return undefined;
}

describe("Shapefiles from the county's GIS office", () => {
  it("reprojects CGCS2000 3° and 6° Gauss–Krüger zones to WGS84 and reads GBK attributes without a .cpg", async () => {
    for (const prj of [CGCS2000_GK_39, CGCS2000_GK6_20]) {
      const zip = shapefileZip([{ attributes: { CODE: "350206001001001", NAME: "金山社区第1网格", PARENT: "350206001001" }, rings: [projected(prj)] }], { prj, encoding: "gbk" });
      const read = await readShapefileZip(zip);
      expect(read.encoding).toBe("gbk");
      expect(read.fields).toEqual(["CODE", "NAME", "PARENT"]);
      expect(read.features[0].properties).toEqual({ CODE: "350206001001001", NAME: "金山社区第1网格", PARENT: "350206001001" });
      const ring = ringOf(read.features[0]);
      // the writer may reverse the ring's direction (shapefile outer rings are clockwise): compare as sets of corners
      for (const corner of square) expect(Math.min(...ring.map((p) => metres(p, corner)))).toBeLessThan(0.05);
    }
  });

  it("takes geographic CGCS2000 as is and reads UTF-8 attributes named by the .cpg", async () => {
    const zip = shapefileZip([{ attributes: { code: "350206001", name: "湖里街道" }, rings: [square] }], { prj: CGCS2000_GEOGRAPHIC, encoding: "utf-8", cpg: "UTF-8" });
    const read = await readShapefileZip(zip);
    expect(read.encoding).toBe("utf-8");
    expect(read.crs).toContain("taken as WGS84");
    expect(read.features[0].properties.name).toBe("湖里街道");
    for (const corner of square) expect(Math.min(...ringOf(read.features[0]).map((p) => metres(p, corner)))).toBeLessThan(0.05);
  });

  it("reprojects Xi'an 1980 on its ellipsoid and says that no datum shift was applied", async () => {
    const zip = shapefileZip([{ attributes: { code: "350206002", name: "殿前街道" }, rings: [projected(XIAN80_GK_117)] }], { prj: XIAN80_GK_117, encoding: "gbk" });
    const read = await readShapefileZip(zip);
    expect(read.crs).toContain("without a datum shift");
    for (const corner of square) expect(Math.min(...ringOf(read.features[0]).map((p) => metres(p, corner)))).toBeLessThan(1);
  });

  it("refuses what is not one zipped layer, naming the problem", async () => {
    expect(await problemOf(new TextEncoder().encode("code,name\n1,a\n"))).toBe("not_zip");
    const one = shapefileZip([{ attributes: { code: "1" }, rings: [square] }], { encoding: "utf-8", name: "a" });
    const two = shapefileZip([{ attributes: { code: "1" }, rings: [square] }], { encoding: "utf-8", name: "b" });
    const { unzipSync } = await import("fflate");
    expect(await problemOf(zipSync({ ...unzipSync(one), ...unzipSync(two) }))).toBe("several_layers");
    const files = unzipSync(one);
    delete files["a.dbf"];
    expect(await problemOf(zipSync(files))).toBe("no_dbf");
    expect(await problemOf(zipSync({ "readme.txt": new TextEncoder().encode("hi") }))).toBe("no_shp");
  });
});
