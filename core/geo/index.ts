/** Pure geometry for unit boundaries: schemas, WKT, measurements, geohash, point location, synthetic grids. */
export {
  Position,
  LinearRing,
  Polygon,
  MultiPolygon,
  Boundary,
  Point,
  MAX_RING_POSITIONS,
  MAX_BOUNDARY_POSITIONS,
  MAX_POLYGON_RINGS,
  MAX_MULTIPOLYGON_PARTS,
} from "./schema.ts";
export type { BBox } from "./schema.ts";
export { parseWkt, formatWkt, MAX_WKT_LENGTH } from "./wkt.ts";
export { bbox, centroid, pointInBoundary, distanceMeters, EARTH_RADIUS_METERS } from "./measure.ts";
export { geohash, geohashBox, geohashNeighbors, geohashPrecisionFor, GEOHASH_PRECISION_100M } from "./geohash.ts";
export { buildLocator, bruteForceLocate } from "./index-locate.ts";
export type { Locator, LocatorEntry } from "./index-locate.ts";
export {
  syntheticGrid,
  subdivide,
  syntheticCounty,
  seededRandom,
  COUNTY_LEVELS,
  MOUDING_MICRO_GRIDS,
} from "./synthetic.ts";
export type {
  SyntheticCell,
  SyntheticGridOptions,
  SyntheticUnit,
  SyntheticCountyOptions,
  CountyLevel,
} from "./synthetic.ts";
