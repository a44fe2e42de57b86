import { DeleteCommand, GetCommand, PutCommand, QueryCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { aggregateKey } from "../aggregate/repo.ts";
import { db, tableName } from "../db/client.ts";
import * as keys from "../db/keys.ts";
import { item, strip } from "../db/items.ts";
import { isConditionFailure, mapStorageError } from "../db/errors.ts";
import { queryPage, type Page } from "../db/page.ts";
import { ConflictError } from "../errors.ts";
import type { auditPut } from "../audit/entry.ts";
import type { AppraisalBody } from "./evaluate.ts";
import type { ScoringRulesRecord, Subject } from "./schema.ts";
import { scoreKey } from "./score.ts";

export type Who = { kind: string; id: string; name?: string };

/** The month's run: progress of its batches, the rules it used, and the lock. */
export type RunRecord = {
  period: string;
  runId: string;
  status: "running" | "done";
  /** batches sent to the appraisal queue */
  total: number;
  subjects: Record<Subject, number>;
  rules: ScoringRulesRecord;
  startedAt: string;
  startedBy: Who;
  finishedAt?: string;
  /** results of an earlier run removed when this one finished (subjects gone since) */
  removed?: number;
  /** how many times this month has been run */
  runs: number;
  locked: boolean;
  lockedAt?: string;
  lockedBy?: Who;
  /** this run writes score sheets (every run since sheets exist) */
  sheets?: boolean;
  /** an earlier run of the month wrote no sheets: finalize finds leftovers by reading every result */
  fullSweep?: boolean;
};

export type RunView = Omit<RunRecord, "rules"> & { done: number; rulesVersion: number };

/** A stored result: the appraisal, the run that wrote it and, for departments and workers, the rank. */
export type AppraisalItem = AppraisalBody & { runId: string; computedAt: string; rank?: number | null };

export function runItem(r: RunRecord) {
  return item("AppraisalRun", { ...keys.appraisalRun(r.period), ...keys.appraisalRunList(r.period) }, r);
}

export async function getRunRaw(period: string, consistent = true): Promise<(RunRecord & { doneBatches?: Set<string> }) | undefined> {
  const out = await db().send(new GetCommand({ TableName: tableName(), Key: keys.appraisalRun(period), ConsistentRead: consistent }));
  return strip<RunRecord & { doneBatches?: Set<string> }>(out.Item);
}

export function runView(r: RunRecord & { doneBatches?: Set<string> }): RunView {
  const { rules, doneBatches, sheets: _sheets, fullSweep: _fullSweep, ...rest } = r;
  return { ...rest, done: doneBatches?.size ?? (r.status === "done" ? r.total : 0), rulesVersion: rules.version };
}

export async function isLocked(period: string): Promise<boolean> {
  return (await getRunRaw(period, true))?.locked === true;
}

/** Where a result sorts in the month's place order: unit path (units, workers) or code (departments). */
export const placeOf = (a: Pick<AppraisalBody, "subject" | "unitPath" | "code" | "id">): string => (a.subject === "department" ? (a.code ?? a.id) : (a.unitPath ?? "/"));

export function appraisalItem(a: AppraisalItem) {
  return item(
    "Appraisal",
    {
      ...keys.appraisal(a.period, a.subject, a.id),
      ...keys.appraisalByScore(a.period, a.subject, scoreKey(a.score), a.id),
      ...keys.appraisalByPlace(a.period, a.subject, placeOf(a), a.id),
    },
    a,
  );
}

export async function getAppraisal(period: string, subject: Subject, id: string): Promise<AppraisalItem | undefined> {
  const out = await db().send(new GetCommand({ TableName: tableName(), Key: keys.appraisal(period, subject, id) }));
  return strip<AppraisalItem>(out.Item);
}

/** Every result of a month of one kind (or all kinds), in place order; `project` limits the attributes read. */
export async function allAppraisals(period: string, subject: Subject, project?: string[]): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  const names = project ? Object.fromEntries(["pk", "sk", ...project].map((n, i) => [`#p${i}`, n])) : undefined;
  do {
    const out = await db().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: "gsi2",
        KeyConditionExpression: "gsi2pk = :pk",
        ExpressionAttributeValues: { ":pk": keys.appraisalByPlace(period, subject, "", "").gsi2pk },
        ...(names ? { ProjectionExpression: Object.keys(names).join(", "), ExpressionAttributeNames: names } : {}),
        ExclusiveStartKey: start,
      }),
    );
    rows.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return rows;
}

