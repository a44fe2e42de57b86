import { QueryCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { db, tableName } from "../db/client.ts";
import * as keys from "../db/keys.ts";
import { TERMINAL_STATES } from "./schema.ts";
import { NEAR_FINDABLE_MS, nearCellsOf } from "./repo.ts";

/**
 * Migration 0005 (#16): the near rows of cases that ended within their hint window before the
 * ending took them away (core/case/repo.ts `nearRowChange`). Those rows would only make reports read
 * an ended case to drop it from the hint — the hint is right either way — until they leave the
 * 72-hour window; deleting them makes the saving start at the deploy instead of 3 days later.
 *
 * Reads the ended cases reported within the window (`Query gsi2: CASES#STATE#closed|rejected AND
 * gsi2sk >= <now − 73 h>`, the by-state index is sorted by creation) and deletes each one's rows in a
 * transaction conditional on the case still being ended: a case reopened meanwhile keeps the rows
 * its reopen put back. A concurrent change of the case cancels its transaction: its rows are left
 * (a read more, never a missed hint). Idempotent: deleting absent rows changes nothing.
 */
export async function dropNearRowsOfEndedCases(now: Date, log: (m: string) => void = () => undefined): Promise<{ ended: number; dropped: number }> {
  const T = tableName();
  const since = new Date(now.getTime() - NEAR_FINDABLE_MS).toISOString();
  const states = Object.fromEntries(TERMINAL_STATES.map((s, i) => [`:s${i}`, s]));
  let ended = 0;
  let dropped = 0;
  for (const state of TERMINAL_STATES) {
    let start: Record<string, unknown> | undefined;
    do {
      const out = await db().send(
        new QueryCommand({
          TableName: T,
          IndexName: "gsi2",
          KeyConditionExpression: "gsi2pk = :pk AND gsi2sk >= :since",
          ExpressionAttributeValues: { ":pk": keys.caseByState(state, "", "").gsi2pk, ":since": since },
          ProjectionExpression: "id, createdAt, #loc",
          ExpressionAttributeNames: { "#loc": "location" },
          ExclusiveStartKey: start,
        }),
      );
      for (const c of out.Items ?? []) {
        ended++;
        const id = c.id as string;
        const createdAt = c.createdAt as string;
        try {
          await db().send(
            new TransactWriteCommand({
              TransactItems: [
                { ConditionCheck: { TableName: T, Key: keys.case(id), ConditionExpression: `#s IN (${Object.keys(states).join(", ")})`, ExpressionAttributeNames: { "#s": "state" }, ExpressionAttributeValues: states } },
                ...nearCellsOf(c.location as { lng: number; lat: number }).map((cell) => ({ Delete: { TableName: T, Key: keys.caseNear(cell, createdAt, id) } })),
              ],
            }),
          );
          dropped++;
        } catch (e) {
          if ((e as Error).name !== "TransactionCanceledException") throw e; // reopened (its rows stay) or changed meanwhile
        }
      }
      start = out.LastEvaluatedKey;
    } while (start);
  }
  log(`near rows of ${dropped} of ${ended} case(s) ended within the hint window deleted`);
  return { ended, dropped };
}
