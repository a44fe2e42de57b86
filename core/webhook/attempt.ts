import { clock } from "../clock.ts";
import { logger } from "../log.ts";
import { getDelivery, getWebhook, queueAndMark, updatePendingDelivery } from "./repo.ts";
import { afterAttempt, backoffBase } from "./retry.ts";
import { deliveryHeaders } from "./sign.ts";
import { urlProblem } from "./url.ts";
import { postJson } from "./post.ts";
import type { Attempt, Delivery, DeliveryMessage, DeliveryStatus } from "./schema.ts";

const HISTORY = 20;

/**
 * The webhooks queue consumer's work for one message `{deliveryId, attempt}`:
 * - the delivery is done (succeeded/failed/skipped) or the message is stale → nothing;
 * - the message is for the attempt just recorded and its retry was never queued → queue it;
 * - otherwise POST once, record the attempt (conditional on nobody else having recorded it), and
 *   on failure queue the next attempt with backoff, or mark the delivery `failed` after MAX_ATTEMPTS.
 * Storage and queue errors are thrown (the message comes back); receiver errors are recorded, not thrown.
 */
export async function attemptDelivery(msg: DeliveryMessage): Promise<void> {
  const rec = await getDelivery(msg.deliveryId, true);
  if (!rec) {
    logger.warn("webhook delivery not found", { deliveryId: msg.deliveryId });
    return;
  }
  if (rec.status !== "pending") return;
  if (msg.attempt !== rec.attempts) {
    const retryLost = msg.attempt === rec.attempts - 1 && rec.attempts > rec.roundStart && (rec.queuedAttempt ?? -1) < rec.attempts;
    if (retryLost) {
      const wait = rec.nextAttemptAt ? Math.ceil((Date.parse(rec.nextAttemptAt) - clock.now().getTime()) / 1000) : 0;
      await queueAndMark(rec.id, rec.attempts, Math.max(0, wait));
    }
    return;
  }

  const sub = await getWebhook(rec.subscriptionId, true);
  const refused = sub ? urlProblem(sub.url, process.env.WANGGE_STAGE === "local") : undefined;
  if (!sub || !sub.active || refused) {
    await finish(rec, "skipped", !sub ? "subscription deleted" : !sub.active ? "subscription inactive" : `url refused: ${refused}`);
    return;
  }

  const body = JSON.stringify(rec.payload);
  const sentAt = clock.now();
  const headers = deliveryHeaders({ secret: sub.secret, body, eventType: rec.eventType, deliveryId: rec.id, attempt: rec.attempts + 1, now: sentAt });
  const result = await postJson(sub.url, body, headers, { allowLoopback: process.env.WANGGE_STAGE === "local" });

  const n = rec.attempts + 1;
  const attempt: Attempt = { n, at: sentAt.toISOString(), statusCode: result.statusCode, error: result.error, durationMs: result.durationMs, response: result.ok ? undefined : result.response };
  const outcome = afterAttempt(result.ok, n - rec.roundStart, backoffBase());
  const now = clock.now();
  const nextAttemptAt = outcome.retryInSeconds !== undefined ? new Date(now.getTime() + outcome.retryInSeconds * 1000).toISOString() : undefined;
  const recorded = await record(rec, attempt, outcome.status, now, nextAttemptAt);
  if (!recorded) return;
  if (outcome.status === "pending") await queueAndMark(rec.id, n, outcome.retryInSeconds);
  else if (outcome.status === "failed") logger.warn("webhook delivery failed", { deliveryId: rec.id, attempts: n, error: result.error });
}

const clean = (a: Attempt): Attempt => Object.fromEntries(Object.entries(a).filter(([, v]) => v !== undefined)) as Attempt;

/** Record attempt n; false when another pass recorded it first (the condition on attempts/status). */
async function record(rec: Delivery, a: Attempt, status: DeliveryStatus, now: Date, nextAttemptAt: string | undefined): Promise<boolean> {
  const done = status !== "pending";
  const sets = ["#s = :status", "attempts = :n", "lastAttempt = :a", "history = :h", "updatedAt = :at", "#v = #v + :one"];
  const values: Record<string, unknown> = {
    ":status": status,
    ":n": a.n,
    ":k": rec.attempts,
    ":pending": "pending",
    ":a": clean(a),
    ":h": [...rec.history, clean(a)].slice(-HISTORY),
    ":at": now.toISOString(),
    ":one": 1,
  };
  if (nextAttemptAt) {
    sets.push("nextAttemptAt = :next");
    values[":next"] = nextAttemptAt;
  }
  if (done) {
    sets.push("completedAt = :at");
  }
  return updatePendingDelivery(rec.id, `SET ${sets.join(", ")}${nextAttemptAt ? "" : " REMOVE nextAttemptAt"}`, values);
}

async function finish(rec: Delivery, status: "skipped", reason: string): Promise<void> {
  await updatePendingDelivery(rec.id, "SET #s = :status, lastError = :e, completedAt = :at, updatedAt = :at, #v = #v + :one REMOVE nextAttemptAt", {
    ":status": status,
    ":e": reason,
    ":k": rec.attempts,
    ":pending": "pending",
    ":at": clock.now().toISOString(),
    ":one": 1,
  });
}

