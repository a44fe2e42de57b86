/**
 * Writing an Excel import of households and people through the registry's own service writes
 * (core/registry/households.ts, people.ts; the unit tree's workbook: core/xlsx/units-apply.ts): every
 * record is sealed, scope-checked, conditional, audited and tallied (AGG#registry) exactly as when
 * a clerk enters it in the console; this file only decides, row by row, whether to create, update
 * or leave a record alone. docs/registry.md "Excel".
 *
 * Matching (so a re-upload, or an export uploaded again, changes nothing):
 * - a household by its record id (系统编号), else by unit + address among the households in the
 *   caller's write scope;
 * - a person by record id, else by the blind index of the full ID number among the people in the
 *   caller's write scope. A number registered outside the scope is not looked up here: the create
 *   refuses it with the registry's own answer (409 id_unavailable, charged and audited as a search),
 *   which says nothing about where it is registered;
 * - a unit by its code.
 * A masked ID number or phone (as an export shows it) equal to the record's current mask under the
 * county's style means "unchanged"; any other masked value is refused (`masked_mismatch`).
 */
import { inScopes, scopesFor, type Principal } from "../auth/principal.ts";
import { searchHash } from "../crypto/sealed.ts";
import { showIdNumber, showPhone, type MaskStyle } from "../crypto/mask.ts";
import { recordsInScope } from "./registry-scope.ts";
import { ConflictError } from "../errors.ts";
import { canRead } from "../registry/access.ts";
import { createHousehold, updateHousehold } from "../registry/households.ts";
import { createPerson, updatePerson } from "../registry/people.ts";
import { getHousehold, getPerson } from "../registry/repo.ts";
import type { HouseholdRecord, PersonRecord } from "../registry/schema.ts";
import { currentMasks } from "../registry/views.ts";
import { codeRefs } from "../unit/repo-import.ts";
import { getUnits } from "../unit/repo.ts";
import type { Unit } from "../unit/schema.ts";
import { canon, each, refused, type ApplyContext, type ApplyResult, type Outcome } from "./apply-each.ts";
import type { RowProblem } from "./reason.ts";
import { HOUSEHOLDS, householdKey, PEOPLE, type HouseholdIn, type PersonIn, type Sensitive } from "./registry-lists.ts";

/** What the stored workbook's rows become once written: the record id, and personal values masked. */
export type RowValues = Map<string, Map<number, Record<string, string>>>;

export interface RegistryApplyResult extends ApplyResult {
  values: RowValues;
}

export { recordsInScope };

const onSheet = (sheet: string, problems: RowProblem[]): RowProblem[] => problems.map((p) => ({ ...p, sheet }));

/** The units named by code: each active one in the caller's write scope, or the row's problem. */
async function unitsByCode(p: Principal, codes: string[]): Promise<Map<string, Unit>> {
  const refs = await codeRefs([...new Set(codes)]);
  const units = await getUnits([...new Set(refs.values())]);
  const out = new Map<string, Unit>();
  for (const [code, id] of refs) {
    const u = units.get(id);
    if (u?.active) out.set(code, u);
  }
  return out;
}

function unitProblem(p: Principal, line: number, code: string, units: Map<string, Unit>): RowProblem | Unit {
  const u = units.get(code);
  if (!u) return { line, key: "unitCode", code: "unknown_unit", params: { value: code } };
  if (!inScopes(u.path, scopesFor(p, "registry:write"))) return { line, key: "unitCode", code: "unit_out_of_scope", params: { value: code } };
  return u;
}

/**
 * What a personal cell asks of a record's current value (`masked`: its stored masked form, `hash`
 * its blind index): `same`, `set` a new value, `clear` it, or a problem when a masked cell is not
 * the record's current mask.
 */
async function compareSensitive(cell: Sensitive, current: { masked?: string; hash?: string }, kind: "id" | "phone", m: MaskStyle): Promise<"same" | "clear" | "mismatch" | { set: string }> {
  if (cell.kind === "empty") return current.masked ? "clear" : "same";
  if (cell.kind === "masked") {
    const shown = current.masked ? (kind === "id" ? showIdNumber(current.masked, m) : showPhone(current.masked, m)) : undefined;
    return shown === cell.value ? "same" : "mismatch";
  }
  if (current.hash && (await searchHash(kind, cell.value)) === current.hash) return "same";
  return { set: cell.value };
}

