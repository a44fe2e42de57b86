import type { SSTConfig } from "sst";
import { Api, apiRouteStacks } from "./stacks/Api.ts";
import { Console } from "./stacks/Console.ts";
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
    app.setDefaultFunctionProps({
      runtime: "nodejs22.x",
      architecture: "arm_64",
      memorySize: 512,
      timeout: 10,
      environment: { POWERTOOLS_SERVICE_NAME: "wangge", POWERTOOLS_LOG_LEVEL: process.env.WANGGE_LOG_LEVEL ?? "INFO" },
      nodejs: { format: "esm" },
      // X-Ray integration with Lambda is not available in the AWS China regions.
      tracing: "disabled",
    });
    app.setDefaultRemovalPolicy(isEphemeralStage(app.stage) ? "destroy" : "retain");
    app.stack(Storage).stack(Queues).stack(Api);
    // The HTTP API's routes are spread over several stacks (CloudFormation allows 500 resources per stack).
    for (const routeStack of apiRouteStacks()) app.stack(routeStack);
    app.stack(Jobs).stack(Console);
  },
} satisfies SSTConfig;
