import { clock } from "../../core/clock.ts";
import { expireResidents } from "../../core/resident/retention.ts";
import { expireAudit, auditRetentionRun } from "../../core/audit/retention.ts";
import { expireCaseAttachments } from "../../core/case/attachment-retention.ts";
import { expireMovedAway } from "../../core/registry/retention.ts";
import { expireUnattachedUploads } from "../../core/attachment/pending.ts";
import { expireImportFiles } from "../../core/job/retention.ts";
import { expireDutyPhotos } from "../../core/duty/photo-retention.ts";
import { foldOpenCounts } from "../../core/aggregate/fold.ts";

/**
 * Daily (03:00 county time), PIPL retention (docs/security.md "Retention"): resident accounts
 * unused longer than privacy.residentRetentionDays, attachments of cases closed longer than
 * privacy.caseAttachmentRetentionDays, registry people moved away longer than
 * privacy.movedAwayRetentionDays, uploads never attached for privacy.unattachedUploadRetentionHours
 * (core/attachment/pending.ts), files under `imports/` older than privacy.importFileRetentionDays
 * (core/job/retention.ts), evidence photos of visits, patrols and tasks older than
 * privacy.dutyPhotoRetentionDays (core/duty/photo-retention.ts), and audit months older than privacy.auditRetentionMonths. Each
 * deletion is audited; a run that deleted anything also writes one `retention.run` entry with the
 * counts.
 *
 * The seven steps touch disjoint data (each its own partitions, markers and objects) and each is
 * idempotent, so they run at the same time (#15: one after the other, their first Queries were a
 * chain of round trips). Every step runs to its end even when another fails; then the first
 * failure is thrown (the run is retried, and no `retention.run` entry is written), as before.
 */
export const handler = async () => {
  const now = clock.now();
  const [residents, attachments, movedAway, uploads, imports, dutyPhotos, audit] = await allToEnd([
    expireResidents(now),
    expireCaseAttachments(now),
    expireMovedAway(now),
    expireUnattachedUploads(now),
    expireImportFiles(now),
    expireDutyPhotos(now),
    expireAudit(now),
  ]);
  // the open count's monthly fold (core/aggregate/fold.ts): after the expiries, its own failure thrown like theirs
  const fold = await foldOpenCounts(now);
  const result = { ...residents, attachments, movedAway, uploads, imports, dutyPhotos, audit, fold };
  await auditRetentionRun(now, {
    residents: residents.deleted,
    caseAttachments: { cases: attachments.cases, objects: attachments.objects },
    movedAway: movedAway.deleted,
    auditRows: audit.deleted,
    unattachedUploads: uploads.deleted,
    importFiles: imports.deleted,
    dutyPhotos: dutyPhotos.deleted,
  });
  return result;
};

/** Like Promise.all, but waits for every step to end before it throws the first failure. */
async function allToEnd<T extends readonly unknown[]>(steps: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const settled = await Promise.allSettled(steps);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as unknown as T;
}
