/**
 * A prebuilt, packed point-location index: everything `buildLocator` computes, in one binary blob
 * that opens without per-entry work (no JSON of the entries, no boundary parsing, no R-tree build):
 * every section is a typed-array view on the blob. Layout (little-endian, sections 8-byte aligned):
 *
 *   "WGLX" | u32 format (2) | u32 entries | u32 polygons | u32 rings | u32 vertices | u32 idBytes | u32 headerBytes
 *   header JSON ({ version, meta }: small)
 *   ids: UTF-8, joined by "\n"
 *   Uint32 polygon start per entry (entries + 1) | Uint32 ring start per polygon (polygons + 1)
 *   Uint32 vertex start per ring (rings + 1)    | Uint16 depth per entry
 *   Flatbush data (its own serialized form, Flatbush.from)
 *   Float64 coordinates of every vertex (lng, lat)
 *
 * A boundary is rebuilt from the coordinates only for the R-tree's candidates of a query, and kept.
 * Opening a county of 6,168 micro-grids takes about a millisecond after the read (bench/locate.ts);
 * format 1 (a JSON header with every entry's ring sizes) spent tens of milliseconds in JSON.parse.
 */
import Flatbush from "flatbush";
import { bbox, pointInBoundary } from "./measure.ts";
import type { Boundary } from "./schema.ts";
import type { Locator, LocatorEntry } from "./index-locate.ts";

const MAGIC = 0x584c4757; // "WGLX"
/** Format of the blob; part of the stored object's key (core/unit/locate.ts), so a new format is rebuilt, not misread. */
export const PACKED_FORMAT = 2;
const FIXED = 32;

interface Header<M> {
  version: number;
  /** anything the caller keeps with the index, JSON */
  meta: M;
}

const pad8 = (n: number) => (n + 7) & ~7;

function polygons(b: Boundary): number[][][][] {
  return (b.type === "Polygon" ? [b.coordinates] : b.coordinates) as number[][][][];
}

/** Byte offsets of the sections, from the counts in the fixed header. */
function layout(entries: number, polys: number, rings: number, vertices: number, idBytes: number, headerBytes: number, treeBytes?: number) {
  const header = FIXED;
  const ids = pad8(header + headerBytes);
  const polyStart = pad8(ids + idBytes);
  const ringStart = polyStart + (entries + 1) * 4;
  const vertexStart = ringStart + (polys + 1) * 4;
  const depth = vertexStart + (rings + 1) * 4;
  const treeLen = pad8(depth + entries * 2);
  const tree = treeLen + 8;
  const coords = treeBytes === undefined ? -1 : pad8(tree + treeBytes);
  return { header, ids, polyStart, ringStart, vertexStart, depth, treeLen, tree, coords, end: coords + vertices * 16 };
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
  const enc = new TextEncoder();
  const headerJson = enc.encode(JSON.stringify({ version, meta } satisfies Header<M>));
  const ids = enc.encode(entries.map((e) => e.id).join("\n"));
  const polyStart: number[] = [0];
  const ringStart: number[] = [0];
  const vertexStart: number[] = [0];
  const coords: number[] = [];
  for (const e of entries) {
    for (const rings of polygons(e.boundary)) {
      for (const ring of rings) {
        for (const p of ring) coords.push(p[0], p[1]);
        vertexStart.push(coords.length / 2);
      }
      ringStart.push(vertexStart.length - 1);
    }
    polyStart.push(ringStart.length - 1);
  }
  const tree = new Uint8Array(index.data as ArrayBuffer);
  const n = entries.length;
  const P = ringStart.length - 1;
  const R = vertexStart.length - 1;
  const V = coords.length / 2;
  const at = layout(n, P, R, V, ids.length, headerJson.length, tree.length);
  const out = new Uint8Array(at.end);
  const view = new DataView(out.buffer);
  [MAGIC, PACKED_FORMAT, n, P, R, V, ids.length, headerJson.length].forEach((v, i) => view.setUint32(i * 4, v, true));
  out.set(headerJson, at.header);
  out.set(ids, at.ids);
  new Uint32Array(out.buffer, at.polyStart, n + 1).set(polyStart);
  new Uint32Array(out.buffer, at.ringStart, P + 1).set(ringStart);
  new Uint32Array(out.buffer, at.vertexStart, R + 1).set(vertexStart);
  new Uint16Array(out.buffer, at.depth, n).set(entries.map((e) => e.depth));
  view.setUint32(at.treeLen, tree.length, true);
  out.set(tree, at.tree);
  new Float64Array(out.buffer, at.coords, V * 2).set(coords);
  return out;
}

