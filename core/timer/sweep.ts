import { QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { sqs } from "../aws.ts";
import { db, tableName } from "../db/client.ts";
import { keys } from "../db/keys.ts";
import { SHARDS } from "../outbox/shards.ts";

export interface TimeoutMessage {
  caseId: string;
  stage: string;
  dueAt: string;
  version: number;
}

/** Resend a timer that was swept but is still there (its message was lost or failed) after this long. */
const RESEND_MS = 5 * 60_000;

/**
 * Find due timers on the time-ordered, sharded index (gsi1 `TIMERS#<shard>`, sort key
 * `<dueAt>#<caseId>`) — a Query per shard, never a Scan — and send them to the `timeouts` queue.
 * Each timer is marked as swept so the next run (a minute later) does not send it again while its
 * message is in flight; the consumer's conditional write makes double delivery harmless anyway.
 */
export async function sweepTimers(now: Date, opts: { maxPerShard?: number } = {}): Promise<{ sent: number }> {
  const url = process.env.WANGGE_QUEUE_TIMEOUTS_URL;
  if (!url) throw new Error("WANGGE_QUEUE_TIMEOUTS_URL is not set");
  const nowIso = now.toISOString();
  const resendBefore = new Date(now.getTime() - RESEND_MS).toISOString();
  let sent = 0;
  await Promise.all(
    Array.from({ length: SHARDS }, async (_, shard) => {
      let start: Record<string, unknown> | undefined;
      let count = 0;
      do {
        const out = await db().send(
          new QueryCommand({
            TableName: tableName(),
            IndexName: "gsi1",
            KeyConditionExpression: "gsi1pk = :pk AND gsi1sk <= :now",
            FilterExpression: "attribute_not_exists(sweptAt) OR sweptAt < :resend",
            ExpressionAttributeValues: { ":pk": keys.timerDue(shard, "", "").gsi1pk, ":now": `${nowIso}~`, ":resend": resendBefore },
            ExclusiveStartKey: start,
            Limit: 500,
          }),
        );
        const due = (out.Items ?? []).map((r) => ({ caseId: r.caseId, stage: r.stage, dueAt: r.dueAt, version: r.version }) as TimeoutMessage);
        for (let i = 0; i < due.length; i += 10) {
          const batch = due.slice(i, i + 10);
          const { SendMessageBatchCommand } = await import("@aws-sdk/client-sqs");
          const res = await (await sqs()).send(
            new SendMessageBatchCommand({ QueueUrl: url, Entries: batch.map((m, j) => ({ Id: String(j), MessageBody: JSON.stringify(m) })) }),
          );
          const ok = new Set((res.Successful ?? []).map((s) => Number(s.Id)));
          await Promise.all(
            batch
              .filter((_, j) => ok.has(j))
              .map((m) =>
                db()
                  .send(
                    new UpdateCommand({
                      TableName: tableName(),
                      Key: keys.caseTimer(m.caseId),
                      UpdateExpression: "SET sweptAt = :now",
                      ConditionExpression: "dueAt = :due",
                      ExpressionAttributeValues: { ":now": nowIso, ":due": m.dueAt },
                    }),
                  )
                  .catch(() => undefined), // replaced meanwhile: nothing to mark
              ),
          );
          sent += ok.size;
          count += batch.length;
        }
        start = out.LastEvaluatedKey;
      } while (start && count < (opts.maxPerShard ?? 5000));
    }),
  );
  return { sent };
}
