import { build } from "esbuild";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync, statSync, rmSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { routes } from "../functions/routes.ts";
import { queues } from "../functions/queues.ts";
import { schedules } from "../functions/schedules.ts";
import { progress, quantile, round, type BenchResult } from "./harness.ts";

const root = fileURLToPath(new URL("../", import.meta.url));
const RUNS = 5;

/** Bundle a handler the way SST v2 does for ESM (bundle everything, minify, esnext). */
async function bundle(entry: string, outfile: string): Promise<void> {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "esnext",
    mainFields: ["module", "main"],
    minify: true,
    keepNames: true,
    logLevel: "silent",
    banner: { js: "import { createRequire as topLevelCreateRequire } from 'module';const require = topLevelCreateRequire(import.meta.url);" },
  });
}

/** Median time to import the bundle in a fresh Node process (what a cold start pays for our code). */
function coldInitMs(file: string): number {
  const script = `const t=performance.now();await import(${JSON.stringify("file://" + file)});process.stdout.write(String(performance.now()-t));`;
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], {
      env: { ...process.env, WANGGE_TABLE: "bench", AWS_REGION: "us-east-1", POWERTOOLS_LOG_LEVEL: "ERROR" },
    });
    times.push(Number(out.toString()));
  }
  return quantile(times.sort((a, b) => a - b), 0.5);
}

export async function bundlesBench(): Promise<BenchResult> {
  const dir = mkdtempSync(join(tmpdir(), "wangge-bundles-"));
  const handlers = [...new Set([...routes.map((r) => r.handler), ...queues.map((q) => q.consumer), ...schedules.map((s) => s.handler)])];
  const emptyEntry = join(dir, "empty.ts");
  writeFileSync(emptyEntry, "export const handler = async () => ({ statusCode: 200, body: '' });\n");
  const entries: Array<[string, string]> = [["(empty handler)", emptyEntry], ...handlers.map((h): [string, string] => [h, join(root, `${h.slice(0, h.lastIndexOf("."))}.ts`)])];
  const tick = progress("bundling + cold init", entries.length);
  const measured: Array<{ handler: string; bytes: number; gzip: number; ms: number }> = [];
  for (const [name, entry] of entries) {
    const out = join(dir, `${measured.length}.mjs`);
    try {
      await bundle(entry, out);
    } catch (e) {
      measured.push({ handler: `${name} (missing: ${(e as Error).message.split("\n")[0]})`, bytes: NaN, gzip: NaN, ms: NaN });
      tick(measured.length);
      continue;
    }
    measured.push({ handler: name, bytes: statSync(out).size, gzip: gzipSync(readFileSync(out)).length, ms: coldInitMs(out) });
    tick(measured.length);
  }
  rmSync(dir, { recursive: true, force: true });
  const base = measured[0];
  const rows = measured.map((m) => ({
    handler: m.handler.replace(/^functions\//, ""),
    kb: round(m.bytes / 1024, 1),
    gzip_kb: round(m.gzip / 1024, 1),
    init_ms: round(m.ms, 1),
    size_x_empty: round(m.bytes / base.bytes, 0),
    init_x_empty: round(m.ms / base.ms, 1),
  }));
  const real = rows.slice(1).filter((r) => Number.isFinite(r.kb));
  return {
    name: `Lambda bundles: minified size and cold init (median of ${RUNS} fresh processes) vs an empty handler`,
    rows,
    notes: [`largest bundle ${Math.max(...real.map((r) => r.kb))} KB, slowest init ${Math.max(...real.map((r) => r.init_ms))} ms over ${real.length} handlers`],
  };
}
