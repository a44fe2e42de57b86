import { describe, expect, it } from "vitest";
import { lambdaEsbuild } from "./esbuild.ts";
import { synth } from "./synth.ts";

// The deployed cold path (docs/deploy.md "Cold path"): every function is bundled minified and
// code-split, so an area function's route modules and the S3/SQS clients (imported on first use)
// are chunks a container reads only when it needs them; no per-chunk source maps in the upload.
// stacks.test.ts bundles the Jobs stack through SST with these options.
describe("deploy bundling options", () => {
  it("bundles every function (areas, consumers, schedules) as minified, code-split ESM without source maps", async () => {
    const { functions } = await synth({ stage: "test", region: "cn-northwest-1" });
    expect(functions.length).toBeGreaterThan(10);
    for (const f of functions) {
      expect(f.props.nodejs, `${f.stack}/${f.logicalId}`).toMatchObject({ format: "esm", minify: true, splitting: true, sourcemap: false });
      // the SDK's default credential chain and endpoint discovery swapped for what a Lambda uses (stacks/esbuild.ts)
      expect(f.props.nodejs?.esbuild, `${f.stack}/${f.logicalId}`).toEqual(lambdaEsbuild);
    }
  }, 120_000);
});
