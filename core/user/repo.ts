import { BatchGetCommand, GetCommand, TransactWriteCommand, UpdateCommand, PutCommand, DeleteCommand } from "@aws-sdk/lib-dynamodb";
import { createHash } from "node:crypto";
import { ulid } from "ulid";
import { db, tableName } from "../db/client.ts";
import * as keys from "../db/keys.ts";
import { item, strip } from "../db/items.ts";
import { isConditionFailure, mapStorageError } from "../db/errors.ts";
import { queryPage, type Page } from "../db/page.ts";
import { ConflictError } from "../errors.ts";
import type { Assignment } from "../auth/principal.ts";
import type { UserItem } from "./schema.ts";
import { bumpConfigVersion } from "../config/repo.ts";
import { forgetStaffVersion } from "../config/staff-version.ts";

export async function getUser(id: string): Promise<UserItem | undefined> {
  const out = await db().send(new GetCommand({ TableName: tableName(), Key: keys.user(id) }));
  return strip<UserItem>(out.Item);
}

export async function getUserByUsername(username: string): Promise<UserItem | undefined> {
  const ref = await db().send(new GetCommand({ TableName: tableName(), Key: keys.username(username.toLowerCase()) }));
  const id = ref.Item?.userId as string | undefined;
  return id ? getUser(id) : undefined;
}

/** Items by key (at most 100 keys), unprocessed keys asked again. */
async function getItems(itemKeys: Record<string, string>[]): Promise<Record<string, unknown>[]> {
  const found: Record<string, unknown>[] = [];
  let request: Record<string, any> | undefined = itemKeys.length ? { [tableName()]: { Keys: itemKeys } } : undefined;
  while (request && Object.keys(request).length) {
    const out: { Responses?: Record<string, Record<string, unknown>[]>; UnprocessedKeys?: Record<string, any> } = await db().send(new BatchGetCommand({ RequestItems: request }));
    found.push(...(out.Responses?.[tableName()] ?? []));
    request = out.UnprocessedKeys;
  }
  return found;
}

/**
 * The users of up to 100 usernames (as getUserByUsername, for many at once): by lower-cased
 * username, those that exist. Two BatchGets: the usernames' references, then their users.
 */
export async function usersByUsername(usernames: string[]): Promise<Map<string, UserItem>> {
  const names = [...new Set(usernames.map((u) => u.toLowerCase()))];
  if (names.length > 100) throw new Error(`usersByUsername: ${names.length} usernames, at most 100`);
  const refs = await getItems(names.map((n) => keys.username(n)));
  const users = await getItems([...new Set(refs.map((r) => r.userId as string))].map((id) => keys.user(id)));
  const byId = new Map(users.map((raw) => [raw.id as string, strip<UserItem>(raw)!]));
  const idOf = new Map(refs.map((r) => [r.pk as string, r.userId as string]));
  const out = new Map<string, UserItem>();
  for (const name of names) {
    const u = byId.get(idOf.get(keys.username(name).pk) ?? "");
    if (u) out.set(name, u);
  }
  return out;
}

export interface NewUser {
  username: string;
  displayName: string;
  phone?: string;
  passwordHash: string;
  activationHash?: string;
  activationExpiresAt?: string;
  activationJob?: string;
  assignments: Assignment[];
  active?: boolean;
}

/** A transaction cancelled only because another one held one of its items (e.g. two staff writes bumping VERSION#staff at once). */
const isTransactionConflict = (e: unknown): boolean =>
  (e as { name?: string })?.name === "TransactionCanceledException" &&
  !isConditionFailure(e) &&
  ((e as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? []).some((r) => r.Code === "TransactionConflict");

/**
 * Send a transaction that writes role rows (and so bumps the one VERSION#staff counter: parallel
 * staff writes, e.g. the Excel staff import's four at a time, meet there), again after a short
 * jittered pause while it is cancelled for a transaction conflict only: a cancelled transaction
 * wrote nothing and its conditions are checked again, so sending it again is safe.
 */
export async function sendStaffTransaction(input: ConstructorParameters<typeof TransactWriteCommand>[0]): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await db().send(new TransactWriteCommand(input));
      return;
    } catch (e) {
      if (attempt >= 6 || !isTransactionConflict(e)) throw e;
      await new Promise((r) => setTimeout(r, (10 + Math.random() * 20) * 2 ** attempt));
    }
  }
}

