/**
 * The registry's and the unit tree's Excel sheets (pure): households (住户), people (人员) and units
 * (单位), in the layout of core/xlsx/lists.ts, and the reading of a filled row. docs/registry.md
 * "Excel" and docs/setup.md "Excel".
 *
 * Personal fields (ID numbers, phones) are read into one of three forms: empty, a masked form (a
 * `*` in it: as an export shows it) or a full value (checked, normalised). A masked cell means
 * "unchanged" when it equals the record's current mask under the county's style, so an exported
 * file imports back without change (core/xlsx/registry-apply.ts); it never identifies a record.
 * Problems never carry a full ID number or phone: they name it by its masked form.
 */
import { storedIdNumberMask, storedPhoneMask } from "../crypto/mask.ts";
import { ID_NUMBER_MESSAGE, normalizeIdNumber, normalizePhone, PHONE_MESSAGE, validIdNumber, validPhone } from "../registry/idcard.ts";
import type * as z from "zod/mini";
import type { Gender as GenderEnum, HouseholdClass, PersonTag as PersonTagEnum, Relationship } from "../registry/schema.ts";
import { Code } from "../unit/code.ts";
import type { UnitType } from "../unit/schema.ts";
import { invalid, readRows, splitCodes, type Cells } from "./read-cells.ts";
import type { RowProblem } from "./reason.ts";
import { CLASS_ZH, GENDER_ZH, HOUSEHOLDS, ID_TYPES, PEOPLE, RELATIONSHIP_ZH, TAG_ZH } from "./spec-registry.ts";
import { UNIT_TYPE_ZH, UNITS } from "./spec-units.ts";

export { CLASS_ZH, GENDER_ZH, HOUSEHOLDS, ID_TYPES, PEOPLE, RELATIONSHIP_ZH, TAG_ZH, UNIT_TYPE_ZH, UNITS };

type Gender = z.infer<typeof GenderEnum>;
type PersonTag = z.infer<typeof PersonTagEnum>;

// ---- cell readers ------------------------------------------------------------------------------

/** A personal field's cell: empty, an export's masked form, or a full (valid, normalised) value. */
export type Sensitive = { kind: "empty" } | { kind: "masked"; value: string } | { kind: "plain"; value: string };

export function readSensitive(v: string, kind: "id" | "phone"): Sensitive | "invalid" {
  const t = v.trim();
  if (!t) return { kind: "empty" };
  if (t.includes("*")) return /^[0-9Xx*]{4,24}$/.test(t) ? { kind: "masked", value: t.toUpperCase() } : "invalid";
  const value = kind === "id" ? normalizeIdNumber(t) : normalizePhone(t);
  return (kind === "id" ? validIdNumber(value) : validPhone(value)) ? { kind: "plain", value } : "invalid";
}

/** A personal value as problems may show it: masked (the stored form). */
export const shownSensitive = (v: string, kind: "id" | "phone"): string => (v.includes("*") ? v : kind === "id" ? storedIdNumberMask(normalizeIdNumber(v)) : storedPhoneMask(normalizePhone(v)));

function byText<K extends string>(table: Record<K, string>): (v: string) => K | undefined {
  const m = new Map<string, K>();
  for (const [k, zh] of Object.entries(table) as Array<[K, string]>) {
    m.set(zh, k);
    m.set(k.toLowerCase(), k);
  }
  return (v) => m.get(v.trim()) ?? m.get(v.trim().toLowerCase());
}
export const readClass = byText(CLASS_ZH);
export const readGender = byText(GENDER_ZH);
export const readRelationship = byText({ ...RELATIONSHIP_ZH, child_in_law: "儿媳/女婿" });
export const readTag = byText(TAG_ZH);
export const readUnitType = byText(UNIT_TYPE_ZH);

/** A whole number 0..max, or undefined when empty. */
function readCount(v: string, max: number): number | undefined | "invalid" {
  const t = v.trim();
  if (!t) return undefined;
  if (!/^\d+$/.test(t)) return "invalid";
  const n = Number(t);
  return n <= max ? n : "invalid";
}

const RECORD_ID = /^[0-9A-HJKMNP-TV-Z]{26}$/i;
const tooLong = (line: number, key: string, v: string, max: number): RowProblem | undefined => (v.length > max ? invalid(line, key, v.slice(0, 20), `at most ${max} characters`) : undefined);

