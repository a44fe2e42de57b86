import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { db, tableName } from "../db/client.ts";
import { sendIf } from "../db/send-if.ts";
import { aggregateKey } from "./repo.ts";
import { OPEN_DELTA } from "./month-item.ts";

/**
 * The table side of the open count's monthly fold (core/aggregate/fold.ts, docs/data-model.md
 * "Monthly aggregate"): the marker `AGG#live / FOLD` `{through: YYYY-MM, state: folding|done}`, the
 * base `AGG#live / unit#<id>` `{open, foldedThrough}` and the months' `openDelta`.
 */

export interface FoldMarker {
  through: string;
  state: "folding" | "done";
}

export const FOLD_KEY = aggregateKey("live", "FOLD");

/** The fold marker (consistent), or undefined before migration 0006. */
export async function foldMarker(): Promise<FoldMarker | undefined> {
  const out = await db().send(new GetCommand({ TableName: tableName(), Key: FOLD_KEY, ConsistentRead: true }));
  return out.Item ? { through: String(out.Item.through), state: out.Item.state === "folding" ? "folding" : "done" } : undefined;
}

/** Migration 0006: months up to `through` are in the base (`AGG#live` open counts as they stand). Once. */
export function putFoldMarker(through: string): Promise<boolean> {
  return sendIf(new PutCommand({ TableName: tableName(), Item: { ...FOLD_KEY, _et: "AggregateFold", through, state: "done" }, ConditionExpression: "attribute_not_exists(pk)" }));
}

/** Move the marker to `next` (state folding) if it still says `from` done. False: another run moved it. */
export function startFold(from: string, next: string): Promise<boolean> {
  return sendIf(
    new UpdateCommand({
      TableName: tableName(),
      Key: FOLD_KEY,
      UpdateExpression: "SET through = :next, #state = :folding",
      ConditionExpression: "through = :from AND #state = :done",
      ExpressionAttributeNames: { "#state": "state" },
      ExpressionAttributeValues: { ":next": next, ":from": from, ":folding": "folding", ":done": "done" },
    }),
  );
}

/** The marker says `month` done (if it still says folding it). */
export async function finishFold(month: string): Promise<void> {
  await sendIf(
    new UpdateCommand({
      TableName: tableName(),
      Key: FOLD_KEY,
      UpdateExpression: "SET #state = :done",
      ConditionExpression: "through = :m AND #state = :folding",
      ExpressionAttributeNames: { "#state": "state" },
      ExpressionAttributeValues: { ":m": month, ":folding": "folding", ":done": "done" },
    }),
  );
}

/** Every unit's non-zero `openDelta` of a month (consistent Query of `AGG#<month>` unit items, projected). */
export async function monthOpenDeltas(month: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: "pk = :pk AND begins_with(sk, :u)",
        ProjectionExpression: "sk, #d",
        ExpressionAttributeNames: { "#d": OPEN_DELTA },
        ExpressionAttributeValues: { ":pk": `AGG#${month}`, ":u": "unit#" },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    for (const raw of page.Items ?? []) if (typeof raw[OPEN_DELTA] === "number" && raw[OPEN_DELTA] !== 0) out.set(String(raw.sk).slice("unit#".length), raw[OPEN_DELTA]);
    start = page.LastEvaluatedKey;
  } while (start);
  return out;
}

/** Add a month's delta to a unit's base, once: `IF foldedThrough` is absent or earlier. False: already folded. */
export function foldUnit(unitId: string, month: string, delta: number): Promise<boolean> {
  return sendIf(
    new UpdateCommand({
      TableName: tableName(),
      Key: aggregateKey("live", `unit#${unitId}`),
      UpdateExpression: "ADD #open :d SET foldedThrough = :m, #et = :et, #subject = :subject, #month = :live",
      ConditionExpression: "attribute_not_exists(foldedThrough) OR foldedThrough < :m",
      ExpressionAttributeNames: { "#open": "open", "#et": "_et", "#subject": "subject", "#month": "month" },
      ExpressionAttributeValues: { ":d": delta, ":m": month, ":et": "Aggregate", ":subject": `unit#${unitId}`, ":live": "live" },
    }),
  );
}
