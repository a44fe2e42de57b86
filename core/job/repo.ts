import { GetCommand, TransactWriteCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { db, tableName } from "../db/client.ts";
import * as keys from "../db/keys.ts";
import { item, strip } from "../db/items.ts";
import { failedConditionIndexes, isConditionFailure, mapStorageError } from "../db/errors.ts";
import { queryPage, type Page } from "../db/page.ts";
import { sendIf } from "../db/send-if.ts";
import { TERMINAL, type Job, type JobStage, type JobStatus } from "./schema.ts";
import { currentRun, JOB_LEASE_MS, JobLeaseHeldError, JobLeaseLostError, type JobRun } from "./lease.ts";

/** Seconds an Idempotency-Key of a job request is remembered. */
export const JOB_IDEMPOTENCY_SECONDS = 24 * 3600;

export function jobItem(j: Job) {
  return item("Job", { ...keys.job(j.id), ...keys.jobList(j.createdAt, j.id) }, j);
}

/**
 * Store a new job, with its Idempotency-Key record in the same transaction. Returns the id of
 * the job that owns the key: this one, or the one an earlier request with the same key created.
 */
export async function insertJob(job: Job, idem?: { callerId: string; key: string; now: Date }): Promise<{ jobId: string; created: boolean }> {
  const ops: any[] = [{ Put: { TableName: tableName(), Item: jobItem(job), ConditionExpression: "attribute_not_exists(pk)" } }];
  if (idem) {
    ops.push({
      Put: {
        TableName: tableName(),
        Item: item("JobIdempotency", keys.jobIdempotency(idem.callerId, idem.key), { jobId: job.id, expiresAt: Math.floor(idem.now.getTime() / 1000) + JOB_IDEMPOTENCY_SECONDS }),
        ConditionExpression: "attribute_not_exists(pk)",
      },
    });
  }
  try {
    await db().send(new TransactWriteCommand({ TransactItems: ops }));
    return { jobId: job.id, created: true };
  } catch (e) {
    if (idem && (isConditionFailure(e) || (e as Error).name === "TransactionCanceledException")) {
      for (let i = 0; i < 20; i++) {
        const prior = await jobIdByIdempotencyKey(idem.callerId, idem.key);
        if (prior) return { jobId: prior, created: false };
        await new Promise((r) => setTimeout(r, 25 * (i + 1)));
      }
    }
    mapStorageError(e);
  }
}

export async function jobIdByIdempotencyKey(callerId: string, key: string): Promise<string | undefined> {
  const out = await db().send(new GetCommand({ TableName: tableName(), Key: keys.jobIdempotency(callerId, key), ConsistentRead: true }));
  return out.Item?.jobId as string | undefined;
}

export async function getJob(id: string, consistent = false): Promise<Job | undefined> {
  const out = await db().send(new GetCommand({ TableName: tableName(), Key: keys.job(id), ConsistentRead: consistent }));
  return strip<Job>(out.Item);
}

function setExpression(fields: Record<string, unknown>) {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const sets: string[] = [];
  let remove: string[] = [];
  Object.entries(fields).forEach(([k, v], i) => {
    names[`#f${i}`] = k;
    if (v === undefined) remove = [...remove, `#f${i}`];
    else {
      values[`:f${i}`] = v;
      sets.push(`#f${i} = :f${i}`);
    }
  });
  const expr = [sets.length ? `SET ${sets.join(", ")}` : "", remove.length ? `REMOVE ${remove.join(", ")}` : ""].filter(Boolean).join(" ");
  return { expr, names, values };
}

/** The lease fields on the job item (core/job/lease.ts): internal, like the stage marker. */
export type JobLease = { leaseOwner?: string; leaseUntil?: number };

/** The run holding `id`'s lease, if this code runs in it. */
function holder(id: string): JobRun | undefined {
  const run = currentRun();
  return run?.held === id ? run : undefined;
}

type JobUpdateOptions = {
  from?: readonly JobStatus[];
  addAttempt?: boolean;
  attempts?: number;
  stage?: readonly (string | null)[];
  stageVersion?: number;
  handOff?: boolean;
  /** only while each `input.<key>` of the job is one of its values (a claim by a runner of some of a kind's inputs) */
  input?: Record<string, readonly string[]>;
};

/** A job item with its internal fields (lease, stage marker). */
type StoredJob = Job & JobLease & JobStage;

/**
 * Set fields of a job. With `from`, only while the job is in one of those statuses (returns false
 * otherwise), so a finished job is never reopened by a late or duplicate delivery.
 *
 * With `addAttempt` the update is a claim (core/job/lease.ts): it must run inside a job run
 * (core/job/run.ts jobRun), records the run's token and lease expiry, and is refused while another
 * run's lease is live on an unfinished job — then it throws JobLeaseHeldError (the delivery fails
 * and comes back later) instead of returning false. Any other update by the run holding the lease
 * is conditional on holding it still (JobLeaseLostError otherwise); `handOff` ends the lease with
 * the update (a stage's run passing the job to the next stage's message).
 */
export async function updateJob(id: string, fields: Partial<Job> & JobStage, opts: JobUpdateOptions = {}): Promise<boolean> {
  return (await sendJobUpdate(id, fields, opts)).made;
}

/**
 * Claim a job (updateJob with `addAttempt`) in one round trip that also reads it: the one
 * conditional UpdateItem returns the job as claimed, or, when its condition refused the claim, the
 * job as it was then (undefined when there is none), so a runner needs no read before its claim.
 * Throws JobLeaseHeldError as updateJob does, unless the job's `input` is not one of `opts.input`
 * (the caller's fault to report: a job routed to the wrong runner).
 */
export async function claimJob(id: string, fields: Partial<Job> & JobStage, opts: Pick<JobUpdateOptions, "from" | "input">): Promise<{ job: StoredJob } | { refused: StoredJob | undefined }> {
  const out = await sendJobUpdate(id, fields, { ...opts, addAttempt: true }, true);
  return out.made ? { job: out.item! } : { refused: out.item };
}

const inputMatches = (job: Job, input: Record<string, readonly string[]> | undefined) =>
  !input || Object.entries(input).every(([k, vs]) => vs.includes(job.input?.[k] as string));

/**
 * The UpdateItem of updateJob and claimJob. A refused one returns the item as the condition found it
 * (ReturnValuesOnConditionCheckFailure), from which the refusal is told apart without another read;
 * with `returnNew`, a made one returns the item as written.
 */
async function sendJobUpdate(id: string, fields: Partial<Job> & JobStage, opts: JobUpdateOptions, returnNew = false): Promise<{ made: boolean; item?: StoredJob }> {
  const run = currentRun();
  if (opts.addAttempt && !run) throw new Error(`job ${id} claimed outside a job run (core/job/run.ts jobRun)`);
  const held = holder(id);
  const leaseUntil = run ? run.startedAt + JOB_LEASE_MS : 0;
  const leaseFields = opts.addAttempt ? { leaseOwner: run!.token, leaseUntil } : opts.handOff && held ? { leaseOwner: undefined, leaseUntil: undefined } : {};
  const { expr, names, values } = setExpression({ ...fields, ...leaseFields });
  let update = expr;
  if (opts.addAttempt) {
    update = `${update} ADD attempts :one`;
    values[":one"] = 1;
  }
  let condition = "attribute_exists(pk)";
  if (opts.addAttempt) {
    // no live lease of another run (an expired one is taken over: its run died)
    names["#lu"] = "leaseUntil";
    values[":now"] = run!.clock.now().getTime();
    condition += " AND (attribute_not_exists(#lu) OR #lu <= :now)";
  } else if (held) {
    names["#lo"] = "leaseOwner";
    values[":tok"] = held.token;
    condition += " AND #lo = :tok";
  }
  if (opts.from) {
    names["#st"] = "status";
    const list = opts.from.map((s, i) => {
      values[`:from${i}`] = s;
      return `:from${i}`;
    });
    condition += ` AND #st IN (${list.join(", ")})`;
  }
  if (opts.input) {
    names["#inp"] = "input";
    Object.entries(opts.input).forEach(([k, vs], i) => {
      names[`#in${i}`] = k;
      condition += ` AND #inp.#in${i} IN (${vs.map((v, j) => ((values[`:in${i}_${j}`] = v), `:in${i}_${j}`)).join(", ")})`;
    });
  }
  if (opts.attempts !== undefined) {
    // optimistic claim: only the delivery that read this attempt count may start the next attempt
    names["#att"] = "attempts";
    values[":att"] = opts.attempts;
    condition += opts.attempts === 0 ? " AND (attribute_not_exists(#att) OR #att = :att)" : " AND #att = :att";
  }
  if (opts.stage) {
    // the stage marker (JobStage): null stands for a job without one (queued before stages existed, or not yet read)
    names["#stg"] = "stage";
    const alts = opts.stage.map((s, i) => {
      if (s === null) return "attribute_not_exists(#stg)";
      values[`:stg${i}`] = s;
      return `#stg = :stg${i}`;
    });
    condition += ` AND (${alts.join(" OR ")})`;
  }
  if (opts.stageVersion !== undefined) {
    names["#sv"] = "stageVersion";
    values[":sv"] = opts.stageVersion;
    condition += opts.stageVersion === 0 ? " AND (attribute_not_exists(#sv) OR #sv = :sv)" : " AND #sv = :sv";
  }
  try {
    const out = await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.job(id),
        UpdateExpression: update,
        ConditionExpression: condition,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: Object.keys(values).length ? values : undefined,
        ...(returnNew ? { ReturnValues: "ALL_NEW" as const } : {}),
        ReturnValuesOnConditionCheckFailure: "ALL_OLD",
      }),
    );
    if (opts.addAttempt) run!.held = id;
    else if (opts.handOff && held) held.held = undefined;
    return { made: true, item: strip<StoredJob>(out.Attributes) };
  } catch (e) {
    if (!isConditionFailure(e)) mapStorageError(e);
    // the item as the condition found it (none: the job does not exist)
    const raw = (e as { Item?: Record<string, any> }).Item;
    const old = raw ? strip<StoredJob>(unmarshall(raw)) : undefined;
    if (opts.addAttempt) {
      if (!old || inputMatches(old, opts.input)) refusedClaim(id, old, run!);
    } else if (held && old?.leaseOwner !== held.token) {
      // a lost lease stays `held` on the run: its later writes of the job stay fenced (and refused)
      throw new JobLeaseLostError(id);
    }
    return { made: false, item: old };
  }
}

