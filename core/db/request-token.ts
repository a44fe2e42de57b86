import { createHash } from "node:crypto";

/**
 * The `ClientRequestToken` of a TransactWriteItems: a hash of its items and of a `salt` drawn once
 * per call. The SDK sends one serialized request for all its attempts, so a retry after an answer
 * that was lost (timeout, reset connection, a 500 after the write) carries the same token, and
 * DynamoDB answers it as the success it already was for 10 minutes instead of failing its
 * conditions (a confusing 409 for the caller whose write went through).
 *
 * The salt keeps two *requests* apart whose transactions happen to be identical: 20 concurrent
 * claims of one case by one user in the same millisecond build the same items, and a token of the
 * content alone made DynamoDB answer four of them as "already applied" (200) where exactly one may
 * win and the others must get 409 (functions/cases/loop.test.ts). A repeated request is recognised
 * by its Idempotency-Key record instead, which is part of the transaction. A token is 1–36 characters.
 */
export function requestToken(items: unknown[], salt = ""): string {
  return createHash("sha256").update(salt).update(JSON.stringify(items)).digest("base64url").slice(0, 36);
}

/** DynamoDB's answer while a transaction with the same token is still being applied: retry later. */
export const isTransactionInProgress = (e: unknown): boolean => (e as { name?: string })?.name === "TransactionInProgressException";
