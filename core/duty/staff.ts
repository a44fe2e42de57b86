import { staffRowsOfUnit } from "./repo.ts";

export interface StaffRow {
  userId: string;
  role: string;
  unitId: string;
  unitPath: string;
  departmentId?: string;
}

/**
 * Who works where, from the staff rows (`STAFF#<unitId>` on gsi2), memoized for one job run or
 * request: a household or grid is served by the grid workers (and led by the grid leaders)
 * assigned to its unit or any unit above it.
 */
export function staffLookup() {
  const cache = new Map<string, Promise<StaffRow[]>>();
  const onUnit = (unitId: string): Promise<StaffRow[]> => {
    let p = cache.get(unitId);
    if (!p) {
      p = staffRowsOfUnit(unitId);
      cache.set(unitId, p);
    }
    return p;
  };
  /** Users holding one of `roles` on the unit of this path or an ancestor. */
  const onPath = async (unitPath: string, roles: string[]): Promise<string[]> => {
    const rows = (await Promise.all(unitPath.split("/").filter(Boolean).map(onUnit))).flat();
    return [...new Set(rows.filter((r) => roles.includes(r.role)).map((r) => r.userId))];
  };
  return { onUnit, onPath };
}
