import { auditPut } from "./entry.ts";
import { auditMonthHasRows, deleteAuditMonthPage } from "./repo.ts";
import { putAuditRow } from "./repo-row.ts";
import { getSettings, privacyOf } from "../settings/settings.ts";
import { pool } from "../unit/pool.ts";

/**
 * Retention of the audit trail (PIPL; docs/security.md "Retention"). Audit rows are partitioned by
 * month (`AUDIT#YYYY-MM`); a whole month older than `privacy.auditRetentionMonths` (county
 * setting, default 36, at least 6 — the Cybersecurity Law's minimum for logs) is deleted by the
 * daily `retention` job, which looks back at most {@link LOOKBACK_MONTHS} months before the
 * cut-off: one Query of one key per month (mostly empty), {@link PROBE_CONCURRENCY} at a time,
 * then the months that hold rows are emptied one after the other, newest first, as before (#15:
 * 120 Queries one after the other were most of the job's run, ~200 ms locally and about a second
 * against DynamoDB in AWS, every day). Each month it empties is itself audited
 * (`audit.expire`, by `system/retention`, with the month and the number of rows) in the current
 * month, so the trail shows that and when it was shortened. Idempotent: rows already deleted are
 * not found again; a crashed run resumes where the partition still has rows.
 */
export const LOOKBACK_MONTHS = 120;
/** Months probed at the same time (each probe is one Query of one key, half a read unit). */
export const PROBE_CONCURRENCY = 16;

const monthOf = (n: number) => `${Math.floor(n / 12)}-${String((n % 12) + 1).padStart(2, "0")}`;

export async function expireAudit(now: Date, maxRows = 20_000): Promise<{ deleted: number; months: string[] }> {
  // settings saved before this field existed carry no value: the default applies
  const keep = privacyOf(await getSettings()).auditRetentionMonths ?? 36;
  const current = now.getUTCFullYear() * 12 + now.getUTCMonth();
  let deleted = 0;
  const months: string[] = [];
  const candidates: string[] = [];
  for (let m = current - keep - 1; m >= current - keep - LOOKBACK_MONTHS; m--) candidates.push(monthOf(m));
  const hasRows = await pool(candidates, PROBE_CONCURRENCY, auditMonthHasRows);
  for (const [i, month] of candidates.entries()) {
    if (deleted >= maxRows) break;
    if (!hasRows[i]) continue;
    let rows = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const page = await deleteAuditMonthPage(month, start);
      start = page.next;
      rows += page.rows;
    } while (start && deleted + rows < maxRows);
    if (rows) {
      deleted += rows;
      months.push(month);
      await putAuditRow(
        auditPut(
          {
            actor: { kind: "system", id: "retention" },
            action: "audit.expire",
            entity: "audit",
            entityId: month,
            summary: `${rows} audit entries of ${month} deleted after ${keep} months (privacy.auditRetentionMonths)`,
            details: { month, rows, retentionMonths: keep },
          },
          now,
        ),
      );
    }
  }
  return { deleted, months };
}

/**
 * One entry per retention run that deleted anything (`retention.run`, by `system/retention`,
 * `details` the counts): the county's record that, and how much, the daily job removed.
 */
export async function auditRetentionRun(
  now: Date,
  counts: { residents: number; caseAttachments: { cases: number; objects: number }; movedAway: number; auditRows: number; unattachedUploads: number; importFiles: number; dutyPhotos: number },
): Promise<boolean> {
  const total = counts.residents + counts.caseAttachments.objects + counts.caseAttachments.cases + counts.movedAway + counts.auditRows + counts.unattachedUploads + counts.importFiles + counts.dutyPhotos;
  if (!total) return false;
  await putAuditRow(
    auditPut(
      {
        actor: { kind: "system", id: "retention" },
        action: "retention.run",
        entity: "retention",
        entityId: now.toISOString().slice(0, 10),
        summary: `retention: ${counts.residents} resident accounts, ${counts.caseAttachments.objects} attachments of ${counts.caseAttachments.cases} cases, ${counts.movedAway} people moved away, ${counts.auditRows} audit entries, ${counts.unattachedUploads} uploads never attached, ${counts.importFiles} import files, ${counts.dutyPhotos} duty photos deleted`,
        details: counts,
      },
      now,
    ),
  );
  return true;
}
