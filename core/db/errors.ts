import { ConflictError, UnavailableError } from "../errors.ts";

const THROTTLES = new Set([
  "ProvisionedThroughputExceededException",
  "ThrottlingException",
  "RequestLimitExceeded",
  "InternalServerError",
  "ServiceUnavailable",
]);

/** True when a DynamoDB error is a failed condition (alone or inside a cancelled transaction). */
export function isConditionFailure(err: unknown): boolean {
  const e = err as { name?: string; CancellationReasons?: Array<{ Code?: string }> };
  if (e?.name === "ConditionalCheckFailedException") return true;
  if (e?.name === "TransactionCanceledException") {
    return (e.CancellationReasons ?? []).some((r) => r.Code === "ConditionalCheckFailed");
  }
  return false;
}

/** Which transaction items failed their condition (indexes), for precise error messages. */
export function failedConditionIndexes(err: unknown): number[] {
  const e = err as { CancellationReasons?: Array<{ Code?: string }> };
  return (e.CancellationReasons ?? []).flatMap((r, i) => (r.Code === "ConditionalCheckFailed" ? [i] : []));
}

/** Map storage errors to visible ones: conditions → 409, throttling after retries → 503. */
export function mapStorageError(err: unknown, conflictMessage = "The record was changed by someone else; reload and retry"): never {
  if (isConditionFailure(err)) throw new ConflictError(conflictMessage);
  const name = (err as { name?: string })?.name ?? "";
  if (THROTTLES.has(name) || (err as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode === 503) {
    throw new UnavailableError();
  }
  if (name === "TransactionCanceledException") throw new UnavailableError(1, "Concurrent update in progress, retry");
  throw err;
}
