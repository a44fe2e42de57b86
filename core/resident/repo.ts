import { DeleteCommand, GetCommand, PutCommand, TransactWriteCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { db, tableName } from "../db/client.ts";
import * as keys from "../db/keys.ts";
import { item, strip } from "../db/items.ts";
import { isConditionFailure, mapStorageError } from "../db/errors.ts";
import type { Resident } from "./schema.ts";

export interface CodeChallenge {
  codeHash: string;
  attempts: number;
  /** epoch seconds; the TTL attribute */
  expiresAt: number;
  createdAt: string;
}

export async function putChallenge(phoneHash: string, c: CodeChallenge): Promise<void> {
  await db().send(new PutCommand({ TableName: tableName(), Item: { ...item("ResidentCode", keys.residentCode(phoneHash), c), expiresAt: c.expiresAt } }));
}

export async function getChallenge(phoneHash: string): Promise<CodeChallenge | undefined> {
  const out = await db().send(new GetCommand({ TableName: tableName(), Key: keys.residentCode(phoneHash), ConsistentRead: true }));
  if (!out.Item) return undefined;
  return { codeHash: out.Item.codeHash as string, attempts: out.Item.attempts as number, expiresAt: out.Item.expiresAt as number, createdAt: out.Item.createdAt as string };
}

/** Count one attempt against the challenge; false when it is gone or its attempts are used up. */
export async function countAttempt(phoneHash: string, createdAt: string, max: number): Promise<boolean> {
  try {
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.residentCode(phoneHash),
        UpdateExpression: "ADD attempts :one",
        ConditionExpression: "createdAt = :c AND attempts < :max",
        ExpressionAttributeValues: { ":one": 1, ":c": createdAt, ":max": max },
      }),
    );
    return true;
  } catch (e) {
    if (isConditionFailure(e)) return false;
    throw e;
  }
}

/** Use the challenge up: only one of concurrent verifications with the right code wins. */
export async function consumeChallenge(phoneHash: string, createdAt: string): Promise<boolean> {
  try {
    await db().send(new DeleteCommand({ TableName: tableName(), Key: keys.residentCode(phoneHash), ConditionExpression: "createdAt = :c", ExpressionAttributeValues: { ":c": createdAt } }));
    return true;
  } catch (e) {
    if (isConditionFailure(e)) return false;
    throw e;
  }
}

/** The stored resident item: the record with its keys and its place on the last-seen index. */
export const residentItem = (r: Resident) => item("Resident", { ...keys.resident(r.id), ...keys.residentSeen(r.lastSeenAt ?? r.createdAt, r.id) }, r);

export async function getResident(id: string): Promise<Resident | undefined> {
  const out = await db().send(new GetCommand({ TableName: tableName(), Key: keys.resident(id) }));
  return strip<Resident>(out.Item);
}

export async function residentIdByPhone(phoneHash: string): Promise<string | undefined> {
  const out = await db().send(new GetCommand({ TableName: tableName(), Key: keys.residentPhone(phoneHash), ConsistentRead: true }));
  return out.Item?.residentId as string | undefined;
}

/** Insert a resident and its unique phone reference; false if the phone is registered already. */
export async function insertResident(r: Resident): Promise<boolean> {
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: tableName(), Item: item("ResidentPhone", keys.residentPhone(r.phoneHash), { residentId: r.id }), ConditionExpression: "attribute_not_exists(pk)" } },
          { Put: { TableName: tableName(), Item: residentItem(r), ConditionExpression: "attribute_not_exists(pk)" } },
        ],
      }),
    );
    return true;
  } catch (e) {
    if (isConditionFailure(e)) return false;
    mapStorageError(e);
    return false;
  }
}

/**
 * Re-key a resident found under a phone hash of an earlier resident key (a rotation): the phone
 * reference moves to the current hash and the record carries it, in one conditional transaction.
 * undefined when someone else changed the resident meanwhile (the caller reads again).
 */