type PageAsked = { limit: number; cursor?: string };
type RowMap<T> = (raw: Record<string, unknown>) => T | undefined;

/** A page of a month's results of one kind in place order (gsi2; `within`: a unit path prefix). */
export function appraisalsByPlacePage<T>(period: string, subject: Subject, within: string | undefined, page: PageAsked, map: RowMap<T>): Promise<Page<T>> {
  return queryPage<T>(
    {
      IndexName: "gsi2",
      KeyConditionExpression: within ? "gsi2pk = :pk AND begins_with(gsi2sk, :p)" : "gsi2pk = :pk",
      ExpressionAttributeValues: { ":pk": keys.appraisalByPlace(period, subject, "", "").gsi2pk, ...(within ? { ":p": within } : {}) },
    },
    page,
    { map },
  );
}

/**
 * A page of a month's results of one kind by score (gsi1): `ascending` lowest first (the unrated
 * included), `rated-descending` best first without the unrated; `within` filters on the unit path.
 */
export function appraisalsByScorePage<T>(
  period: string,
  subject: Subject,
  within: string | undefined,
  order: "ascending" | "rated-descending",
  page: PageAsked,
  map: RowMap<T>,
): Promise<Page<T>> {
  const filters: string[] = [];
  const values: Record<string, unknown> = { ":pk": keys.appraisalByScore(period, subject, "", "").gsi1pk };
  const names: Record<string, string> = {};
  if (within) {
    filters.push("begins_with(unitPath, :p)");
    values[":p"] = within;
  }
  if (order === "rated-descending") {
    filters.push("attribute_type(#score, :num)");
    values[":num"] = "N";
    names["#score"] = "score";
  }
  return queryPage<T>(
    {
      IndexName: "gsi1",
      KeyConditionExpression: "gsi1pk = :pk",
      FilterExpression: filters.length ? filters.join(" AND ") : undefined,
      ExpressionAttributeValues: values,
      ExpressionAttributeNames: Object.keys(names).length ? names : undefined,
      ScanIndexForward: order === "ascending",
    },
    page,
    { map },
  );
}

/** Runs by month, newest first (gsi1 `APPRRUNS`). */
export function runsPage<T>(page: PageAsked, map: RowMap<T>): Promise<Page<T>> {
  return queryPage<T>(
    { IndexName: "gsi1", KeyConditionExpression: "gsi1pk = :pk", ExpressionAttributeValues: { ":pk": keys.appraisalRunList("").gsi1pk }, ScanIndexForward: false },
    page,
    { map },
  );
}

/**
 * Lock a finished month's run with its audit row, only while it is still run `runId`, done and
 * unlocked; 409 when it changed meanwhile.
 */
export async function lockRun(period: string, runId: string, at: string, by: Who, audit: ReturnType<typeof auditPut>): Promise<void> {
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: tableName(),
              Key: keys.appraisalRun(period),
              UpdateExpression: "SET locked = :t, lockedAt = :at, lockedBy = :by",
              ConditionExpression: "runId = :run AND #status = :done AND locked = :f",
              ExpressionAttributeNames: { "#status": "status" },
              ExpressionAttributeValues: { ":t": true, ":f": false, ":at": at, ":by": by, ":run": runId, ":done": "done" },
            },
          },
          audit,
        ],
      }),
    );
  } catch (e) {
    if (isConditionFailure(e)) throw new ConflictError(`The appraisal of ${period} changed meanwhile; reload and retry`);
    mapStorageError(e);
  }
}

// ------------------------------------------------------------------ score sheets

/** One subject's line on a sheet: score, band, grade (what next month's change and this month's ranks need). */
export type SheetLine = [score: number | null, band: { color: string; label: string; rank: number } | null, grade: string | null];

