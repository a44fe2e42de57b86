import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BatchGetCommand, BatchWriteCommand, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { useStackEnv } from "../../../test/client.ts";
import { db, tableName } from "../../db/client.ts";
import { measureCapacity, measured, setBillingProbe } from "../../db/metrics.ts";
import { billingProbe } from "./repo-billing.ts";

/**
 * The capacity bench's billing probe on DynamoDB Local: what AWS bills for the items a request really
 * wrote or read, beside what DynamoDB Local reports (it counts a transaction's largest item only).
 * The table's indexes project ALL (core/db/table.ts).
 */
beforeAll(() => {
  useStackEnv();
  measureCapacity(true);
  setBillingProbe(billingProbe);
});
afterAll(() => {
  setBillingProbe(undefined);
  measureCapacity(false);
});

// 2,560 B: keys 34 B + "blob" 4 + 2,522
const item = (pk: string, over: Record<string, unknown> = {}) => ({ pk, sk: "S", gsi1pk: "A", gsi1sk: "B", gsi2pk: "C", gsi2sk: "D", blob: "x".repeat(2522 - (pk.length - 1)), ...over });

describe("billed units from the items written and read", () => {
  it("a 2.5 KB item in a transaction with two 100 B items, on gsi1 and gsi2 (ALL): 6 + 2 + 2 on the table, 3 + 3 on the indexes", async () => {
    const pk = "B".repeat(12);
    const id = `${pk}${Date.now()}`.slice(0, 12);
    const tx = await measured(() =>
      db().send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: tableName(), Item: item(id) } },
            { Put: { TableName: tableName(), Item: { pk: id, sk: "E1", text: "x".repeat(90) } } },
            { Put: { TableName: tableName(), Item: { pk: id, sk: "E2", text: "x".repeat(90) } } },
          ],
        }),
      ),
    );
    expect(tx.cost.billedByIndex).toEqual({ table: 10, gsi1: 3, gsi2: 3 });
    expect(tx.cost.billedWru).toBe(16);
    expect(tx.cost.wcu).not.toBe(16); // DynamoDB Local's own figure differs (largest item only, index units doubled)

    // moving it within gsi1 outside a transaction: 3 on the table, a delete and a put on gsi1, one rewrite on gsi2
    const up = await measured(() => db().send(new UpdateCommand({ TableName: tableName(), Key: { pk: id, sk: "S" }, UpdateExpression: "SET gsi1sk = :s", ExpressionAttributeValues: { ":s": "E" } })));
    expect(up.cost.billedByIndex).toEqual({ table: 3, gsi1: 6, gsi2: 3 });

    // the Query evaluated 3 items (2,560 + 2 × 110 B) whatever its filter returned: one 4 KB unit, eventually consistent ½
    const q = await measured(() =>
      db().send(new QueryCommand({ TableName: tableName(), KeyConditionExpression: "pk = :p", FilterExpression: "#b = :none", ExpressionAttributeNames: { "#b": "blob" }, ExpressionAttributeValues: { ":p": id, ":none": "nothing" } })),
    );
    expect(q.result.Items).toEqual([]);
    expect(q.cost.billedRru).toBe(0.5);
  });

  it("a BatchWriteItem bills each put and delete at the standard rate; Get and BatchGet bill the whole items in 4 KB units", async () => {
    const id = `BW${Date.now()}`.padEnd(12, "0").slice(0, 12);
    await db().send(new PutCommand({ TableName: tableName(), Item: item(id) }));
    const bw = await measured(() =>
      db().send(
        new BatchWriteCommand({
          RequestItems: {
            [tableName()]: [
              { PutRequest: { Item: { pk: id, sk: "s1", text: "x".repeat(90) } } },
              { PutRequest: { Item: { pk: id, sk: "s2", text: "x".repeat(90) } } },
              { DeleteRequest: { Key: { pk: id, sk: "S" } } },
            ],
          },
        }),
      ),
    );
    // 1 + 1 for the small puts, 3 for the 2.5 KB item deleted, and its entries leave gsi1 and gsi2 (3 each)
    expect(bw.cost.billedByIndex).toEqual({ table: 5, gsi1: 3, gsi2: 3 });

    await db().send(new PutCommand({ TableName: tableName(), Item: item(id) }));
    // a projection returns less, the read bills the whole 2.5 KB item: one 4 KB unit, strongly consistent
    const get = await measured(() => db().send(new GetCommand({ TableName: tableName(), Key: { pk: id, sk: "S" }, ProjectionExpression: "pk", ConsistentRead: true })));
    expect(get.cost.billedRru).toBe(1);
    const batch = await measured(() => db().send(new BatchGetCommand({ RequestItems: { [tableName()]: { Keys: [{ pk: id, sk: "s1" }, { pk: id, sk: "s2" }] } } })));
    expect(batch.cost.billedRru).toBe(1); // 2 items, each rounded up to 4 KB, eventually consistent: 2 × ½
  });
});
