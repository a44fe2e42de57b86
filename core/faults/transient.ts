/**
 * An AWS service that still refuses after the SDK's own retries (throttling, 5xx) or cannot be
 * reached at all: the caller should retry later (503 + Retry-After). This is not a bug (500).
 * Used by the HTTP wrapper (functions/http.ts `errorResponse`).
 */
export function isUnavailable(err: unknown): boolean {
  const e = err as { name?: string; code?: string; $retryable?: { throttling?: boolean }; $metadata?: { httpStatusCode?: number } } | undefined;
  if (!e || typeof e !== "object") return false;
  const status = e.$metadata?.httpStatusCode ?? 0;
  if (status >= 500 || status === 429 || e.$retryable?.throttling) return true;
  if (THROTTLED.has(e.name ?? "")) return true;
  return NETWORK.has(e.code ?? "") || e.name === "TimeoutError";
}

const THROTTLED = new Set([
  "ThrottlingException",
  "ProvisionedThroughputExceededException",
  "RequestLimitExceeded",
  "RequestThrottled",
  "SlowDown",
  "TooManyRequestsException",
  "InternalServerError",
  "InternalError",
  "ServiceUnavailable",
]);
const NETWORK = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EAI_AGAIN"]);
