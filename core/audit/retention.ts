import { auditPut } from "./entry.ts";
import { auditMarksSettled, forgetAuditMonth } from "./marks.ts";
import { auditMonthHasRows, deleteAuditMonthPage } from "./repo.ts";
import { auditMonthMarks, deleteAuditMonthMark, putAuditMonthMark, setAuditFullProbe } from "./repo-marks.ts";
import { putAuditRow } from "./repo-row.ts";
import { getSettings, privacyOf } from "../settings/settings.ts";
import { pool } from "../unit/pool.ts";

/**
 * Retention of the audit trail (PIPL; docs/security.md "Retention"). Audit rows are partitioned by
 * month (`AUDIT#YYYY-MM`); a whole month older than `privacy.auditRetentionMonths` (county
 * setting, default 36, at least 6 — the Cybersecurity Law's minimum for logs) is deleted by the
 * daily `retention` job. Which months it looks at (#15: probing all 120 look-back months every day
 * was most of the job's run):
 * - **daily**: the months marked by the audit writer (core/audit/marks.ts: `AUDITMONTHS /
 *   AUDITMONTH#<month>`, put when a container first writes a row of a month), read with one Query;
 *   every marked month past the cut-off is emptied (however old: the look-back does not limit it);
 * - **weekly** (the first daily run at least {@link FULL_PROBE_EVERY_MS} − 12 h after the last full
 *   probe, i.e. every 7th day, and the very first run): also one Query of one key for each of the
 *   {@link LOOKBACK_MONTHS} months before the cut-off, {@link PROBE_CONCURRENCY} at a time, the
 *   safety net for a lost marker (a month with rows and no marker waits at most 7 days); a month it
 *   finds with rows is marked first, so a run stopped by `maxRows` or a crash goes on daily.
 * The months are emptied one after the other, newest first, at most `maxRows` rows a run; a month's
 * marker is deleted only after a probe found the month empty (after its deletes). Each month it
 * empties is itself audited (`audit.expire`, by `system/retention`, with the month and the number of
 * rows) in the current month, so the trail shows that and when it was shortened. Idempotent: rows
 * already deleted are not found again; a crashed run resumes where a marked partition still has rows.
 */
export const LOOKBACK_MONTHS = 120;
/** Months probed at the same time by the weekly full probe (each probe is one Query of one key, half a read unit). */
export const PROBE_CONCURRENCY = 16;
/** How often every look-back month is probed, whatever the markers say. */
export const FULL_PROBE_EVERY_MS = 7 * 86_400_000;
const FULL_PROBE_SLACK_MS = 12 * 3_600_000; // a daily run a few seconds earlier than last week's still probes

const monthOf = (n: number) => `${Math.floor(n / 12)}-${String((n % 12) + 1).padStart(2, "0")}`;

export async function expireAudit(now: Date, maxRows = 20_000): Promise<{ deleted: number; months: string[]; fullProbe: boolean }> {
  await auditMarksSettled(); // this container's own marker puts in flight
  // settings saved before this field existed carry no value: the default applies
  const [settings, marks] = await Promise.all([getSettings(), auditMonthMarks()]);
  const keep = privacyOf(settings).auditRetentionMonths ?? 36;
  const current = now.getUTCFullYear() * 12 + now.getUTCMonth();
  const cutoff = monthOf(current - keep - 1); // the newest month past the retention
  const marked = new Set(marks.months.filter((m) => m <= cutoff));
  const fullProbe = !marks.fullProbeAt || now.getTime() - Date.parse(marks.fullProbeAt) >= FULL_PROBE_EVERY_MS - FULL_PROBE_SLACK_MS;
  const withRows = new Set<string>();
  if (fullProbe) {
    const lookback: string[] = [];
    for (let m = current - keep - 1; m >= current - keep - LOOKBACK_MONTHS; m--) lookback.push(monthOf(m));
    const hasRows = await pool(lookback, PROBE_CONCURRENCY, (m) => auditMonthHasRows(m));
    const found = lookback.filter((_, i) => hasRows[i]);
    // a month with rows and no marker (its marker lost): marked now, so that the daily runs go on with it
    await pool(found.filter((m) => !marked.has(m)), PROBE_CONCURRENCY, putAuditMonthMark);
    for (const m of found) withRows.add(m);
  }
  let deleted = 0;
  const months: string[] = [];
  for (const month of [...new Set([...marked, ...withRows])].sort().reverse()) {
    if (deleted >= maxRows) break;
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
    // the marker goes only once a probe (consistent, after the deletes) found the month empty: a row written meanwhile keeps it
    if (!start && !(await auditMonthHasRows(month, true))) {
      await deleteAuditMonthMark(month);
      forgetAuditMonth(month);
    }
  }
  if (fullProbe) await setAuditFullProbe(now.toISOString());
  return { deleted, months, fullProbe };
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
