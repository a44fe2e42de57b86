/** Enumerations of the API as translated choices (react-admin translates choice names). */
import type { GrantablePermission as GrantableEnum } from "../../../core/apikey/schema.ts";
import { ROLES, PERMISSIONS } from "../permissions.ts";

export interface Choice {
  id: string;
  name: string;
}

export const choicesOf = (prefix: string, ids: readonly (string | number)[]): Choice[] => ids.map((id) => ({ id: String(id), name: `${prefix}.${id}` }));

export const UNIT_TYPES = ["county", "street", "community", "residential", "village_to_residential", "park", "mixed", "venue", "rural", "other"] as const;
/** Types a grid (a unit below the community level) may have; the upper levels have their own. */
export const unitTypeChoices = choicesOf("app.unit_types", UNIT_TYPES);

export const DURATION_UNITS = ["working_hours", "calendar_hours", "working_days", "calendar_days"] as const;
export const durationUnitChoices = choicesOf("app.duration_units", DURATION_UNITS);

export const STAGES = ["accept", "claim", "dispatch", "handle", "verify", "evaluate"] as const;

export const CASE_STATES = ["reported", "accepted", "claimable", "dispatched", "in_progress", "handled", "verified", "closed", "rejected"] as const;
export const caseStateChoices = choicesOf("app.case_states", CASE_STATES);

export const roleChoices = choicesOf("app.roles", ROLES);
export const permissionChoices = choicesOf("app.permissions", PERMISSIONS);

/**
 * Permissions a partner application's key may hold: the API's allow-list (core/apikey/schema.ts
 * GrantablePermission; the type-only import makes tsc fail when the two drift).
 */
type GrantablePermission = (typeof GrantableEnum)["options"][number];
export const KEY_PERMISSIONS = [
  "units:read",
  "departments:read",
  "categories:read",
  "calendar:read",
  "cases:read",
  "cases:report",
  "cases:act",
  "appraisals:read",
] as const satisfies readonly GrantablePermission[];
type ExactKeys<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const keyPermissionsComplete: ExactKeys<(typeof KEY_PERMISSIONS)[number], GrantablePermission> = true;
void keyPermissionsComplete;
export const keyPermissionChoices = choicesOf("app.permissions", KEY_PERMISSIONS);

export const activeChoices: Choice[] = [
  { id: "true", name: "app.active.true" },
  { id: "false", name: "app.active.false" },
];
