/**
 * Shapefiles as county GIS offices hand them over: a zip of `.shp` `.dbf` `.prj` (`.cpg`, `.shx`),
 * attribute text in GBK or UTF-8, coordinates in CGCS2000 (geographic, or a 3°/6° Gauss–Krüger
 * zone), sometimes the legacy Xi'an 1980 or Beijing 1954. Read into WGS84 GeoJSON features
 * (CGCS2000 and WGS84 agree within centimetres, so geographic CGCS2000 is taken as is).
 *
 * Libraries: node:zlib (core/unzip.ts), shapefile (.shp/.dbf), proj4 (the projection named by the .prj's WKT; only
 * the projections of core/geo/projections.ts, others refused with `unsupported_projection`).
 * Xi'an 1980 and Beijing 1954 are reprojected on their own ellipsoids without a datum shift (the
 * seven parameters are local and not published): expect tens of metres of offset; docs/setup.md.
 */
import { unzip } from "../unzip.ts";
import { InvalidError } from "../errors.ts";
import { isSupportedProjection, SUPPORTED_PROJECTIONS_TEXT, wktProjectionName } from "./projections.ts";

export interface ShapeFeature {
  /** 1-based number of the record in the .dbf */
  record: number;
  properties: Record<string, unknown>;
  geometry: { type: string; coordinates: unknown } | null;
}

export interface ShapefileRead {
  features: ShapeFeature[];
  /** the .dbf's attribute names, in file order */
  fields: string[];
  /** what the .prj says, in words (for the import report) */
  crs: string;
  encoding: string;
}

/** Uncompressed size above which a zip is refused (a zip bomb, or not a county's boundaries). */
export const MAX_UNZIPPED_BYTES = 512 * 1024 * 1024;

const bad = (message: string, problem: string) => new InvalidError(message, { problem });

/** The layer's files from the zip: one .shp with its .dbf (and .prj, .cpg) of the same base name. */
export function layerFiles(zip: Uint8Array): { shp: Uint8Array; dbf: Uint8Array; prj?: string; cpg?: string; name: string } {
  let files: Record<string, Uint8Array>;
  try {
    files = unzip(zip, {
      maxExpanded: MAX_UNZIPPED_BYTES,
      tooLarge: () => bad(`The zip unpacks to more than ${MAX_UNZIPPED_BYTES / 1024 / 1024} MiB`, "zip_too_large"),
      keep: (name) => /\.(shp|dbf|prj|cpg)$/i.test(name) && !name.split("/").pop()!.startsWith("."),
    });
  } catch (e) {
    if (e instanceof InvalidError) throw e;
    throw bad("The file is not a zip archive (zip the .shp, .dbf, .prj and .cpg files together)", "not_zip");
  }
  const shps = Object.keys(files).filter((n) => /\.shp$/i.test(n));
  if (shps.length === 0) throw bad("The zip holds no .shp file", "no_shp");
  if (shps.length > 1) throw bad(`The zip holds ${shps.length} layers (${shps.join(", ")}): import one layer per zip`, "several_layers");
  const base = shps[0].slice(0, -4);
  const sibling = (ext: string) => Object.keys(files).find((n) => n.slice(0, -4) === base && n.slice(-4).toLowerCase() === ext);
  const dbf = sibling(".dbf");
  if (!dbf) throw bad(`The zip has ${shps[0]} but no ${base}.dbf (the attributes)`, "no_dbf");
  const text = (n: string | undefined) => (n ? new TextDecoder("utf-8").decode(files[n]).trim() : undefined);
  return { shp: files[shps[0]], dbf: files[dbf], prj: text(sibling(".prj")), cpg: text(sibling(".cpg")), name: base.split("/").pop()! };
}

/** The attribute text encoding: the .cpg's, else UTF-8 when the .dbf's text is valid UTF-8, else GBK. */
export function dbfEncoding(dbf: Uint8Array, cpg: string | undefined): string {
  const named = cpg?.trim().toLowerCase();
  if (named) {
    if (/^(utf-?8|65001)$/.test(named)) return "utf-8";
    if (/^(gbk|gb2312|gb18030|cp936|936|ansi 936)$/.test(named)) return "gbk";
    try {
      new TextDecoder(named);
      return named;
    } catch {
      throw bad(`The .cpg names an encoding this server cannot read: ${cpg}`, "bad_cpg");
    }
  }
  const headerLength = dbf[8] | (dbf[9] << 8);
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(dbf.subarray(headerLength));
    return "utf-8";
  } catch {
    return "gbk";
  }
}

type Transform = ((xy: [number, number]) => [number, number]) | undefined;

