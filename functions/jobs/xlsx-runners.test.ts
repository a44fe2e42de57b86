import { describe, it, expect, beforeAll } from "vitest";
import { ulid } from "ulid";
import { useStackEnv } from "../../test/client.ts";
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
