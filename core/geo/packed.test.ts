import { describe, expect, it } from "vitest";
import { buildLocator, seededRandom, syntheticCounty, bbox } from "./index.ts";
import { openPackedLocator, packLocator } from "./packed.ts";
import type { Boundary } from "./schema.ts";

describe("packed locate index", () => {
  const units = syntheticCounty();
  const blob = packLocator(units, 7, { note: "meta survives" });

  it("answers every point exactly like the index built from the boundaries (6,168 micro-grids)", () => {
    const built = buildLocator(units);
    const packed = openPackedLocator<{ note: string }>(blob);
    expect(packed.version).toBe(7);
    expect(packed.meta).toEqual({ note: "meta survives" });
    expect(packed.size).toBe(units.length);
    expect(units.filter((u) => u.level === "micro")).toHaveLength(6168);
    const [x0, y0, x1, y1] = bbox(units[0].boundary);
    const rnd = seededRandom(99);
    let found = 0;
    for (let i = 0; i < 2000; i++) {
      // a margin around the county, so points outside every unit are tested too
      const lng = x0 - 0.01 + rnd() * (x1 - x0 + 0.02);
      const lat = y0 - 0.01 + rnd() * (y1 - y0 + 0.02);
      const ids = packed.locate(lng, lat);
      expect(ids).toEqual(built.locate(lng, lat));
      if (ids.length) found++;
    }
    expect(found).toBeGreaterThan(1500);
    expect(found).toBeLessThan(2000);
  });

  it("opens a blob that is not 8-byte aligned (as a network read may hand it over)", () => {
    const shifted = new Uint8Array(blob.byteLength + 3);
    shifted.set(blob, 3);
    const packed = openPackedLocator(shifted.subarray(3));
    const [x0, y0, x1, y1] = bbox(units[0].boundary);
    const mid: [number, number] = [(x0 + x1) / 2, (y0 + y1) / 2];
    expect(packed.locate(...mid)).toEqual(buildLocator(units).locate(...mid));
  });

  it("knows which ids it holds, and keeps ids that are not ASCII", () => {
    const packed = openPackedLocator(blob);
    expect(units.every((u) => packed.has(u.id))).toBe(true);
    expect(packed.has("not-a-unit")).toBe(false);
    const [x0, y0, x1, y1] = bbox(units[0].boundary);
    const square: Boundary = { type: "Polygon", coordinates: [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]] };
    const named = openPackedLocator(packLocator([{ id: "湖里区·网格 1", depth: 3, boundary: square }], 2, { 区: "湖里" }));
    expect(named.meta).toEqual({ 区: "湖里" });
    expect(named.locate((x0 + x1) / 2, (y0 + y1) / 2)).toEqual(["湖里区·网格 1"]);
  });

  it("refuses a blob of format 1 (stored under another key, rebuilt) and a truncated blob", () => {
    const v1 = blob.slice();
    new DataView(v1.buffer).setUint32(4, 1, true);
    expect(() => openPackedLocator(v1)).toThrow(/not a packed locator \(format 2\)/);
    expect(() => openPackedLocator(blob.subarray(0, blob.byteLength - 8))).toThrow(/not a packed locator/);
  });

  it("refuses what is not a packed index, and packs an empty county", () => {
    expect(() => openPackedLocator(new TextEncoder().encode("not an index at all"))).toThrow(/not a packed locator/);
    const empty = openPackedLocator(packLocator([], 1, null));
    expect(empty.size).toBe(0);
    expect(empty.locate(120, 30)).toEqual([]);
  });
});
