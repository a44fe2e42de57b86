import { DeleteCommand, PutCommand, TransactWriteCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { db, tableName } from "../db/client.ts";
import * as keys from "../db/keys.ts";
import { isConditionFailure, mapStorageError } from "../db/errors.ts";
import { ConflictError } from "../errors.ts";
import { queryAll } from "../db/page.ts";
import type { auditPut } from "../audit/entry.ts";
import { aggregateKey } from "../aggregate/repo.ts";
import { batchGet } from "../indicator/repo.ts";
import { appraisalItem, runItem, type AppraisalItem, type RunRecord } from "./repo.ts";
import type { Subject } from "./schema.ts";

/**
 * The monthly run's table access (#16, the repo is the one door; core/appraisal/run.ts states the
 * run's rules): the subject lists it reads, the run record's writes, the results' conditional
 * writes in chunks, the ranks and the removal of leftovers. Batching is part of the run's cost
 * (docs/appraisal.md, the 200,000-case bench): chunk sizes and concurrency are set by the callers
 * and here, unchanged by the move.
 */

/** Run `fn` over `items`, at most `limit` at a time. */
export async function inParallel<T>(items: T[], limit: number, fn: (x: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
}

/**
 * The rows the run's subjects come from, with only the attributes it needs: every unit (gsi1
 * `UNITS`), every department (gsi1 `DEPTS`) and every user (gsi1 `USERS`), three Queries in parallel.
 */
export async function subjectRows(): Promise<{ units: Record<string, any>[]; departments: Record<string, any>[]; users: Record<string, any>[] }> {
  const [units, departments, users] = await Promise.all([
    queryAll({
      IndexName: "gsi1",
      KeyConditionExpression: "gsi1pk = :pk AND begins_with(gsi1sk, :p)",
      ExpressionAttributeValues: { ":pk": keys.unitTree("").gsi1pk, ":p": "/" },
      ProjectionExpression: "#id, #n, #code, #path, #depth, #level, #active",
      ExpressionAttributeNames: { "#id": "id", "#n": "name", "#code": "code", "#path": "path", "#depth": "depth", "#level": "level", "#active": "active" },
    }),
    queryAll({
      IndexName: "gsi1",
      KeyConditionExpression: "gsi1pk = :pk",
      ExpressionAttributeValues: { ":pk": keys.departmentList("").gsi1pk },
      ProjectionExpression: "#id, #n, #code, #active",
      ExpressionAttributeNames: { "#id": "id", "#n": "name", "#code": "code", "#active": "active" },
    }),
    queryAll({
      IndexName: "gsi1",
      KeyConditionExpression: "gsi1pk = :pk",
      ExpressionAttributeValues: { ":pk": keys.userList("").gsi1pk },
      ProjectionExpression: "#id, #u, #dn, #active, #as",
      ExpressionAttributeNames: { "#id": "id", "#u": "username", "#dn": "displayName", "#active": "active", "#as": "assignments" },
    }),
  ]);
  return { units, departments, users };
}

/**
 * Write a run's record with its audit row, replacing the previous run's by compare-and-set on its
 * run id (`previousRunId`; undefined: the month's first run) while the month is unlocked. 409 when
 * another run started or the month was locked meanwhile.
 */
export async function putRunRecord(run: RunRecord, previousRunId: string | undefined, audit: ReturnType<typeof auditPut>): Promise<void> {
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: tableName(),
              Item: runItem(run),
              ...(previousRunId !== undefined
                ? { ConditionExpression: "runId = :prev AND locked = :f", ExpressionAttributeValues: { ":prev": previousRunId, ":f": false } }
                : { ConditionExpression: "attribute_not_exists(pk)" }),
            },
          },
          audit,
        ],
      }),
    );
  } catch (e) {
    if (isConditionFailure(e)) throw new ConflictError(`The appraisal of ${run.period} was started or locked meanwhile`, { period: run.period });
    mapStorageError(e);
  }
}

/** Results per conditional transaction (each Put only if no newer run wrote the item). */
const WRITE_CHUNK = 25;

/**
 * Write results, each only if the stored one is absent or from this or an older run (run ids are
 * ULIDs). A chunk goes as one transaction; when one of its conditions fails (a newer run's result
 * is there) the chunk is written item by item so the others still land. Returns how many were written.
 */
