import { clock } from "../../core/clock.ts";
import { expireResidents } from "../../core/resident/retention.ts";
import { expireAudit, auditRetentionRun } from "../../core/audit/retention.ts";
import { expireCaseAttachments } from "../../core/case/attachment-retention.ts";
import { expireMovedAway } from "../../core/registry/retention.ts";
import { expireUnattachedUploads } from "../../core/attachment/pending.ts";
import { expireImportFiles } from "../../core/job/retention.ts";
import { expireDutyPhotos } from "../../core/duty/photo-retention.ts";

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
 */
export const handler = async () => {
  const now = clock.now();
  const residents = await expireResidents(now);
  const attachments = await expireCaseAttachments(now);
  const movedAway = await expireMovedAway(now);
  const uploads = await expireUnattachedUploads(now);
  const imports = await expireImportFiles(now);
  const dutyPhotos = await expireDutyPhotos(now);
  const audit = await expireAudit(now);
  const result = { ...residents, attachments, movedAway, uploads, imports, dutyPhotos, audit };
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
