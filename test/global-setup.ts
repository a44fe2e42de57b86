import type { TestProject } from "vitest/node";
import { startStack, type LocalStack } from "../local/stack.ts";
import { seedDemoCounty } from "../local/demo-county.ts";
import { DEMO_PASSWORD } from "./fixtures.ts";

let stack: LocalStack | undefined;

/**
 * One embedded stack (in-memory DynamoDB Local + fauxqs + local API) for the whole test run,
 * on free ports. Test files reach it over HTTP (`inject("apiUrl")`) and, for raw checks, through
 * the same AWS_ENDPOINT_URL_* variables the handlers use (`inject("stackEnv")`).
 */
export default async function setup(project: TestProject) {
  // scheduled jobs run only when a test asks (runJob), so moving the clock never fires other tests' timers
  stack = await startStack({ log: () => {}, autoSchedule: false });
  await seedDemoCounty({ password: DEMO_PASSWORD, now: stack.clock.now() });
  project.provide("apiUrl", stack.url);
  project.provide("stackEnv", stack.env);
  return async () => {
    await stack?.stop();
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    apiUrl: string;
    stackEnv: Record<string, string>;
  }
}
