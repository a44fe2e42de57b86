import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { renderReference } from "../../core/openapi/render.ts";
import { apiDocument } from "./spec.ts";
import { API_DOCS_BUILD_DIR, API_DOCS_FILES } from "./static.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));

/**
 * Builds the OpenAPI document and the API reference page of the route table into gzipped files
 * (functions/docs/static.ts explains why they are not built in the function). Never bundled into a
 * function: sst.config.ts runs it before the stacks are built, the local API server before its
 * first docs request. Writes atomically (parallel runs share the checkout). Returns the folder.
 */
export function writeApiDocs(dir = join(root, API_DOCS_BUILD_DIR)): string {
  mkdirSync(dir, { recursive: true });
  const doc = apiDocument();
  const files: Array<[string, string]> = [
    [API_DOCS_FILES.openapi, JSON.stringify(doc)],
    [API_DOCS_FILES.page, renderReference(doc)],
  ];
  for (const [name, text] of files) {
    const tmp = join(dir, `${name}.${process.pid}.${Date.now()}.tmp`);
    writeFileSync(tmp, gzipSync(Buffer.from(text, "utf8"), { level: 9 }));
    renameSync(tmp, join(dir, name));
  }
  return dir;
}
