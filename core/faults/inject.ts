/**
 * Fault injection for reliability tests, behind an environment flag that is never set by default:
 *
 *   WANGGE_FAULTS="dynamodb:0.05,sqs:0.05,s3:0.05"
 *
 * makes that share of the AWS SDK calls of each service fail with a throttling or 5xx error, as
 * the service itself would. The error is raised inside the SDK's retry loop (deserialize step,
 * below the retry middleware), so the client's own retries kick in exactly as with a real
 * throttle; only when every attempt failed does the error reach application code. The faulted
 * request is never sent: it models a refused request.
 *
 *   WANGGE_FAULTS="dynamodb-lost:0.02,sqs-lost:0.02,s3-lost:0.02"
 *
 * models the other failure that really happens: the request reaches the service and is APPLIED,
 * then the answer is lost (a timeout or a reset connection; the caller sees a network error) and
 * the SDK sends the very same request again. A transaction is safe under it only through its
 * `ClientRequestToken` (kept across the SDK's attempts, idempotent for 10 minutes), a conditional
 * write only when its retry is recognised as "already done".
 *
 * Every draw comes from one seeded generator (`WANGGE_FAULTS_SEED`, printed by the load test;
 * without it a seed is chosen and reported by `faultSeed()`), and every fault is counted by kind
 * and operation in `injectedFaults`. Tests can also arm exact faults (`armFaults`).
 *
 * The flag is read when a client is created (`installFaults` is called by `db()`), so a process sets
 * it before its first AWS call and keeps it for the clients' lifetime; the calls made without an SDK
 * client (SQS in core/sqs.ts, S3 objects in core/s3-object.ts) ask `faultDecision` on every attempt.
 */

export type FaultService = "dynamodb" | "sqs" | "s3";
/** `dynamodb`: refused before it is sent (throttling/5xx); `dynamodb-lost`: applied, then the answer is lost. */
export type FaultKind = FaultService | `${FaultService}-lost`;
const KIND_NAMES: FaultKind[] = ["dynamodb", "sqs", "s3", "dynamodb-lost", "sqs-lost", "s3-lost"];

export const FAULTS_ENV = "WANGGE_FAULTS";
export const SEED_ENV = "WANGGE_FAULTS_SEED";

/** How many faults were injected, by `kind:operation` (`dynamodb:Query`, `dynamodb-lost:TransactWriteItems`). */
export const injectedFaults = new Map<string, number>();

/** Parse `dynamodb:0.05,sqs-lost:0.02` into rates; unknown kinds and bad rates are an error (a typo must not silently test nothing). */
export function parseFaults(spec: string | undefined): Partial<Record<FaultKind, number>> {
  const out: Partial<Record<FaultKind, number>> = {};
  for (const part of (spec ?? "").split(",").map((s) => s.trim()).filter(Boolean)) {
    const [name, rateText] = part.split(":").map((s) => s.trim());
    const rate = Number(rateText);
    if (!(KIND_NAMES as string[]).includes(name)) throw new Error(`${FAULTS_ENV}: unknown service "${name}" (${KIND_NAMES.join(", ")})`);
    if (!rateText || !Number.isFinite(rate) || rate < 0 || rate > 1) throw new Error(`${FAULTS_ENV}: rate of ${name} must be a number in [0, 1], got "${rateText}"`);
    out[name as FaultKind] = rate;
  }
  return out;
}

/** mulberry32: a small seeded generator, so a run's fault draws can be replayed from its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let seed: number | undefined;
let generator: (() => number) | undefined;

/** The seed of this process's fault draws: `WANGGE_FAULTS_SEED`, else one chosen now (and kept). */
export function faultSeed(env: Record<string, string | undefined> = process.env): number {
  if (seed === undefined) {
    const text = env[SEED_ENV]?.trim();
    if (text && !/^\d{1,10}$/.test(text)) throw new Error(`${SEED_ENV} must be an unsigned integer, got "${text}"`);
    seed = text ? Number(text) >>> 0 : Math.floor(Math.random() * 2 ** 32) >>> 0;
  }
  return seed;
}

/** Start the draws again from `s` (the load test, at the start of a run). */
export function reseedFaults(s: number): void {
  seed = s >>> 0;
  generator = seededRandom(seed);
}

/** One draw of the seeded generator (SDK faults and consumer crashes share it). */
export function faultDraw(): number {
  generator ??= seededRandom(faultSeed());
  return generator();
}

/**
 * How the answer of an applied request is lost: the socket timed out (`TimeoutError`/`ETIMEDOUT`),
 * the connection was reset (`ECONNRESET`), or the front end answered `500` after the write. The
 * random draws pick one of them; a test arms the one it is about (`armFaults(…, { lost })`).
 */
export const LOST_KINDS = ["timeout", "reset", "500"] as const;
export type LostKind = (typeof LOST_KINDS)[number];

/** Faults a test asks for exactly: the next `count` calls of `operation` (any when omitted) to `service` fail that way. */
interface Armed {
  kind: FaultKind;
  operation?: string;
  /** only requests whose serialized body this accepts (e.g. those naming one case) */
  match?: (body: string) => boolean;
  /** a `-lost` kind: how the answer is lost (drawn when omitted) */
  lost?: LostKind;
  count: number;
}
const armed: Armed[] = [];

export interface ArmOptions {
  operation?: string;
  match?: (body: string) => boolean;
  count?: number;
  /** only with a `-lost` kind: lose every armed answer this way instead of drawing the way */
  lost?: LostKind;
}

/**
 * Arm exact faults (tests): e.g. lose the answer of the next TransactWriteItems once, by a reset
 * connection: `armFaults("dynamodb-lost", { operation: "TransactWriteItems", lost: "reset" })`.
 * Needs WANGGE_FAULTS set (any value) when the client is created. Arming draws nothing from the
 * seeded generator when `lost` is given, so it leaves the sequence of the random draws as it was.
 */
