/**
 * Who may see a user, and where a user's audit entries belong: pure rules, kept apart from the user
 * service so small handlers (activation, sign-in) do not bundle its writes, jobs and queues.
 */
import { inScopes, scopesFor, type Assignment, type Principal } from "../auth/principal.ts";
import type { User } from "./schema.ts";

/**
 * Users whose assignments are all in the caller's scope may be seen and changed by it. A user who
 * handed all their roles over (core/user/handover.ts) is seen where those roles were.
 */
export function visibleUser(p: Principal, u: Pick<User, "assignments"> & { handedOverFrom?: Assignment[] }, perm: "users:read" | "users:write"): boolean {
  const scopes = scopesFor(p, perm);
  const where = u.assignments.length ? u.assignments : (u.handedOverFrom ?? []);
  return where.length > 0 && where.every((a) => inScopes(a.unitPath, scopes));
}

/**
 * The part of the hierarchy a user's audit entries belong to: the deepest unit path common to all
 * their assignments (before and after a change), so a street-level reader sees the changes of
 * users wholly inside the street and nothing of users who also hold roles elsewhere.
 */
export function userUnitPath(...users: Array<Pick<User, "assignments">>): string | undefined {
  const paths = users.flatMap((u) => u.assignments.map((a) => a.unitPath));
  if (!paths.length) return undefined;
  const parts = paths.map((x) => x.split("/").filter(Boolean));
  const common: string[] = [];
  for (let i = 0; parts.every((x) => i < x.length && x[i] === parts[0][i]); i++) common.push(parts[0][i]);
  return common.length ? `/${common.join("/")}/` : undefined;
}
