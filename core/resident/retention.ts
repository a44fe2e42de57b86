import { QueryCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { db, tableName } from "../db/client.ts";
import { keys } from "../db/keys.ts";
import { strip } from "../db/items.ts";
import { isConditionFailure, mapStorageError } from "../db/errors.ts";
import { auditPut } from "../audit/entry.ts";
import { getSettings, privacyOf } from "../settings/settings.ts";
import type { Resident } from "./schema.ts";

/**
 * Retention of residents' personal data (PIPL; docs/registry.md "Retention"). A resident account
 * holds a phone HMAC, a masked phone and the grid they registered in. One not signed in for
 * `privacy.residentRetentionDays` (county setting, default 730) is deleted with its phone
 * reference, one transaction per resident, audited (`resident.delete`, no phone in the entry).
 * Their cases stay (they carry the resident id only, no personal data). The job reads the
 * last-seen index (gsi1 `RESIDENTS#SEEN`, sorted by last sign-in) up to the cut-off: no scan.
 * Idempotent: a resident deleted by an earlier (or concurrent) run, or seen again since it was
 * read, is skipped by the conditions.
 */
export const BATCH = 100;

export async function expireResidents(now: Date, maxResidents = 2000): Promise<{ deleted: number; skipped: number }> {
  const days = privacyOf(await getSettings()).residentRetentionDays;
  const cutoff = new Date(now.getTime() - days * 86_400_000).toISOString();
  let deleted = 0;
  let skipped = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: "gsi1",
        KeyConditionExpression: "gsi1pk = :pk AND gsi1sk < :cut",
        ExpressionAttributeValues: { ":pk": keys.residentSeen("", "").gsi1pk, ":cut": cutoff },
        Limit: BATCH,
        ExclusiveStartKey: start,
      }),
    );
    start = out.LastEvaluatedKey;
    for (const raw of out.Items ?? []) {
      const r = strip<Resident>(raw)!;
      if ((await deleteResident(r, String(raw.gsi1sk), days, now)) === "deleted") deleted++;
      else skipped++;
    }
  } while (start && deleted + skipped < maxResidents);
  return { deleted, skipped };
}

async function deleteResident(r: Resident, seenKey: string, days: number, now: Date): Promise<"deleted" | "skipped"> {
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          // still unseen since it was read (a sign-in moves gsi1sk) and at the version read
          { Delete: { TableName: tableName(), Key: keys.resident(r.id), ConditionExpression: "gsi1sk = :seen AND #v = :v", ExpressionAttributeNames: { "#v": "version" }, ExpressionAttributeValues: { ":seen": seenKey, ":v": r.version } } },
          { Delete: { TableName: tableName(), Key: keys.residentPhone(r.phoneHash), ConditionExpression: "attribute_not_exists(pk) OR residentId = :id", ExpressionAttributeValues: { ":id": r.id } } },
          auditPut(
            {
              actor: { kind: "system", id: "retention" },
              action: "resident.delete",
              entity: "resident",
              entityId: r.id,
              unitPath: r.unitPath,
              summary: `resident account unused since ${(r.lastSeenAt ?? r.createdAt).slice(0, 10)} deleted after ${days} days (privacy.residentRetentionDays)`,
            },
            now,
          ),
        ],
      }),
    );
    return "deleted";
  } catch (e) {
    if (isConditionFailure(e)) return "skipped";
    mapStorageError(e);
    return "skipped";
  }
}
