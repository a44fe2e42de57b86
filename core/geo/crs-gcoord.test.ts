import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import vm from "node:vm";
import * as gcoordModule from "gcoord";
import type { CRSTypes } from "gcoord";
import { convert, CRS_NAMES, MAX_INVERSE_STEPS, type Crs } from "./crs.ts";

/**
 * core/geo/crs.ts's own GCJ-02 / BD-09 ↔ WGS84 transforms against gcoord 1.0.7 (a devDependency
 * for this test): the function it replaced — the China box checked first, then `gcoord.transform`
 * — run on the same points gives the same numbers (≤ 1e-7°; in fact bit for bit) in all six
 * directions: a grid over China's box, a dense grid over the county (厦门 湖里区), points outside
 * the box (passed through), and points along the box's edges, where gcoord's GCJ-02 → WGS84
 * iteration either ends as ours does or never ends (run in a vm with a time limit; ours then
 * answers the point as given after MAX_INVERSE_STEPS steps).
 */
type Gcoord = { transform(input: [number, number], from: CRSTypes, to: CRSTypes): unknown; WGS84: CRSTypes; GCJ02: CRSTypes; BD09: CRSTypes };
const loaded = (gcoordModule as unknown as { default?: Gcoord & { default?: Gcoord } }).default;
const gcoord: Gcoord = loaded?.transform ? loaded : (loaded?.default ?? (gcoordModule as unknown as Gcoord));
const LIB = { wgs84: gcoord.WGS84, gcj02: gcoord.GCJ02, bd09: gcoord.BD09 } as const;

const BOX = { west: 72.004, east: 137.8347, south: 0.8293, north: 55.8271 };
const inChinaBox = (lng: number, lat: number) => lng >= BOX.west && lng <= BOX.east && lat >= BOX.south && lat <= BOX.north;

/** The replaced core/geo/crs.ts convert, word for word: the box first, then gcoord. */
function viaGcoord(lng: number, lat: number, from: Crs, to: Crs): [number, number] {
  if (from === to || !inChinaBox(lng, lat)) return [lng, lat];
  const [x, y] = gcoord.transform([lng, lat], LIB[from], LIB[to]) as [number, number];
  return [x, y];
}

const PAIRS = CRS_NAMES.flatMap((from) => CRS_NAMES.filter((to) => to !== from).map((to) => [from, to] as const));

/** Largest difference over the points in every direction; also how many differ at all. */
function compare(points: Array<[number, number]>, pairs: ReadonlyArray<readonly [Crs, Crs]> = PAIRS) {
  let max = 0;
  let differing = 0;
  for (const [lng, lat] of points) {
    for (const [from, to] of pairs) {
      const ours = convert(lng, lat, from, to);
      const theirs = viaGcoord(lng, lat, from, to);
      const d = Math.max(Math.abs(ours[0] - theirs[0]), Math.abs(ours[1] - theirs[1]));
      if (!(d <= max)) max = d; // NaN counts as a difference
      if (ours[0] !== theirs[0] || ours[1] !== theirs[1]) differing++;
    }
  }
  return { max, differing, compared: points.length * pairs.length };
}

function grid(west: number, south: number, east: number, north: number, step: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let i = 0; west + i * step <= east; i++) for (let j = 0; south + j * step <= north; j++) out.push([west + i * step, south + j * step]);
  return out;
}

