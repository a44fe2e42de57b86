import { BatchGetCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { db, tableName } from "../db/client.ts";
import { strip } from "../db/items.ts";
import { aggregateKey } from "../aggregate/repo.ts";

/** The reads of the dashboard overview (core/stats/overview.ts) over the aggregates `AGG#<period>` / `<subject>`. */

/** Aggregate items by period and subject, raw, keyed `<pk>|<sk>`: BatchGetItem per 100 keys, unprocessed keys retried. */
export async function aggregateItems(pairs: { period: string; subject: string }[]): Promise<Map<string, Record<string, unknown>>> {
  const found = new Map<string, Record<string, unknown>>();
  for (let i = 0; i < pairs.length; i += 100) {
    let request: Record<string, any> | undefined = { [tableName()]: { Keys: pairs.slice(i, i + 100).map((x) => aggregateKey(x.period, x.subject)) } };
    while (request && Object.keys(request).length) {
      const out: { Responses?: Record<string, Record<string, unknown>[]>; UnprocessedKeys?: Record<string, any> } = await db().send(new BatchGetCommand({ RequestItems: request }));
      for (const raw of out.Responses?.[tableName()] ?? []) found.set(`${raw.pk}|${raw.sk}`, raw);
      request = out.UnprocessedKeys;
    }
  }
  return found;
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
