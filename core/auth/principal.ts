import * as z from "zod/mini";
import { ForbiddenError } from "../errors.ts";
import { Permission, RoleName, rolePermissions } from "./roles.ts";
import { canonicalPath } from "../unit/paths.ts";

/** One role held by a user, scoped to a unit subtree (by materialized path) and optionally a department. */
export const Assignment = z.object({
  role: RoleName,
  unitId: z.string(),
  unitPath: z.string(),
  departmentId: z.optional(z.string()),
  /** when this role on this unit was given (duties count only days the worker held the grid) */
  since: z.optional(z.string()),
});
export type Assignment = z.infer<typeof Assignment>;

export type Principal =
  | { kind: "user"; id: string; username: string; assignments: Assignment[] }
  | { kind: "api_key"; id: string; permissions: Permission[]; unitPath?: string; channels?: string[] }
  | { kind: "resident"; id: string; unitId?: string; unitPath?: string }
  | { kind: "system"; id: string };

/** All permissions a principal holds, across assignments. */
export function permissionsOf(p: Principal): Set<Permission> {
  switch (p.kind) {
    case "user":
      return new Set(p.assignments.flatMap((a) => rolePermissions[a.role]));
    case "api_key":
      return new Set(p.permissions);
    case "resident":
      return new Set<Permission>(["cases:report", "cases:read", "cases:act"]);
    case "system":
      return new Set(Permission.options);
  }
}

export function hasPermission(p: Principal, perm: Permission): boolean {
  if (perm === "public" || perm === "authenticated") return true;
  return permissionsOf(p).has(perm);
}

/** The unit paths under which the principal holds a permission (subtrees it may see for it). */
export function scopesFor(p: Principal, perm: Permission): string[] {
  switch (p.kind) {
    case "user":
      return p.assignments.filter((a) => rolePermissions[a.role].includes(perm)).map((a) => a.unitPath);
    case "api_key":
      return p.permissions.includes(perm) ? [p.unitPath ?? "/"] : [];
    case "resident":
      return [];
    case "system":
      return ["/"];
  }
}

/**
 * Is a unit path inside any of the given scopes? Paths look like `/u1/u2/`. Both sides are read
 * canonically (core/unit/paths.ts): while a moved subtree's records are re-pathed, a record or a
 * token scope still carrying the old path counts where the unit is now.
 */
export function inScopes(unitPath: string, scopes: string[]): boolean {
  const path = canonicalPath(unitPath);
  return scopes.some((s) => path.startsWith(canonicalPath(s)));
}

/** Throws 403 unless the unit is within the principal's scope for the permission. */
export function requireScope(p: Principal, perm: Permission, unitPath: string): void {
  if (!inScopes(unitPath, scopesFor(p, perm))) {
    throw new ForbiddenError("This unit is outside your part of the hierarchy");
  }
}
