import { GetCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { db, tableName } from "../db/client.ts";
import { keys } from "../db/keys.ts";
import { item, strip } from "../db/items.ts";
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
  const { rules, doneBatches, ...rest } = r;
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
