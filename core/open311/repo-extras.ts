import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { db, tableName } from "../db/client.ts";
import * as keys from "../db/keys.ts";
import { item } from "../db/items.ts";

/*
 * The Open311 extras of a reported case, as POST requests (core/open311/create.ts) writes them:
 * apart from core/open311/repo.ts (the reads, the updates feed; it re-exports these) so that a
 * report does not load the feed's queries (partner area, issue #15).
 */

/** What GeoReport v2 carries that a case does not: kept beside the case, never plaintext contact data. */
export interface Open311Extras {
  caseId: string;
  apiKeyId: string;
  mediaUrl?: string;
  accountId?: string;
  deviceId?: string;
  addressId?: string;
  /** masked forms only (张*, 138****5678, a***@example.com) and the phone's HMAC */
  contact?: { name?: string; phoneMasked?: string; phoneHash?: string; emailMasked?: string };
  createdAt: string;
}

export async function putExtras(x: Open311Extras): Promise<void> {
  await db().send(new PutCommand({ TableName: tableName(), Item: item("Open311Extras", keys.open311Extras(x.caseId), x) }));
}
