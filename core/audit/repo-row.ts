import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { db } from "../db/client.ts";
import type { auditPut } from "./entry.ts";

/** Write one audit row on its own (a read that is audited, a refusal, an operation with nothing else to change). */
export async function putAuditRow(row: ReturnType<typeof auditPut>): Promise<void> {
  await db().send(new PutCommand(row.Put));
}
