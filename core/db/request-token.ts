import { createHash } from "node:crypto";

/**
 * The `ClientRequestToken` of a TransactWriteItems: a hash of its items. The SDK sends one
 * serialized request for all its attempts, so a retry after an answer that was lost (timeout,
 * reset connection, a 500 after the write) carries the same token, and DynamoDB answers it as
 * the success it already was for 10 minutes instead of failing its conditions (a confusing 409
 * for the caller whose write went through). Derived from the content rather than random so that
 * the same transaction sent again by our own code is recognised too, while two different
 * transactions never share a token (that would be an IdempotentParameterMismatch, not a conflict).
 * A token is 1–36 characters.
 */
export function requestToken(items: unknown[]): string {
  return createHash("sha256").update(JSON.stringify(items)).digest("base64url").slice(0, 36);
}

/** DynamoDB's answer while a transaction with the same token is still being applied: retry later. */
export const isTransactionInProgress = (e: unknown): boolean => (e as { name?: string })?.name === "TransactionInProgressException";
