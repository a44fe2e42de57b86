import { ForbiddenError } from "../errors.ts";
import { scopesFor, type Principal } from "../auth/principal.ts";
import type { Permission } from "../auth/roles.ts";

/** A scope covering the whole county: `/` (system, API keys) or the root unit's path `/<rootId>/`. */
export function isCountyWide(scope: string): boolean {
  return scope.split("/").filter(Boolean).length <= 1;
}

/**
 * County configuration (departments, categories, calendar, settings) is county-wide: changing it
 * needs the permission held on the county root, not on a street or community (403 otherwise).
 */
export function requireCountyWide(p: Principal, perm: Permission): void {
  if (!scopesFor(p, perm).some(isCountyWide)) {
    throw new ForbiddenError("Only county-level staff may change the county configuration");
  }
}
