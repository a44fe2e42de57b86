import { ulid } from "ulid";
import type { Page } from "../db/page.ts";
import { ConflictError, InvalidError, NotFoundError } from "../errors.ts";
import { actorOf, auditPut, diff } from "../audit/entry.ts";
import type { Principal } from "../auth/principal.ts";
import { getDepartments } from "../department/repo.ts";
import { requireCountyWide } from "../settings/scope.ts";
import { getUnits } from "../unit/repo.ts";
import { parse } from "../validate.ts";
import { categoriesPage, getCategory, hasActiveChildren, putNewCategory, replaceCategory, staleCategory } from "./repo.ts";
import { CATEGORY_DEFAULTS, applyUpdate, resolve, type CountyDefaults } from "./rules.ts";
import { caseDefaultsOf, getSettings } from "../settings/settings.ts";
import { versionRefresher } from "../config/repo.ts";
import { CategoryQuery, CreateCategory, UpdateCategory, type Category, type ResolvedCategory } from "./schema.ts";

/** A category as the API returns it: the stored record and its effective rules. */
export type CategoryView = Category & { effective: ResolvedCategory };

type Field = { path: string; message: string };

/** The county's case defaults (settings, cached 30 s like the resolved categories). */
async function countyDefaults(): Promise<CountyDefaults> {
  const caseDefaults = caseDefaultsOf(await getSettings());
  return { deadlines: caseDefaults.deadlines };
}

/** Categories as stored (and their parents), per warm container, valid while the categories' version counter stands. */
const stored = new Map<string, { value: Category | undefined; parent: Category | undefined }>();
const grouping = new Map<string, boolean>();
/** How often a container proves its cached categories current (one GetItem of the version counter, or folded into a read the request makes anyway). */
export const CATEGORIES_RECHECK_MS = 5_000;

/**
 * The categories' version counter (CONFIG / VERSION#categories), bumped in the transaction of
 * every category write: a container keeps the categories it read for as long as the counter has
 * not moved, checked at most `CATEGORIES_RECHECK_MS` before use (#16; it was a 30 s TTL per
 * category, i.e. a read per category every 30 s, and a Query per report for `isCategoryGroup`).
 * The case loop folds the check into the case read (core/case/repo.ts `getCaseWithConfig`).
 */
export const categoriesVersion = versionRefresher("categories", CATEGORIES_RECHECK_MS, () => {
  stored.clear();
  grouping.clear();
});

/**
 * The effective rules of a category (inherited from its parent and the county defaults of the
 * settings); undefined when unknown. The stored category is cached per container while the
 * categories' version stands (`categoriesVersion`); the rules are resolved again on every call, so
 * a settings change (its own cache) applies at once. `fresh` reads through.
 */
export async function resolveCategory(id: string, fresh = false, now = new Date()): Promise<ResolvedCategory | undefined> {
  if (!fresh) await categoriesVersion.check(now);
  let hit = fresh ? undefined : stored.get(id);
  if (!hit) {
    const c = await getCategory(id, fresh);
    hit = { value: c, parent: c?.parentId ? await getCategory(c.parentId, fresh) : undefined };
    if (!fresh) stored.set(id, hit);
  }
  return hit.value ? resolve(hit.value, hit.parent, await countyDefaults()) : undefined;
}

/**
 * Does the category have an active sub-category? (a report needs a leaf.) Cached per container
 * while the categories' version stands, like the stored categories: a report costs no Query for it (#16).
 */
export async function isCategoryGroup(id: string, now = new Date()): Promise<boolean> {
  await categoriesVersion.check(now);
  const hit = grouping.get(id);
  if (hit !== undefined) return hit;
  const value = await hasActiveChildren(id);
  grouping.set(id, value);
  return value;
}

async function view(c: Category, parent?: Category): Promise<CategoryView> {
  const p = parent ?? (c.parentId ? await getCategory(c.parentId) : undefined);
  return { ...c, effective: resolve(c, p, await countyDefaults()) };
}

