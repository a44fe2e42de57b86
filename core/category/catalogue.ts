/**
 * The standard category catalogue (./catalogue-data.ts): what it offers, which of its codes the
 * county has already, and applying a choice — classes and subclasses created with the ordinary
 * category writes (audited, code unique), names and deadlines adjustable, codes kept. Applying
 * the same choice twice creates nothing the second time; codes the county already uses are
 * left as they are (reported as `existing`).
 */
import * as z from "zod/mini";
import type { Principal } from "../auth/principal.ts";
import { ConflictError, InvalidError } from "../errors.ts";
import { requireCountyWide } from "../settings/scope.ts";
import { parse } from "../validate.ts";
import { CATALOGUE, type CatalogueClass } from "./catalogue-data.ts";
import { categoryIdByCode, getCategories } from "./repo.ts";
import { CategoryCode, Deadlines } from "./schema.ts";
import { createCategory } from "./service.ts";

const byCode = new Map<string, { cls: CatalogueClass; child?: { code: string; name: string } }>();
for (const cls of CATALOGUE) {
  byCode.set(cls.code, { cls });
  for (const child of cls.children) byCode.set(child.code, { cls, child });
}

export const ApplyCatalogue = z.strictObject({
    items: z.array(
        z.strictObject({
            code: CategoryCode,
            /** the county's name for it (default: the catalogue's) */
            name: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(64))),
            /** a class's stage deadlines instead of the catalogue's (subclasses inherit their class's) */
            deadlines: z.optional(Deadlines),
          }),
      ).check(z.minLength(1), z.maxLength(200)),
  });

export interface CatalogueView {
  source: string;
  classes: (Omit<CatalogueClass, "children"> & { exists: boolean; countyName?: string; children: { code: string; name: string; exists: boolean; countyName?: string }[] })[];
}

/** The catalogue with the codes the county already uses marked. */
export async function readCatalogue(): Promise<CatalogueView> {
  const codes = CATALOGUE.flatMap((c) => [c.code, ...c.children.map((x) => x.code)]);
  const ids = new Map(await Promise.all(codes.map(async (c) => [c, await categoryIdByCode(c)] as const)));
  const found = await getCategories([...ids.values()].filter((id): id is string => !!id));
  /** the county's own name of a code it already uses (it may mean something else than the catalogue's) */
  const inUse = (code: string) => {
    const id = ids.get(code);
    return id ? { exists: true, countyName: found.get(id)?.name } : { exists: false };
  };
  return {
    source: "GB/T 30428.2 事件大类（01–05）与网格治理常用类别（21–25）",
    classes: CATALOGUE.map(({ children, ...cls }) => ({
      ...cls,
      ...inUse(cls.code),
      children: children.map((x) => ({ ...x, ...inUse(x.code) })),
    })),
  };
}

/** Create the picked classes and subclasses (a picked subclass brings its class). */
export async function applyCatalogue(p: Principal, input: unknown, now: Date): Promise<{ created: string[]; existing: string[] }> {
  requireCountyWide(p, "categories:write");
  const data = parse(ApplyCatalogue, input, "catalogue choice");
  const picked = new Map(data.items.map((i) => [i.code, i]));
  data.items.forEach((item, index) => {
    const entry = byCode.get(item.code);
    if (!entry) throw new InvalidError(`${item.code} is not in the catalogue`, { fields: [{ path: `items.${index}.code`, message: "not in the catalogue" }] });
    if (entry.child && item.deadlines) throw new InvalidError("Deadlines are set on a class; its subclasses inherit them", { fields: [{ path: `items.${index}.deadlines`, message: "set on the class" }] });
  });
  const created: string[] = [];
  const existing: string[] = [];
  /** create one code unless the county has it; a concurrent apply that won the code counts as existing */
  const ensure = async (code: string, body: Record<string, unknown>): Promise<string> => {
    const have = await categoryIdByCode(code);
    if (have) {
      existing.push(code);
      return have;
    }
    try {
      const c = await createCategory(p, { code, ...body }, now);
      created.push(code);
      return c.id;
    } catch (e) {
      const won = e instanceof ConflictError ? await categoryIdByCode(code) : undefined;
      if (!won) throw e;
      existing.push(code);
      return won;
    }
  };
  for (const cls of CATALOGUE) {
    const children = cls.children.filter((c) => picked.has(c.code));
    const own = picked.get(cls.code);
    if (!own && !children.length) continue;
    const classId = await ensure(cls.code, {
      name: own?.name ?? cls.name,
      deadlines: own?.deadlines ?? cls.deadlines,
      ...(cls.isDispute ? { isDispute: true } : {}),
      ...(cls.police ? { police: true } : {}),
      ...(cls.urgent ? { urgent: true } : {}),
    });
    for (const child of children) await ensure(child.code, { name: picked.get(child.code)!.name ?? child.name, parentId: classId });
  }
  return { created, existing };
}
