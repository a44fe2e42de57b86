/**
 * Send dead-lettered messages back to their source queue for processing (the operations view's
 * "redrive"). Works the same on fauxqs and in AWS: receive a batch from the DLQ, send each message
 * with its body and attributes to the source queue, then delete from the DLQ only what was sent.
 * A crash between send and delete leaves the message in both (delivered twice): every consumer is
 * idempotent under duplicate deliveries, so at-least-once is safe; nothing is ever lost.
 * (SQS StartMessageMoveTask does the same asynchronously in AWS but is not available on fauxqs,
 * and its progress cannot be reported in the same request.)
 */
import type { MessageAttributeValue } from "@aws-sdk/client-sqs";
import * as z from "zod/mini";
import { sqsSend } from "../sqs.ts";
import { actorOf, auditPut } from "../audit/entry.ts";
import { putAuditRow } from "../audit/repo-row.ts";
import { requireCountyWide } from "../settings/scope.ts";
import { ConflictError, NotFoundError } from "../errors.ts";
import type { Principal } from "../auth/principal.ts";
import { parse } from "../validate.ts";
import { dlqEnvName, queueEnvName, queues } from "../../functions/queues.ts";
import { republishedAttribute } from "../aggregate/seen.ts";

export const RedriveInput = z.strictObject({
    /** at most this many messages in this request (the rest stay in the DLQ for the next one) */
    max: z._default(z.number().check(z.int(), z.gte(1), z.lte(1000)), 100),
  });

export interface RedriveResult {
  queue: string;
  moved: number;
  /** messages still visible in the DLQ after this request (approximate, as SQS reports it) */
  remaining: boolean;
}

/** `POST /v1/ops/queues/{queue}/redrive`: county-wide ops:redrive; audited (queue, count). */
export async function redrive(p: Principal, queue: string, input: unknown, now: Date): Promise<RedriveResult> {
  requireCountyWide(p, "ops:redrive");
  const { max } = parse(RedriveInput, input ?? {}, "redrive");
  if (!queues.some((q) => q.name === queue)) throw new NotFoundError(`No queue named ${queue}`);
  const source = process.env[queueEnvName(queue)];
  const dlq = process.env[dlqEnvName(queue)];
  if (!source || !dlq) throw new ConflictError(`Queue ${queue} has no dead-letter queue configured here`, { reason: "no_dlq" });

  let moved = 0;
  let remaining = true;
  while (moved < max) {
    const got = await sqsSend("ReceiveMessage", {
      QueueUrl: dlq,
      MaxNumberOfMessages: Math.min(10, max - moved),
      // long enough to send and delete; a failure in between makes them visible again soon
      VisibilityTimeout: 30,
      WaitTimeSeconds: 0,
      MessageAttributeNames: ["All"],
    });
    const messages = got.Messages ?? [];
    if (!messages.length) {
      remaining = false;
      break;
    }
    const sent = await sqsSend("SendMessageBatch", {
      QueueUrl: source,
      Entries: messages.map((m, i) => ({
        Id: String(i),
        MessageBody: m.Body ?? "",
        // stamped "republished": a copy that may have been handled before (the events consumer then
        // also checks the processed mark of before #16: core/aggregate/seen.ts; other consumers ignore it)
        MessageAttributes: { ...((m.MessageAttributes ?? {}) as Record<string, MessageAttributeValue>), ...republishedAttribute("redrive") },
      })),
    });
    const ok = (sent.Successful ?? []).map((s) => messages[Number(s.Id)]);
    if (ok.length) {
      await sqsSend("DeleteMessageBatch", { QueueUrl: dlq, Entries: ok.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) });
    }
    moved += ok.length;
    // a send that failed leaves the message in the DLQ (visible again after 30 s): stop, report what moved
    if (ok.length < messages.length) break;
  }

  await putAuditRow(
    auditPut({ actor: actorOf(p), action: "ops.redrive", entity: "queue", entityId: queue, summary: `sent ${moved} dead-lettered message(s) back to ${queue}` }, now),
  );
  return { queue, moved, remaining };
}
