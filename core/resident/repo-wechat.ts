import { GetCommand, PutCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { db, tableName } from "../db/client.ts";
import { isConditionFailure } from "../db/errors.ts";
import { item } from "../db/items.ts";
import * as keys from "../db/keys.ts";
import type { Resident } from "./schema.ts";

/**
 * The table side of the WeChat sign-in (core/resident/wechat.ts): the link item
 * `keys.residentWechat(<HMAC of the WeChat identity>)` → `{residentId}`, and the phone binding of
 * a WeChat-only resident.
 */

/** The resident the WeChat identity points at (consistent GetItem). */
export async function linkedResident(idHash: string): Promise<string | undefined> {
  const out = await db().send(new GetCommand({ TableName: tableName(), Key: keys.residentWechat(idHash), ConsistentRead: true }));
  return out.Item?.residentId as string | undefined;
}

/** Put the link: created once (`before` undefined), or moved from `before` (conditional); false when the condition failed. */
export async function putWechatLink(idHash: string, residentId: string, before: string | undefined, now: Date): Promise<boolean> {
  try {
    await db().send(
      new PutCommand({
        TableName: tableName(),
        Item: item("ResidentWechat", keys.residentWechat(idHash), { residentId, linkedAt: now.toISOString() }),
        ConditionExpression: before ? "residentId = :before" : "attribute_not_exists(pk)",
        ...(before ? { ExpressionAttributeValues: { ":before": before } } : {}),
      }),
    );
    return true;
  } catch (e) {
    if (isConditionFailure(e)) return false;
    throw e;
  }
}

/**
 * One transaction: the phone reference `hash` created for `r` (free), `r` updated to `next`'s
 * phone and version (at the version read), the old `wx:` reference deleted. false when a
 * condition failed.
 */
export async function bindPhone(r: Resident, next: Resident): Promise<boolean> {
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: tableName(), Item: item("ResidentPhone", keys.residentPhone(next.phoneHash), { residentId: r.id }), ConditionExpression: "attribute_not_exists(pk)" } },
          {
            Update: {
              TableName: tableName(),
              Key: keys.resident(r.id),
              UpdateExpression: "SET phoneHash = :h, phoneMasked = :m, #v = :next, updatedAt = :at",
              ConditionExpression: "#v = :v",
              ExpressionAttributeNames: { "#v": "version" },
              ExpressionAttributeValues: { ":h": next.phoneHash, ":m": next.phoneMasked, ":next": next.version, ":at": next.updatedAt, ":v": r.version },
            },
          },
          { Delete: { TableName: tableName(), Key: keys.residentPhone(r.phoneHash) } },
        ],
      }),
    );
    return true;
  } catch (e) {
    if (isConditionFailure(e)) return false;
    throw e;
  }
}
