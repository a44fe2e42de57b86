/**
 * `GET /v1/jobs/{id}/activation-codes.xlsx`: the activation-code sheet of a staff import, for the
 * admin who ran it. The import keeps the codes it issued as data (`imports/<job>.activation.json`);
 * the sheet is rendered here on each download (core/xlsx/activation-sheet.ts), so the jobs consumer
 * loads no workbook writer (issue #15). A job finished before that stored the sheet itself
 * (`imports/<job>.activation.xlsx`): given as it was.
 */
import { NotFoundError, ConflictError } from "../errors.ts";
import type { Principal } from "../auth/principal.ts";
import { getBytes, getText } from "../job/files.ts";
import { importFileGone, isMissingObject } from "../job/retention.ts";
import { getJob } from "../job/repo.ts";
import { TERMINAL } from "../job/schema.ts";
import type { IssuedCode } from "./apply-each.ts";
import { activationCodesKey, activationSheetKey, XLSX_IMPORT } from "./schema.ts";

/** The sheet of a finished staff import, for the admin who ran it (404 for anyone else). */
export async function activationCodesFile(p: Principal, jobId: string): Promise<{ bytes: Uint8Array; fileName: string }> {
  const job = await getJob(jobId, true);
  const input = job?.input as { list?: string; fileName?: string } | undefined;
  if (!job || job.kind !== XLSX_IMPORT || input?.list !== "staff" || job.createdBy.kind !== p.kind || job.createdBy.id !== p.id) throw new NotFoundError(`Job ${jobId} not found`);
  if (!TERMINAL.includes(job.status)) throw new ConflictError("The import is still running; the codes are ready when it ends", { status: job.status });
  if (!Number((job.result as { activationCodes?: number } | null)?.activationCodes ?? 0)) throw new NotFoundError("This import issued no activation codes");
  return { bytes: await sheetBytes(job.id), fileName: `${(input.fileName ?? "staff.xlsx").replace(/\.xlsx$/i, "")}-激活码.xlsx` };
}

async function sheetBytes(jobId: string): Promise<Uint8Array> {
  try {
    const codes = JSON.parse(await getText(activationCodesKey(jobId))) as IssuedCode[];
    const { activationSheet } = await import("./activation-sheet.ts");
    return await activationSheet(codes);
  } catch (e) {
    if (!isMissingObject(e)) throw e;
  }
  try {
    return await getBytes(activationSheetKey(jobId)); // a job finished before the codes were kept as data
  } catch (e) {
    // deleted by the retention job (privacy.importFileRetentionDays): 410, not a 5xx
    if (isMissingObject(e)) throw await importFileGone("activation-code sheet");
    throw e;
  }
}
