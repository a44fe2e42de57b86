import { DeleteCommand, PutCommand, QueryCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { deleteS3Object } from "../s3-object.ts";
import { db, tableName } from "../db/client.ts";
import { isConditionFailure } from "../db/errors.ts";
import { auditPut } from "../audit/entry.ts";
import { getSettings, privacyOf } from "../settings/settings.ts";

/**
 * Retention of duty evidence photos (PIPL; docs/security.md "Retention"): the photos attached to a
 * home visit, a patrol's check-out or a task grid's completion are deleted
 * `privacy.dutyPhotoRetentionDays` (default 730, 30–3650) after the record was written, by the
 * daily `retention` job.
 *
 * Found without a scan: when a record with photos has been written, each photo gets a marker
 * `DUTY#PHOTOS / <recorded at>#<key>` (`{key, record, recordId}`); the job reads the markers
 * recorded before the cut-off (one Query). For each it turns the marker `due` → `expired` with the
 * audit row `duty_photo.expire` (`details: {key, record, recordId, recordedAt, retentionDays}`) in
 * one conditional transaction, then deletes the object, then the marker. A crash between the steps
 * is finished by the next run (object and marker deleted again, not audited twice). The record keeps
 * its photo entries; a later photo link (`GET …/photo?key=`) is signed as before and the storage
 * answers 404.
 *
 * The marker is written after the record (not in its transaction): a crash between the two leaves
 * the photo without a marker, kept (the safe side). Photos of records written before markers
 * existed have none and are kept.
 */
const PK = "DUTY#PHOTOS";
/** An expired marker the job could not finish disappears by TTL after this long. */
const EXPIRED_MARKER_TTL_S = 7 * 86_400;

export type DutyRecord = "visit" | "patrol" | "task";

/** The photos of a record just written: one marker each (idempotent: the same key at the same time is the same marker). */
export async function recordDutyPhotos(photos: Array<{ key: string }> | undefined, record: DutyRecord, recordId: string, now: Date): Promise<void> {
  if (!photos?.length) return;
  const recordedAt = now.toISOString();
  await Promise.all(
    photos.map((ph) =>
      db().send(new PutCommand({ TableName: tableName(), Item: { pk: PK, sk: `${recordedAt}#${ph.key}`, _et: "DutyPhoto", key: ph.key, record, recordId, recordedAt, state: "due" } })),
    ),
  );
}

interface Marker {
  pk: string;
  sk: string;
  key: string;
  record: DutyRecord;
  recordId: string;
  recordedAt: string;
  state: "due" | "expired";
}

async function dropMarker(m: Marker): Promise<void> {
  await db()
    .send(new DeleteCommand({ TableName: tableName(), Key: { pk: m.pk, sk: m.sk }, ConditionExpression: "#s = :expired", ExpressionAttributeNames: { "#s": "state" }, ExpressionAttributeValues: { ":expired": "expired" } }))
    .catch((e) => {
      if (!isConditionFailure(e)) throw e;
    });
}

/**
 * The daily job's part: every duty photo recorded before now − `privacy.dutyPhotoRetentionDays` is
 * deleted, each audited `duty_photo.expire` (by `system/retention`). At most `max` a run.
 */
export async function expireDutyPhotos(now: Date, max = 5000): Promise<{ deleted: number; days: number }> {
  const days = privacyOf(await getSettings()).dutyPhotoRetentionDays;
  const cutoff = new Date(now.getTime() - days * 86_400_000).toISOString();
  let deleted = 0;
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
      if (seen++ >= max) return { deleted, days };
      if (m.state === "expired") {
        // a run that stopped between its steps: finish them, counted and audited already
        await deleteS3Object(m.key);
        await dropMarker(m);
        continue;
      }
      const audit = auditPut(
        {
          actor: { kind: "system", id: "retention" },
          action: "duty_photo.expire",
          entity: m.record,
          entityId: m.recordId,
          summary: `${m.record} photo deleted ${days} days after it was recorded (privacy.dutyPhotoRetentionDays)`,
          details: { key: m.key, record: m.record, recordId: m.recordId, recordedAt: m.recordedAt, retentionDays: days },
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
                  ConditionExpression: "#s = :due",
                  ExpressionAttributeNames: { "#s": "state" },
                  ExpressionAttributeValues: { ":expired": "expired", ":due": "due", ":now": now.toISOString(), ":ttl": Math.floor(now.getTime() / 1000) + EXPIRED_MARKER_TTL_S },
                },
              },
              audit,
            ],
          }),
        );
      } catch (e) {
        if (!isConditionFailure(e)) throw e;
        continue; // another run took it
      }
      await deleteS3Object(m.key);
      await dropMarker({ ...m, state: "expired" });
      deleted++;
    }
    start = out.LastEvaluatedKey;
  } while (start);
  return { deleted, days };
}
