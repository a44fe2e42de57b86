import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { ulid } from "ulid";
import { call, useStackEnv } from "../../test/client.ts";
import { adminToken } from "../../test/fixtures.ts";
import { getText, putText } from "../../core/job/files.ts";
import { getJob, insertJob } from "../../core/job/repo.ts";
import { queuedJob as jobRecord, type Job, type JobStage } from "../../core/job/schema.ts";
import { UNIT_IMPORT } from "../../core/unit/import-start.ts";
import { stageFileKey } from "../../core/unit/import-job.ts";
import { deliverJob, privateJobsQueue, type JobsQueue } from "../../test/jobs-queue.ts";

/**
 * The unit import's two stages (read, apply: issue #15) under redelivery, through the real jobs
 * consumer handler on the shared stack's DynamoDB Local and S3. The stage-2 messages stage 1 sends go
 * to a queue of this file's own (fauxqs), so the test delivers them itself, when it chooses.
 */

const STREET = "350206006";
let admin: string;
let rootPath: string;
let jobsQueue: JobsQueue;

beforeAll(async () => {
  useStackEnv();
  admin = await adminToken();
  const root = (await call("GET", "/v1/units?q=350206&limit=1", { token: admin })).body.items[0];
  rootPath = root.path;
  const made = await call("POST", "/v1/units", { token: admin, body: { parentId: root.id, name: "分段导入测试街道", code: STREET, type: "street" } });
  expect(made.status).toBe(201);
  jobsQueue = await privateJobsQueue("import-stages");
});

afterAll(async () => {
  await jobsQueue?.remove();
});

/** A queued GeoJSON import job of communities `codes` under the test street (its file in S3), as the import request leaves it. */
async function queuedJob(codes: string[]): Promise<string> {
  const id = ulid();
  const sourceKey = `imports/${id}.geojson`;
  const features = codes.map((code) => ({ type: "Feature", properties: { code, name: `分段社区${code.slice(-3)}`, parentCode: STREET, level: "community", type: "community" }, geometry: null }));
  await putText(sourceKey, JSON.stringify({ type: "FeatureCollection", features }), "application/geo+json");
  const job = jobRecord({ id, kind: UNIT_IMPORT, input: { format: "geojson", mode: "partial", sourceKey }, createdBy: { kind: "staff", id: "import-stages-test" }, scopes: [rootPath], at: new Date().toISOString() });
  await insertJob(job);
  return id;
}

const deliver = (body: object, receiveCount = 1) => deliverJob(body, receiveCount);

/** The messages stage 1 sent (received and deleted from this file's queue). */
const sent = () => jobsQueue.sent();

const job = async (id: string) => (await getJob(id, true)) as Job & JobStage;
const unitCodes = async (prefix: string) => ((await call("GET", `/v1/units?q=${prefix}&limit=50`, { token: admin })).body.items as { code: string }[]).map((u) => u.code).filter((c) => c.startsWith(prefix)).sort();

