import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { afterAll, describe, expect, it } from "vitest";
import { call } from "../../test/client.ts";
import { renderReference } from "../../core/openapi/render.ts";
import { apiDocument } from "./spec.ts";

/**
 * The API reference and OpenAPI document are built at build time and served from files
 * (functions/docs/static.ts, issue #15): the page still lists every operation, and the functions
 * serving them carry none of the schema code that builds them.
 */
const root = fileURLToPath(new URL("../../", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "wangge-docs-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("API reference served from built files", () => {
  it("GET /v1/openapi.json serves the document the code builds now, GET /docs shows each operation", async () => {
    const doc = await call("GET", "/v1/openapi.json");
    expect(doc.status).toBe(200);
    expect(doc.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(doc.body).toEqual(JSON.parse(JSON.stringify(apiDocument())));

    const page = await call("GET", "/docs");
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const html = String(page.body);
    expect(html).toBe(renderReference(doc.body));
    for (const key of ["POST /v1/cases", "GET /v1/units/locate", "GET /open311/v2/services.json"]) {
      const [method, path] = key.split(" ");
      expect(doc.body.paths[path][method.toLowerCase()], key).toBeDefined();
      expect(html, key).toContain(path);
    }
  });

  it("the docs handlers bundle without the OpenAPI builder and the schemas: a few KB over any public handler", async () => {
    const size = async (entry: string) => {
      const r = await build({ entryPoints: [entry], outfile: join(dir, "out.mjs"), bundle: true, platform: "node", format: "esm", target: "esnext", minify: true, metafile: true, write: true, logLevel: "silent" });
      return { bytes: Object.values(r.metafile.outputs).reduce((a, o) => a + o.bytes, 0), inputs: Object.keys(r.metafile.inputs) };
    };
    const baselineEntry = join(dir, "baseline.ts");
    writeFileSync(baselineEntry, `import { publicApi, reply } from ${JSON.stringify(join(root, "functions/http.ts"))};\nexport const handler = publicApi(async () => reply(200, {}));\n`);
    const baseline = await size(baselineEntry);
    for (const h of ["functions/docs/page.ts", "functions/docs/openapi.ts"]) {
      const b = await size(join(root, h));
      expect(b.inputs.filter((i) => /core\/openapi\/(registry|document|render|docs-records)\.ts|functions\/docs\/spec\.ts/.test(i)), h).toEqual([]);
      expect(b.bytes - baseline.bytes, h).toBeLessThan(4096);
    }
  });
});
