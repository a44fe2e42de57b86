import { fileURLToPath } from "node:url";
import { proj4Projections } from "./proj4/plugin.ts";

/**
 * esbuild options every deployed function is bundled with, beside SST's own (sst.config.ts passes
 * them as `nodejs.esbuild`); `npm run bench -- bundles` (bench/cold.ts) and the synth test's
 * compile (stacks/synth.ts) bundle with the same, so what is measured and checked is what deploys.
 *
 * `alias` swaps two parts of the AWS SDK that a Lambda never uses for the few lines it does use
 * (stacks/lambda-sdk/*.ts; the decision and its numbers: docs/deploy.md "Cold path"):
 * - the default credential chain → the environment's credentials (what Lambda provides);
 * - DynamoDB endpoint discovery → off (DynamoDB does not need it; no cache bundled).
 * The SDK clients themselves stay the real ones, unchanged.
 *
 * proj4 (the unit import's Shapefile reprojection) with only the projections core/geo/projections.ts
 * supports (`plugins`: stacks/proj4/plugin.ts) and without `mgrs` (its MGRS helpers, never called:
 * stacks/proj4/mgrs.js). Node (`npm start`, the tests) loads the whole package; the refusal of an
 * unsupported projection is our own check, so both answer the same (stacks/proj4/proj4.test.ts).
 */
const lambdaSdk = (file: string) => fileURLToPath(new URL(`./lambda-sdk/${file}`, import.meta.url));

export const lambdaEsbuild = {
  alias: {
    "@aws-sdk/credential-provider-node": lambdaSdk("credential-provider-node.ts"),
    "@aws-sdk/middleware-endpoint-discovery": lambdaSdk("middleware-endpoint-discovery.ts"),
    mgrs: fileURLToPath(new URL("./proj4/mgrs.js", import.meta.url)),
  },
  plugins: [proj4Projections],
};
