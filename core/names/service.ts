/**
 * Names for labels (`POST /v1/names`): any signed-in caller may turn ids it was shown (a timeline's
 * actors, a case's owner, a chart's units) into display names and unit paths, even where it may not
 * open that user or unit. Only label attributes leave: a unit's name, code, level and the names of
 * its ancestors; a person's display name; a department's name.
 *
 * Reads: one BatchGet per 100 ids of each kind, plus one for the ancestors of the units asked for
 * (the union of their paths, minus the units already read).
 */
import { departmentLabelRows, unitLabelRows, userLabelRows, type UnitLabelRow } from "./repo.ts";
import { parse } from "../validate.ts";
import { NamesRequest, type Names, type UnitName } from "./schema.ts";

/** `/a/b/c/` → ["a", "b", "c"] */
const pathIds = (path: string): string[] => path.split("/").filter(Boolean);

export async function names(input: unknown): Promise<Names> {
  const req = parse(NamesRequest, input, "names request");
  const [units, users, departments] = await Promise.all([unitNames(req.units), userLabelRows(req.users), departmentLabelRows(req.departments)]);
  return {
    units,
    users: Object.fromEntries(users.map((u) => [u.id, { id: u.id, displayName: u.displayName }])),
    departments: Object.fromEntries(departments.map((d) => [d.id, { id: d.id, name: d.name }])),
  };
}

async function unitNames(ids: string[]): Promise<Record<string, UnitName>> {
  if (!ids.length) return {};
  const rows = new Map<string, UnitLabelRow>((await unitLabelRows(ids)).map((u) => [u.id, u]));
  const missing = new Set<string>();
  for (const u of rows.values()) for (const a of pathIds(u.path)) if (!rows.has(a)) missing.add(a);
  if (missing.size) for (const a of await unitLabelRows([...missing])) rows.set(a.id, a);
  const out: Record<string, UnitName> = {};
  for (const id of ids) {
    const u = rows.get(id);
    if (!u || out[id]) continue;
    out[id] = { id, name: u.name, code: u.code, level: u.level, path: pathIds(u.path).map((a) => rows.get(a)?.name ?? "…") };
  }
  return out;
}
