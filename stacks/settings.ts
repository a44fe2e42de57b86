/**
 * Deploy-time settings that depend on the stage or on the deployer's environment.
 * Read while the stacks are constructed (`sst deploy`), never at Lambda runtime.
 */

/** Stages that hold throw-away data: no deletion protection, resources destroyed on `sst remove`. */
export const EPHEMERAL_STAGES: readonly string[] = ["dev", "test", "local"];

export function isEphemeralStage(stage: string): boolean {
  return EPHEMERAL_STAGES.includes(stage);
}

/**
 * Origins allowed to call the API and to PUT/GET presigned bucket URLs from a browser:
 * WANGGE_CONSOLE_ORIGIN, comma-separated (e.g. "https://console.county.example.cn"), or "*".
 */
export function consoleOrigins(env: Record<string, string | undefined> = process.env): string[] {
  const list = (env.WANGGE_CONSOLE_ORIGIN ?? "")
    .split(",")
    .map((x) => x.trim().replace(/\/+$/, ""))
    .filter((x) => x.length > 0);
  return list.length > 0 ? list : ["*"];
}

/**
 * Origins the deployed API (and the files bucket, for presigned PUT/GET) allow in browsers:
 * exactly WANGGE_CONSOLE_ORIGIN when set. Without it, throw-away stages allow any origin (dev
 * consoles on localhost) and county stages allow none: the API is then not callable from other
 * origins until the console's origin is configured, never open to every site by default.
 */
export function corsOrigins(stage: string, env: Record<string, string | undefined> = process.env): string[] {
  const list = consoleOrigins(env);
  if (!list.includes("*")) return list;
  return isEphemeralStage(stage) ? ["*"] : [];
}

/**
 * How functions are watched (WANGGE_FUNCTION_ALARMS, read at deploy time; docs/deploy.md, docs/cost.md "Alarms"):
 * - "account" (default since #16): two alarms on the Lambda `Errors` and `Throttles` Lambda publishes for the
 *   whole account and region (no FunctionName dimension). They catch an error or throttle of every function of
 *   this stack — and of any other function in the same account and region (another stage, another system):
 *   they cannot be scoped to one stack, so a county deploys into an account of its own. Which function failed
 *   is read from the logs. With the dead-letter-queue alarms that is 9 alarms, within CloudWatch's 10 free.
 * - "function": an errors and a throttles alarm per deployed function (stacks/alarms.ts), 48 today, 55 in all:
 *   each names its function, and only this stack's; 45 paid alarm-months ($4.50 a month in us-east-1).
 */
export type FunctionAlarmScope = "function" | "account";

export function functionAlarmScope(env: Record<string, string | undefined> = process.env): FunctionAlarmScope {
  const value = (env.WANGGE_FUNCTION_ALARMS ?? "").trim() || "account";
  if (value !== "function" && value !== "account") throw new Error(`WANGGE_FUNCTION_ALARMS must be "function" or "account", not "${value}"`);
  return value;
}

/**
 * The registry's KMS key shared by several county stacks of one account (WANGGE_REGISTRY_KEY_ARN, read
 * at deploy time; docs/deploy.md "A shared registry key", docs/cost.md "Idle"). By default each stack
 * makes its own customer-managed key, $1 a month even when the county is idle. With the setting the
 * stack makes no key and uses the named one; each county's data keys are made under an encryption
 * context naming the county (`county: <stage>`), and its functions may call the key only with that
 * context (an IAM condition), so one county still cannot open another's data keys. Chosen when a
 * stage is created: data keys already sealed under a stage's own key stay under that key.
 */
export interface SharedRegistryKey {
  arn: string;
  /** the `county` value of the encryption context, and of the grant's condition */
  county: string;
}

const KEY_ARN = /^arn:aws(-cn|-us-gov)?:kms:[a-z0-9-]+:\d{12}:key\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/;

export function sharedRegistryKey(stage: string, env: Record<string, string | undefined> = process.env): SharedRegistryKey | undefined {
  const arn = (env.WANGGE_REGISTRY_KEY_ARN ?? "").trim();
  if (!arn) return undefined;
  if (!KEY_ARN.test(arn)) throw new Error(`WANGGE_REGISTRY_KEY_ARN must be a KMS key ARN (arn:aws[-cn]:kms:<region>:<account>:key/<key id>), not "${arn}"`);
  return { arn, county: stage };
}

/**
 * How many county stacks share the registry key (WANGGE_REGISTRY_KEY_SHARED_BY, read only by `npm run
 * cost` to give each county its share of the key's $1; 1 when unset). Only with WANGGE_REGISTRY_KEY_ARN.
 */
export function registryKeySharedBy(env: Record<string, string | undefined> = process.env): number {
  const raw = (env.WANGGE_REGISTRY_KEY_SHARED_BY ?? "").trim() || "1";
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`WANGGE_REGISTRY_KEY_SHARED_BY must be a whole number of counties ≥ 1, not "${raw}"`);
  return n;
}
