/** Attempts per round (the first try and 5 retries); then the delivery is `failed` until redelivered by hand. */
export const MAX_ATTEMPTS = 6;
/** SQS caps DelaySeconds at 15 minutes. */
export const MAX_DELAY_SECONDS = 900;
export const DEFAULT_BACKOFF_BASE_SECONDS = 5;

/** Delay before the retry that follows failed attempt `n` of a round (0-based): min(900, 2^n × base). */
export function backoffSeconds(n: number, base: number): number {
  return Math.min(MAX_DELAY_SECONDS, Math.max(0, Math.round(2 ** n * base)));
}

/**
 * The backoff base in seconds: `WANGGE_WEBHOOK_BACKOFF_BASE_SECONDS` (0–900) or 5. Read at every
 * call (not at import), so a process can change it at run time (tests use 0 or 1).
 */
export function backoffBase(env: Record<string, string | undefined> = process.env): number {
  const raw = env.WANGGE_WEBHOOK_BACKOFF_BASE_SECONDS;
  const v = raw === undefined || raw === "" ? NaN : Number(raw);
  return Number.isFinite(v) && v >= 0 ? Math.min(v, MAX_DELAY_SECONDS) : DEFAULT_BACKOFF_BASE_SECONDS;
}

export type Outcome = { status: "succeeded" | "failed" | "pending"; retryInSeconds?: number };

/**
 * What follows an attempt: success ends the delivery; a failure is retried with backoff until the
 * round has had MAX_ATTEMPTS, then the delivery is dead (`failed`). `inRound` = attempts made in
 * this round including this one (1-based).
 */
export function afterAttempt(ok: boolean, inRound: number, base: number): Outcome {
  if (ok) return { status: "succeeded" };
  if (inRound >= MAX_ATTEMPTS) return { status: "failed" };
  return { status: "pending", retryInSeconds: backoffSeconds(inRound - 1, base) };
}
