import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { db, tableName } from "../core/db/client.ts";
import * as keys from "../core/db/keys.ts";
import { item } from "../core/db/items.ts";
import { migrations } from "../core/db/migrations.ts";
import { clock } from "../core/clock.ts";
import { targetEnvironment } from "./target.ts";

/**
 * `npm run migrate -- --stage <s>`: apply versioned data migrations in order, each once
 * (recorded as MIGRATION/<id>); every migration is idempotent itself, so a crash halfway is
 * finished by running the command again.
 */
await targetEnvironment(process.argv.slice(2));
for (const m of migrations) {
  const done = await db().send(new GetCommand({ TableName: tableName(), Key: keys.migration(m.id), ConsistentRead: true }));
  if (done.Item) {
    console.log(`  ✓ ${m.id} (applied ${done.Item.at})`);
    continue;
  }
  console.log(`  → ${m.id}: ${m.description}`);
  const result = await m.up({ log: (msg) => console.log(`    ${msg}`) });
  await db().send(new PutCommand({ TableName: tableName(), Item: item("Migration", keys.migration(m.id), { at: clock.now().toISOString(), result }) }));
  console.log(`  ✓ ${m.id}`);
}
process.exit(0);
