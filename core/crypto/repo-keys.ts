import { GetCommand, PutCommand, TransactWriteCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { db, tableName } from "../db/client.ts";
import * as keys from "../db/keys.ts";
import { item } from "../db/items.ts";
import { isConditionFailure } from "../db/errors.ts";

/**
 * The data keys' table access (#16, the repo is the one door; core/crypto/keyring.ts holds the
 * rules): the wrapped keys `CRYPTO / DATAKEY#<version>` and the pointer `CRYPTO / CURRENT`.
 */

export interface Pointer {
  version: number;
  searchVersion: number;
}

/** The pointer to the current and the search key versions; undefined before the first key. */
export async function readPointer(consistent: boolean): Promise<Pointer | undefined> {
  const out = await db().send(new GetCommand({ TableName: tableName(), Key: keys.dataKeyPointer(), ConsistentRead: consistent }));
  return out.Item ? { version: out.Item.version as number, searchVersion: out.Item.searchVersion as number } : undefined;
}

/**
 * The table's first data key (version 1) and the pointer to it, in one transaction, only if
 * neither exists: false when a concurrent first user created them first.
 */
export async function createFirstDataKey(keyId: string, wrapped: string): Promise<boolean> {
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: tableName(), Item: item("DataKey", keys.dataKey(1), { version: 1, keyId, wrapped }), ConditionExpression: "attribute_not_exists(pk)" } },
          { Put: { TableName: tableName(), Item: item("DataKeyPointer", keys.dataKeyPointer(), { version: 1, searchVersion: 1 }), ConditionExpression: "attribute_not_exists(pk)" } },
        ],
      }),
    );
    return true;
  } catch (e) {
    if (!isConditionFailure(e)) throw e;
    return false;
  }
}

/** A wrapped data key (strongly consistent); undefined when the version does not exist. */
export async function getWrappedDataKey(version: number): Promise<{ keyId: string; wrapped: string } | undefined> {
  const out = await db().send(new GetCommand({ TableName: tableName(), Key: keys.dataKey(version), ConsistentRead: true }));
  return out.Item ? { keyId: out.Item.keyId as string, wrapped: out.Item.wrapped as string } : undefined;
}

/** Store a new wrapped data key version (never over an existing one). */
export async function putDataKey(version: number, keyId: string, wrapped: string): Promise<void> {
  await db().send(new PutCommand({ TableName: tableName(), Item: item("DataKey", keys.dataKey(version), { version, keyId, wrapped }), ConditionExpression: "attribute_not_exists(pk)" }));
}

/** Make `next` the current version, only while the pointer still names `current`. */
export async function movePointer(current: number, next: number): Promise<void> {
  await db().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.dataKeyPointer(),
      UpdateExpression: "SET #v = :n",
      ConditionExpression: "#v = :v",
      ExpressionAttributeNames: { "#v": "version" },
      ExpressionAttributeValues: { ":n": next, ":v": current },
    }),
  );
}
