import * as z from "zod/mini";
import { Cursor, IdRef } from "../db/ids.ts";
import { LocalDate, Notes } from "./fields.ts";
import { ID_NUMBER_MESSAGE, normalizeIdNumber, normalizePhone, PHONE_MESSAGE, validIdNumber, validPhone } from "./idcard.ts";

/** Input field types shared by the registry and duties. Error messages never echo the value. */
export const IdNumber = z.pipe(z.string().check(z.maxLength(32)), z.transform(normalizeIdNumber)).check(z.refine(validIdNumber, { message: ID_NUMBER_MESSAGE }));
export const PhoneNumber = z.pipe(z.string().check(z.maxLength(32)), z.transform(normalizePhone)).check(z.refine(validPhone, { message: PHONE_MESSAGE }));
// a date and free notes, shared with the duties: in a module of their own (core/registry/fields.ts)
export { LocalDate, Notes };
const Name = z.string().check(z.trim(), z.minLength(1, "required"), z.maxLength(64));
const Id = IdRef(40);
const Version = z.number().check(z.int(), z.gte(1));

export const HouseholdClass = z.enum(["key", "monitored", "general"]);
export type HouseholdClass = z.infer<typeof HouseholdClass>;

export const PersonTag = z.enum([
  "elderly_alone",
  "elderly",
  "disabled",
  "youth_attention",
  "left_behind_child",
  "migrant",
  "party_member",
  "volunteer",
  "veteran",
  "low_income",
  "special_care",
  "community_correction",
  "other",
]);
export const Gender = z.enum(["male", "female"]);
/** Relationship to the head of the household (与户主关系), as household registers record it. */
export const Relationship = z.enum(["head", "spouse", "child", "parent", "grandchild", "grandparent", "sibling", "child_in_law", "other"]);
export type Relationship = z.infer<typeof Relationship>;
export const PlaceKind = z.enum(["shop", "restaurant", "school", "hospital", "hotel", "factory", "construction_site", "entertainment", "religious", "office", "other"]);

const Tags = z.pipe(z.array(PersonTag).check(z.maxLength(20)), z.transform((t) => [...new Set(t)]));
const Needs = z.array(z.string().check(z.trim(), z.minLength(1), z.maxLength(100))).check(z.maxLength(20));

// ─── households ──────────────────────────────────────────────────────────────

export const CreateHousehold = z.strictObject({
    unitId: Id,
    address: z.string().check(z.trim(), z.minLength(1, "required"), z.maxLength(200)),
    membersCount: z.number().check(z.int(), z.gte(0), z.lte(99)),
    contactName: z.optional(Name),
    contactPhone: z.optional(PhoneNumber),
    class: z._default(HouseholdClass, "general"),
    needs: z._default(Needs, []),
    notes: z.optional(Notes),
  });

export const UpdateHousehold = z.strictObject({
    version: Version,
    unitId: z.optional(Id),
    address: z.optional(z.string().check(z.trim(), z.minLength(1, "required"), z.maxLength(200))),
    membersCount: z.optional(z.number().check(z.int(), z.gte(0), z.lte(99))),
    contactName: z.optional(z.nullable(Name)),
    contactPhone: z.optional(z.nullable(PhoneNumber)),
    class: z.optional(HouseholdClass),
    needs: z.optional(Needs),
    notes: z.optional(z.nullable(Notes)),
  });

/** As stored: personal fields sealed (`*Sealed`), masked (`*Masked`) and blind-indexed (`*Hash`). */
export type HouseholdRecord = {
  id: string;
  unitId: string;
  unitPath: string;
  address: string;
  membersCount: number;
  contactName?: string;
  contactPhoneSealed?: string;
  contactPhoneMasked?: string;
  contactPhoneHash?: string;
  class: HouseholdClass;
  needs: string[];
  notes?: string;
  version: number;
  createdAt: string;
  updatedAt: string;
  createdBy: string;
}

// ─── people ──────────────────────────────────────────────────────────────────

export const CreatePerson = z.strictObject({
    householdId: z.optional(Id),
    unitId: z.optional(Id),
    name: Name,
    idNumber: IdNumber,
    phone: z.optional(PhoneNumber),
    birthDate: z.optional(LocalDate),
    gender: z.optional(Gender),
    relationship: z.optional(Relationship),
    tags: z._default(Tags, []),
    notes: z.optional(Notes),
  });

export const UpdatePerson = z.strictObject({
    version: Version,
    householdId: z.optional(z.nullable(Id)),
    unitId: z.optional(Id),
    name: z.optional(Name),
    idNumber: z.optional(IdNumber),
    phone: z.optional(z.nullable(PhoneNumber)),
    birthDate: z.optional(LocalDate),
    gender: z.optional(Gender),
    relationship: z.optional(z.nullable(Relationship)),
    tags: z.optional(Tags),
    notes: z.optional(z.nullable(Notes)),
    /** mark the person as moved away (true) or back (false); a moved-away person is deleted privacy.movedAwayRetentionDays later */
    movedAway: z.optional(z.boolean()),
  });

export type PersonRecord = {
  id: string;
  unitId: string;
  unitPath: string;
  householdId: string | null;
  name: string;
  idNumberSealed: string;
  idNumberMasked: string;
  idNumberHash: string;
  phoneSealed?: string;
  phoneMasked?: string;
  phoneHash?: string;
  birthDateSealed: string;
  birthYear: number;
  gender: z.infer<typeof Gender>;
  /** relationship to the head of the household */
  relationship?: Relationship;
  tags: z.infer<typeof PersonTag>[];
  notes?: string;
  /** when the person was marked as moved away (the retention job deletes them privacy.movedAwayRetentionDays later) */
  movedAwayAt?: string;
  version: number;
  createdAt: string;
  updatedAt: string;
  createdBy: string;
}