describe("GCJ-02 / BD-09 ↔ WGS84 without gcoord (core/geo/crs.ts)", () => {
  it("gives gcoord's numbers over China's box, 0.25° apart, in all six directions (inverse's iteration included)", () => {
    // 0.05° inside the box's edges (the edge band is the next test's)
    const points = grid(BOX.west + 0.05, BOX.south + 0.05, BOX.east - 0.05, BOX.north - 0.05, 0.25);
    expect(points.length).toBeGreaterThan(50_000);
    const r = compare(points);
    expect(r.max).toBeLessThanOrEqual(1e-7);
    expect(r.differing).toBe(0);
  });

  it("gives gcoord's numbers over the county (湖里区 and around), 0.002° apart (≈ 200 m), in all six directions", () => {
    const r = compare(grid(117.95, 24.35, 118.3, 24.65, 0.002));
    expect(r.compared).toBeGreaterThan(150_000);
    expect(r.max).toBeLessThanOrEqual(1e-7);
    expect(r.differing).toBe(0);
  });

  it("passes points outside the box through unchanged, as gcoord does for WGS84 ↔ GCJ-02", () => {
    const outside = grid(-180, -90, 180, 90, 3).filter(([lng, lat]) => !inChinaBox(lng, lat));
    outside.push([BOX.west - 1e-9, 30], [BOX.east + 1e-9, 30], [100, BOX.south - 1e-9], [100, BOX.north + 1e-9]);
    for (const [lng, lat] of outside) for (const [from, to] of PAIRS) expect(convert(lng, lat, from, to)).toEqual([lng, lat]);
    // gcoord's own pass-through (its GCJ-02 functions check the box themselves)
    for (const [lng, lat] of outside.slice(0, 500)) {
      expect(gcoord.transform([lng, lat], gcoord.WGS84, gcoord.GCJ02)).toEqual([lng, lat]);
      expect(gcoord.transform([lng, lat], gcoord.GCJ02, gcoord.WGS84)).toEqual([lng, lat]);
    }
    expect(compare(outside).differing).toBe(0);
  });

  it("along the box's edges: the same numbers wherever gcoord's inverse ends; where it never ends, ours stops and answers the point as given", () => {
    // gcoord in a vm, so that a call that never returns can be stopped
    const require = createRequire(import.meta.url);
    const file = join(dirname(require.resolve("gcoord")), "dist/gcoord.cjs.js");
    const context = vm.createContext({ module: { exports: {} }, Math, Object, Array, Number, isNaN, JSON, Error });
    vm.runInContext(readFileSync(file, "utf8"), context);
    const call = new vm.Script("out = module.exports.transform([x, y], from, to); out = [out[0], out[1]]");
    const boxed = (x: number, y: number, from: Crs, to: Crs, timeout: number): [number, number] | "never" => {
      Object.assign(context, { x, y, from: LIB[from], to: LIB[to] });
      try {
        call.runInContext(context, { timeout });
        return context.out as [number, number];
      } catch (e) {
        if ((e as { code?: string }).code === "ERR_SCRIPT_EXECUTION_TIMEOUT") return "never";
        throw e;
      }
    };

    const points: Array<[number, number]> = [];
    const offsets = [0, 1e-9, 0.001, 0.006, 0.02];
    for (let k = 1; k <= 3; k++) {
      const lat = BOX.south + ((BOX.north - BOX.south) * k) / 4;
      const lng = BOX.west + ((BOX.east - BOX.west) * k) / 4;
      for (const o of offsets) points.push([BOX.west + o, lat], [BOX.east - o, lat], [lng, BOX.south + o], [lng, BOX.north - o]);
    }
    for (const o of offsets) points.push([BOX.west + o, BOX.south + o], [BOX.east - o, BOX.north - o]);

    let ended = 0;
    let never = 0;
    for (const [x, y] of points) {
      for (const [from, to] of PAIRS) {
        const ours = convert(x, y, from, to);
        // ours stopped: the point as given (for BD-09, the GCJ-02 point its first step gives)
        const given = from === "bd09" && to === "wgs84" ? convert(x, y, "bd09", "gcj02") : [x, y];
        const stopped = (from === "gcj02" || from === "bd09") && to === "wgs84" && inChinaBox(...(given as [number, number])) && ours[0] === given[0] && ours[1] === given[1];
        let theirs = boxed(x, y, from, to, 300);
        if (theirs === "never" && !stopped) theirs = boxed(x, y, from, to, 5000); // a slow machine, not a loop: wait longer
        if (theirs === "never") {
          never++;
          expect(stopped, `${from}→${to} ${x},${y}`).toBe(true);
        } else {
          ended++;
          expect(ours, `${from}→${to} ${x},${y}`).toEqual(theirs);
        }
      }
    }
    // both cases are there: gcoord's loop is real (e.g. GCJ-02 72.004, 0.8293), and most edge points end as in the box
    expect(never).toBeGreaterThan(0);
    expect(ended).toBeGreaterThan(never);
    expect(MAX_INVERSE_STEPS).toBeGreaterThanOrEqual(10);
  }, 120_000);

  it("gcoord's inverse needs only a few steps where it ends: ours has room to spare before it stops", () => {
    // count gcoord's steps with its own forward transform: each step is one forward call
    let most = 0;
    for (const [lng, lat] of grid(BOX.west + 0.05, BOX.south + 0.05, BOX.east - 0.05, BOX.north - 0.05, 1)) {
      let [x, y] = [lng, lat];
      let steps = 0;
      for (let t = gcoord.transform([x, y], gcoord.WGS84, gcoord.GCJ02) as number[]; Math.abs(t[0] - lng) > 1e-6 || Math.abs(t[1] - lat) > 1e-6; steps++) {
        x -= t[0] - lng;
        y -= t[1] - lat;
        t = gcoord.transform([x, y], gcoord.WGS84, gcoord.GCJ02) as number[];
      }
      expect(gcoord.transform([lng, lat], gcoord.GCJ02, gcoord.WGS84)).toEqual([x, y]); // the same iteration as gcoord's
      most = Math.max(most, steps);
    }
    expect(most).toBeLessThanOrEqual(3);
    expect(most).toBeLessThan(MAX_INVERSE_STEPS);
  });
});