/** A refused claim: throws when another run's lease is live on the unfinished job; else the claim just lost. */
function refusedClaim(id: string, found: StoredJob | undefined, run: JobRun): void {
  if (!found || TERMINAL.includes(found.status) || found.leaseUntil === undefined) return;
  if (found.leaseOwner !== run.token && found.leaseUntil > run.clock.now().getTime()) throw new JobLeaseHeldError(id, found.leaseUntil);
}

/** End this run's lease on a job it did not finish (core/job/run.ts, when the run returns or throws); false when it no longer held it. */
export async function releaseJobLease(id: string, token: string): Promise<boolean> {
  return sendIf(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.job(id),
      UpdateExpression: "REMOVE #lo, #lu",
      ConditionExpression: "#lo = :tok",
      ExpressionAttributeNames: { "#lo": "leaseOwner", "#lu": "leaseUntil" },
      ExpressionAttributeValues: { ":tok": token },
    }),
  );
}

/**
 * Add to the job's `done` counter (chunks finishing in parallel each add theirs). By the run holding
 * the lease: only while it holds it (JobLeaseLostError otherwise).
 */
export async function addJobProgress(id: string, n: number, at: string): Promise<void> {
  const held = holder(id);
  try {
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.job(id),
        UpdateExpression: "ADD #done :n SET #at = :at",
        ConditionExpression: held ? "#lo = :tok" : undefined,
        ExpressionAttributeNames: { "#done": "done", "#at": "updatedAt", ...(held ? { "#lo": "leaseOwner" } : {}) },
        ExpressionAttributeValues: { ":n": n, ":at": at, ...(held ? { ":tok": held.token } : {}) },
      }),
    );
  } catch (e) {
    if (held && isConditionFailure(e)) throw new JobLeaseLostError(id);
    throw e;
  }
}