/** Departments must exist and be active; per-street overrides must name street-level units. */
async function checkRefs(data: { departmentIds?: string[] | null; byStreet?: Record<string, string[]> | null }): Promise<void> {
  const fields: Field[] = [];
  const byStreet = data.byStreet ?? {};
  const all = [...(data.departmentIds ?? []), ...Object.values(byStreet).flat()];
  const depts = all.length ? await getDepartments(all) : new Map();
  const check = (ids: string[], path: string) =>
    ids.forEach((id, i) => {
      const d = depts.get(id);
      if (!d) fields.push({ path: `${path}.${i}`, message: "unknown department" });
      else if (!d.active) fields.push({ path: `${path}.${i}`, message: "inactive department" });
    });
  check(data.departmentIds ?? [], "departmentIds");
  const streets = Object.keys(byStreet);
  const units = streets.length ? await getUnits(streets) : new Map();
  for (const s of streets) {
    if (units.get(s)?.depth !== 1) fields.push({ path: `byStreet.${s}`, message: "not a street-level unit" });
    check(byStreet[s], `byStreet.${s}`);
  }
  if (fields.length) throw new InvalidError("Unknown or unusable references", { fields });
}

/** Categories are county-wide reference data: anyone with categories:read sees them all. */
export async function readCategory(_p: Principal, id: string): Promise<CategoryView> {
  const c = await getCategory(id);
  if (!c) throw new NotFoundError(`Category ${id} not found`);
  return view(c);
}

/**
 * Create a category (county-wide categories:write). Two levels: a parent must be a top-level
 * category. A top-level category stores every rule (defaults filled in); a child only the ones given.
 */
export async function createCategory(p: Principal, input: unknown, now: Date, id = ulid(now.getTime())): Promise<CategoryView> {
  requireCountyWide(p, "categories:write");
  const data = parse(CreateCategory, input, "category");
  const parent = data.parentId ? await getCategory(data.parentId, true) : undefined;
  if (data.parentId && !parent) throw new InvalidError("Parent category not found", { fields: [{ path: "parentId", message: "unknown category" }] });
  if (parent?.parentId) throw new InvalidError("Categories have two levels: the parent must be a top-level category", { fields: [{ path: "parentId", message: "not a top-level category" }] });
  if (parent && !parent.active) throw new ConflictError("Parent category is inactive");
  await checkRefs(data);
  const at = now.toISOString();
  const { deadlines, ...rest } = data;
  const cat: Category = {
    ...(parent ? {} : structuredClone(CATEGORY_DEFAULTS)),
    ...Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)),
    id,
    code: data.code,
    name: data.name,
    parentId: parent ? parent.id : null,
    deadlines,
    active: true,
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
  await putNewCategory(cat, auditPut({ actor: actorOf(p), action: "category.create", entity: "category", entityId: id, summary: `${cat.code} ${cat.name}` }, now), parent?.id);
  categoriesVersion.forget(); // this container at once
  return view(cat, parent);
}

/** Change a category with the version read; a code change moves the code reference. */
export async function updateCategory(p: Principal, id: string, input: unknown, now: Date): Promise<CategoryView> {
  requireCountyWide(p, "categories:write");
  const { version, ...changes } = parse(UpdateCategory, input, "category update");
  const current = await getCategory(id, true);
  if (!current) throw new NotFoundError(`Category ${id} not found`);
  if (current.version !== version) throw staleCategory(current);
  await checkRefs({ departmentIds: changes.departmentIds, byStreet: changes.byStreet });
  const next: Category = { ...applyUpdate(current, changes), version: current.version + 1, updatedAt: now.toISOString() };
  const codeChanged = next.code !== current.code;
  await replaceCategory(current, next, version, auditPut({ actor: actorOf(p), action: "category.update", entity: "category", entityId: id, summary: `${next.code} ${next.name}`, changes: diff(current, next) }, now));
  categoriesVersion.forget(); // this container at once
  return view(next);
}

/** All categories by code, or the children of one (`parentId=root`: the top level). */
export async function listCategories(_p: Principal, input: unknown): Promise<Page<Category>> {
  const q = parse(CategoryQuery, input, "query");
  return categoriesPage(q);
}
