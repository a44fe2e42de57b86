import { GetCommand, QueryCommand, type QueryCommandInput } from "@aws-sdk/lib-dynamodb";
import { db, tableName } from "../db/client.ts";
import * as keys from "../db/keys.ts";
import { strip } from "../db/items.ts";
import { queryAll, type Filters } from "../db/page.ts";
import type { Case } from "./schema.ts";

/**
 * Reads of the case indexes outside the case loop (#16: the repo is the one door to the table):
 * the partners' newest-first list, the open-case counts, the repair's full reads and the years
 * that gave case numbers. The case item and its writes stay in core/case/repo.ts.
 */

/**
 * One page of a state's cases, newest first, older than `before` (gsi2 `CASES#STATE#<state>`, sort
 * key `<createdAt>#<id>`), with the caller's filters: the raw rows with their sort keys, and where
 * to go on (undefined at the end of the partition).
 */
export async function casesOfStateBefore(
  state: string,
  before: string,
  filters: Filters,
  limit: number,
  start: Record<string, unknown> | undefined,
): Promise<{ rows: Array<{ sk: string; c: Case }>; next: Record<string, unknown> | undefined }> {
  const out = await db().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: "gsi2",
      KeyConditionExpression: "gsi2pk = :pk AND gsi2sk < :before",
      ScanIndexForward: false,
      ExclusiveStartKey: start,
      Limit: limit,
      ...filters.build({ ":pk": keys.caseByState(state, "", "").gsi2pk, ":before": before }),
    }),
  );
  return { rows: (out.Items ?? []).map((raw) => ({ sk: String(raw.gsi2sk), c: strip<Case>(raw)! })), next: out.LastEvaluatedKey };
}

/** Items a COUNT query matches, every page read. */
async function countAll(input: Omit<QueryCommandInput, "TableName" | "Select" | "ExclusiveStartKey">): Promise<number> {
  let count = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db().send(new QueryCommand({ TableName: tableName(), ...input, Select: "COUNT", ExclusiveStartKey: start }));
    count += out.Count ?? 0;
    start = out.LastEvaluatedKey;
  } while (start);
  return count;
}

/** Open cases in a unit subtree: a COUNT query on the open-cases index (gsi1 `CASES#OPEN`, begins_with path). */
export const openCaseCount = (unitPath: string): Promise<number> =>
  countAll({ IndexName: "gsi1", KeyConditionExpression: "gsi1pk = :pk AND begins_with(gsi1sk, :p)", ExpressionAttributeValues: { ":pk": "CASES#OPEN", ":p": unitPath } });

/** Open cases owned by a department or unit right now: a COUNT query on the by-owner index (gsi3), terminal states filtered out. */
export const openCasesOwnedBy = (kind: "department" | "unit", id: string): Promise<number> =>
  countAll({
    IndexName: "gsi3",
    KeyConditionExpression: "gsi3pk = :pk",
    FilterExpression: "NOT (#s IN (:closed, :rejected))",
    ExpressionAttributeNames: { "#s": "state" },
    ExpressionAttributeValues: { ":pk": keys.caseByOwner(kind, id, "", "").gsi3pk, ":closed": "closed", ":rejected": "rejected" },
  });

/** Users holding `role` on the unit (gsi2 `STAFF#<unit>`; staff rows exist only for active users). */
export async function staffOfUnitWithRole(unitId: string, role: string): Promise<string[]> {
  const rows = await queryAll({
    IndexName: "gsi2",
    KeyConditionExpression: "gsi2pk = :pk",
    FilterExpression: "#role = :r",
    ExpressionAttributeNames: { "#role": "role" },
    ExpressionAttributeValues: { ":pk": keys.staffOfUnit(unitId, "").gsi2pk, ":r": role },
  });
  return rows.map((r) => r.userId as string);
}

/** Every open case (gsi1 `CASES#OPEN`), read to the end. */
export const allOpenCases = (): Promise<Case[]> => allOf("CASES#OPEN", "gsi1", "gsi1pk");

/** Every case in a state (gsi2 `CASES#STATE#<state>`), read to the end. */
export const allCasesInState = (state: string): Promise<Case[]> => allOf(keys.caseByState(state, "", "").gsi2pk, "gsi2", "gsi2pk");

async function allOf(pk: string, index: string, pkName: string): Promise<Case[]> {
  return (await queryAll({ IndexName: index, KeyConditionExpression: `${pkName} = :pk`, ExpressionAttributeValues: { ":pk": pk } })).map((raw) => strip<Case>(raw)!);
}

/** Did the year give case numbers? (its counter `COUNTER#case#<year>` exists) */
export async function caseCounterExists(year: number): Promise<boolean> {
  const out = await db().send(new GetCommand({ TableName: tableName(), Key: keys.caseCounter(String(year)) }));
  return out.Item !== undefined;
}
