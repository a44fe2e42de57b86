/**
 * What the stacks deploy that costs money with or without traffic (the `Deployment` of
 * core/ops/cost/model.ts), read from the same definitions the stacks are built from, without
 * loading CDK so that `npm run cost` stays fast. core/ops/cost/deployment.test.ts synthesizes the
 * stacks and checks every figure here against the templates.
 */
import { queues } from "../../../functions/queues.ts";
import { schedules } from "../../../functions/schedules.ts";
import { deployedAreas } from "../../../stacks/areas.ts";
import { functionAlarmScope, registryKeySharedBy, sharedRegistryKey } from "../../../stacks/settings.ts";
import type { Deployment } from "./model.ts";

/** stacks/alarms.ts: errors + throttles of every deployed function. */
export const ALARMS_PER_FUNCTION = 2;
/** stacks/Storage.ts `registryKey` (residents' ID numbers and phones), unless the stack uses a shared one; the queues use SQS-managed encryption. */
export const KMS_KEYS = 1;
/** sst.config.ts `memorySize` of every function (no function sets its own; deployment.test.ts checks the templates). */
export const LAMBDA_MEMORY_MB = 512;
/** stacks/hardening.ts FUNCTION_LOG_RETENTION and the API access log (stacks/Api.ts): six months, the Cybersecurity Law's minimum. */
export const LOG_RETENTION_DAYS = 180;

/**
 * The deployment `sst deploy` would make with these settings (stacks/settings.ts): WANGGE_FUNCTION_ALARMS;
 * WANGGE_REGISTRY_KEY_ARN (no key of its own: the county pays 1/WANGGE_REGISTRY_KEY_SHARED_BY of the shared key).
 */
export function deployment(env: Record<string, string | undefined> = process.env): Deployment & { functions: number; ownKmsKeys: number } {
  const functions = deployedAreas().size + queues.length + schedules.length;
  // errors + throttles for the whole account (WANGGE_FUNCTION_ALARMS=account, the default), or per function (=function);
  // + one alarm on each queue's dead-letter queue (stacks/Queues.ts) + one on the schedules' dead-letter queue (stacks/Jobs.ts)
  const alarms = ALARMS_PER_FUNCTION * (functionAlarmScope(env) === "account" ? 1 : functions) + queues.length + 1;
  const shared = sharedRegistryKey("cost", env) !== undefined;
  const ownKmsKeys = shared ? 0 : KMS_KEYS;
  const kmsKeys = shared ? 1 / registryKeySharedBy(env) : KMS_KEYS;
  return { alarms, functions, kmsKeys, ownKmsKeys, schedules: schedules.map((s) => s.schedule), logRetentionDays: LOG_RETENTION_DAYS, lambdaMemoryMb: LAMBDA_MEMORY_MB };
}
