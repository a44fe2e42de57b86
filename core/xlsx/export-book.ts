/**
 * Templates and exports of the registry's and the unit tree's workbooks (docs/registry.md "Excel"):
 * - templates list the caller's own unit codes in the unit-code dropdowns (the units they may write);
 * - the registry export is what the caller's lists show (registry:read scope), ID numbers and phones
 *   masked under the county's style exactly as the lists show them (core/registry/views.ts), with
 *   the record ids (系统编号) that make a re-import match; it is audited (`registry.export`, the
 *   counts and the scope, no personal values);
 * - the unit export is the caller's units:read subtree (codes, names, types, levels, parents,
 *   statistics; boundaries stay with the GeoJSON/CSV export).
 */
import { putAuditRow } from "../audit/repo-row.ts";
import { actorOf, auditPut } from "../audit/entry.ts";
import { scopesFor, type Principal } from "../auth/principal.ts";
import type { Permission } from "../auth/roles.ts";
import type { HouseholdRecord, PersonRecord } from "../registry/schema.ts";
import { currentMasks, householdView, personView } from "../registry/views.ts";
import { getSettings } from "../settings/settings.ts";
import { getUnits, subtree } from "../unit/repo.ts";
import type { Unit } from "../unit/schema.ts";
import { writeSheets, type SheetData } from "./book.ts";
import type { BookList } from "./import-book.ts";
import { BOOKS, CLASS_ZH, GENDER_ZH, HOUSEHOLDS, ID_TYPES, PEOPLE, RELATIONSHIP_ZH, TAG_ZH, UNIT_TYPE_ZH, UNITS } from "./lists.ts";
import { recordsInScope } from "./registry-apply.ts";

/** The roots of a permission's scopes (nested ones dropped). */
function roots(p: Principal, perm: Permission): string[] {
  const scopes = [...new Set(scopesFor(p, perm))].sort((a, b) => a.length - b.length);
  return scopes.filter((s, i) => !scopes.slice(0, i).some((t) => s.startsWith(t)));
}

/** Active units under the caller's scopes of `perm`, by code. */
async function unitsInScope(p: Principal, perm: Permission): Promise<Unit[]> {
  const out = new Map<string, Unit>();
  for (const root of roots(p, perm)) for (const u of await subtree(root, { activeOnly: true })) out.set(u.id, u);
  return [...out.values()].sort((a, b) => a.code.localeCompare(b.code));
}

/** The workbook's sheets with the run-time lists (the caller's unit codes). */
async function sheetsOf(list: BookList, p: Principal, rows: Record<string, Record<string, string>[]> = {}): Promise<SheetData[]> {
  const codes = (await unitsInScope(p, list === "units" ? "units:write" : "registry:write")).map((u) => u.code);
  const key = list === "units" ? "parentCode" : "unitCode";
  return BOOKS[list].map((spec) => ({ spec, rows: rows[spec.sheet] ?? [], lists: { [key]: codes } }));
}

export async function bookTemplate(list: BookList, p: Principal): Promise<Uint8Array> {
  return writeSheets(await sheetsOf(list, p), { template: true });
}

const unitCodesOf = async (ids: string[]) => new Map([...(await getUnits([...new Set(ids)]))].map(([id, u]) => [id, u.code]));

async function registryRows(list: "households" | "people", p: Principal): Promise<{ rows: Record<string, Record<string, string>[]>; counts: Record<string, number> }> {
  const m = await currentMasks();
  const households = await recordsInScope<HouseholdRecord>(p, "HOUSEHOLDS", "registry:read");
  const people = list === "people" ? await recordsInScope<PersonRecord>(p, "PEOPLE", "registry:read") : [];
  const codes = await unitCodesOf([...households.map((h) => h.unitId), ...people.map((x) => x.unitId)]);
  const byUnitAddress = (a: { unitId: string; address: string }, b: { unitId: string; address: string }) => (codes.get(a.unitId) ?? "").localeCompare(codes.get(b.unitId) ?? "") || a.address.localeCompare(b.address);
  households.sort(byUnitAddress);
  const address = new Map(households.map((h) => [h.id, h.address]));
  const hRows = households.map((h) => {
    const v = householdView(h, m);
    return {
      id: v.id,
      unitCode: codes.get(v.unitId) ?? "",
      address: v.address,
      class: CLASS_ZH[v.class],
      membersCount: String(v.membersCount),
      contactName: v.contactName ?? "",
      contactPhone: v.contactPhone ?? "",
      needs: v.needs.join("、"),
      notes: v.notes ?? "",
    };
  });
  const order = new Map(households.map((h, i) => [h.id, i]));
  people.sort((a, b) => (codes.get(a.unitId) ?? "").localeCompare(codes.get(b.unitId) ?? "") || (order.get(a.householdId ?? "") ?? -1) - (order.get(b.householdId ?? "") ?? -1) || a.id.localeCompare(b.id));
  const pRows = people.map((x) => {
    const v = personView(x, m);
    return {
      id: v.id,
      name: v.name,
      idType: ID_TYPES[0],
      idNumber: v.idNumber,
      gender: GENDER_ZH[v.gender],
      relationship: v.relationship ? RELATIONSHIP_ZH[v.relationship] : "",
      phone: v.phone ?? "",
      unitCode: codes.get(v.unitId) ?? "",
      householdAddress: v.householdId ? (address.get(v.householdId) ?? "") : "",
      householdId: v.householdId ?? "",
      tags: v.tags.map((t) => TAG_ZH[t]).join("、"),
      notes: v.notes ?? "",
    };
  });
  return { rows: { [HOUSEHOLDS.sheet]: hRows, [PEOPLE.sheet]: pRows }, counts: { households: hRows.length, people: pRows.length } };
}

async function unitRows(p: Principal): Promise<Record<string, string>[]> {
  const units = await unitsInScope(p, "units:read");
  const settings = await getSettings();
  const code = new Map(units.map((u) => [u.id, u.code]));
  const missing = units.flatMap((u) => (u.parentId && !code.has(u.parentId) ? [u.parentId] : []));
  for (const [id, c] of await unitCodesOf(missing)) code.set(id, c);
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

/** The list as the caller sees it, in the template's layout; a registry export is audited. */
export async function bookExport(list: BookList, p: Principal, now: Date): Promise<Uint8Array> {
  if (list === "units") return writeSheets(await sheetsOf(list, p, { [UNITS.sheet]: await unitRows(p) }), { template: false });
  const { rows, counts } = await registryRows(list, p);
  const bytes = await writeSheets(await sheetsOf(list, p, rows), { template: false });
  const scope = roots(p, "registry:read")[0] ?? "/";
  await putAuditRow(
      auditPut(
        {
          actor: actorOf(p),
          action: "registry.export",
          entity: "registry",
          entityId: "export",
          unitPath: scope,
          summary: `Excel export of ${list}: ${counts.households} households${list === "people" ? `, ${counts.people} people` : ""} (ID numbers and phones masked)`,
          details: { list, format: "xlsx", masked: true, ...counts },
        },
        now,
      ),
  );
  return bytes;
}