export async function rekeyResident(r: Resident, hash: string, now: Date): Promise<Resident | undefined> {
  const next: Resident = { ...r, phoneHash: hash, version: r.version + 1, updatedAt: now.toISOString() };
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          { Delete: { TableName: tableName(), Key: keys.residentPhone(r.phoneHash), ConditionExpression: "residentId = :id", ExpressionAttributeValues: { ":id": r.id } } },
          { Put: { TableName: tableName(), Item: item("ResidentPhone", keys.residentPhone(hash), { residentId: r.id }), ConditionExpression: "attribute_not_exists(pk)" } },
          { Put: { TableName: tableName(), Item: residentItem(next), ConditionExpression: "#v = :v", ExpressionAttributeNames: { "#v": "version" }, ExpressionAttributeValues: { ":v": r.version } } },
        ],
      }),
    );
    return next;
  } catch (e) {
    if (isConditionFailure(e)) return undefined;
    mapStorageError(e);
    return undefined;
  }
}

/**
 * Note a sign-in (at most one write a day per resident): moves the resident on the last-seen
 * index, so the retention job keeps them. Conditional on the record still existing.
 */
export async function touchResident(r: Resident, now: Date): Promise<Resident> {
  const at = now.toISOString();
  if (r.lastSeenAt && now.getTime() - Date.parse(r.lastSeenAt) < 86_400_000) return r;
  try {
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.resident(r.id),
        UpdateExpression: "SET lastSeenAt = :at, gsi1pk = :pk, gsi1sk = :sk",
        ConditionExpression: "attribute_exists(pk)",
        ExpressionAttributeValues: { ":at": at, ":pk": keys.residentSeen(at, r.id).gsi1pk, ":sk": keys.residentSeen(at, r.id).gsi1sk },
      }),
    );
  } catch (e) {
    if (!isConditionFailure(e)) throw e;
  }
  return { ...r, lastSeenAt: at };
}

/** Move a resident to another grid (they scanned another grid's code); conditional on the version read. */
export async function moveResident(r: Resident, unit: { id: string; path: string; code: string }, now: Date): Promise<Resident | undefined> {
  const next: Resident = { ...r, unitId: unit.id, unitPath: unit.path, gridCode: unit.code, version: r.version + 1, updatedAt: now.toISOString(), lastSeenAt: now.toISOString() };
  try {
    await db().send(
      new PutCommand({
        TableName: tableName(),
        Item: residentItem(next),
        ConditionExpression: "#v = :v",
        ExpressionAttributeNames: { "#v": "version" },
        ExpressionAttributeValues: { ":v": r.version },
      }),
    );
    return next;
  } catch (e) {
    if (isConditionFailure(e)) return undefined;
    throw e;
  }
}

export interface RefreshRecord {
  residentId: string;
  anonymous: boolean;
  /** anonymous sessions carry their grid (there is no resident record) */
  unitId?: string;
  unitPath?: string;
  expiresAt: number;
}

export async function putRefresh(tokenHash: string, r: RefreshRecord): Promise<void> {
  await db().send(new PutCommand({ TableName: tableName(), Item: { ...item("ResidentRefresh", keys.residentRefresh(tokenHash), r), expiresAt: r.expiresAt } }));
}

/** Take (delete and return) a refresh record: a token is used once, then replaced. */
export async function takeRefresh(tokenHash: string): Promise<RefreshRecord | undefined> {
  const out = await db().send(new DeleteCommand({ TableName: tableName(), Key: keys.residentRefresh(tokenHash), ReturnValues: "ALL_OLD" }));
  const a = out.Attributes;
  if (!a) return undefined;
  return { residentId: a.residentId as string, anonymous: Boolean(a.anonymous), unitId: a.unitId as string | undefined, unitPath: a.unitPath as string | undefined, expiresAt: a.expiresAt as number };
}
