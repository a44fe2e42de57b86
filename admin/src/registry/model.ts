/**
 * The registry as the console sees it (pure): the enumerations (mirrored from core/registry/schema.ts,
 * checked by model.test.ts), the ID-number and phone checks (the very functions the API uses,
 * core/registry/idcard.ts, which imports nothing), what each record kind can reveal, and the
 * export datasets' fields (mirrored from core/export/datasets.ts, checked by the test).
 */
import { idInfo, normalizeIdNumber, normalizePhone, validIdNumber, validPhone } from "../../../core/registry/idcard.ts";

export const HOUSEHOLD_CLASSES = ["key", "monitored", "general"] as const;
export const PERSON_TAGS = [
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
] as const;
export const PLACE_KINDS = ["shop", "restaurant", "school", "hospital", "hotel", "factory", "construction_site", "entertainment", "religious", "office", "other"] as const;
export const KEY_LISTS = ["people", "places", "matters"] as const;
export type KeyList = (typeof KEY_LISTS)[number];

/** Message keys of the two checks; their English text is the API's message (messages.en.ts imports it). */
export const ID_NUMBER_KEY = "app.registry.validation.id_number";
export const PHONE_KEY = "app.registry.validation.phone";

/** react-admin validator: undefined when empty (required() says that) or valid, else the message key. */
export const validateIdNumber = (value: unknown): string | undefined => {
  if (value === undefined || value === null || String(value).trim() === "") return undefined;
  return validIdNumber(normalizeIdNumber(String(value))) ? undefined : ID_NUMBER_KEY;
};
export const validatePhoneNumber = (value: unknown): string | undefined => {
  if (value === undefined || value === null || String(value).trim() === "") return undefined;
  return validPhone(normalizePhone(String(value))) ? undefined : PHONE_KEY;
};

/** Birth date and gender read from a valid ID number (shown beside the input), else undefined. */
export function idNumberHint(value: unknown): { birthDate: string; gender: "male" | "female" } | undefined {
  if (typeof value !== "string") return undefined;
  const id = normalizeIdNumber(value);
  if (!validIdNumber(id)) return undefined;
  const { birthDate, gender } = idInfo(id);
  return { birthDate, gender };
}

/** Resource name → the sealed fields `POST …/{id}/reveal` can open. */
export const REVEALABLE: Record<string, readonly string[]> = {
  people: ["idNumber", "phone", "birthDate"],
  households: ["contactPhone"],
  places: ["ownerPhone"],
};
/** How long a revealed value stays on the screen. */
export const REVEAL_SECONDS = 30;

/** The ids of a materialized path `/a/b/c/`, top first. */
export const pathIds = (path: unknown): string[] => (typeof path === "string" ? path.split("/").filter(Boolean) : []);

/** Export datasets: their fields in column order and the personal ones (masked unless approved in clear). */
const KEYLIST_FIELDS = ["id", "unitCode", "unitName", "title", "subjectId", "reason", "tags", "startDate", "endDate", "responsibleUserId", "status"];
export const EXPORT_DATASETS: Record<string, { fields: readonly string[]; personal: readonly string[] }> = {
  households: { fields: ["id", "unitCode", "unitName", "address", "membersCount", "contactName", "contactPhone", "class", "needs", "notes", "updatedAt"], personal: ["contactPhone"] },
  people: { fields: ["id", "unitCode", "unitName", "householdId", "name", "idNumber", "phone", "birthDate", "gender", "tags", "notes"], personal: ["idNumber", "phone", "birthDate"] },
  places: { fields: ["id", "unitCode", "unitName", "name", "kind", "address", "ownerName", "ownerPhone", "licenseNo", "notes"], personal: ["ownerPhone"] },
  key_people: { fields: KEYLIST_FIELDS, personal: [] },
  key_places: { fields: KEYLIST_FIELDS, personal: [] },
  key_matters: { fields: KEYLIST_FIELDS, personal: [] },
};

/** Case event types a webhook can subscribe to (core/case/schema.ts EventType), `*` for all. */
export const WEBHOOK_EVENTS = [
  "reported",
  "accepted",
  "claim_opened",
  "claimed",
  "claim_expired",
  "dispatched",
  "rejected",
  "merged",
  "resolved",
  "transferred",
  "started",
  "handled",
  "verified",
  "verify_failed",
  "evaluated",
  "returned",
  "mediated",
  "escalated",
  "supervised",
  "supervision_reminder",
  "overdue",
  "extension_requested",
  "extension_approved",
  "extension_refused",
  "deferred",
  "resumed",
  "closed",
  "reopened",
  "commented",
] as const;

/** An export's download link is usable until this time (ISO), counted from when it was issued. */
export const linkExpiry = (issuedAt: number, seconds: number): number => issuedAt + seconds * 1000;

/** Seconds left until `until` (never negative, whole seconds). */
export const secondsLeft = (until: number, now: number): number => Math.max(0, Math.ceil((until - now) / 1000));