const mismatch = (line: number, key: string, value: string): RowProblem => ({ line, key, code: "masked_mismatch", params: { field: key, value } });

// ---- households --------------------------------------------------------------------------------

interface HouseholdRef {
  id: string;
  unitId: string;
  unitPath: string;
}

async function applyHouseholds(rows: HouseholdIn[], present: Set<string>, ctx: ApplyContext, m: MaskStyle, out: RegistryApplyResult, byKey: Map<string, HouseholdRecord | HouseholdRef>): Promise<void> {
  const p = ctx.principal;
  const existing = await recordsInScope<HouseholdRecord>(p, "HOUSEHOLDS");
  const byId = new Map(existing.map((h) => [h.id, h]));
  for (const h of existing) byKey.set(householdKey(h.unitId, h.address), h);
  const units = await unitsByCode(p, rows.map((r) => r.unitCode));
  const values = new Map<number, Record<string, string>>();
  out.values.set(HOUSEHOLDS.sheet, values);
  const problems: RowProblem[] = [];
  const sub: ApplyResult = { created: 0, updated: 0, unchanged: 0, problems };
  await each(rows, 8, ctx, sub, async (r): Promise<Outcome | RowProblem[]> => {
    const unit = unitProblem(p, r.line, r.unitCode, units);
    if ("line" in unit) return [unit];
    const key = householdKey(unit.id, r.address);
    let current: HouseholdRecord | undefined;
    if (r.id) {
      current = byId.get(r.id) ?? (await getHousehold(r.id));
      if (!current || !canRead(p, current.unitPath)) return [{ line: r.line, key: "id", code: "unknown_record", params: { value: r.id } }];
    } else {
      const found = byKey.get(key);
      current = found && "version" in found ? (found as HouseholdRecord) : undefined;
    }
    if (!current) {
      if (r.contactPhone.kind === "masked") return [{ line: r.line, key: "contactPhone", code: "masked_new", params: { field: "contactPhone", value: r.contactPhone.value } }];
      const made = await createHousehold(
        p,
        {
          unitId: unit.id,
          address: r.address,
          membersCount: r.membersCount ?? 0,
          ...(r.contactName ? { contactName: r.contactName } : {}),
          ...(r.contactPhone.kind === "plain" ? { contactPhone: r.contactPhone.value } : {}),
          ...(r.class ? { class: r.class } : {}),
          ...(r.needs ? { needs: r.needs } : {}),
          ...(r.notes ? { notes: r.notes } : {}),
        },
        ctx.now(),
      );
      byKey.set(key, { id: made.id, unitId: made.unitId, unitPath: made.unitPath });
      values.set(r.line, { id: made.id, contactPhone: made.contactPhone ?? "" });
      return "created";
    }
    const changes: Record<string, unknown> = {};
    if (current.unitId !== unit.id) changes.unitId = unit.id;
    if (current.address !== r.address) changes.address = r.address;
    if (present.has("membersCount") && current.membersCount !== (r.membersCount ?? 0)) changes.membersCount = r.membersCount ?? 0;
    if (present.has("class") && current.class !== (r.class ?? "general")) changes.class = r.class ?? "general";
    if (present.has("contactName") && (current.contactName ?? "") !== (r.contactName ?? "")) changes.contactName = r.contactName ?? null;
    if (present.has("needs") && canon(current.needs) !== canon(r.needs ?? [])) changes.needs = r.needs ?? [];
    if (present.has("notes") && (current.notes ?? "") !== (r.notes ?? "")) changes.notes = r.notes ?? null;
    if (present.has("contactPhone")) {
      const c = await compareSensitive(r.contactPhone, { masked: current.contactPhoneMasked, hash: current.contactPhoneHash }, "phone", m);
      if (c === "mismatch") return [mismatch(r.line, "contactPhone", r.contactPhone.kind === "masked" ? r.contactPhone.value : "")];
      if (c === "clear") changes.contactPhone = null;
      else if (c !== "same") changes.contactPhone = c.set;
    }
    byKey.set(key, current);
    if (!Object.keys(changes).length) {
      values.set(r.line, { id: current.id, contactPhone: current.contactPhoneMasked ? showPhone(current.contactPhoneMasked, m) : "" });
      return "unchanged";
    }
    try {
      const next = await updateHousehold(p, current.id, { version: current.version, ...changes }, ctx.now());
      byKey.set(householdKey(next.unitId, next.address), { id: next.id, unitId: next.unitId, unitPath: next.unitPath });
      values.set(r.line, { id: next.id, contactPhone: next.contactPhone ?? "" });
      return "updated";
    } catch (e) {
      if (e instanceof ConflictError) return [{ line: r.line, code: "refused", params: { message: "the household was changed meanwhile; upload the file again" } }];
      throw e;
    }
  });
  out.created += sub.created;
  out.updated += sub.updated;
  out.unchanged += sub.unchanged;
  out.problems.push(...onSheet(HOUSEHOLDS.sheet, problems));
}

