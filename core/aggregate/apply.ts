import { TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { db, tableName } from "../db/client.ts";
import { keys } from "../db/keys.ts";
import { isConditionFailure } from "../db/errors.ts";
import type { DomainEvent } from "../case/repo.ts";
import { countersFor } from "./counters.ts";

export const aggregateKey = (month: string, subject: string) => ({ pk: `AGG#${month}`, sk: subject });

/** County month of an instant, e.g. "2026-11" (Asia/Shanghai unless configured). */
export function countyMonth(at: string | Date, timeZone = process.env.COUNTY_TZ ?? "Asia/Shanghai"): string {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit" }).formatToParts(new Date(at));
  return `${parts.find((p) => p.type === "year")!.value}-${parts.find((p) => p.type === "month")!.value}`;
}

/**
 * Add one event to the monthly counters, exactly once: the counter updates and a "processed"
 * mark for the event id are one transaction, so a redelivered event fails the mark's condition
 * and changes nothing. Counters are plain ADDs: no read, no scan.
 */
export async function applyEvent(e: DomainEvent): Promise<"applied" | "duplicate" | "nothing"> {
  const inc = countersFor(e);
  if (!inc.size) return "nothing";
  const month = countyMonth(e.at);
  const ops: any[] = [
    {
      Put: {
        TableName: tableName(),
        Item: { ...keys.processed("agg", e.id), _et: "Processed", expiresAt: Math.floor(Date.now() / 1000) + 30 * 86400 },
        ConditionExpression: "attribute_not_exists(pk)",
      },
    },
  ];
  for (const [subject, counters] of inc) {
    const names: Record<string, string> = { "#et": "_et", "#subject": "subject", "#month": "month" };
    const values: Record<string, unknown> = { ":et": "Aggregate", ":subject": subject, ":month": month };
    const adds: string[] = [];
    let i = 0;
    for (const [name, by] of counters) {
      names[`#c${i}`] = name;
      values[`:v${i}`] = by;
      adds.push(`#c${i} :v${i}`);
      i++;
    }
    ops.push({
      Update: {
        TableName: tableName(),
        Key: aggregateKey(month, subject),
        UpdateExpression: `ADD ${adds.join(", ")} SET #et = :et, #subject = :subject, #month = :month`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
    });
  }
  try {
    // at most 6 unit levels + departments + workers: far under the 100-item transaction limit
    await db().send(new TransactWriteCommand({ TransactItems: ops }));
    return "applied";
  } catch (err) {
    if (isConditionFailure(err)) return "duplicate";
    throw err;
  }
}
