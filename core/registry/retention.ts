import { auditPut } from "../audit/entry.ts";
import { getSettings, privacyOf } from "../settings/settings.ts";
import { getPerson } from "./repo.ts";
import { deleteMovedAway, dropMovedAwayMarker, movedAwayBefore } from "./repo-retention.ts";

/**
 * Retention of registry people who moved away (PIPL; docs/security.md "Retention"). A person
 * marked as moved away (`PATCH /v1/registry/people/{id} {movedAway: true}`: sets `movedAwayAt`
 * and a marker `REGISTRY#MOVEDAWAY / <at>#<id>` in the same transaction) is deleted
 * `privacy.movedAwayRetentionDays` (default 365) later by the daily `retention` job: the job reads
 * the markers older than the cut-off (one Query, oldest first, no scan) and deletes each person
 * with their ID reference and marker in one transaction, audited `person.expire` by
 * `system/retention` (masked nothing: the entry names the record id and unit, not the person).
 * Marking back (`movedAway: false`) removes the marker. Not a DynamoDB TTL: a TTL deletion would
 * leave the unique ID reference behind and write no audit entry. Idempotent: a person changed
 * (version) or no longer marked since the read is skipped by the conditions; a marker whose
 * person is gone is dropped.
 */
export async function expireMovedAway(now: Date, maxPeople = 2000): Promise<{ deleted: number; skipped: number }> {
  const days = privacyOf(await getSettings()).movedAwayRetentionDays;
  const cutoff = new Date(now.getTime() - days * 86_400_000).toISOString();
  let deleted = 0;
  let skipped = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await movedAwayBefore(cutoff, 100, start);
    start = page.next;
    for (const { personId, at } of page.items) {
      const p = await getPerson(personId, true);
      if (!p || p.movedAwayAt !== at) {
        await dropMovedAwayMarker(at, personId);
        skipped++;
        continue;
      }
      const audit = auditPut(
        {
          actor: { kind: "system", id: "retention" },
          action: "person.expire",
          entity: "person",
          entityId: p.id,
          unitPath: p.unitPath,
          summary: `person moved away on ${at.slice(0, 10)} deleted after ${days} days (privacy.movedAwayRetentionDays)`,
          details: { movedAwayAt: at, retentionDays: days },
        },
        now,
      );
      if (await deleteMovedAway(p, at, audit)) deleted++;
      else skipped++;
    }
  } while (start && deleted + skipped < maxPeople);
  return { deleted, skipped };
}