/** The user item of a new account. */
function newUserItem(input: NewUser, id: string, at: string): UserItem {
  return {
    id,
    username: input.username,
    displayName: input.displayName,
    phone: input.phone,
    active: input.active ?? true,
    assignments: input.assignments,
    passwordHash: input.passwordHash,
    ...(input.activationHash ? { activationHash: input.activationHash, activationExpiresAt: input.activationExpiresAt, activationJob: input.activationJob } : {}),
    failedLogins: 0,
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
}

/** The puts of a new account's username reference and user item, both only if absent (its staff rows are the caller's). */
function newUserPuts(user: UserItem): object[] {
  return [
    {
      Put: {
        TableName: tableName(),
        Item: item("UsernameRef", keys.username(user.username.toLowerCase()), { userId: user.id }),
        ConditionExpression: "attribute_not_exists(pk)",
      },
    },
    {
      Put: {
        TableName: tableName(),
        Item: item("User", { ...keys.user(user.id), ...keys.userList(user.username.toLowerCase()) }, user),
        ConditionExpression: "attribute_not_exists(pk)",
      },
    },
  ];
}

/** Create a user with a unique username and one staff row per role assignment, in one transaction. */
/** `also`: items written in the same transaction (the audit entry of the creation). */
export async function createUser(input: NewUser, now: Date, id = ulid(), also: (user: UserItem) => object[] = () => []): Promise<UserItem> {
  const user = newUserItem(input, id, now.toISOString());
  try {
    await sendStaffTransaction({
      TransactItems: [
        ...newUserPuts(user),
        ...staffRows(id, input.assignments).map((Item) => ({ Put: { TableName: tableName(), Item } })),
        // role rows written: the staff version moves with them (core/config/staff-version.ts)
        ...(input.assignments.length ? [bumpConfigVersion("staff", now)] : []),
        ...also(user),
      ] as any,
    });
  } catch (e) {
    if (isConditionFailure(e)) throw new ConflictError(`Username ${input.username} is taken`, { field: "username" });
    mapStorageError(e);
  }
  if (input.assignments.length) forgetStaffVersion(); // this container's next events carry the new version
  return user;
}

/** Items of one transaction, at most (DynamoDB's limit). */
const MAX_TRANSACTION_ITEMS = 100;

/**
 * Create several users, each as createUser would (its unique username, its staff rows, `also` its
 * audit entry), together: one transaction for as many as fit in its 100 items, bumping the staff
 * version once, instead of one transaction each (parallel ones contend for that one counter).
 * Returns the users made; undefined for those of a transaction that was refused (a username taken
 * meanwhile, or anything else: nothing of it was written), which the caller makes one by one.
 */
export async function createUsers(inputs: NewUser[], now: Date, also: (user: UserItem) => object[] = () => []): Promise<(UserItem | undefined)[]> {
  const at = now.toISOString();
  const made: (UserItem | undefined)[] = [];
  let group: { user: UserItem; items: object[] }[] = [];
  const send = async () => {
    if (!group.length) return;
    const users = group.map((g) => g.user);
    try {
      await sendStaffTransaction({ TransactItems: [...group.flatMap((g) => g.items), ...(users.some((u) => u.assignments.length) ? [bumpConfigVersion("staff", now)] : [])] as any });
      made.push(...users);
      if (users.some((u) => u.assignments.length)) forgetStaffVersion();
    } catch {
      made.push(...users.map(() => undefined));
    }
    group = [];
  };
  for (const input of inputs) {
    const user = newUserItem(input, ulid(), at);
    const items = [...newUserPuts(user), ...staffRows(user.id, user.assignments).map((Item) => ({ Put: { TableName: tableName(), Item } })), ...also(user)];
    if (group.reduce((n, g) => n + g.items.length, 0) + items.length + 1 > MAX_TRANSACTION_ITEMS) await send();
    group.push({ user, items });
  }
  await send();
  return made;
}

export function staffRows(userId: string, assignments: Assignment[]) {
  return assignments.map((a) =>
    item("Staff", { ...keys.staff(userId, a.role, a.unitId), ...keys.staffOfUnit(a.unitId, userId) }, { userId, ...a }),
  );
}

/**
 * Count a login attempt before its password is checked: one atomic `ADD` whose returned value
 * decides, so concurrent attempts each get their own number and none is lost (no read-modify-write).
 * Returns the attempt's number since the last success or lock, the lock in force and how many
 * locks came in a row.
 */
export async function countLoginAttempt(userId: string): Promise<{ attempts: number; lockedUntil?: string; locks: number }> {
  const out = await db().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.user(userId),
      UpdateExpression: "ADD failedLogins :one",
      ConditionExpression: "attribute_exists(pk)",
      ExpressionAttributeValues: { ":one": 1 },
      ReturnValues: "ALL_NEW",
    }),
  );
  const a = out.Attributes ?? {};
  return { attempts: Number(a.failedLogins ?? 1), lockedUntil: a.lockedUntil as string | undefined, locks: Number(a.lockCount ?? 0) };
}