// ---- households ------------------------------------------------------------------------------

export interface HouseholdIn {
  line: number;
  id?: string;
  unitCode: string;
  address: string;
  class?: HouseholdClass;
  membersCount?: number;
  contactName?: string;
  contactPhone: Sensitive;
  needs?: string[];
  notes?: string;
}

/** The natural key of a household without a record id: its unit and address (spaces ignored). */
export const householdKey = (unitCode: string, address: string) => `${unitCode}|${address.replace(/\s+/g, "")}`;

export function readHouseholdRows(rows: Array<{ line: number; cells: Cells }>): { households: HouseholdIn[]; problems: RowProblem[] } {
  const { records, problems } = readRows(
    HOUSEHOLDS,
    rows,
    (c, line, own) => {
      const h: HouseholdIn = { line, unitCode: c.unitCode, address: c.address.trim(), contactPhone: { kind: "empty" } };
      if (c.id) {
        if (RECORD_ID.test(c.id)) h.id = c.id.toUpperCase();
        else own.push(invalid(line, "id", c.id.slice(0, 30), "a record id as exported (26 letters and digits); leave it empty for a new household"));
      }
      if (c.unitCode && !Code.safeParse(c.unitCode).success) own.push(invalid(line, "unitCode", c.unitCode, "digits only, 6 to 24"));
      const long = tooLong(line, "address", h.address, 200);
      if (long) own.push(long);
      if (c.class) {
        const k = readClass(c.class);
        if (!k) own.push(invalid(line, "class", c.class, "重点户, 关注户 or 一般户"));
        else h.class = k;
      }
      const n = readCount(c.membersCount ?? "", 99);
      if (n === "invalid") own.push(invalid(line, "membersCount", c.membersCount, "a whole number 0–99"));
      else if (n !== undefined) h.membersCount = n;
      if (c.contactName) {
        const l = tooLong(line, "contactName", c.contactName, 64);
        if (l) own.push(l);
        h.contactName = c.contactName.trim();
      }
      const phone = readSensitive(c.contactPhone ?? "", "phone");
      if (phone === "invalid") own.push(invalid(line, "contactPhone", shownSensitive(c.contactPhone, "phone"), PHONE_MESSAGE));
      else h.contactPhone = phone;
      if (c.needs) {
        h.needs = [...new Set(c.needs.split(/[、;；\n]+/).map((x) => x.trim()).filter(Boolean))];
        if (h.needs.length > 20 || h.needs.some((x) => x.length > 100)) own.push(invalid(line, "needs", c.needs.slice(0, 20), "at most 20 needs of 100 characters"));
      }
      if (c.notes) {
        const l = tooLong(line, "notes", c.notes, 2000);
        if (l) own.push(l);
        h.notes = c.notes.trim();
      }
      return h;
    },
    (h) => h.id ?? (h.unitCode && h.address ? householdKey(h.unitCode, h.address) : undefined),
    (h) => h.id ?? `${h.unitCode} ${h.address}`,
  );
  return { households: records, problems };
}

// ---- people ------------------------------------------------------------------------------------

export interface PersonIn {
  line: number;
  id?: string;
  name: string;
  idNumber: Sensitive;
  gender?: Gender;
  relationship?: Relationship;
  phone: Sensitive;
  unitCode: string;
  householdAddress?: string;
  householdId?: string;
  tags?: PersonTag[];
  notes?: string;
}

