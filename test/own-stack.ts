import { afterAll, beforeAll } from "vitest";
import { startStack, type LocalStack } from "../local/stack.ts";
import { seedDemoCounty } from "../local/demo-county.ts";
import { DEMO_PASSWORD, forgetTokens } from "./fixtures.ts";
import { useApi } from "./client.ts";

/**
 * Give this test file its own embedded stack (own emulators, own clock, demo county seeded), for
 * tests that move the clock and run timers: they cannot disturb other files' cases this way.
 */
export function ownStack(opts: { at?: string; startTimeoutMs?: number } = {}): { get: () => LocalStack } {
  let stack: LocalStack | undefined;
  beforeAll(async () => {
    stack = await startStack({ autoSchedule: false });
    if (opts.at) stack.clock.set(new Date(opts.at));
    await seedDemoCounty({ password: DEMO_PASSWORD, now: stack.clock.now() });
    useApi(stack.url);
    forgetTokens();
  }, opts.startTimeoutMs ?? 120_000);
  afterAll(async () => {
    useApi(undefined);
    forgetTokens();
    await stack?.stop();
  });
  return { get: () => stack! };
}
