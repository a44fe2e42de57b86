import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";

/*
 * The API reference (`GET /docs`) and the OpenAPI document (`GET /v1/openapi.json`) are built
 * from the route table and every route's zod schemas. Building them in the function put every
 * schema module of the API, and what those modules import, into the partner function: 1.2 MB
 * loaded on a docs request against the 400 KB target (issue #15). They are the same for every
 * request of a deployment, so they are built once, at build time (functions/docs/build.ts, run by
 * sst.config.ts before bundling and by the local API server before it serves the first docs
 * request), gzipped, and shipped beside the function's code (`copyFiles` in stacks/Api.ts, folder
 * `_apidocs`). The function reads and unpacks its file on the first request of the container:
 * no schema code at all. docs/deploy.md "Cold path".
 */
export const API_DOCS_FILES = { page: "docs.html.gz", openapi: "openapi.json.gz" } as const;
/** The folder beside a deployed function's code that holds the files (stacks/Api.ts copies them there). */
export const API_DOCS_DEPLOYED_DIR = "_apidocs";
/** Where the build writes them in the checkout (gitignored with the other generated entries). */
export const API_DOCS_BUILD_DIR = "functions/_areas/_docs";

/** The files' folder: WANGGE_DOCS_DIR, else beside the code in Lambda, else the checkout's build folder (local stack, benches). */
export function apiDocsDir(env: Record<string, string | undefined> = process.env): string {
  if (env.WANGGE_DOCS_DIR) return env.WANGGE_DOCS_DIR;
  if (env.LAMBDA_TASK_ROOT) return join(env.LAMBDA_TASK_ROOT, API_DOCS_DEPLOYED_DIR);
  return join(process.cwd(), API_DOCS_BUILD_DIR);
}

const cache = new Map<string, Promise<string>>();

/** The text of one built file, read and unpacked once per container. */
export function apiDocsText(which: keyof typeof API_DOCS_FILES): Promise<string> {
  let p = cache.get(which);
  if (!p) {
    p = readFile(join(apiDocsDir(), API_DOCS_FILES[which])).then((gz) => gunzipSync(gz).toString("utf8"));
    p.catch(() => cache.delete(which)); // a failed read is tried again on the next request
    cache.set(which, p);
  }
  return p;
}

/** Forget what was read (the local API server after it rebuilt the files). */
export function resetApiDocs(): void {
  cache.clear();
}
