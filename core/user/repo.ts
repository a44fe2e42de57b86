import { GetCommand, TransactWriteCommand, UpdateCommand, PutCommand, DeleteCommand } from "@aws-sdk/lib-dynamodb";
import { createHash } from "node:crypto";
import { ulid } from "ulid";
import { db, tableName } from "../db/client.ts";
import { keys } from "../db/keys.ts";
import { item, strip } from "../db/items.ts";
import { isConditionFailure, mapStorageError } from "../db/errors.ts";
import { ConflictError } from "../errors.ts";
import type { Assignment } from "../auth/principal.ts";
import type { UserItem } from "./schema.ts";

export async function getUser(id: string): Promise<UserItem | undefined> {
  const out = await db().send(new GetCommand({ TableName: tableName(), Key: keys.user(id) }));
  return strip<UserItem>(out.Item);
}

export async function getUserByUsername(username: string): Promise<UserItem | undefined> {
  const ref = await db().send(new GetCommand({ TableName: tableName(), Key: keys.username(username.toLowerCase()) }));
  const id = ref.Item?.userId as string | undefined;
  return id ? getUser(id) : undefined;
}

export interface NewUser {
  username: string;
  displayName: string;
  phone?: string;
  passwordHash: string;
  assignments: Assignment[];
  active?: boolean;
}

/** Create a user with a unique username and one staff row per role assignment, in one transaction. */
export async function createUser(input: NewUser, now: Date, id = ulid()): Promise<UserItem> {
  const at = now.toISOString();
  const user: UserItem = {
    id,
    username: input.username,
    displayName: input.displayName,
    phone: input.phone,
    active: input.active ?? true,
    assignments: input.assignments,
    passwordHash: input.passwordHash,
    failedLogins: 0,
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: tableName(),
              Item: item("UsernameRef", keys.username(input.username.toLowerCase()), { userId: id }),
              ConditionExpression: "attribute_not_exists(pk)",
            },
          },
          {
            Put: {
              TableName: tableName(),
              Item: item("User", { ...keys.user(id), ...keys.userList(input.username.toLowerCase()) }, user),
              ConditionExpression: "attribute_not_exists(pk)",
            },
          },
          ...staffRows(id, input.assignments).map((Item) => ({ Put: { TableName: tableName(), Item } })),
        ],
      }),
    );
  } catch (e) {
    if (isConditionFailure(e)) throw new ConflictError(`Username ${input.username} is taken`, { field: "username" });
    mapStorageError(e);
  }
  return user;
}

export function staffRows(userId: string, assignments: Assignment[]) {
  return assignments.map((a) =>
    item("Staff", { ...keys.staff(userId, a.role, a.unitId), ...keys.staffOfUnit(a.unitId, userId) }, { userId, ...a }),
  );
}

/** Count a failed login; after 5 in a row the account locks with growing backoff. */
export async function recordLoginFailure(user: UserItem, now: Date): Promise<void> {
  const failures = user.failedLogins + 1;
  const lockMinutes = failures >= 5 ? Math.min(60, 2 ** (failures - 5) * 5) : 0;
  await db().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.user(user.id),
      UpdateExpression: lockMinutes ? "SET failedLogins = :f, lockedUntil = :l" : "SET failedLogins = :f",
      ExpressionAttributeValues: {
        ":f": failures,
        ...(lockMinutes ? { ":l": new Date(now.getTime() + lockMinutes * 60_000).toISOString() } : {}),
      },
    }),
  );
}

export async function recordLoginSuccess(user: UserItem): Promise<void> {
  if (user.failedLogins === 0 && !user.lockedUntil) return;
  await db().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.user(user.id),
      UpdateExpression: "SET failedLogins = :z REMOVE lockedUntil",
      ExpressionAttributeValues: { ":z": 0 },
    }),
  );
}

const sha256 = (s: string) => createHash("sha256").update(s).digest("base64url");

export async function putRefreshToken(token: string, userId: string, expiresAt: Date): Promise<void> {
  await db().send(
    new PutCommand({
      TableName: tableName(),
      Item: item("RefreshToken", keys.refreshToken(sha256(token)), { userId, expiresAt: Math.floor(expiresAt.getTime() / 1000) }),
    }),
  );
}

/** Consume a refresh token exactly once (rotation): returns its user id, or undefined if unknown/used/expired. */
export async function takeRefreshToken(token: string, now: Date): Promise<string | undefined> {
  try {
    const out = await db().send(
      new DeleteCommand({
        TableName: tableName(),
        Key: keys.refreshToken(sha256(token)),
        ConditionExpression: "attribute_exists(pk) AND expiresAt > :now",
        ExpressionAttributeValues: { ":now": Math.floor(now.getTime() / 1000) },
        ReturnValues: "ALL_OLD",
      }),
    );
    return out.Attributes?.userId as string | undefined;
  } catch (e) {
    if (isConditionFailure(e)) return undefined;
    mapStorageError(e);
  }
}
