/**
 * The unit tree's export (`GET /v1/units/export.xlsx`): the caller's units:read subtree (codes,
 * names, types, levels, parents, statistics; boundaries stay with the GeoJSON/CSV export), in the
 * template's layout, its parent-code dropdown the units the caller may write. Apart from the
 * registry's exports (export-book.ts), which load the registry's layout and views (issue #15).
 */
import type { Principal } from "../auth/principal.ts";
import { getSettings } from "../settings/settings.ts";
import { writeSheets } from "./book-write.ts";
import { exportFileName, unitCodes } from "./export.ts";
import { UNIT_TYPE_ZH, UNITS } from "./spec-units.ts";
import { sheetsOf, unitsInScope, type XlsxFile } from "./template.ts";

async function unitRows(p: Principal): Promise<Record<string, string>[]> {
  const units = await unitsInScope(p, "units:read");
  const settings = await getSettings();
  const code = new Map(units.map((u) => [u.id, u.code]));
  const missing = units.flatMap((u) => (u.parentId && !code.has(u.parentId) ? [u.parentId] : []));
  for (const [id, c] of await unitCodes([...new Set(missing)])) code.set(id, c);
  units.sort((a, b) => a.depth - b.depth || a.code.localeCompare(b.code));
  return units.map((u) => ({
    code: u.code,
    name: u.name,
    type: UNIT_TYPE_ZH[u.type],
    level: u.depth === 0 ? "县/区" : (settings.levels[u.depth - 1]?.name ?? u.level),
    parentCode: u.parentId ? (code.get(u.parentId) ?? "") : "",
    households: u.households === undefined ? "" : String(u.households),
    population: u.population === undefined ? "" : String(u.population),
  }));
}

export async function unitsExport(p: Principal, now: Date): Promise<XlsxFile> {
  const bytes = await writeSheets(await sheetsOf("units", [UNITS], p, { [UNITS.sheet]: await unitRows(p) }), { template: false });
  return { bytes, fileName: exportFileName("units", now) };
}
