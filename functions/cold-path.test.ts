import { readdirSync, readFileSync, rmSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { build } from "esbuild";
import { bundle } from "../bench/cold.ts";
import { writeAreaEntries } from "./area-entries.ts";
import { areas } from "./areas.ts";

/**
 * The lean cold path of the deployed functions (issue #15, docs/deploy.md "Cold path"): what a
 * container evaluates before its first request. Sizes and times are measured by
 * `npm run bench -- bundles`; these tests keep the choices that make them small from regressing.
 */
const root = fileURLToPath(new URL("../", import.meta.url));

/** Source files bundled into functions (not tests). */
function serverSources(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== "node_modules" && e.name !== "_areas") walk(p);
      } else if (e.name.endsWith(".ts") && !e.name.endsWith(".test.ts") && !e.name.endsWith(".d.ts")) out.push(p);
    }
  };
  walk(join(root, "core"));
  walk(join(root, "functions"));
  return out.map((p) => relative(root, p));
}

describe("lean cold path", () => {
  const sources = serverSources();

  it("writes schemas with zod/mini, never classic zod: classic's method-chaining schemas keep all of classic zod (about 105 KB) in each bundle, mini's tree-shake to what is used", () => {
    // `import type` is erased and loads nothing; any value import of "zod" or "zod/v4" loads classic
    const classic = sources.filter((f) => /^import (?!type )[^;]*from "zod(\/v4)?";$/m.test(readFileSync(join(root, f), "utf8")));
    expect(classic).toEqual([]);
  });

  it("takes node:http through require (core/node-http.ts), never an ESM import: ESM's view of node:http reads its WebSocket export, which loads undici (docs/deploy.md \"Cold path\")", () => {
    // `import type` and `typeof import(…)` are erased; a value import, a namespace or default import, or import("node:http") builds the ESM view
    const esm = sources.filter((f) => {
      const text = readFileSync(join(root, f), "utf8");
      const statics = [...text.matchAll(/^import (type )?([^;]*?) from "(?:node:)?http";$/gm)].some(([, typeOnly, names]) => !typeOnly && !/^\{\s*(type [^,}]+,?\s*)+\}$/.test(names.trim()));
      return statics || /(?<!typeof )import\(\s*["'](?:node:)?http["']\s*\)/.test(text); // `typeof import("node:http")` is a type
    });
    expect(esm).toEqual([]);
    expect(readFileSync(join(root, "core/node-http.ts"), "utf8")).toContain('createRequire(import.meta.url)("node:http")');
  });

  it("loads the S3, SQS and KMS clients and the presigner on first use, never by a static import", () => {
    const staticImports = sources.filter((f) => {
      const text = readFileSync(join(root, f), "utf8");
      return [...text.matchAll(/^import (type )?\{([^}]*)\} from "@aws-sdk\/(client-s3|client-sqs|client-kms|s3-request-presigner)";$/gm)].some(
        ([, typeOnly, names]) => !typeOnly && names.split(",").some((n) => n.trim() && !n.trim().startsWith("type ")),
      );
    });
    expect(staticImports).toEqual([]);
  });

  it("reads and writes Excel workbooks without exceljs (about 1 MB minified; core/xlsx/ooxml-*.ts on node:zlib through core/zip.ts and core/unzip.ts instead): no server source imports it, and neither the excel area nor the jobs consumer bundles it", async () => {
    const importers = sources.filter((f) => /(?:from\s*|import\s*\(\s*|require\s*\(\s*)["']exceljs["']/.test(readFileSync(join(root, f), "utf8")));
    expect(importers).toEqual([]);
    writeAreaEntries();
    for (const entry of ["functions/_areas/excel.ts", "functions/jobs/consume.ts"]) {
      const r = await build({ entryPoints: [join(root, entry)], outdir: join(dir, "exceljs-check"), bundle: true, splitting: true, platform: "node", format: "esm", mainFields: ["module", "main"], metafile: true, write: false, logLevel: "silent" });
      const inputs = Object.keys(r.metafile.inputs);
      expect(inputs.filter((i) => i.includes("node_modules/exceljs/")), entry).toEqual([]);
      // the workbook code is there, loaded on first use
      expect(inputs.some((i) => i.endsWith("core/xlsx/ooxml-read.ts")), entry).toBe(true);
    }
    // the jobs consumer reads each runner's code when its first job runs: none of it at cold start
    const consumer = await bundle(join(root, "functions/jobs/consume.ts"), join(dir, "jobs-consumer.mjs"));
    const runners = ["core/unit/import.ts", "core/unit/move-job.ts", "core/user/handover.ts", "core/xlsx/import.ts", "core/xlsx/ooxml-read.ts", "node_modules/proj4/", "node_modules/shapefile/"];
    expect(consumer.initialInputs.filter((i) => runners.some((r) => i.includes(r)))).toEqual([]);
  }, 300_000);

  // each area function bundled as deployed (minified, split: sst.config.ts)
  const dir = mkdtempSync(join(tmpdir(), "wangge-cold-path-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("keeps the S3/SQS/KMS clients and zod's locales out of every area function's initial chunks, and each route's module out of them too", async () => {
    writeAreaEntries();
    for (const [area, list] of areas()) {
      const b = await bundle(join(root, `functions/_areas/${area}.ts`), join(dir, `${area}.mjs`));
      const initial = b.initialInputs;
      // and none of the SDK parts a Lambda does not use (stacks/esbuild.ts): the default credential chain
      // (whose STS/SSO clients brought the AWS query and XML protocols into the shared chunks) and endpoint discovery's cache.
      // (The XML protocol is still in the initial chunks of the areas that carry the S3 client: esbuild splits by file.)
      for (const pkg of ["@aws-sdk/client-s3/", "@aws-sdk/client-sqs/", "@aws-sdk/client-kms/", "@aws-sdk/s3-request-presigner/", "zod/v4/locales/", "zod/v4/classic/", "jsonc-parser/", "@aws-sdk/credential-provider-node/", "@aws-sdk/nested-clients/", "@aws-sdk/credential-provider-ini/", "@aws-sdk/middleware-endpoint-discovery/", "mnemonist/"]) {
        // zod's English messages (locales/en.js, configured by core/zod-en.ts) and no other locale; zod/mini, not classic;
        // jsonc-parser only where a file that may carry comments is read (core/json.ts, on first use)
        expect(initial.filter((i) => i.includes(`node_modules/${pkg}`) && !i.endsWith("zod/v4/locales/en.js")), `${area}: ${pkg} in the initial chunks`).toEqual([]);
      }
      // the area's slice of the route table is in its entry (functions/area-entries.ts), never the whole table (#15 A4: 11-14 KB)
      expect(initial.filter((i) => i === "functions/routes.ts" || i === "functions/areas.ts"), `${area}: the whole route table in the initial chunks`).toEqual([]);
      expect(initial, area).toContain(`functions/_areas/${area}.ts`);
      // a route's handler module is read on the first request of that route, not at import
      const handlerFiles = [...new Set(list.map((r) => `${r.handler.slice(0, r.handler.lastIndexOf("."))}.ts`))];
      expect(initial.filter((i) => handlerFiles.includes(i)), `${area}: route modules in the initial chunks`).toEqual([]);
      expect(b.initial, `${area}: initial chunks smaller than the whole upload`).toBeLessThan(b.bytes);
      expect(b.chunks, area).toBeGreaterThan(1);
    }
  }, 300_000);

  it("talks to KMS without @aws-sdk/client-kms (core/crypto/kms.ts) and to S3 without @aws-sdk/client-s3 (core/s3-object.ts): no server source imports them, both are devDependencies", () => {
    // core/crypto/kms.ts signs GenerateDataKey/Decrypt with the DynamoDB client's signer; core/s3-object.ts does the
    // object reads, writes, copies, deletes and lists; the SDK clients stay for the equivalence tests
    // (core/crypto/kms.test.ts, core/s3-*.test.ts). The workbook puts (core/xlsx/files.ts) and the unit export's put
    // (core/unit/export.ts) went to putS3Object too, and core/s3.ts (s3()) is gone.
    const importing = (pkg: string) => sources.filter((f) => [...readFileSync(join(root, f), "utf8").matchAll(/(?:from|import\()\s*["']([^"']+)["']/g)].some(([, spec]) => spec === pkg)).sort();
    expect(importing("@aws-sdk/client-kms")).toEqual([]);
    expect(importing("@aws-sdk/client-s3")).toEqual([]);
    expect(sources.filter((f) => /from\s*["'][./]*s3\.ts["']|import\(\s*["'][./]*s3\.ts["']/.test(readFileSync(join(root, f), "utf8")))).toEqual([]);
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
    expect(pkg.dependencies["@aws-sdk/client-kms"]).toBeUndefined();
    expect(pkg.devDependencies["@aws-sdk/client-kms"]).toBeDefined();
    // client-s3 stays for the equivalence tests (core/s3-*.test.ts) and the embedded stack's bucket (local/stack.ts)
    expect(pkg.dependencies["@aws-sdk/client-s3"]).toBeUndefined();
    expect(pkg.devDependencies["@aws-sdk/client-s3"]).toBeDefined();
  });

  it("bundles @aws-sdk/client-s3 and client-kms into no area function (presigned URLs, attachment checks, the locate index, job files, workbooks, unit exports and retention go without them)", async () => {
    // core/s3-presign.ts and core/s3-object.ts sign with the DynamoDB client's signer
    writeAreaEntries();
    const withS3: string[] = [];
    for (const area of areas().keys()) {
      const r = await build({ entryPoints: [join(root, `functions/_areas/${area}.ts`)], outfile: join(dir, `s3-${area}.mjs`), bundle: true, platform: "node", format: "esm", mainFields: ["module", "main"], metafile: true, write: false, logLevel: "silent" });
      if (Object.keys(r.metafile.inputs).some((i) => i.includes("node_modules/@aws-sdk/client-s3/"))) withS3.push(area);
      expect(Object.keys(r.metafile.inputs).filter((i) => i.includes("node_modules/@aws-sdk/client-kms/")), `${area}: KMS client`).toEqual([]);
    }
    // the last two, config's unit export put (core/unit/export.ts) and excel's workbook puts (core/xlsx/files.ts), use putS3Object since 2026-12-05
    expect(withS3.sort()).toEqual([]);
  }, 300_000);

  it("sends SMS without the providers' SDKs (1,581 KB loaded with Aliyun's): no server source imports them, the residents function (POST /v1/residents/code) bundles none of their code, and they are devDependencies", async () => {
    // core/resident/sms-aliyun.ts and sms-tencent.ts sign their one request themselves (node:https + node:crypto);
    // the SDKs stay for core/resident/sms-sdk-equivalence.test.ts only, which proves our requests are theirs
    const sdk = /^(@alicloud\/|tencentcloud-sdk-nodejs)/;
    const importing = sources.filter((f) => [...readFileSync(join(root, f), "utf8").matchAll(/(?:from|import\()\s*["']([^"']+)["']/g)].some(([, spec]) => sdk.test(spec)));
    expect(importing).toEqual([]);
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
    expect(Object.keys(pkg.dependencies).filter((d) => sdk.test(d))).toEqual([]);
    expect(Object.keys(pkg.devDependencies).filter((d) => sdk.test(d)).sort()).toEqual(["@alicloud/dysmsapi20170525", "@alicloud/openapi-core", "tencentcloud-sdk-nodejs-sms"]);
    writeAreaEntries();
    const r = await build({ entryPoints: [join(root, "functions/_areas/residents.ts")], outfile: join(dir, "sms-sdk.mjs"), bundle: true, platform: "node", format: "esm", mainFields: ["module", "main"], metafile: true, write: false, logLevel: "silent" });
    const inputs = Object.keys(r.metafile.inputs);
    expect(inputs.filter((i) => /node_modules\/(@alicloud|@darabonba|tencentcloud-sdk-nodejs)/.test(i))).toEqual([]);
    // the adapters are in it (a renamed area would make the check above vacuous)
    expect(inputs.filter((i) => /core\/resident\/sms-(aliyun|tencent|http)\.ts$/.test(i)).sort()).toEqual(["core/resident/sms-aliyun.ts", "core/resident/sms-http.ts", "core/resident/sms-tencent.ts"]);
  }, 120_000);
});
