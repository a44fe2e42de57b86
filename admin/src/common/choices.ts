/** Enumerations of the API as translated choices (react-admin translates choice names). */
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

/** Permissions a partner application's key may hold: no administration of the county (as the API enforces). */
export const NOT_GRANTABLE_TO_KEYS: readonly string[] = [
  "users:write",
  "api-keys:manage",
  "units:write",
  "units:import",
  "departments:write",
  "categories:write",
  "calendar:write",
  "registry:reveal",
];
export const keyPermissionChoices = permissionChoices.filter((c) => !NOT_GRANTABLE_TO_KEYS.includes(c.id));

export const activeChoices: Choice[] = [
  { id: "true", name: "app.active.true" },
  { id: "false", name: "app.active.false" },
];
