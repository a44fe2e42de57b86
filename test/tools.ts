/**
 * External tools some tests need (Chromium, zbarimg). Locally a missing tool skips those tests with
 * a warning; under CI=true it fails the run, so CI can never pass by skipping them.
 */
export const underCi = (env: NodeJS.ProcessEnv = process.env): boolean => env.CI === "true" || env.CI === "1";

export function requireTool(name: string, present: boolean, install: string, env: NodeJS.ProcessEnv = process.env): boolean {
  if (present) return true;
  if (underCi(env)) throw new Error(`${name} is required under CI=true but missing (${install})`);
  console.warn(`${name} missing: the tests that need it are skipped (${install})`);
  return false;
}
