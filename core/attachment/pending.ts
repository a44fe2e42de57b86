import { DeleteCommand, PutCommand, QueryCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { decodeTime } from "ulid";
import { deleteS3Object } from "../s3-object.ts";
import { db, tableName } from "../db/client.ts";
import { isConditionFailure } from "../db/errors.ts";
import { auditPut } from "../audit/entry.ts";
import { InvalidError } from "../errors.ts";
import { getSettings, privacyOf } from "../settings/settings.ts";

/**
 * Retention of uploads never attached (PIPL; docs/security.md "Retention"). Every presigned PUT the
 * API hands out (`POST /v1/uploads`, `POST /v1/cases/{id}/attachments`) leaves a pending marker
 * `UPLOADS#PENDING / <issued at>#<key>`; the first action that attaches the upload (a report, a case
 * action, a visit or patrol: core/attachment/presign.ts `confirmAttachments`) deletes it. The daily
 * `retention` job deletes the object of every marker older than
 * `privacy.unattachedUploadRetentionHours` (default 168) and the marker.
 *
 * Not an S3 lifecycle rule: attached uploads stay at their upload key (`uploads/<caller>/…`,
 * `cases/<id>/…`) untagged, so a rule on the prefix or the age would delete photos on cases.
 *
 * Never an attached upload, whatever the order of a report and the job:
 * - the job first turns the marker `pending` → `expired` (conditional, with the audit row
 *   `upload.expire` in the same transaction), then deletes the object, then the marker;
 * - attaching deletes the marker only while it is absent or `pending`: an `expired` one refuses
 *   the report (400, upload again); a marker the job already removed means the object is gone and
 *   the upload check (HeadObject) refuses it.
 * A marker left `expired` by a crash is finished by the next run (object and marker deleted again,
 * not counted twice). Uploads issued before markers existed have none and are kept.
 */
const PK = "UPLOADS#PENDING";
const ULID_NAME = /\/([0-9A-HJKMNP-TV-Z]{26})-[^/]*$/;
/** An expired marker the job could not finish disappears by TTL after this long. */
const EXPIRED_MARKER_TTL_S = 7 * 86_400;

/** When the API issued an upload key (its ULID's time); undefined for a key it did not issue so. */
export function issuedAtOf(key: string): string | undefined {
  const m = ULID_NAME.exec(key);
  if (!m) return undefined;
  try {
    return new Date(decodeTime(m[1])).toISOString();
  } catch {
    return undefined;
  }
}

const markerKey = (key: string) => {
  const at = issuedAtOf(key);
  return at ? { pk: PK, sk: `${at}#${key}` } : undefined;
};

/** Note a presigned upload as not attached yet. */
export async function recordPendingUpload(key: string, now: Date): Promise<void> {
  const k = markerKey(key);
  if (!k) return;
  await db().send(new PutCommand({ TableName: tableName(), Item: { ...k, _et: "PendingUpload", key, state: "pending", issuedAt: k.sk.split("#")[0], recordedAt: now.toISOString() } }));
}

/**
 * The uploads are being attached: their markers go (idempotent: an absent marker is fine). An
 * upload the retention job already expired is refused like one never uploaded.
 */
export async function claimUploads(keys: string[]): Promise<void> {
  await Promise.all(
    keys.map(async (key, i) => {
      const k = markerKey(key);
      if (!k) return;
      try {
        await db().send(
          new DeleteCommand({ TableName: tableName(), Key: k, ConditionExpression: "attribute_not_exists(pk) OR #s = :pending", ExpressionAttributeNames: { "#s": "state" }, ExpressionAttributeValues: { ":pending": "pending" } }),
        );
      } catch (e) {
        if (!isConditionFailure(e)) throw e;
        throw new InvalidError("Attachment has expired: it was not attached in time", { fields: [{ path: `attachments.${i}.key`, message: "expired, upload it again" }] });
      }
    }),
  );
}

interface Marker {
  pk: string;
  sk: string;
  key: string;
  state: "pending" | "expired";
  issuedAt: string;
}

/** One DeleteObject without the S3 client (core/s3-object.ts): this module is also on the request path (claimUploads). */
async function deleteObject(key: string): Promise<void> {
  await deleteS3Object(key);
}

async function dropMarker(m: Marker): Promise<void> {
  await db()
    .send(new DeleteCommand({ TableName: tableName(), Key: { pk: m.pk, sk: m.sk }, ConditionExpression: "#s = :expired", ExpressionAttributeNames: { "#s": "state" }, ExpressionAttributeValues: { ":expired": "expired" } }))
    .catch((e) => {
      if (!isConditionFailure(e)) throw e;
    });
}

/**
 * The daily job's part: every upload issued before now − `privacy.unattachedUploadRetentionHours`
 * and still not attached is deleted, each audited `upload.expire` (by `system/retention`). At most
 * `max` a run (the rest the next day).
 */
export async function expireUnattachedUploads(now: Date, max = 5000): Promise<{ deleted: number; skipped: number; hours: number }> {
  const hours = privacyOf(await getSettings()).unattachedUploadRetentionHours;
  const cutoff = new Date(now.getTime() - hours * 3_600_000).toISOString();
  let deleted = 0;
  let skipped = 0;
  let seen = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: "pk = :pk AND sk < :cutoff",
        ExpressionAttributeValues: { ":pk": PK, ":cutoff": cutoff },
        ConsistentRead: true,
        Limit: 200,
        ExclusiveStartKey: start,
      }),
    );
    for (const m of (out.Items ?? []) as Marker[]) {
      if (seen++ >= max) return { deleted, skipped, hours };
      if (m.state === "expired") {
        // a run that stopped between its steps: finish them, counted and audited already
        await deleteObject(m.key);
        await dropMarker(m);
        continue;
      }
      const audit = auditPut(
        {
          actor: { kind: "system", id: "retention" },
          action: "upload.expire",
          entity: "upload",
          entityId: m.key,
          summary: `upload never attached deleted ${hours} hours after it was issued (privacy.unattachedUploadRetentionHours)`,
          details: { key: m.key, issuedAt: m.issuedAt, retentionHours: hours },
        },
        now,
      );
      try {
        await db().send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Update: {
                  TableName: tableName(),
                  Key: { pk: m.pk, sk: m.sk },
                  UpdateExpression: "SET #s = :expired, expiredAt = :now, expiresAt = :ttl",
                  ConditionExpression: "#s = :pending",
                  ExpressionAttributeNames: { "#s": "state" },
                  ExpressionAttributeValues: { ":expired": "expired", ":pending": "pending", ":now": now.toISOString(), ":ttl": Math.floor(now.getTime() / 1000) + EXPIRED_MARKER_TTL_S },
                },
              },
              audit,
            ],
          }),
        );
      } catch (e) {
        if (!isConditionFailure(e)) throw e;
        skipped++; // attached meanwhile
        continue;
      }
      await deleteObject(m.key);
      await dropMarker({ ...m, state: "expired" });
      deleted++;
    }
    start = out.LastEvaluatedKey;
  } while (start);
  return { deleted, skipped, hours };
}
