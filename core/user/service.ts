import * as z from "zod/mini";
import { IdRef } from "../db/ids.ts";
import type { Page } from "../db/page.ts";
import { ConflictError, InvalidError, NotFoundError } from "../errors.ts";
import { actorOf, auditPut, diff } from "../audit/entry.ts";
import { hashPassword } from "../auth/password.ts";
import { inScopes, requireScope, scopesFor, type Assignment, type Principal } from "../auth/principal.ts";
import { DEPARTMENT_ROLES, RoleName } from "../auth/roles.ts";
import { parse } from "../validate.ts";
import { getUnits } from "../unit/repo.ts";
import type { Unit } from "../unit/schema.ts";
import { createUser as insertUser, createUsers, getUser, replaceUserWithRows, usernameExists, type NewUser } from "./repo.ts";
import { issueCode } from "./activation-code.ts";
import { Password, Phone, Username, publicUser, type User, type UserItem } from "./schema.ts";
import { userUnitPath, visibleUser } from "./visibility.ts";

export { userUnitPath, visibleUser };

const AssignmentInput = z.object({ role: RoleName, unitId: IdRef(40), departmentId: z.optional(IdRef(40)) });

export const CreateUserInput = z.object({
  username: Username,
  displayName: z.string().check(z.trim(), z.minLength(1), z.maxLength(64)),
  phone: z.optional(Phone),
  password: Password,
  assignments: z.array(AssignmentInput).check(z.minLength(1), z.maxLength(20)),
});

export const UpdateUserInput = z.strictObject({
    version: z.number().check(z.int(), z.gte(1)),
    displayName: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(64))),
    phone: z.optional(z.nullable(Phone)),
    active: z.optional(z.boolean()),
    assignments: z.optional(z.array(AssignmentInput).check(z.minLength(1), z.maxLength(20))),
  });

export const SetPasswordInput = z.object({ password: Password });

export { listStaff, UserQuery } from "./list.ts";

/** Units the caller has just read (an import reads its rows' units once for many accounts), by id. */
export type KnownUnits = ReadonlyMap<string, Unit>;

/**
 * Resolve assignment units (must exist, be active, be inside the caller's users:write scope).
 * `since` is when the role on that unit was given: kept from `previous` for an unchanged role and
 * unit, otherwise `now` (duties count only days a worker held the grid). The units are read here,
 * unless `known` has them all.
 */
export async function resolveAssignments(p: Principal | undefined, input: z.infer<typeof AssignmentInput>[], at?: { now: Date; previous?: Assignment[] }, known?: KnownUnits): Promise<Assignment[]> {
  const units = known && input.every((a) => known.has(a.unitId)) ? known : await getUnits(input.map((a) => a.unitId));
  return input.map((a, i) => {
    const u = units.get(a.unitId);
    if (!u || !u.active) throw new InvalidError("Unknown or inactive unit in a role assignment", { fields: [{ path: `assignments.${i}.unitId`, message: "unknown unit" }] });
    if (p) requireScope(p, "users:write", u.path);
    if (DEPARTMENT_ROLES.includes(a.role) && !a.departmentId) {
      throw new InvalidError("Department staff need a department", { fields: [{ path: `assignments.${i}.departmentId`, message: "required for department_staff" }] });
    }
    const kept = at?.previous?.find((x) => x.role === a.role && x.unitId === u.id);
    const since = kept ? kept.since : at?.now.toISOString();
    return { role: a.role, unitId: u.id, unitPath: u.path, ...(a.departmentId ? { departmentId: a.departmentId } : {}), ...(since ? { since } : {}) };
  });
}

const visible = visibleUser;

/** `passwordHash`: the hash of `input.password` made already (the demo seed hashes its one shared password once); `known`: see resolveAssignments. */
export async function createStaff(p: Principal | undefined, input: unknown, now: Date, passwordHash?: string, known?: KnownUnits): Promise<User> {
  const data = parse(CreateUserInput, input, "user");
  return insertStaff(p, data, now, { passwordHash: passwordHash ?? (await hashPassword(data.password)) }, known);
}

export const CreateImportedUserInput = z.omit(CreateUserInput, { password: true });

/**
 * An account without a password and with an activation code (core/user/activation.ts): what an
 * import makes. No scrypt work here; the holder's first password is hashed once when they use the
 * code. Returns the code (shown once, never stored) with the user.
 */
