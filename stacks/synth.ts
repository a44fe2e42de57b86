import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { Aspects, type IAspect } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import type { CfnFunction } from "aws-cdk-lib/aws-lambda";
import type { CfnRole } from "aws-cdk-lib/aws-iam";
import { initProject } from "sst/project.js";
import { App, Stack, type Function as SstFunction, type FunctionProps } from "sst/constructs";
import config from "../sst.config.ts";
import { Api } from "./Api.ts";
import { Console } from "./Console.ts";
import { lambdaEsbuild } from "./esbuild.ts";
import { Jobs } from "./Jobs.ts";
import { Queues } from "./Queues.ts";
import { Storage } from "./Storage.ts";

/** Test support: synthesizes the app offline, as `sst deploy` would, and returns its templates. */

/** The stacks every app has (plus, only while a stage moves to area functions, its emptied `ApiRoutes1..N`). */
export const STACKS = { Storage, Queues, Api, Jobs, Console };
/** A stack's short name: `Storage`, `Api`, … (CloudFormation name `<stage>-wangge-<name>`). */
export type StackName = string;

export interface SynthFunction {
  stack: StackName;
  fn: SstFunction;
  /** the merged props SST built the function from (app defaults + construct + definition) */
  props: FunctionProps;
  logicalId: string;
  roleLogicalId: string;
}

export interface Synth {
  /** by short stack name, in the order the app creates the stacks */
  templates: Record<StackName, Template>;
  functions: SynthFunction[];
  /** the stacks each stack deploys after (CloudFormation references and explicit dependencies) */
  dependencies: Record<StackName, StackName[]>;
}

export interface SynthOptions {
  stage: string;
  region: string;
  /**
   * false (default): every stack inactive, so SST puts placeholder code in functions instead of
   * bundling handlers (and skips the console build); fast, and handler files need not exist.
   * true: functions are bundled with esbuild like `sst deploy` does (each handler file must exist
   * and build); the Console stack stays inactive so no Vite build runs.
   * A list of short stack names: only those stacks are bundled (never Console).
   */
  bundle?: boolean | readonly StackName[];
  /** Aspects applied to the whole app when it is synthesized (e.g. cdk-nag checks: stacks/nag.test.ts). */
  aspects?: readonly IAspect[];
}

/**
 * Needs no AWS credentials and no network. NODE_ENV must be "test" (vitest sets it) so that
 * app.finish() skips the bootstrap lookup. Call sequentially: SST keeps the current app in module state.
 */
export async function synth({ stage, region, bundle = false, aspects = [] }: SynthOptions): Promise<Synth> {
  await initProject({ stage, region });
  const prefix = `${stage}-wangge-`;
  const bundled = (stackName: string) => {
    const name = stackName.slice(prefix.length);
    return name !== "Console" && (bundle === true || (Array.isArray(bundle) && bundle.includes(name)));
  };
  const app = new App({
    mode: "deploy",
    name: "wangge",
    stage,
    region,
    account: "123456789012",
    isActiveStack: bundled,
  });
  for (const aspect of aspects) Aspects.of(app).add(aspect);
  await config.stacks(app);
  await app.finish();
  const templates: Record<StackName, Template> = {};
  const functions: SynthFunction[] = [];
  const dependencies: Record<StackName, StackName[]> = {};
  for (const stack of app.node.children.filter((c): c is Stack => c instanceof Stack)) {
    const name = stack.stackName.slice(prefix.length);
    templates[name] = Template.fromStack(stack);
    dependencies[name] = stack.dependencies.map((d) => d.stackName.slice(prefix.length));
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
  return { templates, functions, dependencies };
}

/** `functions/x/y.handler` → `functions/x/y.ts` */
export function handlerFile(handler: string): string {
  return `${handler.slice(0, handler.lastIndexOf("."))}.ts`;
}

/**
 * Compiles every handler in ONE esbuild build, with the esbuild SST bundles with and the options
 * of `sst deploy` (ESM, Node platform, no sourcemaps): a generated JS entry re-exports each
 * `functions/x/y.handler`, so a missing file, an unresolvable import, a syntax error or a missing
 * handler export fails the build. Modules shared by handlers are parsed once, which makes this take
 * seconds where bundling each handler separately takes minutes (that stays in `npm run bench -- bundles`).
 * Returns how many source files the handlers pull in.
 */
export async function compileHandlers(handlers: readonly string[]): Promise<{ inputs: number }> {
  const root = fileURLToPath(new URL("../", import.meta.url));
  // sst/constructs pins its own esbuild (node_modules/sst/node_modules/esbuild): resolve from there.
  const esbuild = createRequire(fileURLToPath(import.meta.resolve("sst/constructs")))("esbuild") as typeof import("esbuild");
  const contents = [...new Set(handlers)]
    .map((h, i) => `export { ${h.slice(h.lastIndexOf(".") + 1)} as h${i} } from "./${handlerFile(h)}";`)
    .join("\n");
  const result = await esbuild.build({
    // a JS (not TS) entry: esbuild reports a missing export only to JavaScript importers
    stdin: { contents, resolveDir: root, sourcefile: "deployed-handlers.js", loader: "js" },
    write: false,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "esnext",
    mainFields: ["module", "main"],
    keepNames: true,
    external: ["sharp", "pg-native"],
    ...lambdaEsbuild,
    metafile: true,
    logLevel: "silent",
  });
  return { inputs: Object.keys(result.metafile!.inputs).length };
}
