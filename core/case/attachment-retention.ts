import { deleteS3Object } from "../s3-object.ts";
import { auditPut } from "../audit/entry.ts";
import { countyMonth } from "../aggregate/apply.ts";
import { getSettings, privacyOf } from "../settings/settings.ts";
import { getCase, timeline } from "./repo.ts";
import { isTerminal } from "./schema.ts";
import { attachmentsExpired, closedCasesOfMonth, getRetentionMark, markAttachmentsExpired, setRetentionMark } from "./repo-retention.ts";

/**
 * Retention of case attachments (PIPL; docs/security.md "Retention"): the photos, voice notes and
 * other files on a case's timeline — residents' uploads and staff photos alike — are deleted
 * `privacy.caseAttachmentRetentionDays` (default 730) after the case closed (or was rejected), by
 * the daily `retention` job. Not by an S3 lifecycle rule: a rule sees only an object's age, and
 * would delete photos still on open cases (attachments stay at their upload key).
 *
 * Driven from the closed cases: gsi1 `CASES#CLOSED#<county month>` (the index the case lists use),
 * month by month up to the cut-off's month, from a watermark (`RETENTION / case-attachments`: the
 * last month fully done, written once at the end of a run) so a month is read again only while some
 * of its cases are not due yet — closed after the cut-off, or still inside their reopen period; a run
 * that fails before its end leaves the watermark where it was (the next run repeats its months:
 * every step is idempotent). For each due case (re-read
 * consistently: still closed, closed before the cut-off, reopen deadline passed) the objects of its
 * timeline are deleted, then one transaction marks the case (`CASE#<id> / ATTACHEXPIRED`) and writes
 * the audit row `case.attachments_expire` (by `system/retention`, `details: {objects, closedAt,
 * retentionDays}`; none for a case without attachments) on the condition that the case is still in
 * the state and version read. Idempotent: deleting an absent object succeeds, a marked case is
 * skipped, a crash between the deletes and the mark only repeats the deletes. The timeline keeps
 * the attachment entries; a download of a deleted one answers the storage's 404.
 */
export const MARK = "case-attachments";
export const LOOKBACK_MONTHS = 120;

const monthIndex = (m: string) => Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7)) - 1;
const monthOf = (n: number) => `${Math.floor(n / 12)}-${String((n % 12) + 1).padStart(2, "0")}`;

/** Ten at a time, each one DeleteObject without the S3 client (core/s3-object.ts: same retries and faults as the SDK client's). */
async function deleteObjects(keys: string[]): Promise<void> {
  for (let i = 0; i < keys.length; i += 10) await Promise.all(keys.slice(i, i + 10).map((key) => deleteS3Object(key)));
}

type Outcome = { done: "expired"; objects: number } | { done: "skipped" | "waiting" };

async function expireOne(id: string, cutoff: string, days: number, now: Date): Promise<Outcome> {
  if (await attachmentsExpired(id)) return { done: "skipped" };
  const c = await getCase(id, true);
  if (!c || !isTerminal(c.state)) return { done: "skipped" }; // reopened: filed under a later month when it closes again
  const closedAt = c.closedAt ?? c.updatedAt;
  if (closedAt >= cutoff) return { done: "waiting" };
  if (c.deadlines.reopen && Date.parse(c.deadlines.reopen) > now.getTime()) return { done: "waiting" };
  const keys = [...new Set((await timeline(id)).flatMap((e) => (e.attachments ?? []).map((a) => a.key)))];
  await deleteObjects(keys);
  const audit = auditPut(
    {
      actor: { kind: "system", id: "retention" },
      action: "case.attachments_expire",
      entity: "case",
      entityId: id,
      unitPath: c.unitPath,
      summary: `${keys.length} attachments of case ${c.number} deleted ${days} days after it closed (privacy.caseAttachmentRetentionDays)`,
      details: { objects: keys.length, closedAt, retentionDays: days },
    },
    now,
  );
  const marked = await markAttachmentsExpired(c, keys.length, keys.length ? audit : undefined, now.toISOString());
  return marked ? { done: "expired", objects: keys.length } : { done: "skipped" };
}

export async function expireCaseAttachments(now: Date, maxCases = 2000): Promise<{ cases: number; objects: number; waiting: number; through: string | null }> {
  const settings = await getSettings();
  const days = privacyOf(settings).caseAttachmentRetentionDays;
  const cutoff = new Date(now.getTime() - days * 86_400_000).toISOString();
  const last = monthIndex(countyMonth(cutoff, settings.timeZone));
  const mark = await getRetentionMark(MARK);
  let cases = 0;
  let objects = 0;
  let waiting = 0;
  let seen = 0;
  let advance = true;
  let through: string | null = mark ?? null;
  for (let m = mark ? monthIndex(mark) + 1 : last - LOOKBACK_MONTHS; m <= last && seen < maxCases; m++) {
    const month = monthOf(m);
    let complete = true;
    for await (const page of closedCasesOfMonth(month)) {
      for (const row of page) {
        if (seen >= maxCases) {
          complete = false;
          break;
        }
        seen++;
        const out = await expireOne(row.id, cutoff, days, now);
        if (out.done === "expired") {
          cases += out.objects ? 1 : 0;
          objects += out.objects;
        } else if (out.done === "waiting") {
          waiting++;
          complete = false;
        }
      }
    }
    // the watermark moves over whole months only, and never past a month with cases still waiting
    if (advance && complete && m < last) through = month;
    else advance = false;
  }
  // written once a run, where the walk got (#15: a first run wrote it after each of its 120 months)
  if (through && through !== mark) await setRetentionMark(MARK, through);
  return { cases, objects, waiting, through };
}
