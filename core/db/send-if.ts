import type { PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { db } from "./client.ts";
import { isConditionFailure } from "./errors.ts";

/** A conditional write: true when made, false when its condition refused it (any other error is thrown). */
export async function sendIf(command: PutCommand | UpdateCommand): Promise<boolean> {
  try {
    await db().send(command as any);
    return true;
  } catch (err) {
    if (isConditionFailure(err)) return false;
    throw err;
  }
}