/**
 * Finish a job (set its final fields, end its lease) together with other writes, e.g. its audit row.
 * Only an unfinished job, and by the run holding its lease when there is one: a finished job stays
 * finished (a duplicate's finish writes nothing, its extra writes neither, and returns), and a run
 * whose lease another run took throws JobLeaseLostError.
 */
export async function finishJob(id: string, fields: Partial<Job>, extraOps: any[] = []): Promise<void> {
  const run = currentRun();
  const held = holder(id);
  const { expr, names, values } = setExpression({ ...fields, leaseOwner: undefined, leaseUntil: undefined });
  names["#fst"] = "status";
  TERMINAL.forEach((s, i) => (values[`:term${i}`] = s));
  let condition = `attribute_exists(pk) AND NOT (#fst IN (${TERMINAL.map((_, i) => `:term${i}`).join(", ")}))`;
  names["#flo"] = "leaseOwner";
  if (held) {
    values[":ftok"] = held.token;
    condition += " AND #flo = :ftok";
  } else if (run) {
    // a run that did not claim the job finishes it only while nobody holds a live lease
    names["#flu"] = "leaseUntil";
    values[":fnow"] = run.clock.now().getTime();
    condition += " AND (attribute_not_exists(#flo) OR #flu <= :fnow)";
  } else delete names["#flo"];
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          { Update: { TableName: tableName(), Key: keys.job(id), UpdateExpression: expr, ConditionExpression: condition, ExpressionAttributeNames: names, ExpressionAttributeValues: values } },
          ...extraOps,
        ],
      }),
    );
    if (held) held.held = undefined;
  } catch (e) {
    if (!failedConditionIndexes(e).includes(0)) throw e;
    const now = (await getJob(id, true)) as (Job & JobLease) | undefined;
    if (!now || TERMINAL.includes(now.status)) {
      if (held) held.held = undefined;
      return; // finished already: nothing more to write
    }
    if (run && now.leaseOwner !== run.token) throw new JobLeaseLostError(id);
    throw e;
  }
}