/** An attempt refused by a lock in force is not a guess: take it back off the count. */
export async function uncountLoginAttempt(userId: string): Promise<void> {
  await db().send(new UpdateCommand({ TableName: tableName(), Key: keys.user(userId), UpdateExpression: "ADD failedLogins :m", ExpressionAttributeValues: { ":m": -1 } }));
}

/**
 * Lock the account until `until` and start counting again, unless a lock is already in force
 * (of all the attempts that cross the limit at once, one sets the lock).
 */
export async function lockLogin(userId: string, now: Date, until: string): Promise<void> {
  try {
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.user(userId),
        UpdateExpression: "SET lockedUntil = :l, failedLogins = :z ADD lockCount :one",
        ConditionExpression: "attribute_not_exists(lockedUntil) OR lockedUntil <= :now",
        ExpressionAttributeValues: { ":l": until, ":z": 0, ":one": 1, ":now": now.toISOString() },
      }),
    );
  } catch (e) {
    if (!isConditionFailure(e)) throw e;
  }
}

/** A successful login: the failure count starts again; an old-parameter hash is replaced (if unchanged meanwhile). */
export async function recordLoginSuccess(user: UserItem, rehashed?: string): Promise<void> {
  await db().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.user(user.id),
      UpdateExpression: `SET failedLogins = :z${rehashed ? ", passwordHash = :h" : ""} REMOVE lockedUntil, lockCount`,
      ...(rehashed ? { ConditionExpression: "passwordHash = :old" } : {}),
      ExpressionAttributeValues: { ":z": 0, ...(rehashed ? { ":h": rehashed, ":old": user.passwordHash } : {}) },
    }),
  ).catch((e) => {
    if (!isConditionFailure(e)) throw e; // the password changed meanwhile: keep the new one
  });
}

/** End every session of a user (refresh tokens of older session versions stop working). */
export async function bumpSessionVersion(userId: string): Promise<void> {
  await db().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.user(userId),
      UpdateExpression: "ADD sessionVersion :one",
      ConditionExpression: "attribute_exists(pk)",
      ExpressionAttributeValues: { ":one": 1 },
    }),
  );
}

const sha256 = (s: string) => createHash("sha256").update(s).digest("base64url");

export interface RefreshRecord {
  userId: string;
  /** the user's session version when the family started */
  sessionVersion: number;
  /** all tokens rotated from one login share a family */
  family: string;
}

export async function putRefreshToken(token: string, rec: RefreshRecord, expiresAt: Date): Promise<void> {
  await db().send(
    new PutCommand({
      TableName: tableName(),
      Item: item("RefreshToken", keys.refreshToken(sha256(token)), { ...rec, expiresAt: Math.floor(expiresAt.getTime() / 1000) }),
    }),
  );
}

/**
 * Use a refresh token exactly once (rotation). The used token stays as a marker until it expires:
 * presenting it again means it was stolen (or replayed), so its whole family is revoked.
 * Returns the record, or undefined when the token is unknown, expired, used, or its family revoked.
 */
export async function takeRefreshToken(token: string, now: Date): Promise<RefreshRecord | undefined> {
  const key = keys.refreshToken(sha256(token));
  try {
    const out = await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: key,
        UpdateExpression: "SET usedAt = :at",
        ConditionExpression: "attribute_exists(pk) AND expiresAt > :now AND attribute_not_exists(usedAt)",
        ExpressionAttributeValues: { ":now": Math.floor(now.getTime() / 1000), ":at": now.toISOString() },
        ReturnValues: "ALL_OLD",
      }),
    );
    const rec = out.Attributes as (RefreshRecord & { family?: string }) | undefined;
    if (!rec?.family) return undefined;
    const revoked = await db().send(new GetCommand({ TableName: tableName(), Key: keys.refreshFamily(rec.family) }));
    if (revoked.Item) return undefined;
    return { userId: rec.userId, sessionVersion: Number(rec.sessionVersion ?? 0), family: rec.family };
  } catch (e) {
    if (!isConditionFailure(e)) mapStorageError(e);
    const seen = await db().send(new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true }));
    const family = seen.Item?.usedAt ? (seen.Item.family as string | undefined) : undefined;
    if (family) {
      await db().send(
        new PutCommand({
          TableName: tableName(),
          Item: item("RefreshFamilyRevoked", keys.refreshFamily(family), { userId: seen.Item!.userId, revokedAt: now.toISOString(), expiresAt: Number(seen.Item!.expiresAt) }),
        }),
      );
    }
    return undefined;
  }
}

