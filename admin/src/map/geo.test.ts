import { describe, it, expect } from "vitest";
import { boundaryFromGeoJson, boundsOf, isBoundary, pointFrom, roundCoord, tileSettings } from "./geo.ts";

const square = (x: number, y: number, d = 1) => [
  [
    [x, y],
    [x + d, y],
    [x + d, y + d],
    [x, y + d],
    [x, y],
  ],
];

describe("map bounds", () => {
  it("cover every boundary and point, as [[south, west], [north, east]]", () => {
    expect(boundsOf([{ type: "Polygon", coordinates: square(118, 24) }, null], [{ lng: 120, lat: 23.5 }])).toEqual([
      [23.5, 118],
      [25, 120],
    ]);
    expect(boundsOf([{ type: "MultiPolygon", coordinates: [square(1, 1), square(5, 5)] }])).toEqual([
      [1, 1],
      [6, 6],
    ]);
  });

  it("are undefined when there is nothing to show", () => {
    expect(boundsOf([], [])).toBeUndefined();
    expect(boundsOf([undefined], [{ lng: NaN, lat: 1 }])).toBeUndefined();
  });
});

describe("reading a GeoJSON file into a boundary", () => {
  it("takes a bare geometry, a Feature or a one-feature collection as a Polygon", () => {
    const polygon = { type: "Polygon", coordinates: square(1, 2) };
    for (const doc of [polygon, { type: "Feature", properties: {}, geometry: polygon }, { type: "FeatureCollection", features: [{ type: "Feature", geometry: polygon }] }]) {
      const r = boundaryFromGeoJson(JSON.stringify(doc));
      expect(r).toMatchObject({ ok: true, boundary: polygon });
    }
  });

  it("merges several polygons (and multipolygons) into one MultiPolygon", () => {
    const r = boundaryFromGeoJson(
      JSON.stringify({
        type: "FeatureCollection",
        features: [
          { type: "Feature", geometry: { type: "Polygon", coordinates: square(0, 0) } },
          { type: "Feature", geometry: { type: "MultiPolygon", coordinates: [square(2, 2), square(4, 4)] } },
          { type: "Feature", geometry: { type: "Point", coordinates: [9, 9] } },
        ],
      }),
    );
    expect(r.ok && r.boundary.type).toBe("MultiPolygon");
    expect(r.ok && r.boundary.coordinates).toHaveLength(3);
    expect(r.ok && r.features).toBe(3);
  });

  it("reads a file with a byte order mark", () => {
    expect(boundaryFromGeoJson("\uFEFF" + JSON.stringify({ type: "Polygon", coordinates: square(0, 0) })).ok).toBe(true);
  });

  it("says why it cannot: not JSON, or no polygon in it", () => {
    expect(boundaryFromGeoJson("{nope")).toEqual({ ok: false, error: "app.validation.json" });
    expect(boundaryFromGeoJson(JSON.stringify({ type: "Point", coordinates: [1, 2] }))).toEqual({ ok: false, error: "app.validation.geojson_polygon" });
  });

  it("recognizes boundaries", () => {
    expect(isBoundary({ type: "Polygon", coordinates: [] })).toBe(true);
    expect(isBoundary({ type: "LineString", coordinates: [] })).toBe(false);
    expect(isBoundary(null)).toBe(false);
  });
});

describe("base tiles", () => {
  it("are off without VITE_TILE_URL: shapes on a blank background", () => {
    expect(tileSettings({})).toBeUndefined();
    expect(tileSettings({ VITE_TILE_URL: "  " })).toBeUndefined();
  });

  it("take the URL template, subdomains, attribution and max zoom from the build's environment", () => {
    expect(tileSettings({ VITE_TILE_URL: "https://t{s}.tianditu.gov.cn/vec_w/wmts?tk=K&x={x}&y={y}&z={z}", VITE_TILE_SUBDOMAINS: "01234567", VITE_TILE_ATTRIBUTION: "天地图", VITE_TILE_MAX_ZOOM: "17" })).toEqual({
      url: "https://t{s}.tianditu.gov.cn/vec_w/wmts?tk=K&x={x}&y={y}&z={z}",
      subdomains: "01234567",
      attribution: "天地图",
      maxZoom: 17,
      crs: "wgs84", // Tianditu is CGCS2000: no shift
    });
    expect(tileSettings({ VITE_TILE_URL: "https://webrd0{s}.is.autonavi.com/appmaptile?style=8&x={x}&y={y}&z={z}", VITE_TILE_SUBDOMAINS: "1,2,3,4" })).toMatchObject({ subdomains: ["1", "2", "3", "4"], maxZoom: 18 });
  });
});

describe("typed coordinates", () => {
  it("make a point only when both are valid", () => {
    expect(pointFrom("118.1", 24.5)).toEqual({ lng: 118.1, lat: 24.5 });
    expect(pointFrom("", 24.5)).toBeUndefined();
    expect(pointFrom(200, 24.5)).toBeUndefined();
    expect(pointFrom(118, "x")).toBeUndefined();
    expect(roundCoord(118.123456789)).toBe(118.1234568);
  });
});
