import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import { db, tableName } from "../db/client.ts";
import { strip } from "../db/items.ts";
import { aggregateItemsByKey, aggregateKey } from "../aggregate/repo.ts";

/** The reads of the dashboard overview (core/stats/overview.ts) over the aggregates `AGG#<period>` / `<subject>`. */

/** Aggregate items by period and subject, raw, keyed `<pk>|<sk>` (core/aggregate/repo.ts aggregateItemsByKey). */
export function aggregateItems(pairs: { period: string; subject: string }[]): Promise<Map<string, Record<string, unknown>>> {
  return aggregateItemsByKey(pairs.map((x) => aggregateKey(x.period, x.subject)));
}

/** Every department's aggregate of a month (`Query pk = AGG#<month> AND begins_with(sk, "department#")`, all pages), stripped. */
export async function departmentAggregates(month: string): Promise<{ id: string; item: Record<string, unknown> }[]> {
  const out: { id: string; item: Record<string, unknown> }[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: "pk = :pk AND begins_with(sk, :d)",
        ExpressionAttributeValues: { ":pk": `AGG#${month}`, ":d": "department#" },
        ExclusiveStartKey: start,
      }),
    );
    for (const raw of page.Items ?? []) out.push({ id: String(raw.sk).slice("department#".length), item: strip<Record<string, unknown>>(raw)! });
    start = page.LastEvaluatedKey;
  } while (start);
  return out;
}
