import { describe, it, expect, beforeAll } from "vitest";
import ExcelJS from "exceljs";
import { ulid } from "ulid";
import { apiUrl, call, useStackEnv } from "../../test/client.ts";
import { adminToken } from "../../test/fixtures.ts";
import { getBytes, headObject } from "../../core/job/files.ts";
import { activationCodesKey, problemsKey } from "../../core/xlsx/schema.ts";
import { clock } from "../../core/clock.ts";
import { getJob, insertJob } from "../../core/job/repo.ts";
import { queuedJob as jobRecord } from "../../core/job/schema.ts";
import { XLSX_IMPORT } from "../../core/xlsx/schema.ts";
import { XlsxList } from "../../core/xlsx/specs.ts";
import { XLSX_RUNNERS } from "./consume.ts";

/**
 * Each Excel import runner of the jobs consumer takes only its own family's lists (issue #15: one
 * lazy module per family). A job of another family reaching a runner is a routing fault: refused
 * (the message ends in the DLQ) before the job is claimed, so no runner imports a workbook with the
 * wrong rows and writes, and the job stays queued as it was. On the shared stack's DynamoDB Local.
 */

beforeAll(() => useStackEnv());

/** A queued Excel import job of `list`, as the import request leaves it (its workbook is never read here). */
async function queuedJob(list: XlsxList): Promise<string> {
  const id = ulid();
  const job = jobRecord({ id, kind: XLSX_IMPORT, input: { list, sourceKey: `imports/${id}.xlsx`, fileName: `${list}.xlsx` }, createdBy: { kind: "system", id: "xlsx-runners-test" }, scopes: [], at: new Date().toISOString() });
  await insertJob(job);
  return id;
}

describe("Excel import runners", () => {
  it("refuse a job of another family's list before claiming it, and leave the job queued", async () => {
    const lists = XlsxList.options;
    let refused = 0;
    for (const runnerList of lists) {
      const run = await XLSX_RUNNERS[runnerList]();
      for (const list of lists) {
        if ((await XLSX_RUNNERS[list]()) === run) continue; // the same family's runner
        const id = await queuedJob(list);
        await expect(run(id, clock), `${list} job to the runner of ${runnerList}`).rejects.toThrow(`of list ${list} sent to the runner of`);
        expect(await getJob(id, true)).toMatchObject({ status: "queued", attempts: 0, done: 0 });
        refused++;
      }
    }
    // families staff | departments, categories | households, people | units: each list refused by the runner of every list of another family
    expect(refused).toBe(5 + 4 + 4 + 4 + 4 + 5);
  });
});

describe("a staff import's files", () => {
  it("are only the activation codes beside the workbook when every row was written and none carried a password: no empty problem list, the workbook not rewritten", async () => {
    const admin = await adminToken();
    const template = Buffer.from(await (await fetch(`${apiUrl()}/v1/users/template.xlsx`, { headers: { authorization: `Bearer ${admin}` } })).arrayBuffer());
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(template as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    const keys = (ws.getRow(2).values as unknown[]).slice(1).map(String);
    expect(keys).toContain("password");
    const name = `xr.${ulid().slice(-8).toLowerCase()}`;
    const row: Record<string, string> = { username: name, displayName: "文件测试", role: "网格员", unitCode: "350206001001001", active: "启用" };
    ws.addRow(keys.map((k) => row[k] ?? ""));
    const bytes = Buffer.from(await wb.xlsx.writeBuffer());
    const r = await call("POST", "/v1/users/import.xlsx", { token: admin, body: { fileName: "files.xlsx", content: bytes.toString("base64") } });
    expect(r.status, JSON.stringify(r.body)).toBe(202);
    let job: any;
    for (const end = Date.now() + 60_000; Date.now() < end; await new Promise((res) => setTimeout(res, 100))) {
      job = (await call("GET", `/v1/jobs/${r.body.jobId}`, { token: admin })).body;
      if (job.status === "succeeded" || job.status === "failed") break;
    }
    expect(job).toMatchObject({ status: "succeeded", errorCount: 0, result: { created: 1, rejected: 0, activationCodes: 1 } });
    expect(await headObject(activationCodesKey(job.id))).toBeDefined();
    expect(await headObject(problemsKey(job.id))).toBeUndefined();
    expect(Buffer.from(await getBytes(job.input.sourceKey))).toEqual(bytes);
    // the corrected file reads the job's own problems (none)
    const corrected = await fetch(`${apiUrl()}/v1/jobs/${job.id}/corrected.xlsx?lang=zh`, { headers: { authorization: `Bearer ${admin}` } });
    expect(corrected.status).toBe(200);
  });
});
