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
