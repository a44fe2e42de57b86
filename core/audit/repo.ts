import { BatchWriteCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { db, tableName } from "../db/client.ts";
import * as keys from "../db/keys.ts";
import { strip } from "../db/items.ts";
import type { AuditEntry } from "./entry.ts";
import type { Source } from "./list.ts";

/**
 * The audit trail's reads and its retention deletes (#16, the repo is the one door; the rows are
 * written by `auditPut` in the transaction of the change they record, alone by putAuditRow in
 * core/audit/repo-row.ts). Keys: docs/data-model.md "Audit".
 */

/**
 * One Query of an audit partition (a month, or an actor/action/object index partition), newest
 * first, between the ULIDs `lo` and `hi`, with the list's filters (`actorId` is the actor's id)
 * and, below the county, the reader's subtrees (`scopes`: entries whose unit path lies in one of
 * them). Reads `want` rows, 50 more when filtered.
 */
export async function auditRowsPage(
  src: Source,
  lo: string,
  hi: string,
  filters: { name: string; value: string }[],
  scopes: string[] | null,
  want: number,
  start: Record<string, unknown> | undefined,
): Promise<{ rows: AuditEntry[]; next: Record<string, unknown> | undefined }> {
  const pkName = src.index ? `${src.index}pk` : "pk";
  const skName = src.index ? `${src.index}sk` : "sk";
  const names: Record<string, string> = { "#pk": pkName, "#sk": skName };
  const values: Record<string, unknown> = { ":pk": src.pk, ":lo": lo, ":hi": hi };
  const conds = filters.map((f, i) => {
    names[`#f${i}`] = f.name === "actorId" ? "actor" : f.name;
    values[`:f${i}`] = f.value;
    return f.name === "actorId" ? `#f${i}.id = :f${i}` : `#f${i} = :f${i}`;
  });
  if (scopes) {
    // below the county: only entries whose unit path lies in the reader's subtrees (none without a path)
    names["#up"] = "unitPath";
    conds.push(`(${scopes.map((sc, i) => ((values[`:sc${i}`] = sc), `begins_with(#up, :sc${i})`)).join(" OR ")})`);
  }
  const out = await db().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: src.index,
      KeyConditionExpression: "#pk = :pk AND #sk BETWEEN :lo AND :hi",
      FilterExpression: conds.length ? conds.join(" AND ") : undefined,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      ScanIndexForward: false,
      Limit: want + (conds.length ? 50 : 0),
      ExclusiveStartKey: start,
    }),
  );
  return { rows: (out.Items ?? []).map((raw) => strip<AuditEntry>(raw)!), next: out.LastEvaluatedKey };
}

/**
 * Whether a month's audit partition (`AUDIT#<month>`) holds any row: one Query of one key. The
 * retention job's weekly full probe asks this of every month it looks back at, many at a time, and
 * deletes only in months that answer yes; a consistent one decides whether a month's marker may go
 * (core/audit/retention.ts).
 */
export async function auditMonthHasRows(month: string, consistent = false): Promise<boolean> {
  const out = await db().send(
    new QueryCommand({ TableName: tableName(), KeyConditionExpression: "pk = :pk", ExpressionAttributeValues: { ":pk": keys.audit(month, "").pk }, ProjectionExpression: "pk, sk", Limit: 1, ConsistentRead: consistent }),
  );
  return (out.Items?.length ?? 0) > 0;
}

/**
 * Delete one page (up to 100 rows) of a month's audit partition (`AUDIT#<month>`): a Query of
 * their keys, then BatchWriteItem deletes of 25 (unprocessed ones retried up to 8 times). Returns
 * how many rows the page held and where the partition goes on.
 */
export async function deleteAuditMonthPage(month: string, start: Record<string, unknown> | undefined): Promise<{ rows: number; next: Record<string, unknown> | undefined }> {
  const out = await db().send(
    new QueryCommand({ TableName: tableName(), KeyConditionExpression: "pk = :pk", ExpressionAttributeValues: { ":pk": keys.audit(month, "").pk }, ProjectionExpression: "pk, sk", Limit: 100, ExclusiveStartKey: start }),
  );
  const items = out.Items ?? [];
  for (let i = 0; i < items.length; i += 25) {
    let requests: Record<string, unknown>[] | undefined = items.slice(i, i + 25).map((it) => ({ DeleteRequest: { Key: { pk: it.pk, sk: it.sk } } }));
    for (let attempt = 0; requests?.length && attempt < 8; attempt++) {
      const res = await db().send(new BatchWriteCommand({ RequestItems: { [tableName()]: requests } }));
      requests = res.UnprocessedItems?.[tableName()] as Record<string, unknown>[] | undefined;
    }
  }
  return { rows: items.length, next: out.LastEvaluatedKey };
}
