import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

/**
 * Point the AWS SDK at a stage's table. `--stage local` (default) uses the running `npm start`
 * stack (its endpoints are written to the data folder); any other stage uses the deployed table
 * named in `WANGGE_TABLE` with the caller's AWS credentials (e.g. from `npx sst bind` or
 * `aws configure`).
 */
export async function targetEnvironment(args: string[]): Promise<string> {
  const i = args.indexOf("--stage");
  const stage = i >= 0 ? args[i + 1] : "local";
  if (!stage) throw new Error("--stage needs a value");
  if (stage === "local") {
    const file = join(resolve(process.env.WANGGE_DATA_DIR ?? ".wangge"), "endpoints.json");
    if (!existsSync(file)) {
      console.error("No running local stack found: start it with `npm start` first.");
      process.exit(1);
    }
    Object.assign(process.env, JSON.parse(readFileSync(file, "utf8")));
  } else if (!process.env.WANGGE_TABLE) {
    console.error(`Set WANGGE_TABLE to the table of stage ${stage} (see the Storage stack outputs) and AWS credentials for its account.`);
    process.exit(1);
  }
  return stage;
}
