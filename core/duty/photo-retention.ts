import { auditPut } from "../audit/entry.ts";
import { putMarker } from "../attachment/repo-pending.ts";
import { expireMarked } from "../attachment/expiry.ts";
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

export type DutyRecord = "visit" | "patrol" | "task";

/** The photos of a record just written: one marker each (idempotent: the same key at the same time is the same marker). */
export async function recordDutyPhotos(photos: Array<{ key: string }> | undefined, record: DutyRecord, recordId: string, now: Date): Promise<void> {
  if (!photos?.length) return;
  const recordedAt = now.toISOString();
  await Promise.all(
    photos.map((ph) =>
      putMarker({ pk: PK, sk: `${recordedAt}#${ph.key}` }, { _et: "DutyPhoto", key: ph.key, record, recordId, recordedAt, state: "due" }),
    ),
  );
}

/**
 * The daily job's part: every duty photo recorded before now − `privacy.dutyPhotoRetentionDays` is
 * deleted, each audited `duty_photo.expire` (by `system/retention`). At most `max` a run.
 */
export async function expireDutyPhotos(now: Date, max = 5000): Promise<{ deleted: number; days: number }> {
  const days = privacyOf(await getSettings()).dutyPhotoRetentionDays;
  const cutoff = new Date(now.getTime() - days * 86_400_000).toISOString();
  const { deleted } = await expireMarked({
    pk: PK,
    live: "due", // skipped: another run took it
    cutoff,
    now,
    max,
    audit: (m) =>
      auditPut(
        {
          actor: { kind: "system", id: "retention" },
          action: "duty_photo.expire",
          entity: m.record as DutyRecord,
          entityId: m.recordId as string,
          summary: `${m.record} photo deleted ${days} days after it was recorded (privacy.dutyPhotoRetentionDays)`,
          details: { key: m.key, record: m.record, recordId: m.recordId, recordedAt: m.recordedAt, retentionDays: days },
        },
        now,
      ),
  });
  return { deleted, days };
}
