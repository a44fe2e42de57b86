/**
 * What moving `n` records from one unit path to another (materialized paths like `/c/s/v/`; null:
 * created or deleted) adds to each unit's subtree count: -n on the units it left, +n on the units it
 * joined, nothing on the ancestors both paths share. Used for the registry tallies
 * (core/registry/repo-tally.ts) and the live open-case counts moved with a unit (core/aggregate/apply.ts).
 */
export function pathShift(from: string | null, to: string | null, n = 1): Map<string, number> {
  const before = new Set(unitsOf(from));
  const after = new Set(unitsOf(to));
  const out = new Map<string, number>();
  for (const id of before) if (!after.has(id)) out.set(id, -n);
  for (const id of after) if (!before.has(id)) out.set(id, n);
  return out;
}

/** The unit ids of a materialized path, root first. */
export const unitsOf = (path: string | null | undefined) => (path ? path.split("/").filter(Boolean) : []);