/** Jobs newest first; `createdBy` limits them to one caller's jobs. */
export async function queryJobs(q: { kind?: string; limit: number; cursor?: string }, createdBy?: { kind: string; id: string }): Promise<Page<Job>> {
  const filters: string[] = [];
  const values: Record<string, unknown> = { ":pk": "JOBS" };
  const names: Record<string, string> = {};
  if (q.kind) {
    filters.push("#kind = :kind");
    names["#kind"] = "kind";
    values[":kind"] = q.kind;
  }
  if (createdBy) {
    filters.push("createdBy.#ck = :ck AND createdBy.#cid = :cid");
    names["#ck"] = "kind";
    names["#cid"] = "id";
    values[":ck"] = createdBy.kind;
    values[":cid"] = createdBy.id;
  }
  return queryPage<Job>(
    {
      IndexName: "gsi1",
      KeyConditionExpression: "gsi1pk = :pk",
      FilterExpression: filters.length ? filters.join(" AND ") : undefined,
      ExpressionAttributeNames: Object.keys(names).length ? names : undefined,
      ExpressionAttributeValues: values,
      ScanIndexForward: false,
    },
    q,
  );
}

const EXPIRED_IMPORT_PK = "IMPORTS#EXPIRED";
/** The marker outlives the run that wrote it by a week (a run that stopped before its delete is finished by the next). */
const EXPIRED_IMPORT_TTL_S = 7 * 86_400;

/**
 * Mark an import file expired with its audit row, in one transaction (core/job/retention.ts); false
 * when an earlier run marked (and audited) it already and stopped before its delete.
 */
export async function markImportFileExpired(key: string, now: Date, audit: object): Promise<boolean> {
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: tableName(), Item: { pk: EXPIRED_IMPORT_PK, sk: key, _et: "ExpiredImportFile", key, expiredAt: now.toISOString(), expiresAt: Math.floor(now.getTime() / 1000) + EXPIRED_IMPORT_TTL_S }, ConditionExpression: "attribute_not_exists(pk)" } },
          audit as any,
        ],
      }),
    );
    return true;
  } catch (e) {
    if (!isConditionFailure(e)) throw e;
    return false;
  }
}
