import { putS3Object } from "../s3-object.ts";
import { auditPut } from "../audit/entry.ts";
import { commit, listAll, put } from "../registry/repo.ts";
import { getUnits } from "../unit/repo.ts";
import type { Unit } from "../unit/schema.ts";
import { toCsv } from "../csv.ts";
import { getSettings, privacyOf } from "../settings/settings.ts";
import { localDateOf } from "../calendar/time.ts";

/** `<dataset>-<unit code>-<county date>.csv`: the county's date (23:30 UTC is already the next day in Asia/Shanghai). */
export function exportFilename(e: Pick<ExportRequest, "dataset" | "unitCode">, now: Date, timeZone: string): string {
  return `${e.dataset}-${e.unitCode}-${localDateOf(now, timeZone)}.csv`;
}
import { DATASETS, rowOf } from "./datasets.ts";
import type { ExportRequest } from "./schema.ts";
import { exportItem, getExport } from "./repo.ts";

/**
 * Build an approved export: read the dataset under the unit, write the CSV to
 * `exports/<id>/<file>.csv` and mark the export ready. Idempotent: anything but an approved export
 * is skipped, the object key is fixed, and the state moves only from approved.
 */
export async function buildExport(id: string, now: Date): Promise<{ built: boolean; rows?: number }> {
  const e = await getExport(id);
  if (!e || e.state !== "approved") return { built: false };
  const def = DATASETS[e.dataset];
  const unmasked = new Set(e.unmaskedApproved);
  const { gsi1pk, prefix } = def.list(e.unitPath);
  const units = new Map<string, Unit>();
  const rows: unknown[][] = [];
  // masked columns under the county's mask style, as the API shows them (docs/security.md)
  const masks = privacyOf(await getSettings()).masks;
  for await (const page of listAll<Record<string, any>>(gsi1pk, prefix)) {
    const missing = [...new Set(page.map((r) => r.unitId as string))].filter((u) => !units.has(u));
    if (missing.length) for (const [k, v] of await getUnits(missing)) units.set(k, v);
    for (const r of page) rows.push(await rowOf(def, e.fields, unmasked, r, units.get(r.unitId), masks));
  }
  const csv = toCsv(
    e.fields.map((f) => def.fields[f].label),
    rows,
  );
  const filename = exportFilename(e, now, (await getSettings()).timeZone);
  const objectKey = `exports/${e.id}/${filename}`;
  // one signed PUT of the whole CSV (core/s3-object.ts): the consumer carries no S3 client (docs/deploy.md "Cold path")
  await putS3Object(objectKey, Buffer.from(csv, "utf8"), "text/csv; charset=utf-8");
  const next: ExportRequest = { ...e, state: "ready", objectKey, filename, rowCount: rows.length, readyAt: now.toISOString(), version: e.version + 1, updatedAt: now.toISOString() };
  await commit(
    [
      put(exportItem(next), "#s = :s AND #v = :v", { ":s": "approved", ":v": e.version }, { "#s": "state", "#v": "version" }),
      auditPut({ actor: { kind: "system", id: "exports" }, action: "export.ready", entity: "export", entityId: e.id, summary: `${rows.length} rows; in clear: ${e.unmaskedApproved.join(", ") || "none"}` }, now),
    ],
    async () => {
      throw new Error("export changed while it was built");
    },
  );
  return { built: true, rows: rows.length };
}
