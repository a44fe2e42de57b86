/**
 * Exports of the registry's workbooks (docs/registry.md "Excel"; templates: core/xlsx/template.ts,
 * which lists the caller's own unit codes in the unit-code dropdowns, the units they may write):
 * - the registry export is what the caller's lists show (registry:read scope), ID numbers and phones
 *   masked under the county's style exactly as the lists show them (core/registry/views.ts), with
 *   the record ids (系统编号) that make a re-import match; it is audited (`registry.export`, the
 *   counts and the scope, no personal values);
 */
import { putAuditRow } from "../audit/repo-row.ts";
import { actorOf, auditPut } from "../audit/entry.ts";
import type { Principal } from "../auth/principal.ts";
import type { HouseholdRecord, PersonRecord } from "../registry/schema.ts";
import { currentMasks, householdView, personView } from "../registry/views.ts";
import { getUnits } from "../unit/repo.ts";
import { writeSheets } from "./book-write.ts";
import { exportFileName } from "./export.ts";
import { CLASS_ZH, GENDER_ZH, HOUSEHOLDS, HOUSEHOLDS_BOOK, ID_TYPES, PEOPLE, PEOPLE_BOOK, RELATIONSHIP_ZH, TAG_ZH } from "./spec-registry.ts";
import type { ListSpec } from "./specs.ts";
import { recordsInScope } from "./registry-scope.ts";
import { roots, sheetsOf, type XlsxFile } from "./template.ts";

const BOOK: Record<"households" | "people", ListSpec[]> = { households: HOUSEHOLDS_BOOK, people: PEOPLE_BOOK };

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

/** The registry list as the caller sees it, in the template's layout; audited. (The unit tree's export: core/xlsx/export-units.ts.) */
export async function bookExport(list: "households" | "people", p: Principal, now: Date): Promise<XlsxFile> {
  return { bytes: await bookBytes(list, p, now), fileName: exportFileName(list, now) };
}

async function bookBytes(list: "households" | "people", p: Principal, now: Date): Promise<Uint8Array> {
  const { rows, counts } = await registryRows(list, p);
  const bytes = await writeSheets(await sheetsOf(list, BOOK[list], p, rows), { template: false });
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
