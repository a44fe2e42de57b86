import { decodeTime } from "ulid";
import { auditPut } from "../audit/entry.ts";
import { deleteMarkerIn, putMarker } from "./repo-pending.ts";
import { expireMarked } from "./expiry.ts";
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
const PENDING_PK = "UPLOADS#PENDING";
const ULID_NAME = /\/([0-9A-HJKMNP-TV-Z]{26})-[^/]*$/;

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
  return at ? { pk: PENDING_PK, sk: `${at}#${key}` } : undefined;
};

/** Note a presigned upload as not attached yet. */
export async function recordPendingUpload(key: string, now: Date): Promise<void> {
  const k = markerKey(key);
  if (!k) return;
  await putMarker(k, { _et: "PendingUpload", key, state: "pending", issuedAt: k.sk.split("#")[0], recordedAt: now.toISOString() });
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
      if (!(await deleteMarkerIn(k, "pending"))) {
        throw new InvalidError("Attachment has expired: it was not attached in time", { fields: [{ path: `attachments.${i}.key`, message: "expired, upload it again" }] });
      }
    }),
  );
}

/**
 * The daily job's part: every upload issued before now − `privacy.unattachedUploadRetentionHours`
 * and still not attached is deleted, each audited `upload.expire` (by `system/retention`). At most
 * `max` a run (the rest the next day).
 */
export async function expireUnattachedUploads(now: Date, max = 5000): Promise<{ deleted: number; skipped: number; hours: number }> {
  const hours = privacyOf(await getSettings()).unattachedUploadRetentionHours;
  const cutoff = new Date(now.getTime() - hours * 3_600_000).toISOString();
  const { deleted, skipped } = await expireMarked({
    pk: PENDING_PK,
    live: "pending", // skipped: attached meanwhile
    cutoff,
    now,
    max,
    audit: (m) =>
      auditPut(
        {
          actor: { kind: "system", id: "retention" },
          action: "upload.expire",
          entity: "upload",
          entityId: m.key,
          summary: `upload never attached deleted ${hours} hours after it was issued (privacy.unattachedUploadRetentionHours)`,
          details: { key: m.key, issuedAt: m.issuedAt, retentionHours: hours },
        },
        now,
      ),
  });
  return { deleted, skipped, hours };
}
