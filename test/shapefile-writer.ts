/**
 * Zipped Shapefiles for tests, as a county GIS office would send them: polygons in any projected
 * or geographic system (the caller gives coordinates and the .prj text), attributes in GBK (no
 * .cpg, as ArcGIS writes them by default in China) or UTF-8 with a .cpg. Geometry through
 * @mapbox/shp-write's low-level writer; the .dbf is written here (that writer keeps only Latin-1).
 */
import { zipSync } from "fflate";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const shpwrite = require("@mapbox/shp-write") as { write: (rows: unknown[], type: string, geometries: unknown[], cb: (e: unknown, out: { shp: DataView; shx: DataView }) => void) => void };

let gbkTable: Map<string, number[]> | undefined;
/** GBK bytes of a string (table built once from the platform's GBK decoder). */
export function gbk(text: string): Uint8Array {
  if (!gbkTable) {
    gbkTable = new Map();
    const d = new TextDecoder("gbk");
    for (let a = 0x81; a <= 0xfe; a++) for (let b = 0x40; b <= 0xfe; b++) if (b !== 0x7f) gbkTable.set(d.decode(new Uint8Array([a, b])), [a, b]);
  }
  const out: number[] = [];
  for (const ch of text) {
    if (ch.charCodeAt(0) < 0x80) out.push(ch.charCodeAt(0));
    else {
      const bytes = gbkTable.get(ch);
      if (!bytes) throw new Error(`no GBK code for ${ch}`);
      out.push(...bytes);
    }
  }
  return new Uint8Array(out);
}

type Encoding = "gbk" | "utf-8";
const encode = (s: string, e: Encoding) => (e === "gbk" ? gbk(s) : new TextEncoder().encode(s));

/** A dBASE III file of character fields (width from the longest value). */
export function dbf(rows: Record<string, string | number>[], encoding: Encoding): Uint8Array {
  const names = Object.keys(rows[0] ?? {});
  const widths = names.map((n) => Math.max(1, ...rows.map((r) => encode(String(r[n] ?? ""), encoding).length)));
  const recordLength = 1 + widths.reduce((a, b) => a + b, 0);
  const headerLength = 32 + names.length * 32 + 1;
  const out = new Uint8Array(headerLength + rows.length * recordLength + 1);
  const view = new DataView(out.buffer);
  out[0] = 0x03;
  out[1] = 126;
  out[2] = 12;
  out[3] = 4;
  view.setUint32(4, rows.length, true);
  view.setUint16(8, headerLength, true);
  view.setUint16(10, recordLength, true);
  names.forEach((n, i) => {
    out.set(new TextEncoder().encode(n.slice(0, 10)), 32 + i * 32);
    out[32 + i * 32 + 11] = "C".charCodeAt(0);
    out[32 + i * 32 + 16] = widths[i];
  });
  out[headerLength - 1] = 0x0d;
  rows.forEach((r, j) => {
    let at = headerLength + j * recordLength;
    out[at++] = 0x20;
    names.forEach((n, i) => {
      const bytes = encode(String(r[n] ?? ""), encoding);
      out.fill(0x20, at, at + widths[i]);
      out.set(bytes, at);
      at += widths[i];
    });
  });
  out[out.length - 1] = 0x1a;
  return out;
}

export interface ShapeRow {
  attributes: Record<string, string | number>;
  /** polygon rings, outer first, in the file's coordinate system */
  rings: [number, number][][];
}

export function shapefileZip(rows: ShapeRow[], opts: { prj?: string; encoding: Encoding; cpg?: string; name?: string }): Uint8Array {
  let shp: DataView | undefined;
  let shx: DataView | undefined;
  shpwrite.write(
    rows.map((r) => r.attributes),
    "POLYGON",
    rows.map((r) => r.rings),
    (e, out) => {
      if (e) throw e;
      shp = out.shp;
      shx = out.shx;
    },
  );
  const name = opts.name ?? "grids";
  const bytes = (v: DataView) => new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  const files: Record<string, Uint8Array> = { [`${name}.shp`]: bytes(shp!), [`${name}.shx`]: bytes(shx!), [`${name}.dbf`]: dbf(rows.map((r) => r.attributes), opts.encoding) };
  if (opts.prj) files[`${name}.prj`] = new TextEncoder().encode(opts.prj);
  if (opts.cpg) files[`${name}.cpg`] = new TextEncoder().encode(opts.cpg);
  return zipSync(files);
}

/** CGCS2000 3° Gauss–Krüger zone 39 (central meridian 117°E, zone number in the false easting), as ArcGIS writes it. */
export const CGCS2000_GK_39 = `PROJCS["CGCS2000_3_Degree_GK_Zone_39",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",39500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",117.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]`;
/** CGCS2000 6° Gauss–Krüger zone 20 (central meridian 117°E). */
export const CGCS2000_GK6_20 = `PROJCS["CGCS2000_GK_Zone_20",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",20500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",117.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]`;
export const CGCS2000_GEOGRAPHIC = `GEOGCS["China Geodetic Coordinate System 2000",DATUM["China_2000",SPHEROID["CGCS2000",6378137,298.257222101]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]]`;
export const XIAN80_GK_117 = `PROJCS["Xian_1980_3_Degree_GK_CM_117E",GEOGCS["GCS_Xian_1980",DATUM["D_Xian_1980",SPHEROID["Xian_1980",6378140.0,298.257]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",117.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]`;
