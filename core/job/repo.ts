import { GetCommand, TransactWriteCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { db, tableName } from "../db/client.ts";
import * as keys from "../db/keys.ts";
import { item, strip } from "../db/items.ts";
import { isConditionFailure, mapStorageError } from "../db/errors.ts";
import { queryPage, type Page } from "../db/page.ts";
import type { Job, JobStage, JobStatus } from "./schema.ts";

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

/**
 * Set fields of a job. With `from`, only while the job is in one of those statuses (returns false
 * otherwise), so a finished job is never reopened by a late or duplicate delivery.
 */
export async function updateJob(
  id: string,
  fields: Partial<Job> & JobStage,
  opts: { from?: readonly JobStatus[]; addAttempt?: boolean; attempts?: number; stage?: readonly (string | null)[]; stageVersion?: number } = {},
): Promise<boolean> {
  const { expr, names, values } = setExpression(fields);
  let update = expr;
  if (opts.addAttempt) {
    update = `${update} ADD attempts :one`;
    values[":one"] = 1;
  }
  let condition = "attribute_exists(pk)";
  if (opts.from) {
    names["#st"] = "status";
    const list = opts.from.map((s, i) => {
      values[`:from${i}`] = s;
      return `:from${i}`;
    });
    condition += ` AND #st IN (${list.join(", ")})`;
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
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.job(id),
        UpdateExpression: update,
        ConditionExpression: condition,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: Object.keys(values).length ? values : undefined,
      }),
    );
    return true;
  } catch (e) {
    if (isConditionFailure(e)) return false;
    mapStorageError(e);
  }
}

/** Add to the job's `done` counter (chunks finishing in parallel each add theirs). */
export async function addJobProgress(id: string, n: number, at: string): Promise<void> {
  await db().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.job(id),
      UpdateExpression: "ADD #done :n SET #at = :at",
      ExpressionAttributeNames: { "#done": "done", "#at": "updatedAt" },
      ExpressionAttributeValues: { ":n": n, ":at": at },
    }),
  );
}

/** Finish a job (set its final fields) together with other writes, e.g. its audit row. */
export async function finishJob(id: string, fields: Partial<Job>, extraOps: any[] = []): Promise<void> {
  const { expr, names, values } = setExpression(fields);
  await db().send(
    new TransactWriteCommand({
      TransactItems: [
        { Update: { TableName: tableName(), Key: keys.job(id), UpdateExpression: expr, ExpressionAttributeNames: names, ExpressionAttributeValues: values } },
        ...extraOps,
      ],
    }),
  );
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