export async function createStaffWithActivation(p: Principal | undefined, input: unknown, now: Date, job?: string, known?: KnownUnits): Promise<{ user: User; code: string; expiresAt: string }> {
  const data = parse(CreateImportedUserInput, input, "user");
  const a = issueCode(now);
  const user = await insertStaff(p, data, now, { passwordHash: "", activationHash: a.hash, activationExpiresAt: a.expiresAt, ...(job ? { activationJob: job } : {}) }, known);
  return { user, code: a.code, expiresAt: a.expiresAt };
}

/**
 * Accounts made by an import, each with an activation code: createStaffWithActivation for many at
 * once. Each is checked as it checks one (its fields, its units: `known` when they are there, see
 * resolveAssignments); those that pass are written together (core/user/repo.ts createUsers: one
 * transaction for as many as fit, instead of one each, which would contend for the staff version's
 * counter). Per input: the account and its code, the refusal of its check, or undefined when its
 * transaction was refused (a username taken meanwhile): the caller makes those one by one.
 */
export async function createStaffWithActivations(
  p: Principal | undefined,
  inputs: unknown[],
  now: Date,
  job?: string,
  known?: KnownUnits,
): Promise<Array<{ user: User; code: string; expiresAt: string } | { error: unknown } | undefined>> {
  const checked = await Promise.all(
    inputs.map(async (input) => {
      try {
        const data = parse(CreateImportedUserInput, input, "user");
        const a = issueCode(now);
        return { a, user: await newStaff(p, data, now, { passwordHash: "", activationHash: a.hash, activationExpiresAt: a.expiresAt, ...(job ? { activationJob: job } : {}) }, known) };
      } catch (error) {
        return { error };
      }
    }),
  );
  const ready = checked.flatMap((c) => ("user" in c ? [c] : []));
  const made = await createUsers(
    ready.map((c) => c.user!),
    now,
    (u) => [createdAudit(p, u, now)],
  );
  return checked.map((c) => {
    if (!("user" in c)) return c;
    const u = made[ready.indexOf(c)];
    return u ? { user: publicUser(u), code: c.a!.code, expiresAt: c.a!.expiresAt } : undefined;
  });
}

type Secrets = Pick<UserItem, "passwordHash" | "activationHash" | "activationExpiresAt" | "activationJob">;

/** A new account's record as checked (its units resolved: known, active, in the caller's scope). */
async function newStaff(p: Principal | undefined, data: z.infer<typeof CreateImportedUserInput>, now: Date, secrets: Secrets, known?: KnownUnits): Promise<NewUser> {
  const assignments = await resolveAssignments(p, data.assignments, { now }, known);
  return { username: data.username, displayName: data.displayName, phone: data.phone, ...secrets, assignments };
}

/** A new account is a privilege change: audited in the same transaction (the demo seed acts as the system). */
function createdAudit(p: Principal | undefined, u: UserItem, now: Date) {
  const { passwordHash: _h, activationHash: _a, activationJob: _j, ...shown } = u;
  return auditPut(
    { actor: p ? actorOf(p) : { kind: "system", id: "seed" }, action: "user.create", entity: "user", entityId: u.id, unitPath: userUnitPath(u), summary: `${u.username}: ${u.assignments.map((a) => a.role).join(", ")}${u.activationHash ? " (activation code issued)" : ""}`, changes: diff(undefined, shown) },
    now,
  );
}

async function insertStaff(p: Principal | undefined, data: z.infer<typeof CreateImportedUserInput>, now: Date, secrets: Secrets, known?: KnownUnits): Promise<User> {
  const user = await insertUser(await newStaff(p, data, now, secrets, known), now, undefined, (u) => [createdAudit(p, u, now)]);
  return publicUser(user);
}

export async function readStaff(p: Principal, id: string): Promise<User> {
  const u = await getUser(id);
  if (!u || !visible(p, u, "users:read")) throw new NotFoundError(`User ${id} not found`);
  return publicUser(u);
}

