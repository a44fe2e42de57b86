/** Unit paths as names for people: "金山社区 › 第1网格" instead of a path of ids. */
import { getUnits } from "../unit/repo.ts";

export const PATH_SEPARATOR = " › ";

/** Unit ids of a materialized path, root first. */
const idsOf = (path: string): string[] => path.split("/").filter(Boolean);

/**
 * Names of unit paths: each path as its units' names below the county, joined with " › "
 * (the county itself by its own name). One BatchGet for all the ancestors of the given paths.
 */
export async function pathNames(paths: readonly string[]): Promise<Map<string, string>> {
  const ids = [...new Set(paths.flatMap(idsOf))];
  const units = ids.length ? await getUnits(ids) : new Map();
  const out = new Map<string, string>();
  for (const path of paths) {
    const chain = idsOf(path);
    const below = chain.length > 1 ? chain.slice(1) : chain;
    out.set(path, below.map((id) => units.get(id)?.name ?? id).join(PATH_SEPARATOR));
  }
  return out;
}

/** Adds `pathName` to results that have a unit path. */
export async function withPathNames<T extends { unitPath?: string }>(items: T[]): Promise<(T & { pathName?: string })[]> {
  const names = await pathNames([...new Set(items.flatMap((i) => (i.unitPath ? [i.unitPath] : [])))]);
  return items.map((i) => (i.unitPath ? { ...i, pathName: names.get(i.unitPath) } : i));
}

