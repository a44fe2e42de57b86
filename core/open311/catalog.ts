import { everyCategory } from "../category/repo.ts";
import type { Category } from "../category/schema.ts";

/**
 * Every category of the county, ordered by code (one Query on the category list index; the
 * list is small: tens to a few hundred). Cached per warm container for 30 s.
 */
let cache: { at: number; value: Category[] } | undefined;

export async function allCategories(fresh = false): Promise<Category[]> {
  if (!fresh && cache && Date.now() - cache.at < 30_000) return cache.value;
  const out = await everyCategory();
  cache = { at: Date.now(), value: out };
  return out;
}

export interface ServiceEntry {
  category: Category;
  parent: Category | undefined;
}

/**
 * The reportable categories: second-level categories under an active parent, plus top-level
 * categories that have no children. Each is an Open311 service; its parent is the group.
 */
export function reportable(categories: Category[]): ServiceEntry[] {
  const byId = new Map(categories.map((c) => [c.id, c]));
  const hasChildren = new Set(categories.filter((c) => c.parentId && c.active).map((c) => c.parentId!));
  const out: ServiceEntry[] = [];
  for (const c of categories) {
    if (!c.active) continue;
    if (c.parentId) {
      const parent = byId.get(c.parentId);
      if (parent?.active) out.push({ category: c, parent });
    } else if (!hasChildren.has(c.id)) {
      out.push({ category: c, parent: undefined });
    }
  }
  return out.sort((a, b) => (a.category.code < b.category.code ? -1 : a.category.code > b.category.code ? 1 : 0));
}
