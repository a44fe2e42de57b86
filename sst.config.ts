import type { SSTConfig } from "sst";
import { writeAreaEntries } from "./functions/area-entries.ts";
import { writeApiDocs } from "./functions/docs/build.ts";
import { Api, bridgeStacks, retiredRouteStack } from "./stacks/Api.ts";
import { Console } from "./stacks/Console.ts";
import { lambdaEsbuild } from "./stacks/esbuild.ts";
import { Jobs } from "./stacks/Jobs.ts";
import { Queues } from "./stacks/Queues.ts";
import { isEphemeralStage } from "./stacks/settings.ts";
import { Storage } from "./stacks/Storage.ts";

export default {
  config() {
    // Counties deploy in AWS China (cn-northwest-1 Ningxia, cn-north-1 Beijing).
    return { name: "wangge", region: process.env.AWS_REGION ?? "cn-northwest-1" };
  },
  stacks(app) {
    // the entry file of each area function, generated from functions/routes.ts (functions/area-entries.ts)
    writeAreaEntries();
    // the OpenAPI document and API reference page, built once here and shipped as files (functions/docs/static.ts)
    writeApiDocs();
    app.setDefaultFunctionProps({
      runtime: "nodejs22.x",
      architecture: "arm_64",
      memorySize: 512,
      timeout: 10,
      environment: { POWERTOOLS_SERVICE_NAME: "wangge", POWERTOOLS_LOG_LEVEL: process.env.WANGGE_LOG_LEVEL ?? "INFO" },
      // minified, and split: an area function's routes and the S3/SQS clients (imported on first use)
      // become chunks a container reads only when it serves them; no source maps (with splitting SST
      // would zip one per chunk; keepNames keeps function names in stack traces); the SDK's default
      // credential chain and endpoint discovery swapped for what a Lambda uses (stacks/esbuild.ts)
      // (docs/deploy.md "Cold path")
      nodejs: { format: "esm", minify: true, splitting: true, sourcemap: false, esbuild: lambdaEsbuild },
      // X-Ray integration with Lambda is not available in the AWS China regions.
      tracing: "disabled",
    });
    app.setDefaultRemovalPolicy(isEphemeralStage(app.stage) ? "destroy" : "retain");
    // The HTTP API and its area functions fit one stack (stacks/Api.ts).
    app.stack(Storage).stack(Queues).stack(Api);
    // Only while an existing stage moves to area functions: its old route stacks, emptied (docs/deploy.md).
    for (const name of bridgeStacks()) app.stack(retiredRouteStack(name));
    app.stack(Jobs).stack(Console);
  },
} satisfies SSTConfig;
