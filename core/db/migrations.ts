import { QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { db, tableName } from "./client.ts";
import { SCHEMA_VERSION } from "./table.ts";

export interface Migration {
  id: string;
  description: string;
  up(ctx: { log: (m: string) => void }): Promise<unknown>;
}

/**
 * Versioned data migrations, applied in order by `npm run migrate`. Each must be idempotent
 * (conditional writes keyed on `_sv`, the item's schema version).
 */
export const migrations: Migration[] = [
  {
    id: "0001-stamp-unit-schema-version",
    description: "stamp _sv on unit items that lack it (example migration; the first schema needs no change)",
    async up({ log }) {
      let start: Record<string, unknown> | undefined;
      let stamped = 0;
      do {
        const out = await db().send(
          new QueryCommand({ TableName: tableName(), IndexName: "gsi1", KeyConditionExpression: "gsi1pk = :u", ExpressionAttributeValues: { ":u": "UNITS" }, ExclusiveStartKey: start }),
        );
        for (const raw of out.Items ?? []) {
          if (raw._sv !== undefined) continue;
          await db().send(
            new UpdateCommand({ TableName: tableName(), Key: { pk: raw.pk, sk: raw.sk }, UpdateExpression: "SET #sv = :v", ConditionExpression: "attribute_not_exists(#sv)", ExpressionAttributeNames: { "#sv": "_sv" }, ExpressionAttributeValues: { ":v": SCHEMA_VERSION } }),
          ).catch(() => undefined);
          stamped++;
        }
        start = out.LastEvaluatedKey;
      } while (start);
      log(`${stamped} unit(s) stamped`);
      return { stamped };
    },
  },
];
