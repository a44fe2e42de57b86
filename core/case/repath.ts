import { ladderUnit } from "./ladder.ts";
import type { Case, Owner } from "./schema.ts";

/**
 * A case whose unit moved with its subtree (`oldPrefix` → `newPrefix`, both materialized paths
 * ending in "/"), as the re-path job must write it so that it keeps a valid owner:
 * - a mediating unit owner (dispute) becomes the unit of the same rung on the new path;
 * - the center (root) stays the root; the case's own unit (verification) stays itself;
 * - departments and users are not on the path and stay.
 * Pure; returns the case unchanged when it is not under `oldPrefix`.
 */
export function repathCase(c: Case, oldPrefix: string, newPrefix: string): Case {
  if (!c.unitPath.startsWith(oldPrefix)) return c;
  const unitPath = newPrefix + c.unitPath.slice(oldPrefix.length);
  const onNew = (id: string) => unitPath.split("/").includes(id);
  const remap = (o: Owner | undefined): Owner | undefined => {
    if (!o || o.kind !== "unit" || onNew(o.id)) return o;
    return { kind: "unit", id: ladderUnit(unitPath, c.counters.mediationLevel) };
  };
  return { ...c, unitPath, owner: remap(c.owner)!, ...(c.handler ? { handler: remap(c.handler) } : {}) };
}
