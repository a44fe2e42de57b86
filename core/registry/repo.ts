import { GetCommand, QueryCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { db, tableName } from "../db/client.ts";
import { isConditionFailure, mapStorageError } from "../db/errors.ts";
import * as keys from "../db/keys.ts";
import { item, strip } from "../db/items.ts";
import type { HouseholdRecord, KeyEntry, PersonRecord, PlaceRecord } from "./schema.ts";

export function householdItem(h: HouseholdRecord) {
  return item(
    "Household",
    { ...keys.household(h.id), ...keys.householdList(h.unitPath, h.id), ...(h.contactPhoneHash ? keys.byPhoneHash(h.contactPhoneHash, "household", h.id) : {}) },
    h,
  );
}

export function personItem(p: PersonRecord) {
  return item(
    "Person",
    {
      ...keys.person(p.id),
      ...keys.personList(p.unitPath, p.householdId, p.id),
      ...keys.personByIdHash(p.idNumberHash, p.id),
      ...(p.phoneHash ? keys.byPhoneHash(p.phoneHash, "person", p.id) : {}),
    },
    p,
  );
}

/** The moved-away marker of a person (the retention job reads these by time: core/registry/retention.ts). */
export function movedAwayItem(at: string, personId: string) {
  return item("MovedAway", keys.movedAway(at, personId), { personId, at });
}

export function personIdRefItem(hash: string, personId: string) {
  return item("PersonIdRef", keys.personIdRef(hash), { personId });
}

export function placeItem(p: PlaceRecord) {
  return item("Place", { ...keys.place(p.id), ...keys.placeList(p.unitPath, p.id), ...keys.byPhoneHash(p.ownerPhoneHash, "place", p.id) }, p);
}

export function keyEntryItem(e: KeyEntry) {
  return item(
    "KeyEntry",
    {
      ...keys.keyEntry(e.id),
      ...keys.keyEntryList(e.list, e.unitPath, e.id),
      ...keys.keyEntryByResponsible(e.responsibleUserId, e.list, e.id),
      ...(e.subjectId ? keys.keyEntryBySubject(e.subjectId, e.id) : {}),
    },
    e,
  );
}

async function getOne<T>(key: Record<string, string>, consistent: boolean): Promise<T | undefined> {
  const out = await db().send(new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: consistent }));
  return strip<T>(out.Item);
}

export const getHousehold = (id: string, consistent = false) => getOne<HouseholdRecord>(keys.household(id), consistent);
export const getPerson = (id: string, consistent = false) => getOne<PersonRecord>(keys.person(id), consistent);
export const getPlace = (id: string, consistent = false) => getOne<PlaceRecord>(keys.place(id), consistent);
export const getKeyEntry = (id: string, consistent = false) => getOne<KeyEntry>(keys.keyEntry(id), consistent);

async function queryAll<T>(input: { IndexName?: string; KeyConditionExpression: string; ExpressionAttributeValues: Record<string, unknown> }, max = 1000): Promise<T[]> {
  const found: T[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db().send(new QueryCommand({ TableName: tableName(), ...input, ExclusiveStartKey: start }));
    for (const raw of out.Items ?? []) found.push(strip<T>(raw)!);
    start = out.LastEvaluatedKey;
  } while (start && found.length < max);
  return found;
}

/** The people registered in a household (one key prefix on gsi1). */
export function householdMembers(h: Pick<HouseholdRecord, "id" | "unitPath">): Promise<PersonRecord[]> {
  return queryAll<PersonRecord>({
    IndexName: "gsi1",
    KeyConditionExpression: "gsi1pk = :pk AND begins_with(gsi1sk, :p)",
    ExpressionAttributeValues: { ":pk": "PEOPLE", ":p": `${h.unitPath}#${h.id}#` },
  });
}

/** People whose ID number has this blind index (normally one). */
export function peopleByIdHash(hash: string): Promise<PersonRecord[]> {
  return queryAll<PersonRecord>({ IndexName: "gsi2", KeyConditionExpression: "gsi2pk = :pk", ExpressionAttributeValues: { ":pk": keys.personByIdHash(hash, "").gsi2pk } }, 50);
}

export type PhoneHit = { entity: "household"; record: HouseholdRecord } | { entity: "person"; record: PersonRecord } | { entity: "place"; record: PlaceRecord };

/** Households, people and places with this phone blind index. */
export async function byPhoneHash(hash: string): Promise<PhoneHit[]> {
  const out = await db().send(
    new QueryCommand({ TableName: tableName(), IndexName: "gsi3", KeyConditionExpression: "gsi3pk = :pk", ExpressionAttributeValues: { ":pk": keys.byPhoneHash(hash, "", "").gsi3pk }, Limit: 100 }),
  );
  return (out.Items ?? []).map((raw) => ({ entity: String(raw.gsi3sk).split("#")[0], record: strip(raw) }) as PhoneHit);
}

/** Every record of a gsi1 list under a unit path, page by page (exports). */
export async function* listAll<T>(gsi1pk: string, unitPath: string): AsyncGenerator<T[]> {
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: "gsi1",
        KeyConditionExpression: "gsi1pk = :pk AND begins_with(gsi1sk, :p)",
        ExpressionAttributeValues: { ":pk": gsi1pk, ":p": unitPath },
        ExclusiveStartKey: start,
      }),
    );
    yield (out.Items ?? []).map((raw) => strip<T>(raw)!);
    start = out.LastEvaluatedKey;
  } while (start);
}

/** One page of a registry list index (`HOUSEHOLDS` | `PEOPLE`) under a unit path, as stored. */
export async function listUnderPath(list: "HOUSEHOLDS" | "PEOPLE", path: string, start?: Record<string, unknown>): Promise<{ items: Record<string, unknown>[]; next?: Record<string, unknown> }> {
  const page = await db().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: "gsi1",
      KeyConditionExpression: "gsi1pk = :pk AND begins_with(gsi1sk, :p)",
      ExpressionAttributeValues: { ":pk": list, ":p": path },
      ExclusiveStartKey: start,
    }),
  );
  return { items: page.Items ?? [], next: page.LastEvaluatedKey };
}

/** One transaction; a failed condition becomes what `onConflict` throws (409 by default). */
export async function commit(items: any[], onConflict?: (e: unknown) => Promise<never>): Promise<void> {
  try {
    await db().send(new TransactWriteCommand({ TransactItems: items }));
  } catch (e) {
    if (isConditionFailure(e) && onConflict) await onConflict(e);
    mapStorageError(e);
  }
}

export const put = (Item: object, ConditionExpression?: string, values?: Record<string, unknown>, names?: Record<string, string>) => ({
  Put: { TableName: tableName(), Item, ConditionExpression, ExpressionAttributeValues: values, ExpressionAttributeNames: names },
});

/** A Put that replaces a record only at the version read. */
export const putAtVersion = (Item: object, version: number) => put(Item, "#v = :v", { ":v": version }, { "#v": "version" });

export const del = (Key: Record<string, string>, ConditionExpression?: string, values?: Record<string, unknown>, names?: Record<string, string>) => ({
  Delete: { TableName: tableName(), Key, ConditionExpression, ExpressionAttributeValues: values, ExpressionAttributeNames: names },
});

/** Transaction part: the household exists (a person is placed in it). */
export const householdExists = (householdId: string) => ({
  ConditionCheck: { TableName: tableName(), Key: keys.household(householdId), ConditionExpression: "attribute_exists(pk)" },
});
