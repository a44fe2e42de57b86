import { GetCommand, TransactWriteCommand, UpdateCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { db, tableName } from "../db/client.ts";
import { keys } from "../db/keys.ts";
import { item } from "../db/items.ts";
import { isConditionFailure } from "../db/errors.ts";
import { deriveKeys, type PurposeKeys } from "./field.ts";
import { currentWrapper, wrapperFor } from "./wrap.ts";

/**
 * The registry's data keys, stored wrapped in the table (`CRYPTO / DATAKEY#<version>`), unwrapped
 * once per warm container and kept in memory only.
 *
 * - `CRYPTO / CURRENT` = `{version, searchVersion}`: new values are sealed with `version`; blind
 *   indexes are computed with `searchVersion`'s key (it stays fixed across rotations, since an
 *   index must compare equal over the whole table; moving it means re-indexing).
 * - The first use creates version 1 (conditional writes: concurrent first users agree).
 * - `rotateDataKey` adds a version and makes it current; older versions keep opening old values.
 */
export interface FieldKey extends PurposeKeys {
  version: number;
  keyId: string;
}

interface Pointer {
  version: number;
  searchVersion: number;
}

const unwrapped = new Map<number, Promise<FieldKey>>();
let pointer: { at: number; value: Promise<Pointer> } | undefined;
const POINTER_TTL_MS = 5 * 60_000;

async function readPointer(consistent: boolean): Promise<Pointer | undefined> {
  const out = await db().send(new GetCommand({ TableName: tableName(), Key: keys.dataKeyPointer(), ConsistentRead: consistent }));
  return out.Item ? { version: out.Item.version as number, searchVersion: out.Item.searchVersion as number } : undefined;
}

async function loadPointer(): Promise<Pointer> {
  const found = await readPointer(false);
  if (found) return found;
  // first use in this table: create version 1
  const wrapper = currentWrapper();
  const { plaintext, wrapped } = await wrapper.generate();
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: tableName(), Item: item("DataKey", keys.dataKey(1), { version: 1, keyId: wrapper.keyId, wrapped }), ConditionExpression: "attribute_not_exists(pk)" } },
          { Put: { TableName: tableName(), Item: item("DataKeyPointer", keys.dataKeyPointer(), { version: 1, searchVersion: 1 }), ConditionExpression: "attribute_not_exists(pk)" } },
        ],
      }),
    );
    unwrapped.set(1, Promise.resolve({ version: 1, keyId: wrapper.keyId, ...deriveKeys(plaintext) }));
    return { version: 1, searchVersion: 1 };
  } catch (e) {
    if (!isConditionFailure(e)) throw e;
    const now = await readPointer(true);
    if (!now) throw new Error("data key pointer missing after a conflicting create");
    return now;
  }
}

function currentPointer(): Promise<Pointer> {
  const t = performance.now();
  if (!pointer || t - pointer.at > POINTER_TTL_MS) {
    const value = loadPointer();
    pointer = { at: t, value };
    value.catch(() => {
      if (pointer?.value === value) pointer = undefined;
    });
  }
  return pointer.value;
}

/** The key of one version (unwrapped once, then cached). */
export function fieldKey(version: number): Promise<FieldKey> {
  let p = unwrapped.get(version);
  if (!p) {
    p = (async () => {
      const out = await db().send(new GetCommand({ TableName: tableName(), Key: keys.dataKey(version), ConsistentRead: true }));
      if (!out.Item) throw new Error(`data key version ${version} not found`);
      const keyId = out.Item.keyId as string;
      const plaintext = await wrapperFor(keyId).unwrap(out.Item.wrapped as string);
      return { version, keyId, ...deriveKeys(plaintext) };
    })();
    unwrapped.set(version, p);
    p.catch(() => unwrapped.delete(version));
  }
  return p;
}

/** The key new values are sealed with. */
export async function currentFieldKey(): Promise<FieldKey> {
  return fieldKey((await currentPointer()).version);
}

/** The key blind indexes are computed with. */
export async function searchFieldKey(): Promise<FieldKey> {
  return fieldKey((await currentPointer()).searchVersion);
}

/** Make a new data key current (wrapped by the current wrapper: KMS when configured). Returns its version. */
export async function rotateDataKey(): Promise<number> {
  const now = await readPointer(true);
  if (!now) return (await loadPointer()).version;
  const next = now.version + 1;
  const wrapper = currentWrapper();
  const { plaintext, wrapped } = await wrapper.generate();
  await db().send(new PutCommand({ TableName: tableName(), Item: item("DataKey", keys.dataKey(next), { version: next, keyId: wrapper.keyId, wrapped }), ConditionExpression: "attribute_not_exists(pk)" }));
  await db().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.dataKeyPointer(),
      UpdateExpression: "SET #v = :n",
      ConditionExpression: "#v = :v",
      ExpressionAttributeNames: { "#v": "version" },
      ExpressionAttributeValues: { ":n": next, ":v": now.version },
    }),
  );
  unwrapped.set(next, Promise.resolve({ version: next, keyId: wrapper.keyId, ...deriveKeys(plaintext) }));
  pointer = undefined;
  return next;
}

/** Drop cached keys (tests; a container that must re-read the pointer now). */
export function forgetKeys(): void {
  unwrapped.clear();
  pointer = undefined;
}