describe("unit import in two stages", () => {
  it("a message of the old shape runs stage read, which writes the WGS84 GeoJSON stage file and sends stage apply once; each stage delivered again after the next is a no-op", async () => {
    const id = await queuedJob(["350206006101", "350206006102"]);
    await deliver({ kind: UNIT_IMPORT, jobId: id });
    const read = await job(id);
    expect({ status: read.status, stage: read.stage, stageVersion: read.stageVersion, attempts: read.attempts, total: read.total }).toEqual({ status: "validating", stage: "apply-queued", stageVersion: 1, attempts: 0, total: 2 });
    const file = JSON.parse(await getText(stageFileKey(id)));
    expect(file.type).toBe("FeatureCollection");
    expect(file.features.map((f: any) => f.properties.code)).toEqual(["350206006101", "350206006102"]);
    expect(await sent()).toEqual([{ kind: UNIT_IMPORT, jobId: id, stage: "apply" }]);

    await deliver({ kind: UNIT_IMPORT, jobId: id, stage: "apply" });
    const done = await job(id);
    expect(done.status).toBe("succeeded");
    expect(done.result).toMatchObject({ created: 2, updated: 0, unchanged: 0, rejected: 0 });
    expect({ stage: done.stage, stageVersion: done.stageVersion }).toEqual({ stage: "apply", stageVersion: 2 });
    expect(await unitCodes("35020600610")).toEqual(["350206006101", "350206006102"]);

    // stage 2 delivered again after the job finished, and stage 1 delivered again: nothing changes, nothing is sent
    await deliver({ kind: UNIT_IMPORT, jobId: id, stage: "apply" }, 2);
    await deliver({ kind: UNIT_IMPORT, jobId: id, stage: "read" }, 2);
    expect(await job(id)).toEqual(done);
    expect(await sent()).toEqual([]);
  });

  it("a run that died between writing the stage file and sending stage apply is finished by the delivery again of stage read, which sends it", async () => {
    const id = await queuedJob(["350206006201"]);
    // the send fails (no such queue): the message comes back
    process.env.WANGGE_QUEUE_JOBS_URL = `${jobsQueue.url}-missing`;
    try {
      await expect(deliver({ kind: UNIT_IMPORT, jobId: id, stage: "read" })).rejects.toThrow();
    } finally {
      process.env.WANGGE_QUEUE_JOBS_URL = jobsQueue.url;
    }
    const stuck = await job(id);
    expect({ status: stuck.status, stage: stuck.stage, stageVersion: stuck.stageVersion }).toEqual({ status: "validating", stage: "apply-queued", stageVersion: 1 });
    expect(await sent()).toEqual([]);

    await deliver({ kind: UNIT_IMPORT, jobId: id, stage: "read" }, 2);
    // sent again, without reading the file again (the stage marker and its version are unchanged)
    expect(await job(id)).toEqual(stuck);
    const again = await sent();
    expect(again).toEqual([{ kind: UNIT_IMPORT, jobId: id, stage: "apply" }]);
    await deliver(again[0] as object);
    expect((await job(id)).status).toBe("succeeded");
    expect(await unitCodes("350206006201")).toEqual(["350206006201"]);
  });

  it("stage read delivered again after stage apply claimed the job is a no-op; stage apply delivered again after its run died finishes the job", async () => {
    const id = await queuedJob(["350206006301", "350206006302"]);
    await deliver({ kind: UNIT_IMPORT, jobId: id });
    expect(await sent()).toEqual([{ kind: UNIT_IMPORT, jobId: id, stage: "apply" }]);
    // stage 2's run dies after its claim: its file cannot be read this time
    const good = await getText(stageFileKey(id));
    await putText(stageFileKey(id), "{ not json", "application/geo+json");
    await expect(deliver({ kind: UNIT_IMPORT, jobId: id, stage: "apply" })).rejects.toThrow();
    const claimed = await job(id);
    expect({ status: claimed.status, stage: claimed.stage, stageVersion: claimed.stageVersion, attempts: claimed.attempts }).toEqual({ status: "validating", stage: "apply", stageVersion: 2, attempts: 1 });

    await putText(stageFileKey(id), good, "application/geo+json");
    await deliver({ kind: UNIT_IMPORT, jobId: id, stage: "read" }, 2);
    expect(await job(id)).toEqual(claimed);
    expect(await sent()).toEqual([]);
    expect(await unitCodes("35020600630")).toEqual([]);

    await deliver({ kind: UNIT_IMPORT, jobId: id, stage: "apply" }, 2);
    const done = await job(id);
    expect(done.status).toBe("succeeded");
    expect(done.result).toMatchObject({ created: 2, rejected: 0 });
    expect(await unitCodes("35020600630")).toEqual(["350206006301", "350206006302"]);
  });

  it("a file that cannot be read fails the job in stage read with the same error, and sends nothing", async () => {
    const id = ulid();
    const sourceKey = `imports/${id}.geojson`;
    await putText(sourceKey, '{"type": "Feature"}', "application/geo+json");
    const at = new Date().toISOString();
    await insertJob({ id, kind: UNIT_IMPORT, status: "queued", total: 0, done: 0, errors: [], errorCount: 0, input: { format: "geojson", mode: "partial", sourceKey }, result: null, createdBy: { kind: "staff", id: "import-stages-test" }, scopes: [rootPath], attempts: 0, createdAt: at, updatedAt: at });
    await deliver({ kind: UNIT_IMPORT, jobId: id });
    const failed = await job(id);
    expect(failed.status).toBe("failed");
    expect(failed.errors[0].code).toBe("not_feature_collection");
    expect(await sent()).toEqual([]);
  });
});
