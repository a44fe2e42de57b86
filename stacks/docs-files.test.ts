import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { areaFunctionId } from "./Api.ts";
import { API_DOCS_BUILD_DIR, API_DOCS_DEPLOYED_DIR, API_DOCS_FILES } from "../functions/docs/static.ts";
import { areaOf, servedRoutes } from "../functions/areas.ts";
import { synth } from "./synth.ts";

// The API reference and OpenAPI document are built by sst.config.ts and shipped as files beside
// the code of the one area function that serves them (functions/docs/static.ts, issue #15).
describe("API docs files in the deploy", () => {
  it("are built when the app is synthesized and copied into the docs routes' area function only", async () => {
    const { functions } = await synth({ stage: "test", region: "cn-northwest-1" });
    for (const f of Object.values(API_DOCS_FILES)) expect(existsSync(join(process.cwd(), API_DOCS_BUILD_DIR, f)), f).toBe(true);
    const docsAreas = [...new Set(servedRoutes().filter((r) => r.handler.startsWith("functions/docs/")).map(areaOf))];
    expect(docsAreas).toEqual(["partner"]);
    const withFiles = functions.filter((f) => f.props.copyFiles?.length);
    expect(withFiles.map((f) => f.fn.node.id)).toEqual(docsAreas.map(areaFunctionId));
    expect(withFiles[0].props.copyFiles).toEqual([{ from: API_DOCS_BUILD_DIR, to: API_DOCS_DEPLOYED_DIR }]);
  }, 120_000);
});