// ---- people ------------------------------------------------------------------------------------

async function applyPeople(rows: PersonIn[], present: Set<string>, ctx: ApplyContext, m: MaskStyle, out: RegistryApplyResult, households: Map<string, HouseholdRecord | HouseholdRef>): Promise<void> {
  const p = ctx.principal;
  const existing = await recordsInScope<PersonRecord>(p, "PEOPLE");
  const byId = new Map(existing.map((x) => [x.id, x]));
  const byHash = new Map(existing.map((x) => [x.idNumberHash, x]));
  const units = await unitsByCode(p, rows.map((r) => r.unitCode));
  const values = new Map<number, Record<string, string>>();
  out.values.set(PEOPLE.sheet, values);
  const problems: RowProblem[] = [];
  const sub: ApplyResult = { created: 0, updated: 0, unchanged: 0, problems };
  const householdById = new Map<string, HouseholdRecord | HouseholdRef>();
  for (const h of households.values()) householdById.set(h.id, h);
  const shownRow = (x: { id: string; idNumber: string; phone: string | null; householdId: string | null }) => ({ id: x.id, idNumber: x.idNumber, phone: x.phone ?? "", householdId: x.householdId ?? "" });
  await each(rows, 8, ctx, sub, async (r): Promise<Outcome | RowProblem[]> => {
    const unit = unitProblem(p, r.line, r.unitCode, units);
    if ("line" in unit) return [unit];
    // the household: by its id, else by address in the row's unit (this file's 住户 sheet or the registry)
    let household: HouseholdRecord | HouseholdRef | undefined;
    if (r.householdId) {
      household = householdById.get(r.householdId) ?? (await getHousehold(r.householdId));
      if (!household || !canRead(p, household.unitPath)) return [{ line: r.line, key: "householdId", code: "unknown_household", params: { value: r.householdId } }];
    } else if (r.householdAddress) {
      household = households.get(householdKey(unit.id, r.householdAddress));
      if (!household) return [{ line: r.line, key: "householdAddress", code: "unknown_household", params: { value: `${r.unitCode} ${r.householdAddress}` } }];
    }
    if (household && household.unitId !== unit.id) return [{ line: r.line, key: "unitCode", code: "household_elsewhere", params: { value: r.unitCode } }];
    let current: PersonRecord | undefined;
    if (r.id) {
      current = byId.get(r.id) ?? (await getPerson(r.id));
      if (!current || !canRead(p, current.unitPath)) return [{ line: r.line, key: "id", code: "unknown_record", params: { value: r.id } }];
    } else if (r.idNumber.kind === "plain") {
      current = byHash.get(await searchHash("id", r.idNumber.value));
    }
    if (!current) {
      if (r.idNumber.kind !== "plain") return [{ line: r.line, key: "idNumber", code: "masked_new", params: { field: "idNumber", value: r.idNumber.kind === "masked" ? r.idNumber.value : "" } }];
      if (r.phone.kind === "masked") return [{ line: r.line, key: "phone", code: "masked_new", params: { field: "phone", value: r.phone.value } }];
      try {
        const made = await createPerson(
          p,
          {
            ...(household ? { householdId: household.id } : { unitId: unit.id }),
            name: r.name,
            idNumber: r.idNumber.value,
            ...(r.phone.kind === "plain" ? { phone: r.phone.value } : {}),
            ...(r.gender ? { gender: r.gender } : {}),
            ...(r.relationship ? { relationship: r.relationship } : {}),
            tags: r.tags ?? [],
            ...(r.notes ? { notes: r.notes } : {}),
          },
          ctx.now(),
        );
        values.set(r.line, shownRow(made));
        return "created";
      } catch (e) {
        return [refused(r.line, e)];
      }
    }
    const changes: Record<string, unknown> = {};
    const id = await compareSensitive(r.idNumber, { masked: current.idNumberMasked, hash: current.idNumberHash }, "id", m);
    if (id === "mismatch") return [mismatch(r.line, "idNumber", r.idNumber.kind === "masked" ? r.idNumber.value : "")];
    if (typeof id === "object") changes.idNumber = id.set;
    if (r.gender && r.gender !== current.gender) changes.gender = r.gender; // the update checks it against the ID number
    if (current.name !== r.name) changes.name = r.name;
    if (present.has("phone")) {
      const c = await compareSensitive(r.phone, { masked: current.phoneMasked, hash: current.phoneHash }, "phone", m);
      if (c === "mismatch") return [mismatch(r.line, "phone", r.phone.kind === "masked" ? r.phone.value : "")];
      if (c === "clear") changes.phone = null;
      else if (c !== "same") changes.phone = c.set;
    }
    if (present.has("relationship") && (current.relationship ?? null) !== (r.relationship ?? null)) changes.relationship = r.relationship ?? null;
    if (present.has("tags") && canon([...current.tags].sort()) !== canon([...(r.tags ?? [])].sort())) changes.tags = r.tags ?? [];
    if (present.has("notes") && (current.notes ?? "") !== (r.notes ?? "")) changes.notes = r.notes ?? null;
    const householdId = household?.id ?? null;
    if ((present.has("householdAddress") || present.has("householdId")) && householdId !== current.householdId) changes.householdId = householdId;
    if (!household && current.unitId !== unit.id) changes.unitId = unit.id;
    if (!Object.keys(changes).length) {
      values.set(r.line, { id: current.id, idNumber: showIdNumber(current.idNumberMasked, m), phone: current.phoneMasked ? showPhone(current.phoneMasked, m) : "", householdId: current.householdId ?? "" });
      return "unchanged";
    }
    try {
      const next = await updatePerson(p, current.id, { version: current.version, ...changes }, ctx.now());
      values.set(r.line, shownRow(next));
      return "updated";
    } catch (e) {
      if (e instanceof ConflictError && (e.details as { current?: unknown } | undefined)?.current) return [{ line: r.line, code: "refused", params: { message: "the person was changed meanwhile; upload the file again" } }];
      return [refused(r.line, e)];
    }
  });
  out.created += sub.created;
  out.updated += sub.updated;
  out.unchanged += sub.unchanged;
  out.problems.push(...onSheet(PEOPLE.sheet, problems));
}

/** Households first (people may name a household of the same file by its address), then people. */
export async function applyRegistry(sheets: { households?: { rows: HouseholdIn[]; present: Set<string> }; people?: { rows: PersonIn[]; present: Set<string> } }, ctx: ApplyContext): Promise<RegistryApplyResult> {
  const out: RegistryApplyResult = { created: 0, updated: 0, unchanged: 0, problems: [], values: new Map() };
  const m = await currentMasks();
  const households = new Map<string, HouseholdRecord | HouseholdRef>();
  if (sheets.households) await applyHouseholds(sheets.households.rows, sheets.households.present, ctx, m, out, households);
  else if (sheets.people?.rows.some((r) => r.householdAddress)) {
    for (const h of await recordsInScope<HouseholdRecord>(ctx.principal, "HOUSEHOLDS")) households.set(householdKey(h.unitId, h.address), h);
  }
  if (sheets.people) await applyPeople(sheets.people.rows, sheets.people.present, ctx, m, out, households);
  return out;
}
