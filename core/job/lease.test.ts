import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { ulid } from "ulid";
import { call, useStackEnv } from "../../test/client.ts";
import { adminToken } from "../../test/fixtures.ts";
import { ManualClock, systemClock, useClock } from "../clock.ts";
import { db, tableName } from "../db/client.ts";
import { queues } from "../../functions/queues.ts";
import { deliverJob, privateJobsQueue, type JobsQueue } from "../../test/jobs-queue.ts";
import { UNIT_IMPORT } from "../unit/import-start.ts";
import { putText } from "./files.ts";
import { addJobProgress, claimJob, finishJob, getJob, insertJob, updateJob, type JobLease } from "./repo.ts";
import { JOB_LEASE_MS, JobLeaseHeldError, JobLeaseLostError } from "./lease.ts";
import { jobRun } from "./run.ts";
import { jobView, queuedJob, type Job, type JobStage } from "./schema.ts";

/**
 * The job lease (core/job/lease.ts) on the embedded stack: the real jobs consumer handler and
 * runners (the unit import's apply stage), DynamoDB Local, S3; time moved by this process's clock.
 * Stage-2 messages go to a queue of this file's own, so the test delivers them itself.
 */

const root = fileURLToPath(new URL("../../", import.meta.url));
const STREET = "350206017";
const clock = new ManualClock();
let admin: string;
let rootPath: string;
let jobsQueue: JobsQueue;

beforeAll(async () => {
  useStackEnv();
  useClock(clock);
  admin = await adminToken();
  const county = (await call("GET", "/v1/units?q=350206&limit=1", { token: admin })).body.items[0];
  rootPath = county.path;
  const made = await call("POST", "/v1/units", { token: admin, body: { parentId: county.id, name: "租约测试街道", code: STREET, type: "street" } });
  expect(made.status).toBe(201);
  jobsQueue = await privateJobsQueue("job-lease");
});

afterAll(async () => {
  useClock(systemClock);
  await jobsQueue?.remove();
});

/** `n` (at most 100) community codes under the test street, `block` their first digit. */
const codesOf = (block: string, n: number) => Array.from({ length: n }, (_, i) => `${STREET}${block}${String(i).padStart(2, "0")}`);

function newJob(input: Record<string, unknown>): Job {
  return queuedJob({ id: ulid(), kind: UNIT_IMPORT, input, createdBy: { kind: "staff", id: "job-lease-test" }, scopes: [rootPath], at: clock.now().toISOString() });
}

/** A GeoJSON import of communities `codes` under the test street, run through its read stage: its apply message is next. */
async function applyQueued(codes: string[]): Promise<string> {
  const job = newJob({ format: "geojson", mode: "partial", sourceKey: "" });
  const sourceKey = `imports/${job.id}.geojson`;
  const features = codes.map((code) => ({ type: "Feature", properties: { code, name: `租约社区${code.slice(-3)}`, parentCode: STREET, level: "community", type: "community" }, geometry: null }));
  await putText(sourceKey, JSON.stringify({ type: "FeatureCollection", features }), "application/geo+json");
  await insertJob({ ...job, input: { ...job.input, sourceKey } });
  expect(await deliver({ kind: UNIT_IMPORT, jobId: job.id })).toEqual({ batchItemFailures: [] });
  expect(await jobsQueue.sent()).toEqual([applyMessage(job.id)]);
  return job.id;
}

const applyMessage = (jobId: string) => ({ kind: UNIT_IMPORT, jobId, stage: "apply" });

/** One delivery to the real consumer: its partial batch response, or the names of the record errors when it threw (the message comes back). */
const deliver = (body: object) => deliverJob(body);
const refusal = (p: Promise<unknown>) => p.then(
  () => "ran",
  (e) => ((e as { recordErrors?: Error[] }).recordErrors ?? [e as Error]).map((r) => r.name).join(","),
);

const job = async (id: string) => (await getJob(id, true)) as Job & JobStage & JobLease;

async function until(what: () => Promise<boolean>, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await what())) {
    if (Date.now() > end) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 5));
  }
}

const unitCodes = async (prefix: string) => ((await call("GET", `/v1/units?q=${prefix}&limit=200`, { token: admin })).body.items as { code: string }[]).map((u) => u.code).filter((c) => c.startsWith(prefix)).sort();