/**
 * A batch's score sheet (`APPRSHEET#<month>`, sk `<subject>#<first id>#<run id>`): the lines of the
 * batch's subjects, ids `first`..`last` in sort order, as one run wrote them (never overwritten by
 * another run: finalize compares this run's sheets with the earlier runs' to find leftovers). A few KB per batch, so a month's sheets are read in a
 * few requests where its results (about 1 KB each) would cost a read unit per eight.
 */
export type Sheet = { period: string; subject: Subject; first: string; last: string; runId: string; lines: Record<string, SheetLine> };

export const sheetItem = (s: Sheet) => item("AppraisalSheet", keys.appraisalSheet(s.period, s.subject, s.first, s.runId), s);

/** Write a batch's sheet (a redelivered batch writes the same item again). */
export async function putSheet(s: Sheet): Promise<void> {
  await db().send(new PutCommand({ TableName: tableName(), Item: sheetItem(s) }));
}

async function querySheets(input: { KeyConditionExpression: string; ExpressionAttributeValues: Record<string, unknown>; ScanIndexForward?: boolean; Limit?: number }, consistent: boolean): Promise<Sheet[]> {
  const rows: Sheet[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db().send(new QueryCommand({ TableName: tableName(), ...input, ConsistentRead: consistent, ExclusiveStartKey: start }));
    rows.push(...((out.Items ?? []).map((i) => strip<Sheet>(i)!) as Sheet[]));
    start = input.Limit ? undefined : out.LastEvaluatedKey;
  } while (start);
  return rows;
}

/** Every sheet of a month (of one kind of subject); strongly consistent by default: finalize reads what the batches just wrote. */
export const sheetsOf = (period: string, subject?: Subject, consistent = true): Promise<Sheet[]> =>
  querySheets(
    subject
      ? { KeyConditionExpression: "pk = :pk AND begins_with(sk, :s)", ExpressionAttributeValues: { ":pk": keys.appraisalSheet(period, "", "", "").pk, ":s": `${subject}#` } }
      : { KeyConditionExpression: "pk = :pk", ExpressionAttributeValues: { ":pk": keys.appraisalSheet(period, "", "", "").pk } },
    consistent,
  );

/**
 * The sheets of a month that can hold ids `first`..`last`: those starting inside the range, and the
 * last few starting before it (two Queries of a few KB). Usually one run's sheets are left of a
 * month (finalize deletes the earlier runs'); the caller keeps the sheets of the run it trusts and
 * reads any id they do not cover from its result.
 */
export async function sheetsCovering(period: string, subject: Subject, first: string, last: string): Promise<Sheet[]> {
  const pk = keys.appraisalSheet(period, "", "", "").pk;
  const [inside, before] = await Promise.all([
    querySheets({ KeyConditionExpression: "pk = :pk AND sk BETWEEN :a AND :b", ExpressionAttributeValues: { ":pk": pk, ":a": `${subject}#${first}#`, ":b": `${subject}#${last}#\uffff` } }, false),
    querySheets({ KeyConditionExpression: "pk = :pk AND sk BETWEEN :a AND :b", ExpressionAttributeValues: { ":pk": pk, ":a": `${subject}#`, ":b": `${subject}#${first}#` }, ScanIndexForward: false, Limit: 3 }, false),
  ]);
  return [...before, ...inside];
}

export const deleteSheet = (s: Sheet): Promise<unknown> => db().send(new DeleteCommand({ TableName: tableName(), Key: keys.appraisalSheet(s.period, s.subject, s.first, s.runId) }));

/**
 * A month's aggregate items of the subjects `<subject>#<first>`..`<subject>#<last>` (AGG#<month>,
 * core/aggregate/apply.ts): one Query of the range, billed by the bytes read (a few hundred bytes an
 * item) where a BatchGet bills half a unit for every key asked.
 */
export async function aggregatesInRange(period: string, subject: Subject, first: string, last: string): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: "pk = :pk AND sk BETWEEN :a AND :b",
        ExpressionAttributeValues: { ":pk": aggregateKey(period, "").pk, ":a": `${subject}#${first}`, ":b": `${subject}#${last}` },
        ExclusiveStartKey: start,
      }),
    );
    rows.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return rows;
}
