import { StaticSite, use, type StackContext } from "sst/constructs";
import { Api } from "./Api.ts";

/** The admin console (admin/, Vite), served from S3 + CloudFront, pointed at the API. */
export function Console({ stack }: StackContext) {
  const { api } = use(Api);
  const site = new StaticSite(stack, "console", {
    path: "admin",
    buildCommand: "npx vite build",
    buildOutput: "dist",
    environment: { VITE_API_URL: api.url },
  });
  stack.addOutputs({ ConsoleUrl: site.url });
  return { site };
}
