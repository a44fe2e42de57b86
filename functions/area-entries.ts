import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { AREA_ENTRY_DIR, areas, servedRoutes } from "./areas.ts";
import { handlerModule } from "./route-registry.ts";
import type { Route } from "./routes.ts";

/**
 * Writes the entry file of each area function, `functions/_areas/<area>.ts`, from the route table
 * (generated, gitignored: routes.ts stays the only declaration). `sst.config.ts` writes them
 * before the stacks are built, the embedded stack (local/api-server.ts) before it serves, and the bundles
 * bench for its builds. An entry embeds the area's slice of the table (`routes`, equal to
 * `areas().get(area)`: functions/area-entries.test.ts), so the function does not bundle the whole
 * of functions/routes.ts, and maps each handler of the area to its module:
 * - `lazy` (deployed): `() => import("../cases/list.ts")` — esbuild bundles the module into the one
 *   file but evaluates it on the first request of that route;
 * - `static` (measured in bench/bundles.ts): every module imported and evaluated at cold start.
 */
export type EntryMode = "lazy" | "static";

const root = fileURLToPath(new URL("../", import.meta.url));

/** `functions/x/y.handler` → `functions/x/y.ts` */
const handlerFile = (handler: string) => `${handler.slice(0, handler.lastIndexOf("."))}.ts`;

export function areaEntrySource(area: string, list: readonly Route[], mode: EntryMode, outDir: string, routerFile = join(root, "functions/router.ts")): string {
  const spec = (file: string) => {
    const rel = relative(outDir, file).split("\\").join("/");
    return rel.startsWith(".") ? rel : `./${rel}`;
  };
  const handlers = [...new Set(list.map((r) => r.handler))];
  const lines = [
    "// Generated from functions/routes.ts by functions/area-entries.ts: do not edit.",
    `import type { Route } from ${JSON.stringify(spec(join(dirname(routerFile), "routes.ts")))};`,
    `import { areaRouter } from ${JSON.stringify(spec(routerFile))};`,
    `import { route as r } from ${JSON.stringify(spec(join(dirname(routerFile), "route-registry.ts")))};`,
  ];
  if (mode === "static") handlers.forEach((h, i) => lines.push(`import * as m${i} from ${JSON.stringify(spec(join(root, handlerFile(h))))};`));
  lines.push(`/** The routes this function serves: its area's slice of functions/routes.ts. */`, "export const routes: Route[] = [");
  for (const { method, path, handler, permission, ...extra } of list) {
    // route() (functions/route-registry.ts) rebuilds `functions/<file>.handler`
    if (!/^functions\/[^.]+\.handler$/.test(handler)) throw new Error(`${handler}: an area entry serves functions/<file>.handler handlers only`);
    const args = [method, path, handlerModule(handler), permission].map((a) => JSON.stringify(a));
    if (Object.keys(extra).length) args.push(JSON.stringify(extra));
    lines.push(`  r(${args.join(", ")}),`);
  }
  lines.push("];", `export const handler = areaRouter(${JSON.stringify(area)}, routes, {`);
  handlers.forEach((h, i) => {
    const load = mode === "static" ? `() => Promise.resolve(m${i})` : `() => import(${JSON.stringify(spec(join(root, handlerFile(h))))})`;
    lines.push(`  ${JSON.stringify(handlerModule(h))}: ${load},`);
  });
  lines.push("});", "");
  return lines.join("\n");
}

/** Writes every area entry (only files whose content changed; atomically, as parallel runs share the checkout) and removes the entries of areas no longer in the table. Returns the paths. */
export function writeAreaEntries(opts: { mode?: EntryMode; outDir?: string; routes?: readonly Route[] } = {}): string[] {
  const outDir = opts.outDir ?? join(root, AREA_ENTRY_DIR);
  mkdirSync(outDir, { recursive: true });
  const written: string[] = [];
  // `_bridge`: every route, for the one deploy that moves an existing stage (docs/deploy.md)
  const entries: Array<[string, string, readonly Route[]]> = [...areas(opts.routes)].map(([area, list]) => [area, area, list]);
  entries.push(["_bridge", "*", servedRoutes(opts.routes)]);
  for (const [name, area, list] of entries) {
    const file = join(outDir, `${name}.ts`);
    const source = areaEntrySource(area, list, opts.mode ?? "lazy", dirname(file));
    let current: string | undefined;
    try {
      current = readFileSync(file, "utf8");
    } catch {
      current = undefined;
    }
    if (current !== source) {
      const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
      writeFileSync(tmp, source);
      renameSync(tmp, file);
    }
    written.push(file);
  }
  // an area that left the table (renamed, merged) leaves no entry behind to be measured or deployed by mistake
  for (const f of readdirSync(outDir)) {
    if (f.endsWith(".ts") && !written.includes(join(outDir, f))) rmSync(join(outDir, f), { force: true });
  }
  return written;
}
