import { DeleteCommand, PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { db, tableName } from "../db/client.ts";
import * as keys from "../db/keys.ts";
import { isConditionFailure } from "../db/errors.ts";

/**
 * The audit-month markers (core/audit/marks.ts, docs/data-model.md "Audit"): one item per month that
 * has (or had) audit rows, `pk = AUDITMONTHS`, `sk = AUDITMONTH#<YYYY-MM>`, and in the same
 * partition the time of the retention's last full probe (`sk = FULLPROBE`). The daily retention
 * reads them all with one Query.
 */

const PREFIX = "AUDITMONTH#";

/** Put a month's marker if it is not there (`attribute_not_exists`: an existing marker is not rewritten). */
export async function putAuditMonthMark(month: string): Promise<void> {
  try {
    await db().send(new PutCommand({ TableName: tableName(), Item: { ...keys.auditMonthMark(month), _et: "AuditMonthMark", month }, ConditionExpression: "attribute_not_exists(pk)" }));
  } catch (e) {
    if (!isConditionFailure(e)) throw e;
  }
}

/** Every marked month (ascending) and when the last full probe ran: one Query of `AUDITMONTHS` (consistent). */
export async function auditMonthMarks(): Promise<{ months: string[]; fullProbeAt: string | undefined }> {
  const months: string[] = [];
  let fullProbeAt: string | undefined;
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db().send(
      new QueryCommand({ TableName: tableName(), KeyConditionExpression: "pk = :pk", ExpressionAttributeValues: { ":pk": keys.auditFullProbe().pk }, ConsistentRead: true, ExclusiveStartKey: start }),
    );
    for (const it of out.Items ?? []) {
      const sk = it.sk as string;
      if (sk.startsWith(PREFIX)) months.push(sk.slice(PREFIX.length));
      else if (sk === keys.auditFullProbe().sk) fullProbeAt = it.at as string;
    }
    start = out.LastEvaluatedKey;
  } while (start);
  return { months, fullProbeAt };
}

/** Delete a month's marker (the caller has just found the month empty). */
export async function deleteAuditMonthMark(month: string): Promise<void> {
  await db().send(new DeleteCommand({ TableName: tableName(), Key: keys.auditMonthMark(month) }));
}

/** Record a full probe at `at`; forward only (a slower concurrent run never moves it back). */
export async function setAuditFullProbe(at: string): Promise<void> {
  try {
    await db().send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...keys.auditFullProbe(), _et: "AuditFullProbe", at },
        ConditionExpression: "attribute_not_exists(pk) OR #at < :at",
        ExpressionAttributeNames: { "#at": "at" },
        ExpressionAttributeValues: { ":at": at },
      }),
    );
  } catch (e) {
    if (!isConditionFailure(e)) throw e;
  }
}
