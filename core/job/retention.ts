import { decodeTime } from "ulid";
import { deleteS3Object, listS3Objects } from "../s3-object.ts";
import { markImportFileExpired } from "./repo.ts";
import { auditPut } from "../audit/entry.ts";
import { VisibleError } from "../errors.ts";
import { getSettings, privacyOf } from "../settings/settings.ts";

/**
 * Retention of import files (PIPL; docs/security.md "Retention"): everything under `imports/` in
 * the private bucket — job inputs (unit GeoJSON/CSV/Shapefile, Excel workbooks that can hold
 * residents' full ID numbers and phones, staff lists), error reports `*.errors.csv`, problem lists
 * `*.problems.json`, issued activation codes `*.activation.json` (sheets `*.activation.xlsx` of older jobs) and presigned import uploads
 * `imports/uploads/<caller>/…` — is deleted `privacy.importFileRetentionDays` (default 30, 1–90)
 * after its job was created (or its upload issued), by the daily `retention` job.
 *
 * The age is the time of the ULID in the key (the job id `imports/<jobId>.*`, the upload's
 * `imports/uploads/<caller>/<ulid>.*`), which the API takes from the injected clock; a key without
 * one falls back to the object's LastModified. The job lists the prefix (ListObjectsV2, paginated;
 * no DynamoDB scan; signed requests without the S3 client, core/s3-object.ts). Each deletion is audited once: a transaction writes a marker
 * `IMPORTS#EXPIRED / <key>` (absent before) with the audit row `import_file.expire`, then the
 * object is deleted; a crash between the two only repeats the delete next run (the marker is there,
 * no second audit row). Markers go by TTL after a week. An S3 lifecycle rule on `imports/` at the
 * setting's upper bound (stacks/Storage.ts) is the backstop.
 *
 * A job's downloads that read an expired file (error report, corrected workbook, activation sheet)
 * answer 410 `gone` (`importFileGone`), never a 5xx.
 */
export const IMPORTS_PREFIX = "imports/";
const ULID_AT = /(?:^|\/)([0-9A-HJKMNP-TV-Z]{26})(?:[.\-][^/]*)?$/;

/** When an import key's job was created or its upload issued (ULID time), else undefined. */
export function importKeyTime(key: string): number | undefined {
  const m = ULID_AT.exec(key);
  if (!m) return undefined;
  try {
    return decodeTime(m[1]);
  } catch {
    return undefined;
  }
}

/** 410 `gone` for a job file the retention job deleted (or never written). */
export async function importFileGone(what: string): Promise<VisibleError> {
  const days = privacyOf(await getSettings()).importFileRetentionDays;
  return new VisibleError(410, "gone", `The ${what} of this import is no longer kept: import files are deleted ${days} days after the import (privacy.importFileRetentionDays)`, { retentionDays: days });
}

/** True for S3's "no such object" answers (GetObject NoSuchKey, HeadObject NotFound, 404). */
export function isMissingObject(e: unknown): boolean {
  const name = (e as Error)?.name;
  const status = (e as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
  return name === "NoSuchKey" || name === "NotFound" || status === 404;
}

/**
 * The daily job's part: every object under `imports/` older than now − `privacy.importFileRetentionDays`
 * is deleted, each audited `import_file.expire` (by `system/retention`). At most `max` a run.
 */
export async function expireImportFiles(now: Date, max = 5000): Promise<{ deleted: number; days: number }> {
  const days = privacyOf(await getSettings()).importFileRetentionDays;
  const cutoff = now.getTime() - days * 86_400_000;
  let deleted = 0;
  let token: string | undefined;
  do {
    const page = await listS3Objects(IMPORTS_PREFIX, { continuationToken: token, maxKeys: 1000 });
    for (const o of page.objects) {
      if (!o.key) continue;
      const at = importKeyTime(o.key) ?? o.lastModified?.getTime();
      if (at === undefined || at >= cutoff) continue;
      if (deleted >= max) return { deleted, days };
      const audit = auditPut(
        {
          actor: { kind: "system", id: "retention" },
          action: "import_file.expire",
          entity: "import_file",
          entityId: o.key,
          summary: `import file deleted ${days} days after its import (privacy.importFileRetentionDays)`,
          details: { key: o.key, createdAt: new Date(at).toISOString(), retentionDays: days },
        },
        now,
      );
      // false: audited by a run that stopped before its delete
      const fresh = await markImportFileExpired(o.key, now, audit);
      await deleteS3Object(o.key);
      if (fresh) deleted++;
    }
    token = page.next;
  } while (token);
  return { deleted, days };
}