/** The transform to WGS84 from the .prj (undefined: geographic WGS84/CGCS2000, no change). */
export async function transformOf(prj: string | undefined): Promise<{ transform: Transform; crs: string }> {
  if (!prj) return { transform: undefined, crs: "no .prj: coordinates taken as longitude/latitude (CGCS2000/WGS84)" };
  const name = /^\s*(PROJCS|GEOGCS|PROJCRS|GEOGCRS|GEODCRS)\s*\[\s*"([^"]*)"/i.exec(prj);
  if (!name) throw bad("The .prj is not a coordinate system in WKT", "bad_prj");
  const geographic = /^GEOG|^GEOD/i.test(name[1]);
  const datum = /DATUM\s*\[\s*"([^"]*)"/i.exec(prj)?.[1] ?? "";
  const modern = /2000|WGS.?84|China_2000|CGCS/i.test(datum);
  if (geographic && modern) return { transform: undefined, crs: `${name[2]} (geographic, taken as WGS84)` };
  const { default: proj4 } = await import("proj4");
  // the projection first, checked against the supported ones (core/geo/projections.ts): the deployed
  // bundles hold only those, `npm start` the whole proj4, and both refuse the others alike
  const method = wktProjectionName(prj);
  const unsupported = () =>
    new InvalidError(`The .prj's projection ${method ?? name[2]} is not supported; supported: ${SUPPORTED_PROJECTIONS_TEXT}`, { problem: "unsupported_projection", projection: method ?? name[2] });
  let source: InstanceType<typeof proj4.Proj>;
  try {
    source = new proj4.Proj(prj);
  } catch (e) {
    const message = typeof e === "string" ? e : (e as Error).message;
    if (/^Could not get projection name/.test(message)) throw unsupported();
    throw bad(`The .prj's coordinate system is not supported: ${message.slice(0, 200)}`, "bad_prj");
  }
  if (!isSupportedProjection(source.names as unknown as string[])) throw unsupported();
  let converter: { forward: (xy: [number, number]) => [number, number] };
  try {
    converter = proj4(source, proj4.WGS84) as unknown as typeof converter;
  } catch (e) {
    throw bad(`The .prj's coordinate system is not supported: ${typeof e === "string" ? e : (e as Error).message}`, "bad_prj");
  }
  const legacy = /xian|xi'an|beijing|1954|1980/i.test(datum) && !modern;
  return {
    transform: (xy) => converter.forward(xy),
    crs: `${name[2]}${legacy ? " (legacy datum: reprojected on its ellipsoid without a datum shift)" : ""}`,
  };
}

function mapCoords(c: unknown, f: (xy: [number, number]) => [number, number]): unknown {
  if (Array.isArray(c) && typeof c[0] === "number") return f([c[0] as number, c[1] as number]);
  return (c as unknown[]).map((x) => mapCoords(x, f));
}

const round = (xy: [number, number]): [number, number] => [Math.round(xy[0] * 1e7) / 1e7, Math.round(xy[1] * 1e7) / 1e7];

/** Read a zipped Shapefile into WGS84 features with their attributes. */
export async function readShapefileZip(zip: Uint8Array): Promise<ShapefileRead> {
  const files = layerFiles(zip);
  const encoding = dbfEncoding(files.dbf, files.cpg);
  const { transform, crs } = await transformOf(files.prj);
  const shapefile = await import("shapefile");
  const source = await shapefile.open(toArrayBuffer(files.shp), toArrayBuffer(files.dbf), { encoding });
  const features: ShapeFeature[] = [];
  const fields = dbfFields(files.dbf, encoding);
  for (let record = 1; ; record++) {
    const next = await source.read();
    if (next.done) break;
    const f = next.value as { properties: Record<string, unknown>; geometry: { type: string; coordinates: unknown } | null };
    const geometry = f.geometry ? { type: f.geometry.type, coordinates: mapCoords(f.geometry.coordinates, (xy) => round(transform ? transform(xy) : xy)) } : null;
    features.push({ record, properties: trimStrings(f.properties), geometry });
  }
  return { features, fields, crs, encoding };
}

const toArrayBuffer = (b: Uint8Array): ArrayBuffer => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;

const trimStrings = (p: Record<string, unknown>) => Object.fromEntries(Object.entries(p ?? {}).map(([k, v]) => [k, typeof v === "string" ? v.trim() : v]));

/** The attribute names of a .dbf header (32-byte field descriptors up to 0x0D). */
export function dbfFields(dbf: Uint8Array, encoding: string): string[] {
  const out: string[] = [];
  const decoder = new TextDecoder(encoding);
  for (let at = 32; at + 32 <= dbf.length && dbf[at] !== 0x0d; at += 32) {
    const raw = dbf.subarray(at, at + 11);
    const end = raw.indexOf(0);
    out.push(decoder.decode(end < 0 ? raw : raw.subarray(0, end)).trim());
  }
  return out;
}
