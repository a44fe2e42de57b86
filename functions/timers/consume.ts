import { DeleteCommand } from "@aws-sdk/lib-dynamodb";
import * as z from "zod/mini";
import { clock } from "../../core/clock.ts";
import { db, tableName } from "../../core/db/client.ts";
import { keys } from "../../core/db/keys.ts";
import { logger } from "../../core/log.ts";
import { getCase } from "../../core/case/repo.ts";
import { systemAct } from "../../core/case/service.ts";
import { sqsConsumer } from "../sqs.ts";

const Message = z.object({ caseId: z.string(), stage: z.string(), dueAt: z.string(), version: z.optional(z.number()) });

/**
 * Applies a timeout through the same decide + conditional write as any action. A timer fired
 * twice, late, or after the case moved on changes nothing: the case's current timer no longer
 * matches, so the message is acknowledged and any leftover row of that stale timer is removed.
 */
export const handler = sqsConsumer("timeouts", async (body) => {
  const m = Message.parse(body);
  const c = await getCase(m.caseId);
  if (!c || !c.timer || c.timer.stage !== m.stage || c.timer.dueAt !== m.dueAt) {
    await db()
      .send(new DeleteCommand({ TableName: tableName(), Key: keys.caseTimer(m.caseId), ConditionExpression: "dueAt = :d AND stage = :s", ExpressionAttributeValues: { ":d": m.dueAt, ":s": m.stage } }))
      .catch(() => undefined);
    return;
  }
  const result = await systemAct(m.caseId, { action: "timeout", stage: m.stage, dueAt: m.dueAt }, clock.now());
  if (!result.applied) logger.info("timeout not applied", { caseId: m.caseId, stage: m.stage, reason: result.reason });
});