// ─── places ──────────────────────────────────────────────────────────────────

export const CreatePlace = z.strictObject({
    unitId: Id,
    name: z.string().check(z.trim(), z.minLength(1, "required"), z.maxLength(100)),
    kind: PlaceKind,
    address: z.string().check(z.trim(), z.minLength(1, "required"), z.maxLength(200)),
    ownerName: Name,
    ownerPhone: PhoneNumber,
    licenseNo: z.optional(z.string().check(z.trim(), z.maxLength(40))),
    notes: z.optional(Notes),
  });

export const UpdatePlace = z.strictObject({
    version: Version,
    unitId: z.optional(Id),
    name: z.optional(z.string().check(z.trim(), z.minLength(1, "required"), z.maxLength(100))),
    kind: z.optional(PlaceKind),
    address: z.optional(z.string().check(z.trim(), z.minLength(1, "required"), z.maxLength(200))),
    ownerName: z.optional(Name),
    ownerPhone: z.optional(PhoneNumber),
    licenseNo: z.optional(z.nullable(z.string().check(z.trim(), z.maxLength(40)))),
    notes: z.optional(z.nullable(Notes)),
  });

export type PlaceRecord = {
  id: string;
  unitId: string;
  unitPath: string;
  name: string;
  kind: z.infer<typeof PlaceKind>;
  address: string;
  ownerName: string;
  ownerPhoneSealed: string;
  ownerPhoneMasked: string;
  ownerPhoneHash: string;
  licenseNo?: string;
  notes?: string;
  version: number;
  createdAt: string;
  updatedAt: string;
  createdBy: string;
}

// ─── queries and actions ─────────────────────────────────────────────────────

const Page = {
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(200)), 50),
  cursor: z.optional(Cursor),
};

export const HouseholdQuery = z.object({
  unitId: z.optional(Id),
  class: z.optional(HouseholdClass),
  q: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(64))),
  ...Page,
});
export const PersonQuery = z.object({
  unitId: z.optional(Id),
  householdId: z.optional(Id),
  tag: z.optional(PersonTag),
  q: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(64))),
  ...Page,
});
export const PlaceQuery = z.object({
  unitId: z.optional(Id),
  kind: z.optional(PlaceKind),
  q: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(64))),
  ...Page,
});

export const DeleteQuery = z.object({ version: z.coerce.number().check(z.int(), z.gte(1)) });

/**
 * Why personal data is looked at: a purpose code from this list, free text, and optionally a
 * reference (case number, ticket). Reveals and exact searches carry it; the audit keeps it.
 */
export const PURPOSES = ["case_handling", "identity_check", "service_delivery", "public_safety", "data_correction", "other"] as const;
export const Purpose = z.enum(PURPOSES);
export const Reason = z.string().check(z.trim(), z.minLength(4, "say why (at least 4 characters)"), z.maxLength(500));
export const Reference = z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(64)));

/** Exact search by a blind index: exactly one of the two, with a purpose and a reason. Sent in a POST body, never in a URL. */
export const SearchInput = z.strictObject({ idNumber: z.optional(IdNumber), phone: z.optional(PhoneNumber), purpose: Purpose, reason: Reason, reference: Reference }).check(z.refine((s) => (s.idNumber === undefined) !== (s.phone === undefined), { message: "give exactly one of idNumber, phone", path: ["idNumber"] }));

export const RevealInput = z.strictObject({
    purpose: Purpose,
    reason: Reason,
    reference: Reference,
    fields: z.optional(z.array(z.string().check(z.maxLength(40))).check(z.maxLength(10))),
  });

// ─── key lists ───────────────────────────────────────────────────────────────

export const KeyListName = z.enum(["people", "places", "matters"]);
export type KeyListName = z.infer<typeof KeyListName>;

export const CreateKeyEntry = z.strictObject({
    list: KeyListName,
    /** the person (list people) or place (list places); matters have none */
    subjectId: z.optional(Id),
    /** required for matters; defaults to the subject's name */
    title: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(100))),
    unitId: z.optional(Id),
    reason: z.string().check(z.trim(), z.minLength(1, "required"), z.maxLength(500)),
    tags: z._default(z.array(z.string().check(z.trim(), z.minLength(1), z.maxLength(32))).check(z.maxLength(10)), []),
    startDate: LocalDate,
    endDate: z.optional(LocalDate),
    responsibleUserId: Id,
    notes: z.optional(Notes),
  });

export const UpdateKeyEntry = z.strictObject({
    version: Version,
    title: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(100))),
    reason: z.optional(z.string().check(z.trim(), z.minLength(1, "required"), z.maxLength(500))),
    tags: z.optional(z.array(z.string().check(z.trim(), z.minLength(1), z.maxLength(32))).check(z.maxLength(10))),
    startDate: z.optional(LocalDate),
    endDate: z.optional(z.nullable(LocalDate)),
    responsibleUserId: z.optional(Id),
    status: z.optional(z.enum(["active", "closed"])),
    notes: z.optional(z.nullable(Notes)),
  });

export type KeyEntry = {
  id: string;
  list: KeyListName;
  subjectId: string | null;
  title: string;
  unitId: string;
  unitPath: string;
  reason: string;
  tags: string[];
  startDate: string;
  endDate: string | null;
  responsibleUserId: string;
  status: "active" | "closed";
  notes?: string;
  version: number;
  createdAt: string;
  updatedAt: string;
  createdBy: string;
}

export const KeyEntryQuery = z.object({
  list: KeyListName,
  unitId: z.optional(Id),
  responsibleUserId: z.optional(Id),
  subjectId: z.optional(Id),
  status: z.optional(z.enum(["active", "closed"])),
  ...Page,
});