export async function putResults(results: AppraisalItem[], runId: string): Promise<number> {
  const put = (r: AppraisalItem) => ({
    TableName: tableName(),
    Item: appraisalItem(r),
    ConditionExpression: "attribute_not_exists(pk) OR runId <= :run",
    ExpressionAttributeValues: { ":run": runId },
  });
  const chunks: AppraisalItem[][] = [];
  for (let i = 0; i < results.length; i += WRITE_CHUNK) chunks.push(results.slice(i, i + WRITE_CHUNK));
  let written = 0;
  await inParallel(chunks, 4, async (chunk) => {
    try {
      await db().send(new TransactWriteCommand({ TransactItems: chunk.map((r) => ({ Put: put(r) })) }));
      written += chunk.length;
      return;
    } catch (e) {
      if (!isConditionFailure(e) && (e as Error).name !== "TransactionCanceledException") throw e;
    }
    for (const r of chunk) {
      try {
        await db().send(new PutCommand(put(r)));
        written++;
      } catch (e) {
        if (!isConditionFailure(e)) throw e; // a newer run wrote it
      }
    }
  });
  return written;
}

/** Stored results' score, band and grade (a BatchGet of the ids; missing ids are absent). */
export const resultLinesOf = (period: string, subject: Subject, ids: string[]): Promise<Record<string, unknown>[]> =>
  batchGet(
    ids.map((id) => keys.appraisal(period, subject, id)),
    ["id", "score", "band", "grade"],
  );

/** The month's aggregate items of these units (`AGG#<month>`, `unit#<id>`; a BatchGet per 100). */
export const unitAggregates = (period: string, unitIds: string[]): Promise<Record<string, unknown>[]> =>
  batchGet(unitIds.map((id) => aggregateKey(period, `unit#${id}`)));

/**
 * Mark a batch of the run done (`ADD doneBatches`, a string set: a redelivered batch counts once)
 * while the run is still `runId`: the run's progress after it, or undefined when a newer run
 * replaced it.
 */
export async function markBatchDone(period: string, runId: string, batch: string): Promise<{ doneBatches?: Set<string>; total?: number; runId?: string } | undefined> {
  try {
    const out = await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.appraisalRun(period),
        UpdateExpression: "ADD doneBatches :b",
        ConditionExpression: "runId = :run",
        ExpressionAttributeValues: { ":b": new Set([batch]), ":run": runId },
        ReturnValues: "ALL_NEW",
      }),
    );
    return out.Attributes as { doneBatches?: Set<string>; total?: number; runId?: string } | undefined;
  } catch (e) {
    if (isConditionFailure(e)) return undefined;
    throw e;
  }
}

/** The results of a month not written by `runId` (every result read: only for months with a run from before sheets). */
export async function resultsOfOtherRuns(period: string, runId: string): Promise<{ sk: string; runId: string }[]> {
  return queryAll<{ sk: string; runId: string }>({
    KeyConditionExpression: "pk = :pk",
    FilterExpression: "runId <> :run",
    ProjectionExpression: "sk, runId",
    ExpressionAttributeValues: { ":pk": keys.appraisal(period, "", "").pk, ":run": runId },
    ConsistentRead: true,
  });
}

/** Set a result's rank, only while it is `runId`'s and the rank differs (a failed condition is no error). */
export async function setRank(period: string, subject: Subject, id: string, rank: number | null | undefined, runId: string): Promise<void> {
  await db()
    .send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.appraisal(period, subject, id),
        UpdateExpression: "SET #rank = :rank",
        ConditionExpression: "runId = :run AND (attribute_not_exists(#rank) OR #rank <> :rank)",
        ExpressionAttributeNames: { "#rank": "rank" },
        ExpressionAttributeValues: { ":rank": rank, ":run": runId },
      }),
    )
    .catch((e) => {
      if (!isConditionFailure(e)) throw e;
    });
}

/** Delete a result of an earlier run (sort key `sk` of the month's partition), only if it is older than `runId`. */
export async function deleteLeftoverResult(period: string, sk: string, runId: string): Promise<void> {
  await db()
    .send(new DeleteCommand({ TableName: tableName(), Key: { pk: keys.appraisal(period, "", "").pk, sk }, ConditionExpression: "runId < :run", ExpressionAttributeValues: { ":run": runId } }))
    .catch((e) => {
      if (!isConditionFailure(e)) throw e;
    });
}

/** Mark the run done (finishedAt kept from a first finalize) while it is still `runId`; false when a newer run replaced it. */
export async function markRunDone(period: string, runId: string, at: string, removed: number): Promise<boolean> {
  return db()
    .send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.appraisalRun(period),
        UpdateExpression: "SET #status = :done, finishedAt = if_not_exists(finishedAt, :at), removed = :removed",
        ConditionExpression: "runId = :run",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: { ":done": "done", ":at": at, ":run": runId, ":removed": removed },
      }),
    )
    .then(
      () => true,
      (e) => {
        if (!isConditionFailure(e)) throw e;
        return false;
      },
    );
}
