import { Template } from "aws-cdk-lib/assertions";
import type { CfnFunction } from "aws-cdk-lib/aws-lambda";
import type { CfnRole } from "aws-cdk-lib/aws-iam";
import { initProject } from "sst/project.js";
import { App, getStack, type Function as SstFunction, type FunctionProps } from "sst/constructs";
import config from "../sst.config.ts";
import { Api } from "./Api.ts";
import { Console } from "./Console.ts";
import { Jobs } from "./Jobs.ts";
import { Queues } from "./Queues.ts";
import { Storage } from "./Storage.ts";

/** Test support: synthesizes the app offline, as `sst deploy` would, and returns its templates. */

export const STACKS = { Storage, Queues, Api, Jobs, Console };
export type StackName = keyof typeof STACKS;

export interface SynthFunction {
  stack: StackName;
  fn: SstFunction;
  /** the merged props SST built the function from (app defaults + construct + definition) */
  props: FunctionProps;
  logicalId: string;
  roleLogicalId: string;
}

export interface Synth {
  templates: Record<StackName, Template>;
  functions: SynthFunction[];
}

export interface SynthOptions {
  stage: string;
  region: string;
  /**
   * false (default): every stack inactive, so SST puts placeholder code in functions instead of
   * bundling handlers (and skips the console build); fast, and handler files need not exist.
   * true: functions are bundled with esbuild like `sst deploy` does (each handler file must exist
   * and build); the Console stack stays inactive so no Vite build runs.
   */
  bundle?: boolean;
}

/**
 * Needs no AWS credentials and no network. NODE_ENV must be "test" (vitest sets it) so that
 * app.finish() skips the bootstrap lookup. Call sequentially: SST keeps the current app in module state.
 */
export async function synth({ stage, region, bundle = false }: SynthOptions): Promise<Synth> {
  await initProject({ stage, region });
  const app = new App({
    mode: "deploy",
    name: "wangge",
    stage,
    region,
    account: "123456789012",
    isActiveStack: (name) => bundle && !name.endsWith("-Console"),
  });
  await config.stacks(app);
  await app.finish();
  const templates = {} as Record<StackName, Template>;
  const functions: SynthFunction[] = [];
  for (const [name, fnStack] of Object.entries(STACKS) as [StackName, (typeof STACKS)[StackName]][]) {
    const stack = getStack(fnStack);
    templates[name] = Template.fromStack(stack);
    for (const fn of stack.getAllFunctions()) {
      functions.push({
        stack: name,
        fn,
        props: (fn as unknown as { props: FunctionProps }).props,
        logicalId: stack.getLogicalId(fn.node.defaultChild as CfnFunction),
        roleLogicalId: stack.getLogicalId(fn.role!.node.defaultChild as CfnRole),
      });
    }
  }
  return { templates, functions };
}

/** `functions/x/y.handler` → `functions/x/y.ts` */
export function handlerFile(handler: string): string {
  return `${handler.slice(0, handler.lastIndexOf("."))}.ts`;
}