export interface PackedLocator<M> extends Locator {
  version: number;
  meta: M;
  /** whether the index holds an entry with this id */
  has(id: string): boolean;
}

/** Opens a packed index (a copy is made only if `bytes` is not 8-byte aligned). */
export function openPackedLocator<M>(bytes: Uint8Array): PackedLocator<M> {
  if (bytes.byteOffset % 8 !== 0) bytes = bytes.slice();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < FIXED || view.getUint32(0, true) !== MAGIC || view.getUint32(4, true) !== PACKED_FORMAT) {
    throw new Error(`not a packed locator (format ${PACKED_FORMAT})`);
  }
  const [n, P, R, V, idBytes, headerBytes] = [8, 12, 16, 20, 24, 28].map((o) => view.getUint32(o, true));
  const dec = new TextDecoder();
  const base = bytes.byteOffset;
  const at0 = layout(n, P, R, V, idBytes, headerBytes);
  const treeBytes = view.getUint32(at0.treeLen, true);
  const at = layout(n, P, R, V, idBytes, headerBytes, treeBytes);
  if (at.end !== bytes.byteLength) throw new Error(`not a packed locator (format ${PACKED_FORMAT}): ${bytes.byteLength} bytes, expected ${at.end}`);
  const header = JSON.parse(dec.decode(bytes.subarray(at.header, at.header + headerBytes))) as Header<M>;
  const ids = n ? dec.decode(bytes.subarray(at.ids, at.ids + idBytes)).split("\n") : [];
  const polyStart = new Uint32Array(bytes.buffer, base + at.polyStart, n + 1);
  const ringStart = new Uint32Array(bytes.buffer, base + at.ringStart, P + 1);
  const vertexStart = new Uint32Array(bytes.buffer, base + at.vertexStart, R + 1);
  const depth = new Uint16Array(bytes.buffer, base + at.depth, n);
  const tree = Flatbush.from(bytes.buffer as ArrayBuffer, base + at.tree);
  const coords = new Float64Array(bytes.buffer, base + at.coords, V * 2);
  const boundaries = new Map<number, Boundary>();
  const boundaryOf = (i: number): Boundary => {
    let b = boundaries.get(i);
    if (!b) {
      const polys: number[][][][] = [];
      for (let p = polyStart[i]; p < polyStart[i + 1]; p++) {
        const rings: number[][][] = [];
        for (let r = ringStart[p]; r < ringStart[p + 1]; r++) {
          const ring: number[][] = [];
          for (let v = vertexStart[r]; v < vertexStart[r + 1]; v++) ring.push([coords[2 * v], coords[2 * v + 1]]);
          rings.push(ring);
        }
        polys.push(rings);
      }
      b = { type: "MultiPolygon", coordinates: polys } as Boundary;
      boundaries.set(i, b);
    }
    return b;
  };
  let known: Set<string> | undefined;
  return {
    version: header.version,
    meta: header.meta,
    size: n,
    has: (id: string) => (known ??= new Set(ids)).has(id),
    locate(lng: number, lat: number): string[] {
      if (!Number.isFinite(lng) || !Number.isFinite(lat) || n === 0) return [];
      const point = [lng, lat];
      const hits = tree.search(lng, lat, lng, lat, (i) => pointInBoundary(point, boundaryOf(i)));
      hits.sort((a, b) => depth[b] - depth[a] || a - b);
      return hits.map((i) => ids[i]);
    },
  };
}
