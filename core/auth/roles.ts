import * as z from "zod/mini";

/** Every permission a route or core function can require. `public` needs no caller. */
export const Permission = z.enum([
  "public",
  "authenticated",
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
  /** send dead-lettered messages back to their queue (POST /v1/ops/queues/{queue}/redrive) */
  "ops:redrive",
  /** hand cases stranded by an invalid owner back to the dispatch center (POST /v1/ops/repair-stranded-cases) */
  "cases:repair",
  "webhooks:manage",
]);
export type Permission = z.infer<typeof Permission>;

export const RoleName = z.enum([
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
]);
export type RoleName = z.infer<typeof RoleName>;

const READ_CONFIG: Permission[] = ["units:read", "departments:read", "categories:read", "calendar:read"];

/**
 * The authorization matrix: role → permissions. Scope (which part of the hierarchy or which
 * department) is carried by the role assignment and checked by core against the record.
 */
export const rolePermissions: Record<RoleName, readonly Permission[]> = {
  county_admin: [
    ...READ_CONFIG,
    "units:write",
    "units:import",
    "departments:write",
    "categories:write",
    "calendar:write",
    "users:read",
    "users:write",
    "api-keys:manage",
    "audit:read",
    "jobs:read",
    "cases:read",
    "appraisals:read",
    "appraisals:run",
    "appraisals:lock",
    "indicators:write",
    "ops:read",
    "ops:redrive", "cases:repair",
    "webhooks:manage",
    "exports:approve",
  ],
  dispatcher: [...READ_CONFIG, "users:read", "jobs:read", "cases:read", "cases:report", "cases:act", "cases:dispatch", "appraisals:read", "indicators:write", "registry:read", "registry:reveal", "exports:approve", "tasks:manage"],
  supervisor: [...READ_CONFIG, "cases:read", "cases:act", "cases:supervise", "appraisals:read"],
  street_staff: [...READ_CONFIG, "users:read", "cases:read", "cases:report", "cases:act", "appraisals:read", "registry:read"],
  // jobs:read: they follow their own registry imports (a job is seen by its creator only, core/job/service.ts)
  community_staff: [...READ_CONFIG, "users:read", "jobs:read", "cases:read", "cases:report", "cases:act", "appraisals:read", "registry:read", "registry:write", "registry:reveal"],
  grid_leader: [...READ_CONFIG, "jobs:read", "cases:read", "cases:report", "cases:act", "appraisals:read", "registry:read", "registry:write"],
  grid_worker: [...READ_CONFIG, "jobs:read", "cases:read", "cases:report", "cases:act", "registry:read", "registry:write"],
  grid_instructor: [...READ_CONFIG, "cases:read", "cases:act", "appraisals:read", "registry:read"],
  department_staff: [...READ_CONFIG, "cases:read", "cases:act", "appraisals:read", "exports:request", "tasks:request"],
  auditor: [...READ_CONFIG, "users:read", "audit:read", "jobs:read", "cases:read", "appraisals:read", "ops:read"],
};

/** Roles whose scope is a department rather than (only) a unit subtree. */
export const DEPARTMENT_ROLES: readonly RoleName[] = ["department_staff"];