export function armFaults(kind: FaultKind, opts: ArmOptions = {}): void {
  if (opts.lost !== undefined && !kind.endsWith("-lost")) throw new Error(`armFaults: \`lost\` is for a -lost kind, not ${kind}`);
  if (opts.lost !== undefined && !(LOST_KINDS as readonly string[]).includes(opts.lost)) throw new Error(`armFaults: unknown lost kind "${opts.lost}" (${LOST_KINDS.join(", ")})`);
  armed.push({ kind, operation: opts.operation, match: opts.match, lost: opts.lost, count: opts.count ?? 1 });
}

export function disarmFaults(): number {
  const left = armed.reduce((n, a) => n + a.count, 0);
  armed.length = 0;
  return left;
}

function takeArmed(service: FaultService, operation: string, body: unknown): { kind: FaultKind; lost?: LostKind } | undefined {
  if (!armed.length) return undefined;
  const text = typeof body === "string" ? body : body instanceof Uint8Array ? new TextDecoder().decode(body) : "";
  const a = armed.find((x) => x.kind.split("-")[0] === service && (!x.operation || x.operation === operation) && (!x.match || x.match(text)) && x.count > 0);
  if (!a) return undefined;
  a.count--;
  if (a.count === 0) armed.splice(armed.indexOf(a), 1);
  return { kind: a.kind, lost: a.lost };
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

/**
 * What a caller sees when the answer of an applied request is lost: the socket timed out or was
 * reset (the SDK retries both as transient), or the front end answered 500 after the write.
 */
const LOST: Record<LostKind, { name: string; code?: string; status?: number }> = {
  timeout: { name: "TimeoutError", code: "ETIMEDOUT" },
  reset: { name: "Error", code: "ECONNRESET" },
  "500": { name: "InternalServerError", status: 500 },
};

/** The error of a lost answer: of the given kind, or one drawn (in {@link LOST_KINDS} order, as the seeded runs always drew). */
export function lostAnswerError(service: FaultService, operation: string, random: () => number = faultDraw, lost?: LostKind): Error {
  const kind = LOST[lost ?? LOST_KINDS[Math.floor(random() * LOST_KINDS.length)]];
  const err = new Error(`Injected lost answer (${FAULTS_ENV}): ${service}:${operation} was applied, then ${kind.code ?? kind.status}`) as Error & Record<string, unknown>;
  err.name = kind.name;
  if (kind.code) err.code = kind.code;
  if (kind.status) {
    err.$fault = "server";
    err.$metadata = { httpStatusCode: kind.status, requestId: "injected-lost-answer" };
  }
  err.$injected = true;
  return err;
}

/** An error shaped like the SDK's ServiceException for that answer. */
export function faultError(service: FaultService, operation: string, random: () => number = faultDraw): Error {
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

const count = (key: string) => injectedFaults.set(key, (injectedFaults.get(key) ?? 0) + 1);

/**
 * Install the fault middleware on a client when WANGGE_FAULTS is set (rates of its service, and
 * what a test arms). Returns the refusal rate installed for the service (0 when none).
 */
export function installFaults(client: Stackable, service: FaultService, env: Record<string, string | undefined> = process.env, random: () => number = faultDraw): number {
  if (env[FAULTS_ENV] === undefined) return 0;
  const rates = parseFaults(env[FAULTS_ENV]);
  const rate = rates[service] ?? 0;
  const lostRate = rates[`${service}-lost`] ?? 0;
  client.middlewareStack.add(
    (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
      const operation = (context.commandName ?? "unknown").replace(/Command$/, "");
      const exact = takeArmed(service, operation, (args as { request?: { body?: unknown } }).request?.body);
      if (exact?.kind === service || (!exact && rate > 0 && random() < rate)) {
        count(`${service}:${operation}`);
        throw faultError(service, operation, random);
      }
      if (exact || (lostRate > 0 && random() < lostRate)) {
        const out = await next(args); // sent, applied, answered ...
        void out;
        count(`${service}-lost:${operation}`);
        throw lostAnswerError(service, operation, random, exact?.lost); // ... and the answer never arrives
      }
      return next(args);
    },
    // below the retry middleware (finalizeRequest): every attempt passes through here
    { step: "deserialize", priority: "high", name: "wanggeFaultInjection" },
  );
  return rate;
}

/**
 * The same faults for an AWS call made without an SDK client (core/s3-object.ts sends its few S3
 * calls with fetch): what the middleware above would do to this attempt. `refuse`: fail it before
 * it is sent; `lost`: send it, then throw the lost answer (true: the way is drawn). Counted alike.
 */
export function faultDecision(service: FaultService, operation: string, body?: unknown, env: Record<string, string | undefined> = process.env, random: () => number = faultDraw): { refuse?: true; lost?: LostKind | true } | undefined {
  if (env[FAULTS_ENV] === undefined) return undefined;
  const rates = parseFaults(env[FAULTS_ENV]);
  const rate = rates[service] ?? 0;
  const lostRate = rates[`${service}-lost`] ?? 0;
  const exact = takeArmed(service, operation, body);
  if (exact?.kind === service || (!exact && rate > 0 && random() < rate)) {
    count(`${service}:${operation}`);
    return { refuse: true };
  }
  if (exact || (lostRate > 0 && random() < lostRate)) {
    count(`${service}-lost:${operation}`);
    return { lost: exact?.lost ?? true };
  }
  return undefined;
}

export function injectedTotal(prefix = ""): number {
  let n = 0;
  for (const [k, v] of injectedFaults) if (k.startsWith(prefix)) n += v;
  return n;
}