describe("job leases", () => {
  it("outlive the jobs consumer's Lambda timeout and end before the jobs queue's visibility timeout", () => {
    const jobs = queues.find((q) => q.name === "jobs")!;
    expect(JOB_LEASE_MS).toBeGreaterThan(jobs.timeoutSeconds * 1000);
    expect(JOB_LEASE_MS).toBeLessThan(jobs.visibilityTimeoutSeconds * 1000);
  });

  it("stay internal: the API's view of a job does not show them", () => {
    const view = jobView({ ...newJob({}), leaseOwner: "token", leaseUntil: 1 } as Job);
    expect(Object.keys(view).filter((k) => k.startsWith("lease"))).toEqual([]);
  });

  it("a delivery of a job while another delivery runs it is refused (its message comes back) and, delivered again after the job finished, is a no-op", async () => {
    clock.set(new Date());
    const codes = codesOf("1", 80);
    const id = await applyQueued(codes);
    const first = deliver(applyMessage(id));
    await until(async () => (await job(id)).stage === "apply");
    const running = await job(id);
    expect(running.status).not.toBe("succeeded");
    expect(running.leaseOwner).toEqual(expect.any(String));
    // the duplicate (a second apply message, or SQS delivering one twice) while the first runs
    expect(await refusal(deliver(applyMessage(id)))).toBe("JobLeaseHeld");
    expect(await first).toEqual({ batchItemFailures: [] });
    const done = await job(id);
    expect(done).toMatchObject({ status: "succeeded", attempts: 1, total: 80, done: 80, result: { created: 80, updated: 0, unchanged: 0, rejected: 0 } });
    expect(done.leaseOwner).toBeUndefined();
    // the refused message comes back after the visibility timeout: the job is finished, nothing changes
    clock.advance(15 * 60_000);
    expect(await deliver(applyMessage(id))).toEqual({ batchItemFailures: [] });
    expect(await job(id)).toEqual(done);
    expect(await unitCodes(`${STREET}1`)).toEqual(codes);
  });

  it("a run that died holding the job: refused until its lease expires, then the next delivery claims and finishes it; the dead run, woken up, finishes nothing", async () => {
    clock.set(new Date()); // the frozen run's lease is on the system clock
    const codes = codesOf("2", 99);
    const id = await applyQueued(codes);
    // the run in a process of its own, frozen mid-way (SIGSTOP) as a Lambda that died holding the job
    const child = spawn(process.execPath, [`${root}test/job-delivery.ts`, JSON.stringify(applyMessage(id))], { cwd: root, env: process.env, stdio: ["ignore", "pipe", "ignore"] });
    let out = "";
    child.stdout!.on("data", (d) => (out += d));
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    try {
      await until(async () => {
        const j = await job(id);
        return j.status === "importing" && j.leaseOwner !== undefined;
      });
      child.kill("SIGSTOP");
      const frozen = await job(id);
      expect(frozen.status).toBe("importing");

      // another delivery while its lease is live: refused
      expect(await refusal(deliver(applyMessage(id)))).toBe("JobLeaseHeld");
      expect((await job(id)).leaseOwner).toBe(frozen.leaseOwner);
      // once the lease expired (before the dead run's message comes back): claimed again, finished
      clock.advance(JOB_LEASE_MS + 1000);
      expect(await deliver(applyMessage(id))).toEqual({ batchItemFailures: [] });
      const done = await job(id);
      expect(done).toMatchObject({ status: "succeeded", attempts: frozen.attempts + 1, total: 99, done: 99 });
      const result = done.result as { created: number; unchanged: number; rejected: number };
      expect({ rows: result.created + result.unchanged, rejected: result.rejected, errors: done.errors }).toEqual({ rows: 99, rejected: 0, errors: [] });
      expect(done.leaseOwner).toBeUndefined();
      expect(await unitCodes(`${STREET}2`)).toEqual(codes);

      // the dead run wakes up: its next progress write is refused (JobLeaseLost: it stops), or, woken at its
      // finish, the finish writes nothing (the job is finished); the job keeps the summary above
      child.kill("SIGCONT");
      await exited;
      const answer = JSON.parse(/RESULT (.*)/.exec(out)?.[1] ?? "null");
      expect([{ failed: ["JobLeaseLost"] }, { ok: { batchItemFailures: [] } }]).toContainEqual(answer);
      expect(await job(id)).toEqual(done);
    } finally {
      child.kill("SIGKILL");
    }
  }, 120_000);

  it("only the run holding the lease finishes a job, and a finished job stays finished: a later finish writes neither the job nor its other writes", async () => {
    clock.set(new Date());
    const j = newJob({});
    await insertJob(j);
    const marker = (by: string) => ({ Put: { TableName: tableName(), Item: { pk: `TEST#job-lease#${j.id}`, sk: by }, ConditionExpression: "attribute_not_exists(pk)" } });
    const markers = async () => {
      const out: string[] = [];
      for (const by of ["a", "b", "c"]) if ((await db().send(new GetCommand({ TableName: tableName(), Key: { pk: `TEST#job-lease#${j.id}`, sk: by }, ConsistentRead: true }))).Item) out.push(by);
      return out;
    };
    const claim = (attempts: number) => updateJob(j.id, { status: "running", updatedAt: clock.now().toISOString() }, { from: ["queued", "running"], addAttempt: true, attempts });
    const finish = (by: string) => finishJob(j.id, { status: "succeeded", result: { by }, updatedAt: clock.now().toISOString(), finishedAt: clock.now().toISOString() }, [marker(by)]);

    const gate = () => {
      let open!: () => void;
      const shut = new Promise<void>((r) => (open = r));
      return { open, shut };
    };
    // run a claims the job, then stalls
    const aGate = gate();
    let claimedByA = false;
    let aProgress = "";
    const a = jobRun(clock, async () => {
      claimedByA = await claim(0);
      await aGate.shut;
      aProgress = await addJobProgress(j.id, 1, clock.now().toISOString()).then(() => "written", (e) => (e as Error).name);
      await finish("a");
    });
    await until(async () => claimedByA);
    // run b while a's lease is live: refused
    await expect(jobRun(clock, () => claim(1))).rejects.toBeInstanceOf(JobLeaseHeldError);
    // a's lease expired (a died, as far as anyone can tell): b claims
    clock.advance(JOB_LEASE_MS);
    const bGate = gate();
    let claimedByB = false;
    const b = jobRun(clock, async () => {
      claimedByB = await claim(1);
      await bGate.shut;
      await finish("b");
    });
    await until(async () => claimedByB);
    // a goes on: its progress and its finish are refused (JobLeaseLost: it stops)
    aGate.open();
    await expect(a).rejects.toBeInstanceOf(JobLeaseLostError);
    expect(aProgress).toBe("JobLeaseLost");
    bGate.open();
    await b;
    const done = await job(j.id);
    expect(done).toMatchObject({ status: "succeeded", attempts: 2, result: { by: "b" } });
    // a duplicate that read the job before it finished: its claim loses, its finish writes nothing
    await jobRun(clock, async () => {
      expect(await claim(2)).toBe(false);
      await finish("c");
    });
    expect(await job(j.id)).toEqual(done);
    expect(await markers()).toEqual(["b"]);
  });

  it("a claim that reads the job (claimJob, one conditional write): the job as claimed, or as the refusal found it; refused while another run's lease is live, and for a job of other inputs without claiming it", async () => {
    clock.set(new Date());
    const j = newJob({ list: "staff" });
    await insertJob(j);
    const at = () => clock.now().toISOString();
    const claim = (list: readonly string[] = ["staff"]) => claimJob(j.id, { status: "running", updatedAt: at() }, { from: ["queued", "running"], input: { list } });
    // a job of other inputs: refused, the job as it is, nothing written (no attempt, no lease)
    expect(await jobRun(clock, () => claim(["units"]))).toEqual({ refused: expect.objectContaining({ id: j.id, status: "queued", attempts: 0 }) });
    expect((await job(j.id)).leaseOwner).toBeUndefined();
    // claimed: the job as written, with this run's attempt and lease
    let token = "";
    const claimed = await jobRun(clock, async () => {
      const out = await claim();
      token = (await job(j.id)).leaseOwner!;
      return out;
    });
    expect(claimed).toEqual({ job: expect.objectContaining({ id: j.id, status: "running", attempts: 1, leaseOwner: token, input: { list: "staff" } }) });
    // (that run returned without finishing: its lease ended with it) a run claims it again and stalls
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let claimedAgain = false;
    const run = jobRun(clock, async () => {
      claimedAgain = "job" in (await claim());
      await held;
    });
    await until(async () => claimedAgain);
    // another run while that lease is live: JobLeaseHeld, nothing written
    await expect(jobRun(clock, () => claim())).rejects.toBeInstanceOf(JobLeaseHeldError);
    expect((await job(j.id)).attempts).toBe(2);
    release();
    await run;
    // a finished job: refused, as found; a missing one: refused, none
    await jobRun(clock, async () => {
      expect("job" in (await claim())).toBe(true);
      await finishJob(j.id, { status: "succeeded", updatedAt: at(), finishedAt: at() });
    });
    expect(await jobRun(clock, () => claim())).toEqual({ refused: expect.objectContaining({ status: "succeeded", attempts: 3 }) });
    expect(await jobRun(clock, () => claimJob(`${j.id}-none`, { status: "running" }, { from: ["queued"] }))).toEqual({ refused: undefined });
  });
});
