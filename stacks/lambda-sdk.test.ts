import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, inject, it } from "vitest";
import { bundle, coldInit } from "../bench/cold.ts";

/**
 * The deployed bundles' SDK aliases (stacks/esbuild.ts, docs/deploy.md "Cold path") at run time:
 * the floor handler (a DynamoDB document client doing one GetItem), bundled as deployed, run in a
 * fresh Node process against the embedded stack.
 */
const root = fileURLToPath(new URL("../", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "wangge-lambda-sdk-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("SDK aliases of the deployed bundles", () => {
  const env = inject("stackEnv");

  it("sign with the environment's credentials, as Lambda provides them, and the real DynamoDB client answers", async () => {
    const b = await bundle(join(root, "bench/floor.ts"), join(dir, "floor.mjs"));
    expect(b.initialInputs.filter((i) => /credential-provider-(node|ini|sso|process|web-identity)\/|nested-clients\/|mnemonist\//.test(i))).toEqual([]);
    const out = await coldInit(b.file, {}, env, 1);
    expect(out.status).toBe(200);
  }, 120_000);

  it("have no other credential source: without the environment's keys a profile in ~/.aws is not read", async () => {
    const b = await bundle(join(root, "bench/floor.ts"), join(dir, "floor-noenv.mjs"));
    // a profile the full default chain would use (shared credentials file under HOME)
    const home = join(dir, "home");
    mkdirSync(join(home, ".aws"), { recursive: true });
    writeFileSync(join(home, ".aws", "credentials"), "[bench]\naws_access_key_id = local\naws_secret_access_key = local\n");
    const out = await coldInit(b.file, {}, { ...env, AWS_ACCESS_KEY_ID: "", AWS_SECRET_ACCESS_KEY: "", AWS_SESSION_TOKEN: "", AWS_PROFILE: "bench", HOME: home }, 1);
    expect(String(out.status)).toContain("Unable to find environment variable credentials");
  }, 120_000);
});