export async function updateStaff(p: Principal, id: string, input: unknown, now: Date): Promise<User> {
  const data = parse(UpdateUserInput, input, "user update");
  const current = await getUser(id);
  if (!current || !visible(p, current, "users:write")) throw new NotFoundError(`User ${id} not found`);
  if (p.kind === "user" && p.id === id && data.active === false) throw new ConflictError("You cannot deactivate yourself");
  const assignments = data.assignments ? await resolveAssignments(p, data.assignments, { now, previous: current.assignments }) : current.assignments;
  await keepOneDispatcher(current, data.active ?? current.active, assignments);
  // nothing is stranded (人走机留): open work is handed over before its holder leaves or gives up the grid
  const { refuseIfOpenWork } = await import("./open-work.ts");
  if (data.active === false && current.active) await refuseIfOpenWork(current);
  else if (data.assignments && (data.active ?? current.active) && rolesChanged(current.assignments, assignments)) await refuseIfOpenWork(current, assignments);
  const next: UserItem = {
    ...current,
    displayName: data.displayName ?? current.displayName,
    phone: data.phone === null ? undefined : (data.phone ?? current.phone),
    active: data.active ?? current.active,
    assignments,
    // deactivation or a change of roles ends the user's sessions (refresh tokens of older versions are refused)
    sessionVersion: (current.sessionVersion ?? 0) + ((data.active === false && current.active) || (data.assignments && rolesChanged(current.assignments, assignments)) ? 1 : 0),
    version: current.version + 1,
    updatedAt: now.toISOString(),
  };
  await replaceUser(p, current, next, data.version, now, "user.update");
  return publicUser(next);
}

/**
 * Liveness of the case loop (docs/case-lifecycle.md): the dispatch center can always act on an
 * open case, so the county keeps at least one active dispatcher. Deactivating the last one, or
 * taking the role from them, is refused (409); appoint another first.
 */
async function keepOneDispatcher(current: UserItem, active: boolean, assignments: Assignment[]): Promise<void> {
  const was = current.active ? current.assignments.filter((a) => a.role === "dispatcher") : [];
  if (!was.length || (active && assignments.some((a) => a.role === "dispatcher"))) return;
  const { activeDispatchers } = await import("../case/open-count.ts");
  const others = (await activeDispatchers(was.map((a) => a.unitId))).filter((u) => u !== current.id);
  if (!others.length) {
    throw new ConflictError("This is the last active dispatcher of the county; appoint another one first", {
      fields: [{ path: "active", message: "last dispatcher" }],
      field: "active",
      reason: "last_dispatcher",
    });
  }
}

export async function setStaffPassword(p: Principal, id: string, input: unknown, now: Date): Promise<void> {
  const { password } = parse(SetPasswordInput, input, "password");
  const current = await getUser(id);
  const self = p.kind === "user" && p.id === id;
  if (!current || (!self && !visible(p, current, "users:write"))) throw new NotFoundError(`User ${id} not found`);
  const next: UserItem = { ...current, passwordHash: await hashPassword(password), failedLogins: 0, lockedUntil: undefined, sessionVersion: (current.sessionVersion ?? 0) + 1, version: current.version + 1, updatedAt: now.toISOString() };
  await replaceUser(p, current, next, current.version, now, "user.password");
}


const roleKey = (a: Assignment) => `${a.role}|${a.unitId}|${a.departmentId ?? ""}`;
const rolesChanged = (before: Assignment[], after: Assignment[]) => before.map(roleKey).sort().join(",") !== after.map(roleKey).sort().join(",");

/** Replace the user item and its staff rows (role assignments) in one conditional transaction. */
async function replaceUser(p: Principal, current: UserItem, next: UserItem, expected: number, now: Date, action: string) {
  const { passwordHash: _a, activationHash: _ah, activationJob: _aj, ...auditBefore } = current;
  const { passwordHash: _b, activationHash: _bh, activationJob: _bj, ...auditAfter } = next;
  const audit = auditPut({ actor: actorOf(p), action, entity: "user", entityId: next.id, unitPath: userUnitPath(current, next), summary: next.username, changes: action === "user.password" ? undefined : diff(auditBefore, auditAfter) }, now);
  if (!(await replaceUserWithRows(current, next, expected, audit, now))) throw new ConflictError("The user was changed by someone else; reload and retry", { current: publicUser((await getUser(current.id))!) });
}

export async function usernameTaken(username: string): Promise<boolean> {
  return usernameExists(username);
}