export function readPersonRows(rows: Array<{ line: number; cells: Cells }>): { people: PersonIn[]; problems: RowProblem[] } {
  const { records, problems } = readRows(
    PEOPLE,
    rows,
    (c, line, own) => {
      const p: PersonIn = { line, name: c.name.trim(), idNumber: { kind: "empty" }, phone: { kind: "empty" }, unitCode: c.unitCode };
      if (c.id) {
        if (RECORD_ID.test(c.id)) p.id = c.id.toUpperCase();
        else own.push(invalid(line, "id", c.id.slice(0, 30), "a record id as exported (26 letters and digits); leave it empty for a new person"));
      }
      const long = tooLong(line, "name", p.name, 64);
      if (long) own.push(long);
      if (c.idType && !ID_TYPES.includes(c.idType.trim())) own.push(invalid(line, "idType", c.idType, "only 居民身份证 (resident ID numbers) are registered"));
      const id = readSensitive(c.idNumber ?? "", "id");
      if (id === "invalid") own.push(invalid(line, "idNumber", shownSensitive(c.idNumber, "id"), ID_NUMBER_MESSAGE));
      else {
        p.idNumber = id;
        if (id.kind === "masked" && !p.id) own.push({ line, key: "idNumber", code: "masked_new", params: { field: "idNumber", value: id.value } });
      }
      if (c.gender) {
        const g = readGender(c.gender);
        if (!g) own.push(invalid(line, "gender", c.gender, "男 or 女"));
        else p.gender = g;
      }
      if (c.relationship) {
        const r = readRelationship(c.relationship);
        if (!r) own.push(invalid(line, "relationship", c.relationship, Object.values(RELATIONSHIP_ZH).join(", ")));
        else p.relationship = r;
      }
      const phone = readSensitive(c.phone ?? "", "phone");
      if (phone === "invalid") own.push(invalid(line, "phone", shownSensitive(c.phone, "phone"), PHONE_MESSAGE));
      else p.phone = phone;
      if (c.unitCode && !Code.safeParse(c.unitCode).success) own.push(invalid(line, "unitCode", c.unitCode, "digits only, 6 to 24"));
      if (c.householdAddress) p.householdAddress = c.householdAddress.trim();
      if (c.householdId) {
        if (RECORD_ID.test(c.householdId)) p.householdId = c.householdId.toUpperCase();
        else own.push(invalid(line, "householdId", c.householdId.slice(0, 30), "a household's record id as exported"));
      }
      if (c.tags) {
        const names = splitCodes(c.tags);
        const tags = names.map(readTag);
        const bad = names.filter((_, i) => !tags[i]);
        if (bad.length) own.push(invalid(line, "tags", bad.join("、").slice(0, 40), Object.values(TAG_ZH).join(", ")));
        else p.tags = [...new Set(tags as PersonTag[])];
      }
      if (c.notes) {
        const l = tooLong(line, "notes", c.notes, 2000);
        if (l) own.push(l);
        p.notes = c.notes.trim();
      }
      return p;
    },
    (p) => p.id ?? (p.idNumber.kind === "plain" ? p.idNumber.value : undefined),
    (p) => p.id ?? (p.idNumber.kind === "plain" ? storedIdNumberMask(p.idNumber.value) : ""),
  );
  return { people: records, problems };
}

// ---- units -------------------------------------------------------------------------------------

export interface UnitIn {
  line: number;
  code: string;
  name: string;
  type?: UnitType;
  parentCode: string;
  households?: number;
  population?: number;
}

export function readUnitRows(rows: Array<{ line: number; cells: Cells }>): { units: UnitIn[]; problems: RowProblem[] } {
  const { records, problems } = readRows(
    UNITS,
    rows,
    (c, line, own) => {
      const u: UnitIn = { line, code: c.code, name: c.name.trim(), parentCode: c.parentCode };
      if (c.code && !Code.safeParse(c.code).success) own.push(invalid(line, "code", c.code, "digits only, 6 to 24"));
      if (c.parentCode && !Code.safeParse(c.parentCode).success) own.push(invalid(line, "parentCode", c.parentCode, "digits only, 6 to 24"));
      if (c.code && c.parentCode && !c.code.startsWith(c.parentCode)) own.push(invalid(line, "code", c.code, `the parent's code ${c.parentCode} followed by this level's digits`));
      const long = tooLong(line, "name", u.name, 64);
      if (long) own.push(long);
      if (c.type) {
        const t = readUnitType(c.type);
        if (!t) own.push(invalid(line, "type", c.type, Object.values(UNIT_TYPE_ZH).join(", ")));
        else u.type = t;
      }
      for (const k of ["households", "population"] as const) {
        const n = readCount(c[k] ?? "", 10_000_000);
        if (n === "invalid") own.push(invalid(line, k, c[k], "a whole number"));
        else if (n !== undefined) u[k] = n;
      }
      return u;
    },
    (u) => (Code.safeParse(u.code).success ? u.code : undefined),
  );
  return { units: records, problems };
}
