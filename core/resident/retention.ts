import { auditPut } from "../audit/entry.ts";
import { getSettings, privacyOf } from "../settings/settings.ts";
import type { Resident } from "./schema.ts";
import { deleteUnseenResident, residentsSeenBefore } from "./repo-retention.ts";

/**
 * Retention of residents' personal data (PIPL; docs/registry.md "Retention"). A resident account
 * holds a phone HMAC, a masked phone and the grid they registered in. One not signed in for
 * `privacy.residentRetentionDays` (county setting, default 730) is deleted with its phone
 * reference, one transaction per resident, audited (`resident.delete`, no phone in the entry).
 * Their cases stay (they carry the resident id only, no personal data). The job reads the
 * last-seen index (gsi1 `RESIDENTS#SEEN`, sorted by last sign-in) up to the cut-off: no scan.
 * Idempotent: a resident deleted by an earlier (or concurrent) run, or seen again since it was
 * read, is skipped by the conditions.
 */
export const BATCH = 100;

export async function expireResidents(now: Date, maxResidents = 2000): Promise<{ deleted: number; skipped: number }> {
  const days = privacyOf(await getSettings()).residentRetentionDays;
  const cutoff = new Date(now.getTime() - days * 86_400_000).toISOString();
  let deleted = 0;
  let skipped = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await residentsSeenBefore(cutoff, BATCH, start);
    start = page.next;
    for (const { resident: r, seenKey } of page.residents) {
      if ((await deleteResident(r, seenKey, days, now)) === "deleted") deleted++;
      else skipped++;
    }
  } while (start && deleted + skipped < maxResidents);
  return { deleted, skipped };
}

async function deleteResident(r: Resident, seenKey: string, days: number, now: Date): Promise<"deleted" | "skipped"> {
  const audit = auditPut(
    {
      actor: { kind: "system", id: "retention" },
      action: "resident.delete",
      entity: "resident",
      entityId: r.id,
      unitPath: r.unitPath,
      summary: `resident account unused since ${(r.lastSeenAt ?? r.createdAt).slice(0, 10)} deleted after ${days} days (privacy.residentRetentionDays)`,
    },
    now,
  );
  return (await deleteUnseenResident(r, seenKey, audit)) ? "deleted" : "skipped";
}
