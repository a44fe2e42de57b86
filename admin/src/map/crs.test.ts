import { describe, expect, it } from "vitest";
import { boundaryToDisplay, fromDisplay, tileSettings, tilesFromJson, toDisplay } from "./geo.ts";
import { tilesJson } from "./plugin.ts";
import { distanceMeters } from "../../../core/geo/measure.ts";
import { pointInRing } from "../../../core/geo/ring.ts";
import vm from "node:vm";
import { convert } from "../../../core/geo/crs-math.ts";
import { residentCrsScript } from "./plugin.ts";

/** Base maps in GCJ-02 (AMap, Tencent): shapes and points drawn shifted, clicks shifted back. */
const grid = { type: "Polygon" as const, coordinates: [[[110.5, 28.3], [110.51, 28.3], [110.51, 28.31], [110.5, 28.31], [110.5, 28.3]]] };

describe("tile coordinate systems", () => {
  it("reads VITE_TILE_CRS: gcj02 for AMap/Tencent, else wgs84 (Tianditu, OSM)", () => {
    expect(tileSettings({ VITE_TILE_URL: "https://webrd0{s}.is.autonavi.com/appmaptile?style=8&x={x}&y={y}&z={z}", VITE_TILE_CRS: "GCJ02" })?.crs).toBe("gcj02");
    expect(tileSettings({ VITE_TILE_URL: "https://t{s}.tianditu.gov.cn/vec_w/wmts?tk=K" })?.crs).toBe("wgs84");
  });

  it("leaves everything as stored on WGS84/CGCS2000 tiles", () => {
    expect(boundaryToDisplay(grid, "wgs84")).toBe(grid);
    expect(toDisplay({ lng: 110.505, lat: 28.305 }, "wgs84")).toEqual({ lng: 110.505, lat: 28.305 });
    expect(fromDisplay(110.505, 28.305, "wgs84")).toEqual([110.505, 28.305]);
  });

  it("on GCJ-02 tiles, a click inside the drawn grid comes back inside the stored grid, near its edge too", () => {
    const drawn = boundaryToDisplay(grid, "gcj02");
    expect(grid.coordinates[0][0]).toEqual([110.5, 28.3]); // the stored boundary is not changed
    // a click 20 m inside the drawn east edge
    const [ex] = drawn.coordinates[0][1];
    const clickX = ex - 0.0002;
    const clickY = (drawn.coordinates[0][1][1] + drawn.coordinates[0][2][1]) / 2;
    expect(pointInRing(clickX, clickY, drawn.coordinates[0])).toBe(true);
    // taken as it is, the click would be outside the stored grid (hundreds of metres east)
    expect(pointInRing(clickX, clickY, grid.coordinates[0])).toBe(false);
    const [x, y] = fromDisplay(clickX, clickY, "gcj02");
    expect(pointInRing(x, y, grid.coordinates[0])).toBe(true);
  });

  it("draws a point where GCJ-02 tiles show it and round-trips it within a metre", () => {
    const p = { id: "c1", lng: 110.505, lat: 28.305 };
    const shown = toDisplay(p, "gcj02");
    expect(shown.id).toBe("c1");
    expect(distanceMeters([shown.lng, shown.lat], [p.lng, p.lat])).toBeGreaterThan(300);
    expect(distanceMeters(fromDisplay(shown.lng, shown.lat, "gcj02"), [p.lng, p.lat])).toBeLessThan(1);
  });

  it("writes tiles.json from VITE_TILE_* at build and reads it back at run time; {} means no tiles", () => {
    const env = { VITE_TILE_URL: "https://webrd0{s}.is.autonavi.com/appmaptile?style=8&x={x}&y={y}&z={z}", VITE_TILE_SUBDOMAINS: "1234", VITE_TILE_CRS: "gcj02", VITE_TILE_MAX_ZOOM: "18" };
    expect(tilesFromJson(JSON.parse(tilesJson(env)))).toEqual(tileSettings(env));
    expect(tilesFromJson(JSON.parse(tilesJson(env)))?.crs).toBe("gcj02");
    expect(tilesJson({}).trim()).toBe("{}");
    expect(tilesFromJson({})).toBeUndefined();
    expect(tilesFromJson({ url: "javascript:alert(1)" })).toBeUndefined();
    expect(tilesFromJson({ url: "http://127.0.0.1:9/t/{z}/{x}/{y}.png", crs: "GCJ02", subdomains: ["a", "b"] })).toEqual({ url: "http://127.0.0.1:9/t/{z}/{x}/{y}.png", attribution: "", subdomains: ["a", "b"], maxZoom: 18, crs: "gcj02" });
  });
});

describe("the resident page's crs.js (admin/src/map/plugin.ts residentCrsScript)", () => {
  it("is core/geo/crs-math.ts as a browser script: the same numbers both ways over the county and China, and it ends at the box's edge where gcoord's browser build loops", () => {
    const context = vm.createContext({});
    vm.runInContext(residentCrsScript(), context, { timeout: 5000 });
    const browser = (context as { wanggeCrs: { convert: typeof convert } }).wanggeCrs;
    const points: Array<[number, number]> = [[118.0893, 24.4798], [116.4, 39.9], [87.6, 43.8], [121.47, 31.23], [72.004, 0.8293], [137.8347, 55.8271], [10, 50]];
    for (let i = 0; i < 40; i++) points.push([118 + i * 0.003, 24.4 + i * 0.002]);
    for (const [x, y] of points)
      for (const [from, to] of [["wgs84", "gcj02"], ["gcj02", "wgs84"], ["bd09", "wgs84"], ["wgs84", "bd09"]] as const) {
        const got = vm.runInContext(`wanggeCrs.convert(${x}, ${y}, "${from}", "${to}")`, context, { timeout: 1000 }) as [number, number];
        expect([got[0], got[1]], `${from}→${to} ${x},${y}`).toEqual(convert(x, y, from, to));
      }
    expect(typeof browser.convert).toBe("function");
    // small: the arithmetic only, no schemas
    expect(residentCrsScript().length).toBeLessThan(4000);
  });
});
