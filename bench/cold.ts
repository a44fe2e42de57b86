import { build } from "esbuild";
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { quantile } from "./harness.ts";

const run = promisify(execFile);

/** Bundle a handler the way SST v2 does for ESM (bundle everything, minify, esnext, no splitting). */
export async function bundle(entry: string, outfile: string): Promise<{ bytes: number; gzip: number }> {
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
  return { bytes: statSync(outfile).size, gzip: gzipSync(readFileSync(outfile)).length };
}

/** An API Gateway (HTTP API, payload 2.0) event for one route. */
export function apiEvent(method: string, path: string, routeKey: string, opts: { token?: string; body?: unknown; params?: Record<string, string> } = {}) {
  const now = Date.now();
  const headers: Record<string, string> = { "content-type": "application/json", "user-agent": "bench" };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  return {
    version: "2.0",
    routeKey,
    rawPath: path,
    rawQueryString: "",
    headers,
    pathParameters: opts.params && Object.keys(opts.params).length ? opts.params : undefined,
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    isBase64Encoded: false,
    requestContext: { accountId: "000000000000", apiId: "bench", domainName: "localhost", domainPrefix: "local", http: { method, path, protocol: "HTTP/1.1", sourceIp: "127.0.0.1", userAgent: "bench" }, requestId: randomUUID(), routeKey, stage: "$default", time: new Date(now).toISOString(), timeEpoch: now },
  };
}

export interface ColdSample {
  importMs: number;
  firstMs: number;
  totalMs: number;
  status: number | string;
}

/**
 * Cold init of one bundle: a fresh Node process imports it and serves one event (against the
 * embedded stack given by `env`); import time + first-invocation time, measured inside the process.
 * Median of `runs` fresh processes.
 */
export async function coldInit(file: string, event: unknown, env: Record<string, string>, runs: number): Promise<ColdSample> {
  const script = `
const t0 = performance.now();
const m = await import(${JSON.stringify("file://" + file)});
const t1 = performance.now();
let status;
try { const out = await m.handler(${JSON.stringify(event)}, { awsRequestId: "bench", getRemainingTimeInMillis: () => 30000 }); status = out?.statusCode ?? (out?.batchItemFailures ? "batch" : "ok"); }
catch (e) { status = "threw: " + (e?.message ?? e); }
const t2 = performance.now();
process.stdout.write(JSON.stringify({ importMs: t1 - t0, firstMs: t2 - t1, status }));
process.exit(0);`;
  const samples: ColdSample[] = [];
  for (let i = 0; i < runs; i++) {
    const { stdout } = await run(process.execPath, ["--input-type=module", "-e", script], {
      env: { ...process.env, ...env, POWERTOOLS_LOG_LEVEL: "ERROR" },
      maxBuffer: 1 << 20,
    });
    const s = JSON.parse(stdout.slice(stdout.lastIndexOf("{"))) as Omit<ColdSample, "totalMs">;
    samples.push({ ...s, totalMs: s.importMs + s.firstMs });
  }
  const by = (k: keyof ColdSample) => quantile(samples.map((s) => s[k] as number).sort((a, b) => a - b), 0.5);
  return { importMs: by("importMs"), firstMs: by("firstMs"), totalMs: by("totalMs"), status: samples[samples.length - 1].status };
}
