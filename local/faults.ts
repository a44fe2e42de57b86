import { FAULTS_ENV, faultDraw, faultSeed, injectedFaults, parseFaults } from "../core/faults/inject.ts";
import { batchCrash } from "../functions/sqs.ts";

/**
 * Faults for the embedded stack, for reliability tests and `npm run loadtest`. Never on by default.
 *
 * - `WANGGE_FAULTS="dynamodb:0.05,sqs:0.05,s3:0.05"`: SDK calls fail with throttling/5xx errors
 *   (core/faults/inject.ts; installed by `db()` when it creates its client, asked per attempt by core/sqs.ts and core/s3-object.ts, so
 *   set it before the stack's first AWS call).
 * - `WANGGE_FAULTS_CRASH_CONSUMER=0.05`: that share of SQS consumer invocations crash mid-batch:
 *   the records before a random point are processed (their side effects happen), then the
 *   invocation throws, as a Lambda that dies half-way through its batch. The poller then treats
 *   the whole batch as failed and every record comes back after the visibility timeout, the
 *   processed ones included, so consumers must be idempotent.
 *
 * The crash works through functions/sqs.ts's `batchCrash` hook, on the record-by-record consumers
 * (`sqsConsumer`) and the whole-batch ones (`sqsBatchConsumer`: events and timeouts), in this process only: it
 * applies to stacks started in-process (local/loadtest.ts, test/reliability), not to a stack
 * running elsewhere.
 */
export const CRASH_ENV = "WANGGE_FAULTS_CRASH_CONSUMER";

export const consumerCrashes = { invocations: 0, crashed: 0, recordsBeforeCrash: 0 };

let installedRate = 0;

export function parseCrashRate(value: string | undefined): number {
  if (value === undefined || value.trim() === "") return 0;
  const rate = Number(value);
  if (!Number.isFinite(rate) || rate < 0 || rate > 1) throw new Error(`${CRASH_ENV} must be a number in [0, 1], got "${value}"`);
  return rate;
}

/** Make `rate` of consumer invocations crash mid-batch (0 restores normal processing). */
export function installConsumerCrashes(rate: number, random: () => number = faultDraw): void {
  installedRate = rate;
  if (rate <= 0) {
    batchCrash.at = undefined;
    return;
  }
  // every consumer of functions/sqs.ts asks it once per invocation
  batchCrash.at = (records) => {
    consumerCrashes.invocations++;
    if (random() >= installedRate) return undefined;
    const at = Math.floor(random() * records);
    consumerCrashes.crashed++;
    consumerCrashes.recordsBeforeCrash += at;
    return at;
  };
}

/** Read both flags from the environment; call before the stack makes its first AWS call. */
export function installFaultsFromEnv(env: Record<string, string | undefined> = process.env): { sdk: ReturnType<typeof parseFaults>; crashConsumer: number; seed: number } {
  const sdk = parseFaults(env[FAULTS_ENV]); // validate early: a typo fails here, not at the first call
  const crashConsumer = parseCrashRate(env[CRASH_ENV]);
  installConsumerCrashes(crashConsumer);
  return { sdk, crashConsumer, seed: faultSeed(env) };
}

/** What was injected so far: SDK faults by kind (`dynamodb`, `dynamodb-lost`, ...) and consumer crashes. */
export function faultSummary(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of injectedFaults) {
    const service = k.split(":")[0];
    out[service] = (out[service] ?? 0) + v;
  }
  out.consumerCrashes = consumerCrashes.crashed;
  out.consumerInvocations = consumerCrashes.invocations;
  return out;
}
