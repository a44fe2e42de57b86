/**
 * Permissions and roles as the console knows them. The lists mirror `core/auth/roles.ts`; the
 * type-only import (erased at build, so zod stays out of the bundle) makes `tsc` fail when the two drift.
 */
import type { Permission, RoleName } from "../../core/auth/roles.ts";

export const ROLES = [
  "county_admin",
  "dispatcher",
  "supervisor",
  "street_staff",
  "community_staff",
  "grid_leader",
  "grid_worker",
  "grid_instructor",
  "department_staff",
  "auditor",
] as const satisfies readonly RoleName[];

/** Permissions a person or an API key can hold (`public` and `authenticated` are route markers, not grants). */
export const PERMISSIONS = [
  "units:read",
  "units:write",
  "units:import",
  "departments:read",
  "departments:write",
  "categories:read",
  "categories:write",
  "calendar:read",
  "calendar:write",
  "users:read",
  "users:write",
  "api-keys:manage",
  "audit:read",
  "jobs:read",
  "cases:read",
  "cases:report",
  "cases:act",
  "cases:dispatch",
  "cases:supervise",
  "appraisals:read",
  "appraisals:run",
  "appraisals:lock",
  "indicators:write",
  "registry:read",
  "registry:write",
  "registry:reveal",
  "exports:request",
  "exports:approve",
  "tasks:manage",
  "tasks:request",
  "ops:read",
  "ops:redrive",
  "cases:repair",
  "webhooks:manage",
] as const satisfies readonly Permission[];

// Compile-time completeness checks: every role and grantable permission of the API is listed here.
type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const rolesComplete: Exact<(typeof ROLES)[number], RoleName> = true;
const permissionsComplete: Exact<(typeof PERMISSIONS)[number], Exclude<Permission, "public" | "authenticated">> = true;
void rolesComplete;
void permissionsComplete;

/** Roles whose assignment names a department. */
export const DEPARTMENT_ROLES: readonly string[] = ["department_staff"];

/** What each console resource needs: `read` for list/show, `write` for create/edit and domain actions. */
/** A rule names one permission, or several of which any one suffices. */
type Needs = string | readonly string[];
const RULES: Record<string, { read: Needs; write?: Needs; actions?: Record<string, Needs> }> = {
  units: { read: "units:read", write: "units:write", actions: { import: "units:import" } },
  departments: { read: "departments:read", write: "departments:write" },
  categories: { read: "categories:read", write: "categories:write" },
  users: { read: "users:read", write: "users:write" },
  "api-keys": { read: "api-keys:manage", write: "api-keys:manage" },
  calendar: { read: "calendar:read", write: "calendar:write" },
  audit: { read: "audit:read" },
  cases: { read: "cases:read", actions: { create: "cases:report" } },
  jobs: { read: "jobs:read" },
  appraisals: { read: "appraisals:read", write: "appraisals:run", actions: { run: "appraisals:run", lock: "appraisals:lock", redeem: "appraisals:run" } },
  "scoring-rules": { read: "appraisals:read", write: "appraisals:run" },
  indicators: { read: "appraisals:read", write: "indicators:write" },
  households: { read: "registry:read", write: "registry:write" },
  people: { read: "registry:read", write: "registry:write" },
  places: { read: "registry:read", write: "registry:write" },
  "key-lists": { read: "registry:read", write: "registry:write" },
  tasks: { read: ["tasks:manage", "tasks:request", "registry:read"], actions: { create: "tasks:request" } },
  "task-types": { read: ["tasks:manage", "tasks:request", "registry:read"], write: "tasks:manage" },
  exports: { read: ["exports:request", "exports:approve"], actions: { create: "exports:request" } },
  webhooks: { read: "webhooks:manage", write: "webhooks:manage" },
};

const READ_ACTIONS = new Set(["list", "show", "export"]);

/**
 * May a holder of `permissions` do `action` on `resource`? Unknown resources and `delete`
 * (no resource supports deletion) are refused. Other actions (`move`, `deactivate`, `revoke`…) need `write`.
 */
export function allowed(permissions: readonly string[], resource: string, action: string): boolean {
  const rule = RULES[resource];
  if (!rule || action === "delete") return false;
  const needed = rule.actions?.[action] ?? (READ_ACTIONS.has(action) ? rule.read : rule.write);
  if (needed === undefined) return false;
  return typeof needed === "string" ? permissions.includes(needed) : needed.some((n) => permissions.includes(n));
}
