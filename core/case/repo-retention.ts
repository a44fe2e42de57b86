import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { db, tableName } from "../db/client.ts";
import * as keys from "../db/keys.ts";
import { isConditionFailure, mapStorageError } from "../db/errors.ts";
import type { auditPut } from "../audit/entry.ts";

/**
 * The table side of the retention of case attachments (core/case/attachment-retention.ts): the
 * closed cases of a county month (gsi1 `CASES#CLOSED#<month>`, the index the case lists use), the
 * per-case mark that its attachments are gone, and the sweep's watermark.
 */

export interface ClosedCaseRow {
  id: string;
  state: string;
  closedAt?: string;
  updatedAt: string;
}

/** The cases closed (or rejected) in one county month, page by page. */
export async function* closedCasesOfMonth(month: string): AsyncGenerator<ClosedCaseRow[]> {
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: "gsi1",
        KeyConditionExpression: "gsi1pk = :pk",
        ExpressionAttributeValues: { ":pk": keys.caseByUnit(false, month, "", "", "").gsi1pk },
        ProjectionExpression: "id, #s, closedAt, updatedAt",
        ExpressionAttributeNames: { "#s": "state" },
        Limit: 200,
        ExclusiveStartKey: start,
      }),
    );
    yield (out.Items ?? []) as ClosedCaseRow[];
    start = out.LastEvaluatedKey;
  } while (start);
}

export async function attachmentsExpired(caseId: string): Promise<boolean> {
  const out = await db().send(new GetCommand({ TableName: tableName(), Key: keys.caseAttachmentsExpired(caseId), ConsistentRead: true }));
  return !!out.Item;
}

/**
 * Mark a case's attachments as deleted, with its audit row, only if the case is still in the state
 * and closing time read (a reopened case is not marked) and not marked yet. False when a
 * condition failed (marked meanwhile, or changed).
 */
export async function markAttachmentsExpired(c: { id: string; state: string; version: number }, objects: number, audit: ReturnType<typeof auditPut> | undefined, at: string): Promise<boolean> {
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          { ConditionCheck: { TableName: tableName(), Key: keys.case(c.id), ConditionExpression: "#s = :s AND #v = :v", ExpressionAttributeNames: { "#s": "state", "#v": "version" }, ExpressionAttributeValues: { ":s": c.state, ":v": c.version } } },
          { Put: { TableName: tableName(), Item: { ...keys.caseAttachmentsExpired(c.id), _et: "CaseAttachmentsExpired", at, objects }, ConditionExpression: "attribute_not_exists(pk)" } },
          ...(audit ? [audit] : []),
        ],
      }),
    );
    return true;
  } catch (e) {
    if (isConditionFailure(e)) return false;
    mapStorageError(e);
    return false;
  }
}

export async function getRetentionMark(name: string): Promise<string | undefined> {
  const out = await db().send(new GetCommand({ TableName: tableName(), Key: keys.retentionMark(name), ConsistentRead: true }));
  return out.Item?.through as string | undefined;
}

/** Move the watermark forward only (a slower concurrent run never moves it back). */
export async function setRetentionMark(name: string, through: string): Promise<void> {
  try {
    await db().send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...keys.retentionMark(name), _et: "RetentionMark", through },
        ConditionExpression: "attribute_not_exists(through) OR through < :t",
        ExpressionAttributeValues: { ":t": through },
      }),
    );
  } catch (e) {
    if (!isConditionFailure(e)) throw e;
  }
}
