/** Roles whose assignment carries registry:write (core/auth/roles.ts; checked by duties/roles.test.ts). */
export const ROLE_PERMISSIONS_WRITE: ReadonlySet<string> = new Set(["community_staff", "grid_leader", "grid_worker"]);