/**
 * Replace a user item with its audit row, in one transaction, only while `condition` holds on the
 * stored item (e.g. the version read, an activation code still valid). A failed condition throws the
 * storage error (callers tell it apart with isConditionFailure).
 */
export async function replaceUserAudited(
  next: UserItem,
  condition: { ConditionExpression: string; ExpressionAttributeNames?: Record<string, string>; ExpressionAttributeValues?: Record<string, unknown> },
  audit: object,
): Promise<void> {
  await db().send(
    new TransactWriteCommand({
      TransactItems: [{ Put: { TableName: tableName(), Item: item("User", { ...keys.user(next.id), ...keys.userList(next.username.toLowerCase()) }, next), ...condition } }, audit as any],
    }),
  );
}

/**
 * Replace the user item (at version `expected`) and its staff rows (role assignments: the rows
 * no longer wanted deleted, the wanted ones put), with the audit row, in one transaction. false
 * when the user changed meanwhile.
 */
export async function replaceUserWithRows(current: UserItem, next: UserItem, expected: number, audit: object, now: Date = new Date(next.updatedAt)): Promise<boolean> {
  const oldRows = current.assignments.map((a) => keys.staff(current.id, a.role, a.unitId));
  const newRows = next.active ? staffRows(next.id, next.assignments) : [];
  const newKeys = new Set(next.active ? next.assignments.map((a) => { const k = keys.staff(next.id, a.role, a.unitId); return `${k.pk}|${k.sk}`; }) : []);
  // the role rows as stored before and after: when they differ (a row added, dropped or changed,
  // all dropped by a deactivation), the staff version moves in the same transaction
  const rowsOf = (u: UserItem) => (!u.active ? [] : staffRows(u.id, u.assignments).map((r) => JSON.stringify(r)).sort());
  const rowsChanged = JSON.stringify(rowsOf(current)) !== JSON.stringify(rowsOf(next));
  try {
    await sendStaffTransaction({
      TransactItems: [
        {
          Put: {
            TableName: tableName(),
            Item: item("User", { ...keys.user(next.id), ...keys.userList(next.username.toLowerCase()) }, next),
            ConditionExpression: "#v = :v",
            ExpressionAttributeNames: { "#v": "version" },
            ExpressionAttributeValues: { ":v": expected },
          },
        },
        ...oldRows.filter((k) => !newKeys.has(`${k.pk}|${k.sk}`)).map((Key) => ({ Delete: { TableName: tableName(), Key } })),
        ...newRows.map((Item) => ({ Put: { TableName: tableName(), Item } })),
        ...(rowsChanged ? [bumpConfigVersion("staff", now)] : []),
        audit as any,
      ],
    });
    if (rowsChanged) forgetStaffVersion();
    return true;
  } catch (e) {
    if (isConditionFailure(e)) return false;
    mapStorageError(e);
  }
}

/** Is the username's unique reference taken? (one GetItem) */
export async function usernameExists(username: string): Promise<boolean> {
  const out = await db().send(new GetCommand({ TableName: tableName(), Key: keys.username(username.toLowerCase()) }));
  return Boolean(out.Item);
}

/** One page of staff (gsi1 `USERS`, by username), optionally those whose username or display name contains `q`; `map` keeps and shapes rows (up to 50 reads). */
export function usersPage<T>(q: string | undefined, page: { limit: number; cursor?: string }, map: (u: UserItem) => T | undefined): Promise<Page<T>> {
  const filters: string[] = [];
  const values: Record<string, unknown> = { ":pk": "USERS" };
  if (q) {
    filters.push("(contains(username, :q) OR contains(displayName, :q))");
    values[":q"] = q;
  }
  return queryPage<T>(
    { IndexName: "gsi1", KeyConditionExpression: "gsi1pk = :pk", FilterExpression: filters.join(" AND ") || undefined, ExpressionAttributeValues: values },
    page,
    { map: (raw) => map(strip<UserItem>(raw)!), maxReads: 50 },
  );
}
