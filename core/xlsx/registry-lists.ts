/**
 * The registry's Excel sheets (pure): households (住户) and people (人员), in the layout of
 * core/xlsx/lists.ts, and the reading of a filled row (the unit tree's: core/xlsx/units-lists.ts).
 * docs/registry.md "Excel" and docs/setup.md "Excel".
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
import { byText, invalid, readCount, readRows, splitCodes, tooLong, type Cells } from "./read-cells.ts";
import type { RowProblem } from "./reason.ts";
import { CLASS_ZH, GENDER_ZH, HOUSEHOLDS, ID_TYPES, PEOPLE, RELATIONSHIP_ZH, TAG_ZH } from "./spec-registry.ts";

export { CLASS_ZH, GENDER_ZH, HOUSEHOLDS, ID_TYPES, PEOPLE, RELATIONSHIP_ZH, TAG_ZH };

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

export const readClass = byText(CLASS_ZH);
export const readGender = byText(GENDER_ZH);
export const readRelationship = byText({ ...RELATIONSHIP_ZH, child_in_law: "儿媳/女婿" });
export const readTag = byText(TAG_ZH);

const RECORD_ID = /^[0-9A-HJKMNP-TV-Z]{26}$/i;
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
