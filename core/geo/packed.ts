/**
 * A prebuilt, packed point-location index: everything `buildLocator` computes, in one binary blob
 * that loads in O(1) work per entry (no boundary parsing, no R-tree build). Layout (little-endian):
 *
 *   "WGLX" | u32 format | u32 headerBytes | header JSON | pad to 8
 *   u32 treeBytes | pad to 8 | Flatbush data (its own serialized form, Flatbush.from)
 *   Float64 coordinates of every ring, entry by entry
 *
 * The header holds, per entry, its key (an index into `meta`), its depth and its ring sizes (in
 * vertices, per polygon); a boundary is rebuilt from the coordinates only for the R-tree's
 * candidates of a query, and kept.
 */
import Flatbush from "flatbush";
import { bbox, pointInBoundary } from "./measure.ts";
import type { Boundary } from "./schema.ts";
import type { Locator, LocatorEntry } from "./index-locate.ts";

const MAGIC = 0x584c4757; // "WGLX"
const FORMAT = 1;

interface Header<M> {
  version: number;
  /** per entry: [id, depth, rings per polygon (vertex counts)] */
  entries: Array<[string, number, number[][]]>;
  /** anything the caller keeps with the index (e.g. brief units), JSON */
  meta: M;
}

const pad8 = (n: number) => (n + 7) & ~7;

function polygons(b: Boundary): number[][][][] {
  return (b.type === "Polygon" ? [b.coordinates] : b.coordinates) as number[][][][];
}

/** Packs the entries (with their R-tree) and `meta` for tree version `version`. */
export function packLocator<M>(entries: readonly LocatorEntry[], version: number, meta: M): Uint8Array {
  const index = new Flatbush(Math.max(1, entries.length));
  for (const e of entries) {
    const [a, b, c, d] = bbox(e.boundary);
    index.add(a, b, c, d);
  }
  if (entries.length === 0) index.add(0, 0, 0, 0);
  index.finish();
  const header: Header<M> = {
    version,
    entries: entries.map((e) => [e.id, e.depth, polygons(e.boundary).map((rings) => rings.map((r) => r.length))]),
    meta,
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const coords: number[] = [];
  for (const e of entries) for (const rings of polygons(e.boundary)) for (const ring of rings) for (const p of ring) coords.push(p[0], p[1]);
  const tree = new Uint8Array(index.data as ArrayBuffer);
  const headStart = 12;
  const treeLenAt = pad8(headStart + json.length);
  const treeAt = treeLenAt + 8;
  const coordsAt = pad8(treeAt + tree.length);
  const out = new Uint8Array(coordsAt + coords.length * 8);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, FORMAT, true);
  view.setUint32(8, json.length, true);
  out.set(json, headStart);
  view.setUint32(treeLenAt, tree.length, true);
  out.set(tree, treeAt);
  new Float64Array(out.buffer, coordsAt, coords.length).set(coords);
  return out;
}

export interface PackedLocator<M> extends Locator {
  version: number;
  meta: M;
}

/** Opens a packed index (a copy is made only if `bytes` is not 8-byte aligned). */
export function openPackedLocator<M>(bytes: Uint8Array): PackedLocator<M> {
  if (bytes.byteOffset % 8 !== 0) bytes = bytes.slice();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== MAGIC || view.getUint32(4, true) !== FORMAT) throw new Error("not a packed locator (format 1)");
  const jsonLen = view.getUint32(8, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + jsonLen))) as Header<M>;
  const treeLenAt = pad8(12 + jsonLen);
  const treeLen = view.getUint32(treeLenAt, true);
  const treeAt = treeLenAt + 8;
  const coordsAt = pad8(treeAt + treeLen);
  const tree = Flatbush.from(bytes.buffer as ArrayBuffer, bytes.byteOffset + treeAt);
  const coords = new Float64Array(bytes.buffer, bytes.byteOffset + coordsAt, (bytes.byteLength - coordsAt) / 8);
  // where each entry's coordinates start (one pass over the ring sizes)
  const start = new Uint32Array(header.entries.length + 1);
  header.entries.forEach(([, , rings], i) => {
    let n = 0;
    for (const poly of rings) for (const len of poly) n += len;
    start[i + 1] = start[i] + n * 2;
  });
  const boundaries = new Map<number, Boundary>();
  const boundaryOf = (i: number): Boundary => {
    let b = boundaries.get(i);
    if (!b) {
      let k = start[i];
      const polys = header.entries[i][2].map((poly) =>
        poly.map((len) => {
          const ring: number[][] = new Array(len);
          for (let v = 0; v < len; v++, k += 2) ring[v] = [coords[k], coords[k + 1]];
          return ring;
        }),
      );
      b = { type: "MultiPolygon", coordinates: polys } as Boundary;
      boundaries.set(i, b);
    }
    return b;
  };
  const entries = header.entries;
  return {
    version: header.version,
    meta: header.meta,
    size: entries.length,
    locate(lng: number, lat: number): string[] {
      if (!Number.isFinite(lng) || !Number.isFinite(lat) || entries.length === 0) return [];
      const point = [lng, lat];
      const hits = tree.search(lng, lat, lng, lat, (i) => pointInBoundary(point, boundaryOf(i)));
      hits.sort((a, b) => entries[b][1] - entries[a][1] || a - b);
      return hits.map((i) => entries[i][0]);
    },
  };
}
