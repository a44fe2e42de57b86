import { describe, expect, it } from "vitest";
import { convert, fromWgs84, PointInput, pointInput, pointQueryFields, toWgs84, type Crs } from "./crs.ts";
import { distanceMeters } from "./measure.ts";
import { parse } from "../validate.ts";
import * as z from "zod";

/**
 * Published reference pairs. WGS84 ↔ GCJ-02: the test vectors of googollee/eviltransform
 * (Shanghai, Shenzhen, Beijing), also used by its PHP/Python ports (exact GCJ-02 both ways; its
 * BD-09 vectors are not used: they come from its one-step approximate inverse, tens of metres off).
 * WGS84 → BD-09 and GCJ-02 → WGS84: gcoord's README; GCJ-02 → BD-09: gcoord's unit test.
 */
const WGS_GCJ: Array<[string, [number, number], [number, number]]> = [
  ["Shanghai", [121.5272106, 31.1774276], [121.531541859215, 31.17530398364597]],
  ["Shenzhen", [113.912316, 22.543847], [113.9171764808363, 22.540796131694766]],
  ["Beijing", [116.377817, 39.911954], [116.38404722455657, 39.91334545536069]],
];

const metres = (a: [number, number], b: [number, number]) => distanceMeters(a, b);

describe("coordinate systems (gcoord)", () => {
  it.each(WGS_GCJ)("shifts %s from WGS84 to GCJ-02 as published, within 1 m", (_name, wgs, gcj) => {
    expect(metres(fromWgs84(...wgs, "gcj02"), gcj)).toBeLessThan(1);
    expect(metres(toWgs84(...gcj, "gcj02"), wgs)).toBeLessThan(1);
  });

  it("converts GCJ-02 to BD-09 as gcoord publishes", () => {
    expect(metres(convert(123, 45, "gcj02", "bd09"), [123.00636499, 45.00636899])).toBeLessThan(0.01);
  });

  it("matches gcoord's own published examples (WGS84 → BD-09, GCJ-02 → WGS84)", () => {
    expect(metres(fromWgs84(116.403988, 39.914266, "bd09"), [116.41661560068297, 39.92196580126834])).toBeLessThan(0.01);
    expect(metres(toWgs84(123, 45, "gcj02"), [122.99395597, 44.99804071])).toBeLessThan(0.01);
  });

  it("the shift inside China is hundreds of metres (a wrong system lands in the wrong grid)", () => {
    for (const [, wgs, gcj] of WGS_GCJ) expect(metres(wgs, gcj)).toBeGreaterThan(300);
  });

  it("round-trips points across China through every system with less than 1 m error", () => {
    const systems: Crs[] = ["gcj02", "bd09"];
    for (let lng = 74; lng <= 134; lng += 2.5) {
      for (let lat = 18; lat <= 53; lat += 2.5) {
        for (const crs of systems) {
          const there = fromWgs84(lng, lat, crs);
          expect(metres(toWgs84(...there, crs), [lng, lat])).toBeLessThan(1);
          const back = toWgs84(lng, lat, crs);
          expect(metres(fromWgs84(...back, crs), [lng, lat])).toBeLessThan(1);
        }
      }
    }
  });

  it.each([
    ["London", -0.1276, 51.5072],
    ["New York", -74.006, 40.7128],
    ["Tokyo", 139.7671, 35.6812],
    ["Sydney", 151.2093, -33.8688],
  ])("does not shift %s (outside China) in any system", (_name, lng, lat) => {
    for (const from of ["wgs84", "gcj02", "bd09"] as const) {
      for (const to of ["wgs84", "gcj02", "bd09"] as const) expect(convert(lng, lat, from, to)).toEqual([lng, lat]);
    }
  });

  it("parses a point input to WGS84, remembering the system it was given in", () => {
    const [, wgs, gcj] = WGS_GCJ[0];
    const p = parse(PointInput, { lng: gcj[0], lat: gcj[1], crs: "gcj02" });
    expect(p.givenCrs).toBe("gcj02");
    expect(metres([p.lng, p.lat], wgs)).toBeLessThan(1);
    expect(parse(PointInput, { lng: wgs[0], lat: wgs[1] })).toEqual({ lng: wgs[0], lat: wgs[1], givenCrs: "wgs84" });
  });

  it("refuses an unknown system and unknown fields with 400 naming the field", () => {
    expect(() => parse(PointInput, { lng: 120, lat: 30, crs: "epsg3857" })).toThrow(expect.objectContaining({ status: 400, details: { fields: [expect.objectContaining({ path: "crs" })] } }));
    expect(() => parse(pointInput({ address: z.string().optional() }), { lng: 120, lat: 30, address: "x", alt: 3 })).toThrow(
      expect.objectContaining({ status: 400, details: { fields: [expect.objectContaining({ path: "alt", message: "Unknown field" })] } }),
    );
  });

  it("refuses NaN, infinities and out-of-range numbers before any conversion, in bodies and in query strings (400 naming the field)", () => {
    const query = z.object(pointQueryFields);
    for (const bad of [Number.NaN, Infinity, -Infinity, 1e308, -180.000001, 180.5, "120", null, true]) {
      expect(() => parse(PointInput, { lng: bad, lat: 30, crs: "gcj02" }), String(bad)).toThrow(expect.objectContaining({ status: 400, details: { fields: [expect.objectContaining({ path: "lng" })] } }));
      expect(() => parse(PointInput, { lng: 120, lat: bad, crs: "bd09" }), String(bad)).toThrow(expect.objectContaining({ status: 400 }));
    }
    for (const bad of ["NaN", "Infinity", "-Infinity", "1e999", "120abc", "181", "-90.5e0x", "", " ", "0x71", "1e2", " 120", "120.", ".5"]) {
      expect(() => parse(query, { lng: bad, lat: "30", crs: "gcj02" }), bad).toThrow(expect.objectContaining({ status: 400, details: { fields: [expect.objectContaining({ path: "lng" })] } }));
      expect(() => parse(query, { lng: "120", lat: bad }), bad).toThrow(expect.objectContaining({ status: 400 }));
    }
    expect(parse(query, { lng: "121.5", lat: "31.2", crs: "wgs84" })).toEqual({ lng: 121.5, lat: 31.2, crs: "wgs84" });
    // and convert itself, were a non-finite number to reach it, passes it through (outside the China box) without looping
    for (const from of ["gcj02", "bd09"] as const) {
      expect(convert(Number.NaN, 30, from, "wgs84")).toEqual([Number.NaN, 30]);
      expect(convert(120, Infinity, from, "wgs84")).toEqual([120, Infinity]);
    }
  });
});
