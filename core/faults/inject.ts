/**
 * Fault injection for reliability tests, behind an environment flag that is never set by default:
 *
 *   WANGGE_FAULTS="dynamodb:0.05,sqs:0.05,s3:0.05"
 *
 * makes that share of the AWS SDK calls of each service fail with a throttling or 5xx error, as
 * the service itself would. The error is raised inside the SDK's retry loop (deserialize step,
 * below the retry middleware), so the client's own retries kick in exactly as with a real
 * throttle; only when every attempt failed does the error reach application code. The faulted
 * request is never sent: it models a refused request, not one applied whose answer was lost.
 *
 * The flag is read when a client is created (`installFaults` is called by `db()`, `sqs()`, `s3()`),
 * so a process sets it before its first AWS call and keeps it for the clients' lifetime.
 */

export type FaultService = "dynamodb" | "sqs" | "s3";

export const FAULTS_ENV = "WANGGE_FAULTS";

/** How many faults were injected, by `service:operation` (tests and the load test report them). */
export const injectedFaults = new Map<string, number>();

/** Parse `dynamodb:0.05,sqs:0.05` into rates; unknown services and bad rates are an error (a typo must not silently test nothing). */
export function parseFaults(spec: string | undefined): Partial<Record<FaultService, number>> {
  const out: Partial<Record<FaultService, number>> = {};
  for (const part of (spec ?? "").split(",").map((s) => s.trim()).filter(Boolean)) {
    const [name, rateText] = part.split(":").map((s) => s.trim());
    const rate = Number(rateText);
    if (name !== "dynamodb" && name !== "sqs" && name !== "s3") throw new Error(`${FAULTS_ENV}: unknown service "${name}" (dynamodb, sqs, s3)`);
    if (!rateText || !Number.isFinite(rate) || rate < 0 || rate > 1) throw new Error(`${FAULTS_ENV}: rate of ${name} must be a number in [0, 1], got "${rateText}"`);
    out[name] = rate;
  }
  return out;
}

/** The errors each service answers when it refuses a request: throttling (retried with a longer backoff) or a 5xx. */
const KINDS: Record<FaultService, Array<{ name: string; status: number; throttling: boolean }>> = {
  dynamodb: [
    { name: "ThrottlingException", status: 400, throttling: true },
    { name: "ProvisionedThroughputExceededException", status: 400, throttling: true },
    { name: "InternalServerError", status: 500, throttling: false },
  ],
  sqs: [
    { name: "RequestThrottled", status: 403, throttling: true },
    { name: "InternalError", status: 500, throttling: false },
    { name: "ServiceUnavailable", status: 503, throttling: false },
  ],
  s3: [
    { name: "SlowDown", status: 503, throttling: true },
    { name: "InternalError", status: 500, throttling: false },
  ],
};

/** An error shaped like the SDK's ServiceException for that answer. */
export function faultError(service: FaultService, operation: string, random: () => number = Math.random): Error {
  const kinds = KINDS[service];
  const kind = kinds[Math.floor(random() * kinds.length)];
  const err = new Error(`Injected fault (${FAULTS_ENV}): ${kind.name} on ${service}:${operation}`) as Error & Record<string, unknown>;
  err.name = kind.name;
  err.$fault = kind.status >= 500 ? "server" : "client";
  err.$metadata = { httpStatusCode: kind.status, requestId: "injected-fault" };
  err.$retryable = kind.throttling ? { throttling: true } : {};
  err.$injected = true;
  return err;
}

type Stackable = { middlewareStack: { add: (mw: any, opts: any) => void } };

/**
 * Install the fault middleware on a client when WANGGE_FAULTS names its service with a rate > 0.
 * Returns the rate installed (0: nothing installed).
 */
export function installFaults(client: Stackable, service: FaultService, env: Record<string, string | undefined> = process.env, random: () => number = Math.random): number {
  const rate = parseFaults(env[FAULTS_ENV])[service] ?? 0;
  if (rate <= 0) return 0;
  client.middlewareStack.add(
    (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
      if (random() < rate) {
        const operation = (context.commandName ?? "unknown").replace(/Command$/, "");
        const key = `${service}:${operation}`;
        injectedFaults.set(key, (injectedFaults.get(key) ?? 0) + 1);
        throw faultError(service, operation, random);
      }
      return next(args);
    },
    // below the retry middleware (finalizeRequest): every attempt passes through here
    { step: "deserialize", priority: "high", name: "wanggeFaultInjection" },
  );
  return rate;
}

export function injectedTotal(prefix = ""): number {
  let n = 0;
  for (const [k, v] of injectedFaults) if (k.startsWith(prefix)) n += v;
  return n;
}
