import { MEDIATION_LADDER, type MediationLevel } from "./schema.ts";

/**
 * The mediation ladder resolved by level, not by offset from the case's unit.
 *
 * A unit's level is its depth in the county tree (core/settings levelKey: 0 county, 1 street or
 * township, 2 community or village, 3 grid, 4 micro-grid): every unit of a depth has the same
 * level, and a unit move keeps depths (core/unit moveUnit). So the ladder reads the case's path
 * top-down:
 *
 * | rung | unit on the case's path |
 * |---|---|
 * | grid | the depth-3 unit (the grid; a micro-grid case climbs to its grid) |
 * | village_group | the same grid unit (village groups have no unit of their own; its mediators differ) |
 * | community | the depth-2 unit |
 * | township_center | the depth-1 unit |
 * | county_center | the root |
 *
 * A county with fewer levels than that maps a missing rung to the deepest unit of the path above
 * it (a path ending at a community mediates its grid rungs in that community).
 */
export const RUNG_DEPTH: Record<MediationLevel, number> = {
  grid: 3,
  village_group: 3,
  community: 2,
  township_center: 1,
  county_center: 0,
};

const segments = (path: string): string[] => path.split("/").filter(Boolean);

/** The unit id mediating at a rung for a case located at `unitPath`. */
export function ladderUnit(unitPath: string, level: number): string {
  const path = segments(unitPath);
  const depth = RUNG_DEPTH[MEDIATION_LADDER[level]];
  return path[Math.min(depth, path.length - 1)];
}

/** Rungs (indexes into MEDIATION_LADDER) a unit can mediate for this case, lowest first; [] when it is not a ladder unit of the path. */
export function rungsOf(unitPath: string, unitId: string): number[] {
  return MEDIATION_LADDER.flatMap((_, i) => (ladderUnit(unitPath, i) === unitId ? [i] : []));
}
