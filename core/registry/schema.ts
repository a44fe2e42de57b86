import * as z from "zod";
import { Cursor, IdRef } from "../db/ids.ts";
import { ID_NUMBER_MESSAGE, isRealDate, normalizeIdNumber, normalizePhone, PHONE_MESSAGE, validIdNumber, validPhone } from "./idcard.ts";

/** Input field types shared by the registry and duties. Error messages never echo the value. */
export const IdNumber = z
  .string()
  .max(32)
  .transform(normalizeIdNumber)
  .refine(validIdNumber, { message: ID_NUMBER_MESSAGE });
export const PhoneNumber = z
  .string()
  .max(32)
  .transform(normalizePhone)
  .refine(validPhone, { message: PHONE_MESSAGE });
export const LocalDate = z
  .string()
  .max(10)
  .regex(/^\d{4}-\d{2}-\d{2}$/, "a date YYYY-MM-DD")
  .refine(isRealDate, { message: "not a calendar date" });
export const Notes = z.string().trim().max(2000, "at most 2000 characters");
const Name = z.string().trim().min(1, "required").max(64);
const Id = IdRef(40);
const Version = z.number().int().min(1);

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
export const PlaceKind = z.enum(["shop", "restaurant", "school", "hospital", "hotel", "factory", "construction_site", "entertainment", "religious", "office", "other"]);

const Tags = z
  .array(PersonTag)
  .max(20)
  .transform((t) => [...new Set(t)]);
const Needs = z.array(z.string().trim().min(1).max(100)).max(20);

// ─── households ──────────────────────────────────────────────────────────────

export const CreateHousehold = z
  .object({
    unitId: Id,
    address: z.string().trim().min(1, "required").max(200),
    membersCount: z.number().int().min(0).max(99),
    contactName: Name.optional(),
    contactPhone: PhoneNumber.optional(),
    class: HouseholdClass.default("general"),
    needs: Needs.default([]),
    notes: Notes.optional(),
  })
  .strict();

export const UpdateHousehold = z
  .object({
    version: Version,
    unitId: Id.optional(),
    address: z.string().trim().min(1, "required").max(200).optional(),
    membersCount: z.number().int().min(0).max(99).optional(),
    contactName: Name.nullable().optional(),
    contactPhone: PhoneNumber.nullable().optional(),
    class: HouseholdClass.optional(),
    needs: Needs.optional(),
    notes: Notes.nullable().optional(),
  })
  .strict();

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

export const CreatePerson = z
  .object({
    householdId: Id.optional(),
    unitId: Id.optional(),
    name: Name,
    idNumber: IdNumber,
    phone: PhoneNumber.optional(),
    birthDate: LocalDate.optional(),
    gender: Gender.optional(),
    tags: Tags.default([]),
    notes: Notes.optional(),
  })
  .strict();

export const UpdatePerson = z
  .object({
    version: Version,
    householdId: Id.nullable().optional(),
    unitId: Id.optional(),
    name: Name.optional(),
    idNumber: IdNumber.optional(),
    phone: PhoneNumber.nullable().optional(),
    birthDate: LocalDate.optional(),
    gender: Gender.optional(),
    tags: Tags.optional(),
    notes: Notes.nullable().optional(),
    /** mark the person as moved away (true) or back (false); a moved-away person is deleted privacy.movedAwayRetentionDays later */
    movedAway: z.boolean().optional(),
  })
  .strict();

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

export const CreatePlace = z
  .object({
    unitId: Id,
    name: z.string().trim().min(1, "required").max(100),
    kind: PlaceKind,
    address: z.string().trim().min(1, "required").max(200),
    ownerName: Name,
    ownerPhone: PhoneNumber,
    licenseNo: z.string().trim().max(40).optional(),
    notes: Notes.optional(),
  })
  .strict();

export const UpdatePlace = z
  .object({
    version: Version,
    unitId: Id.optional(),
    name: z.string().trim().min(1, "required").max(100).optional(),
    kind: PlaceKind.optional(),
    address: z.string().trim().min(1, "required").max(200).optional(),
    ownerName: Name.optional(),
    ownerPhone: PhoneNumber.optional(),
    licenseNo: z.string().trim().max(40).nullable().optional(),
    notes: Notes.nullable().optional(),
  })
  .strict();

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
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: Cursor.optional(),
};

export const HouseholdQuery = z.object({
  unitId: Id.optional(),
  class: HouseholdClass.optional(),
  q: z.string().trim().min(1).max(64).optional(),
  ...Page,
});
export const PersonQuery = z.object({
  unitId: Id.optional(),
  householdId: Id.optional(),
  tag: PersonTag.optional(),
  q: z.string().trim().min(1).max(64).optional(),
  ...Page,
});
export const PlaceQuery = z.object({
  unitId: Id.optional(),
  kind: PlaceKind.optional(),
  q: z.string().trim().min(1).max(64).optional(),
  ...Page,
});

export const DeleteQuery = z.object({ version: z.coerce.number().int().min(1) });

/**
 * Why personal data is looked at: a purpose code from this list, free text, and optionally a
 * reference (case number, ticket). Reveals and exact searches carry it; the audit keeps it.
 */
export const PURPOSES = ["case_handling", "identity_check", "service_delivery", "public_safety", "data_correction", "other"] as const;
export const Purpose = z.enum(PURPOSES);
export const Reason = z.string().trim().min(4, "say why (at least 4 characters)").max(500);
export const Reference = z.string().trim().min(1).max(64).optional();

/** Exact search by a blind index: exactly one of the two, with a purpose and a reason. Sent in a POST body, never in a URL. */
export const SearchInput = z
  .object({ idNumber: IdNumber.optional(), phone: PhoneNumber.optional(), purpose: Purpose, reason: Reason, reference: Reference })
  .strict()
  .refine((s) => (s.idNumber === undefined) !== (s.phone === undefined), { message: "give exactly one of idNumber, phone", path: ["idNumber"] });

export const RevealInput = z
  .object({
    purpose: Purpose,
    reason: Reason,
    reference: Reference,
    fields: z.array(z.string().max(40)).max(10).optional(),
  })
  .strict();

// ─── key lists ───────────────────────────────────────────────────────────────

export const KeyListName = z.enum(["people", "places", "matters"]);
export type KeyListName = z.infer<typeof KeyListName>;

export const CreateKeyEntry = z
  .object({
    list: KeyListName,
    /** the person (list people) or place (list places); matters have none */
    subjectId: Id.optional(),
    /** required for matters; defaults to the subject's name */
    title: z.string().trim().min(1).max(100).optional(),
    unitId: Id.optional(),
    reason: z.string().trim().min(1, "required").max(500),
    tags: z.array(z.string().trim().min(1).max(32)).max(10).default([]),
    startDate: LocalDate,
    endDate: LocalDate.optional(),
    responsibleUserId: Id,
    notes: Notes.optional(),
  })
  .strict();

export const UpdateKeyEntry = z
  .object({
    version: Version,
    title: z.string().trim().min(1).max(100).optional(),
    reason: z.string().trim().min(1, "required").max(500).optional(),
    tags: z.array(z.string().trim().min(1).max(32)).max(10).optional(),
    startDate: LocalDate.optional(),
    endDate: LocalDate.nullable().optional(),
    responsibleUserId: Id.optional(),
    status: z.enum(["active", "closed"]).optional(),
    notes: Notes.nullable().optional(),
  })
  .strict();

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
  unitId: Id.optional(),
  responsibleUserId: Id.optional(),
  subjectId: Id.optional(),
  status: z.enum(["active", "closed"]).optional(),
  ...Page,
});
