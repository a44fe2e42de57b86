/**
 * Deleting marked objects when their time is up (the daily `retention` job): every marker of a
 * partition before the cut-off goes `<live>` → `expired` with its audit row in one conditional
 * transaction, then its object is deleted, then the marker. A run that stopped between the steps is
 * finished by the next one (object and marker deleted again, not audited twice); a marker that left
 * its live state meanwhile (an upload attached) is skipped. At most `max` markers a run.
 */
import { deleteS3Object } from "../s3-object.ts";
import { dropExpiredMarker, expireMarker, markersBefore, type Marker } from "./repo-pending.ts";

export async function expireMarked(opts: { pk: string; live: string; cutoff: string; now: Date; max: number; audit: (m: Marker) => unknown }): Promise<{ deleted: number; skipped: number }> {
  let deleted = 0;
  let skipped = 0;
  let seen = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await markersBefore(opts.pk, opts.cutoff, start);
    for (const m of page.items) {
      if (seen++ >= opts.max) return { deleted, skipped };
      if (m.state === "expired") {
        await deleteS3Object(m.key);
        await dropExpiredMarker(m);
        continue;
      }
      if (!(await expireMarker(m, opts.live, opts.now, opts.audit(m)))) {
        skipped++;
        continue;
      }
      await deleteS3Object(m.key);
      await dropExpiredMarker(m);
      deleted++;
    }
    start = page.next;
  } while (start);
  return { deleted, skipped };
}
