/**
 * The map projections a county's Shapefile may be in (issue #15): what Chinese boundary files use —
 * Gauss–Krüger / transverse Mercator (CGCS2000, Xi'an 1980, Beijing 1954 3°/6° zones), UTM, Lambert
 * conformal conic and Albers equal-area (provincial and national maps) — besides geographic
 * coordinates and Mercator, which proj4 always has. A .prj in any other projection is refused,
 * naming it (core/geo/shapefile.ts), the same in every build: the deployed bundles carry only these
 * projections of proj4 (stacks/proj4/plugin.ts swaps proj4's list of all 30-odd for
 * stacks/proj4/projections.js), `npm start` and the tests load the whole package, and the check
 * below decides in both. docs/setup.md lists them for the people who prepare the files.
 */

/** Each supported projection: proj4's module name, one of the names its module declares, and the words for people. */
export const PROJECTIONS = [
  { proj: "etmerc", id: "Extended_Transverse_Mercator", title: "Transverse Mercator / Gauss–Krüger (Transverse_Mercator, Gauss_Kruger)" },
  { proj: "tmerc", id: "Fast_Transverse_Mercator", title: "Transverse Mercator, fast form (+proj=tmerc)" },
  { proj: "utm", id: "utm", title: "UTM (+proj=utm)" },
  { proj: "lcc", id: "lcc", title: "Lambert Conformal Conic (1SP, 2SP)" },
  { proj: "aea", id: "aea", title: "Albers Equal Area (Albers_Conic_Equal_Area)" },
  { proj: "merc", id: "merc", title: "Mercator (Mercator_1SP, Popular Visualisation Pseudo Mercator)" },
  { proj: "longlat", id: "longlat", title: "geographic longitude/latitude" },
] as const;

/** The projections added to proj4's own (merc, longlat) in the deployed bundles: stacks/proj4/projections.js registers exactly these. */
export const ADDED_PROJECTIONS = ["tmerc", "etmerc", "utm", "lcc", "aea"] as const;

/** Whether a projection proj4 resolved (the `names` its module declares) is one of the supported ones. */
export const isSupportedProjection = (names: readonly string[] | null | undefined): boolean => !!names && PROJECTIONS.some((p) => names.includes(p.id));

/** The projection a WKT names (WKT1 PROJECTION["…"], WKT2 METHOD["…"]), for the refusal; undefined for a geographic system. */
export function wktProjectionName(wkt: string): string | undefined {
  return /\b(?:PROJECTION|METHOD)\s*\[\s*"([^"]*)"/i.exec(wkt)?.[1];
}

/** The supported projections in words (the refusal's message, docs/setup.md). */
export const SUPPORTED_PROJECTIONS_TEXT = PROJECTIONS.map((p) => p.title).join("; ");
