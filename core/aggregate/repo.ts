import { BatchGetCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { db, tableName } from "../db/client.ts";
import * as keys from "../db/keys.ts";
import { failedConditionIndexes, isConditionFailure } from "../db/errors.ts";
import { staleDayAttributes } from "./month-item.ts";

/** An aggregate item: the counters of one subject (unit, department, worker) in one period (month or `live`; a county day `AGG#<YYYY-MM-DD>` until #16). */
export const aggregateKey = (period: string, subject: string) => ({ pk: `AGG#${period}`, sk: subject });

/** Counter increments of one aggregate item. */
export interface CounterWrite {
  period: string;
  subject: string;
  counters: Map<string, number>;
}

/**
 * The update item that adds `counters` to one aggregate (plain ADDs: no read). A unit month write
 * carrying day attributes (`dDD_<counter>`) also REMOVEs the day attributes of the days before its
 * latest one (core/aggregate/month-item.ts staleDayAttributes; removing a missing attribute is a no-op).
 */
export function counterUpdate(w: CounterWrite) {
  const names: Record<string, string> = { "#et": "_et", "#subject": "subject", "#month": "month" };
  const values: Record<string, unknown> = { ":et": "Aggregate", ":subject": w.subject, ":month": w.period };
  const adds: string[] = [];
  let i = 0;
  for (const [name, by] of w.counters) {
    names[`#c${i}`] = name;
    values[`:v${i}`] = by;
    adds.push(`#c${i} :v${i}`);
    i++;
  }
  const removes = staleDayAttributes(w.counters.keys()).map((name, j) => {
    names[`#r${j}`] = name;
    return `#r${j}`;
  });
  return {
    TableName: tableName(),
    Key: aggregateKey(w.period, w.subject),
    UpdateExpression: `ADD ${adds.join(", ")} SET #et = :et, #subject = :subject, #month = :month${removes.length ? ` REMOVE ${removes.join(", ")}` : ""}`,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

/**
 * How an event is marked processed in the counters' transaction: by the conditional delete of its
 * outbox row (`row`: `Delete IF attribute_exists(pk)`, #16 — the row is there until the event is
 * counted, so its delete is the mark and costs no item more), or, for an event decided before the
 * cutover (core/aggregate/apply.ts OUTBOX_MARK_CUTOVER), by `Put DONE#agg#<id> IF attribute_not_exists(pk)`.
 * `checkDone` (a row mark of a message that may have been handled before: core/aggregate/seen.ts) adds
 * `ConditionCheck DONE#agg#<id> IF attribute_not_exists(pk)`: the consumer before #16 counted with that
 * mark and deleted the row after its transaction, so a row left by one that died in between is no proof
 * of "not yet counted" (2 WRU more, on redeliveries and republished copies only).
 */
export type ProcessedMark = { id: string; row?: { pk: string; sk: string }; checkDone?: boolean };

/**
 * ONE transaction: a "processed" mark per event (conditional) and the counter updates of those
 * events. Answers "applied", or the ids of the events whose mark was already set (the row gone, or
 * the DONE mark there): the transaction changed nothing; the caller drops them and writes the rest again.
 *
 * No explicit ClientRequestToken: the SDK fills a fresh one per send and keeps it across its own
 * attempts (a retry after a lost answer is a success); the marks catch every later redelivery. A
 * content-derived token would make two deliveries of the same events in the same second collide as
 * TransactionInProgressException instead of meeting the marks.
 */
export async function writeCountersOnce(marks: ProcessedMark[], writes: CounterWrite[], expiresAt: number, fold?: { through: string }): Promise<"applied" | { duplicates: string[] }> {
  const ops: any[] = [];
  const owner: string[] = []; // the event of each mark item, by index in the transaction
  for (const m of marks) {
    if (m.row) {
      ops.push({ Delete: { TableName: tableName(), Key: m.row, ConditionExpression: "attribute_exists(pk)" } });
      owner.push(m.id);
      if (m.checkDone) {
        ops.push({ ConditionCheck: { TableName: tableName(), Key: keys.processed("agg", m.id), ConditionExpression: "attribute_not_exists(pk)" } });
        owner.push(m.id);
      }
    } else {
      ops.push({ Put: { TableName: tableName(), Item: { ...keys.processed("agg", m.id), _et: "Processed", expiresAt }, ConditionExpression: "attribute_not_exists(pk)" } });
      owner.push(m.id);
    }
  }
  ops.push(...writes.map((w) => ({ Update: counterUpdate(w) })));
  // an open change routed by the fold marker as read: it must still say so (core/aggregate/fold.ts); after every mark item
  if (fold) ops.push({ ConditionCheck: { TableName: tableName(), Key: aggregateKey("live", "FOLD"), ConditionExpression: "through = :t", ExpressionAttributeValues: { ":t": fold.through } } });
  try {
    await db().send(new TransactWriteCommand({ TransactItems: ops }));
    return "applied";
  } catch (err) {
    if (!isConditionFailure(err)) throw err;
    return { duplicates: [...new Set(failedConditionIndexes(err).filter((i) => i < owner.length).map((i) => owner[i]))] };
  }
}

/** Aggregate items by key (BatchGetItem per 100, unprocessed keys retried), keyed `<pk>|<sk>`. */
export async function aggregateItemsByKey(list: { pk: string; sk: string }[]): Promise<Map<string, Record<string, unknown>>> {
  const found = new Map<string, Record<string, unknown>>();
  for (let i = 0; i < list.length; i += 100) {
    let request: Record<string, any> | undefined = { [tableName()]: { Keys: list.slice(i, i + 100) } };
    while (request && Object.keys(request).length) {
      const out: { Responses?: Record<string, Record<string, unknown>[]>; UnprocessedKeys?: Record<string, any> } = await db().send(new BatchGetCommand({ RequestItems: request }));
      for (const raw of out.Responses?.[tableName()] ?? []) found.set(`${raw.pk}|${raw.sk}`, raw);
      request = out.UnprocessedKeys;
    }
  }
  return found;
}
