import { createHmac, timingSafeEqual } from "node:crypto";

/** `sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`: the `x-wangge-signature` header. */
export function signature(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

/** The headers of one delivery attempt (timestamp in unix seconds). */
export function deliveryHeaders(o: { secret: string; body: string; eventType: string; deliveryId: string; attempt: number; now: Date }): Record<string, string> {
  const timestamp = Math.floor(o.now.getTime() / 1000);
  return {
    "content-type": "application/json",
    "user-agent": "wangge-webhooks/1",
    "x-wangge-event": o.eventType,
    "x-wangge-delivery": o.deliveryId,
    "x-wangge-attempt": String(o.attempt),
    "x-wangge-timestamp": String(timestamp),
    "x-wangge-signature": signature(o.secret, timestamp, o.body),
  };
}

/**
 * The receiver's check (documented in docs/async.md): the signature matches the raw body and the
 * timestamp is within `toleranceSeconds` of the receiver's clock (so a captured request cannot be replayed later).
 */
export function verifySignature(o: { secret: string; body: string; timestamp: string; signature: string; nowSeconds: number; toleranceSeconds?: number }): boolean {
  const ts = Number(o.timestamp);
  if (!/^\d{1,12}$/.test(o.timestamp) || Math.abs(o.nowSeconds - ts) > (o.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(signature(o.secret, ts, o.body));
  const given = Buffer.from(o.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
