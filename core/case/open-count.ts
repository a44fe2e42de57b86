import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import { db, tableName } from "../db/client.ts";
import { keys } from "../db/keys.ts";

/** Open cases in a unit subtree: a COUNT query on the open-cases index (gsi1 `CASES#OPEN`, begins_with path). */
export async function openCaseCount(unitPath: string): Promise<number> {
  let count = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: "gsi1",
        KeyConditionExpression: "gsi1pk = :pk AND begins_with(gsi1sk, :p)",
        ExpressionAttributeValues: { ":pk": "CASES#OPEN", ":p": unitPath },
        Select: "COUNT",
        ExclusiveStartKey: start,
      }),
    );
    count += out.Count ?? 0;
    start = out.LastEvaluatedKey;
  } while (start);
  return count;
}

/** Open cases owned by a department or unit right now: a COUNT query on the by-owner index (gsi3), terminal states filtered out. */
export async function openCasesOwnedBy(kind: "department" | "unit", id: string): Promise<number> {
  let count = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: "gsi3",
        KeyConditionExpression: "gsi3pk = :pk",
        FilterExpression: "NOT (#s IN (:closed, :rejected))",
        ExpressionAttributeNames: { "#s": "state" },
        ExpressionAttributeValues: { ":pk": keys.caseByOwner(kind, id, "", "").gsi3pk, ":closed": "closed", ":rejected": "rejected" },
        Select: "COUNT",
        ExclusiveStartKey: start,
      }),
    );
    count += out.Count ?? 0;
    start = out.LastEvaluatedKey;
  } while (start);
  return count;
}

/** Active users holding the dispatcher role on these units (staff rows exist only for active users). */
export async function activeDispatchers(unitIds: string[]): Promise<string[]> {
  const users = new Set<string>();
  for (const unitId of new Set(unitIds)) {
    let start: Record<string, unknown> | undefined;
    do {
      const out = await db().send(
        new QueryCommand({
          TableName: tableName(),
          IndexName: "gsi2",
          KeyConditionExpression: "gsi2pk = :pk",
          FilterExpression: "#role = :r",
          ExpressionAttributeNames: { "#role": "role" },
          ExpressionAttributeValues: { ":pk": keys.staffOfUnit(unitId, "").gsi2pk, ":r": "dispatcher" },
          ExclusiveStartKey: start,
        }),
      );
      for (const r of out.Items ?? []) users.add(r.userId as string);
      start = out.LastEvaluatedKey;
    } while (start);
  }
  return [...users];
}
