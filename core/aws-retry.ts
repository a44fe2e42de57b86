/*
 * The AWS SDK client's standard retry rules, for the calls we send as signed requests without a
 * client (core/sqs.ts, core/crypto/kms.ts, core/s3-object.ts): 4 attempts; throttling codes and 429
 * wait from a 500 ms base, other 5xx, timeouts and network errors from 100 ms (full jitter, capped
 * at 20 s); anything else is final. The equivalence tests of those modules check the behaviour
 * against the SDK clients.
 */

export const MAX_ATTEMPTS = 4;
const RETRY_STATUS = new Set([429, 500, 502, 503, 504]);
// @smithy/service-error-classification THROTTLING_ERROR_CODES and TRANSIENT_ERROR_CODES
export const THROTTLING = new Set(["BandwidthLimitExceeded", "EC2ThrottledException", "LimitExceededException", "PriorRequestNotComplete", "ProvisionedThroughputExceededException", "RequestLimitExceeded", "RequestThrottled", "RequestThrottledException", "SlowDown", "ThrottledException", "Throttling", "ThrottlingException", "TooManyRequestsException", "TransactionInProgressException"]);
const TRANSIENT = new Set(["TimeoutError", "RequestTimeout", "RequestTimeoutException"]);
export const NETWORK = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EAI_AGAIN", "UND_ERR_SOCKET", "UND_ERR_CONNECT_TIMEOUT"]);

/** An error of one attempt: a service answer (with `$metadata`) or a transport error (with `code`). */
export type AttemptError = Error & { code?: string; $retryable?: { throttling?: boolean }; $metadata?: { httpStatusCode?: number } };

/** Whether the SDK would try again after this error, and from which backoff base. */
export function retryable(e: AttemptError): { throttling: boolean } | undefined {
  if (THROTTLING.has(e.name) || e.$retryable?.throttling) return { throttling: true };
  const status = e.$metadata?.httpStatusCode;
  if (status === 429) return { throttling: true };
  if ((status !== undefined && RETRY_STATUS.has(status)) || TRANSIENT.has(e.name) || NETWORK.has(e.code ?? "")) return { throttling: false };
  return undefined;
}

/** Waits before attempt `attempt` (2, 3, …) after `last` failed; the milliseconds waited. */
export async function backoff(attempt: number, last: AttemptError): Promise<number> {
  const base = retryable(last)?.throttling ? 500 : 100;
  const ms = Math.floor(Math.random() * Math.min(20_000, base * 2 ** (attempt - 2)));
  await new Promise((r) => setTimeout(r, ms));
  return ms;
}

/** A transport failure (core/aws-send.ts) as the SDK names it: `TimeoutError`, `SyntaxError` (an unreadable answer) or `Error`, with the socket's code. */
export function transportError(what: string, e: unknown): AttemptError {
  const { code, cause } = e as { code?: string; cause?: { code?: string } };
  const err: AttemptError = new Error(`${what}: ${(e as Error).message}`);
  err.name = (e as Error).name === "TimeoutError" ? "TimeoutError" : (e as Error).name === "SyntaxError" ? "SyntaxError" : "Error";
  err.code = code ?? cause?.code;
  return err;
}
