import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { apiDocument } from "../functions/docs/spec.ts";
import { apiTypes, TYPES_FILE } from "../core/openapi/types.ts";

/**
 * `npm run api:types`: write the OpenAPI document's TypeScript types (core/openapi/schema.d.ts).
 * The document is built in-process by the same function `GET /v1/openapi.json` answers with.
 * `npm run api:types -- --check` writes nothing and exits 1 when the committed file is stale.
 */
const file = resolve(import.meta.dirname, "..", TYPES_FILE);
const next = await apiTypes(apiDocument());
let current = "";
try {
  current = readFileSync(file, "utf8");
} catch {
  /* not generated yet */
}
if (process.argv.includes("--check")) {
  if (current !== next) {
    console.error(`${TYPES_FILE} is stale: run npm run api:types`);
    process.exit(1);
  }
  console.log(`${TYPES_FILE} is up to date`);
} else if (current === next) {
  console.log(`${TYPES_FILE} unchanged`);
} else {
  writeFileSync(file, next);
  console.log(`wrote ${TYPES_FILE} (${next.length} characters)`);
}
