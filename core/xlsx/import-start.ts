/**
 * `startXlsxImport` (HTTP request, `POST /v1/<list>/import.xlsx`): checks the body (`{fileName,
 * content}` with the workbook in base64), stores the workbook as `imports/<jobId>.xlsx`, creates the
 * job (with its Idempotency-Key record) and queues it; the jobs consumer runs it (core/xlsx/import.ts).
 * Apart from the job's code so that the request reads no workbook code (issue #15).
 */
import { ulid } from "ulid";
import { actorOf } from "../audit/entry.ts";
import { scopesFor, type Principal } from "../auth/principal.ts";
import { InvalidError, TooLargeError } from "../errors.ts";
import { requireCountyWide } from "../settings/scope.ts";
import { parse } from "../validate.ts";
import { enqueueJob } from "../job/enqueue.ts";
import { jobInputKey } from "../job/files.ts";
import { getJob, insertJob, jobIdByIdempotencyKey } from "../job/repo.ts";
import { IdempotencyKey, queuedJob } from "../job/schema.ts";
import { putBytes } from "./files.ts";
import { MAX_XLSX_BYTES, XLSX_IMPORT, XLSX_TYPE, XlsxUpload } from "./schema.ts";
import { WRITE_PERMISSION, type XlsxList } from "./specs.ts";

/** Checks only the caller's right on the list: county-wide for departments and categories. */
function requireListWrite(p: Principal, list: XlsxList): void {
  if (list === "departments" || list === "categories") requireCountyWide(p, WRITE_PERMISSION[list]);
}

/** Queue an import of the workbook in the body. With an Idempotency-Key, a repeated request returns the first job. */
export async function startXlsxImport(p: Principal, list: XlsxList, body: unknown, now: Date, idempotencyKey?: string): Promise<{ jobId: string; replayed: boolean }> {
  requireListWrite(p, list);
  const data = parse(XlsxUpload, body, "upload");
  const key = idempotencyKey === undefined ? undefined : parse(IdempotencyKey, idempotencyKey, "Idempotency-Key header");
  const callerId = `${p.kind}:${p.id}`;
  if (key) {
    const prior = await jobIdByIdempotencyKey(callerId, key);
    if (prior) {
      const j = await getJob(prior, true);
      if (j?.status === "queued") await enqueueJob({ kind: XLSX_IMPORT, jobId: prior, list });
      return { jobId: prior, replayed: true };
    }
  }
  const bytes = Buffer.from(data.content, "base64");
  if (bytes.byteLength > MAX_XLSX_BYTES) throw new TooLargeError(`The workbook is larger than ${MAX_XLSX_BYTES} bytes`, { limit: MAX_XLSX_BYTES });
  // an .xlsx is a zip: anything else (an old .xls, a CSV renamed) is refused at once
  if (!(bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04)) {
    throw new InvalidError("The file is not an Excel workbook (.xlsx); save it as .xlsx (Excel 2007 or later)", { problem: "xlsx_unreadable", fields: [{ path: "content", message: "not an .xlsx workbook" }] });
  }
  const jobId = ulid(now.getTime());
  const sourceKey = jobInputKey(jobId, "xlsx");
  await putBytes(sourceKey, bytes, XLSX_TYPE);
  const at = now.toISOString();
  const job = queuedJob({ id: jobId, kind: XLSX_IMPORT, input: { list, sourceKey, fileName: data.fileName ?? `${list}.xlsx` }, createdBy: actorOf(p), scopes: scopesFor(p, WRITE_PERMISSION[list]), at });
  const out = await insertJob(job, key ? { callerId, key, now } : undefined);
  if (!out.created) return { jobId: out.jobId, replayed: true };
  await enqueueJob({ kind: XLSX_IMPORT, jobId, list });
  return { jobId, replayed: false };
}

