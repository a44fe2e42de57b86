import { GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { db, tableName } from "../db/client.ts";
import * as keys from "../db/keys.ts";
import { item, strip } from "../db/items.ts";
import { isConditionFailure, mapStorageError } from "../db/errors.ts";
import { queryPage, type Page } from "../db/page.ts";
import type { auditPut } from "../audit/entry.ts";
import type { ApiKey } from "./schema.ts";

/**
 * The API keys' table access (#16, the repo is the one door): a key is stored under the hash of its
 * secret (`APIKEY#<hash>`), listed newest first (gsi1 `APIKEYS`) and found by id (gsi2).
 */

/** Store a new key (never over an existing hash) with its audit row, in one transaction. */
export async function putNewApiKey(hash: string, record: ApiKey, audit: ReturnType<typeof auditPut>): Promise<void> {
  await db().send(
    new TransactWriteCommand({
      TransactItems: [
        { Put: { TableName: tableName(), Item: item("ApiKey", { ...keys.apiKey(hash), ...keys.apiKeyList(record.createdAt, record.id), ...keys.apiKeyById(record.id) }, record), ConditionExpression: "attribute_not_exists(pk)" } },
        audit,
      ],
    }),
  );
}

/** A page of keys, newest first; `map` keeps a key (undefined: skip it), reading on up to 50 pages to fill the page. */
export function apiKeysPage(page: { limit: number; cursor?: string }, map: (k: ApiKey) => ApiKey | undefined): Promise<Page<ApiKey>> {
  return queryPage<ApiKey>({ IndexName: "gsi1", KeyConditionExpression: "gsi1pk = :pk", ExpressionAttributeValues: { ":pk": "APIKEYS" }, ScanIndexForward: false }, page, {
    map: (raw) => map(strip<ApiKey>(raw)!),
    maxReads: 50,
  });
}

/** A key by id (gsi2), with the hash it is stored under. */
export async function findApiKeyById(id: string): Promise<{ hashKey: string; record: ApiKey } | undefined> {
  const out = await db().send(
    new QueryCommand({ TableName: tableName(), IndexName: "gsi2", KeyConditionExpression: "gsi2pk = :pk", ExpressionAttributeValues: { ":pk": keys.apiKeyById(id).gsi2pk } }),
  );
  const raw = out.Items?.[0];
  return raw ? { hashKey: String(raw.pk).slice("APIKEY#".length), record: strip<ApiKey>(raw)! } : undefined;
}

/** A key by the hash of its secret (eventually consistent). */
export async function getApiKeyByHash(hash: string): Promise<ApiKey | undefined> {
  const out = await db().send(new GetCommand({ TableName: tableName(), Key: keys.apiKey(hash) }));
  return strip<ApiKey>(out.Item);
}

/** Revoke a key with its audit row, once (`attribute_not_exists(revokedAt)`: a revoked key stays as it is, no error). */
export async function revokeApiKeyRecord(hash: string, at: string, audit: ReturnType<typeof auditPut>): Promise<void> {
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: tableName(),
              Key: keys.apiKey(hash),
              UpdateExpression: "SET revokedAt = :at, #v = #v + :one",
              ConditionExpression: "attribute_not_exists(revokedAt)",
              ExpressionAttributeNames: { "#v": "version" },
              ExpressionAttributeValues: { ":at": at, ":one": 1 },
            },
          },
          audit,
        ],
      }),
    );
  } catch (e) {
    if (!isConditionFailure(e)) mapStorageError(e);
  }
}

/** Record the key's last use. */
export async function touchApiKey(hash: string, at: string): Promise<void> {
  await db().send(new UpdateCommand({ TableName: tableName(), Key: keys.apiKey(hash), UpdateExpression: "SET lastUsedAt = :at", ExpressionAttributeValues: { ":at": at } }));
}
