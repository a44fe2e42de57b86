import { build, type Metafile, type Plugin } from "esbuild";
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { lambdaEsbuild } from "../stacks/esbuild.ts";
import { quantile } from "./harness.ts";

const run = promisify(execFile);
/**
 * BENCH_COLD_CPU_PROF=<dir>: every cold-init process writes a V8 CPU profile there (`--cpu-prof`; open it in
 * Chrome DevTools, or sum self time by chunk). The profiler slows the process: its times are not the bench's.
 */
const PROFILE = process.env.BENCH_COLD_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_COLD_CPU_PROF}`] : [];
/**
 * BENCH_COLD_NODE_ARGS="<flags>": every cold-init process (the floor's too) starts with these Node/V8 flags, e.g.
 * the memory flags a Lambda runtime's bootstrap passes for the function's memory size (`--max-semi-space-size=25
 * --max-old-space-size=461` at sst.config.ts's 512 MB, as the nodejs14.x and nodejs18.x images' /var/runtime/bootstrap
 * computes them). Unset: Node's defaults. docs/deploy.md "Cold path" says what they change (any V8 flag does).
 */
export const COLD_NODE_ARGS: readonly string[] = (process.env.BENCH_COLD_NODE_ARGS ?? "").split(/\s+/).filter(Boolean);
/**
 * BENCH_COLD_SDK_HTTP=require: the bench's bundles (the floor's too) give the SDK's request handler node:http
 * by `require` instead of its `import("node:http")`, as its https path loads in AWS. The embedded stack's
 * emulators answer http://, and that import builds ESM's view of node:http, which loads undici: about 10 ms
 * of every cold process here that a container in AWS (https) does not spend. A plugin of this bench only,
 * never of a deploy (stacks/esbuild.ts). Unset: bundled as deployed. docs/deploy.md "Cold path" (session 11).
 */
export const SDK_HTTP_BY_REQUIRE = process.env.BENCH_COLD_SDK_HTTP === "require";
const sdkHttpByRequire: Plugin = {
  name: "sdk-http-by-require",
  setup(b) {
    b.onResolve({ filter: /^node:http$/ }, (a) => (a.kind === "dynamic-import" && a.importer.includes("node_modules/@smithy/node-http-handler/") ? { path: "node:http", namespace: "sdk-http-by-require" } : undefined));
    // `require` is the banner's (every output file's first line)
    b.onLoad({ filter: /.*/, namespace: "sdk-http-by-require" }, () => ({ contents: 'const m = require("node:http"); export default m;', loader: "js" }));
  },
};

export interface BundleSize {
  /** the file to import (the entry chunk when split) */
  file: string;
  /** every output file (what a deploy uploads, before zipping) */
  bytes: number;
  gzip: number;
  chunks: number;
  /** what a cold container reads to import the function: the entry and the chunks it imports statically */
  initial: number;
  /**
   * the largest a container's code gets while serving one route: `initial` plus the chunks of the
   * heaviest lazy module of our own code (an area's route module, or S3/SQS loaded on first use)
   * with everything that module imports, statically or on first use. The SDK's own lazy chunks
   * (event streams) are not counted: no function reads an event stream. (The SDK's default
   * credential chain, whose other providers were such chunks, is not bundled: stacks/esbuild.ts.)
   */
  loaded: number;
  /** the heaviest lazy module counted in `loaded` */
  heaviest?: string;
  /** source files (esbuild's input paths) in the initial chunks */
  initialInputs: string[];
  /** `loaded` when the container loads that one of its ALTERNATIVES (the SMS function: per provider), by module */
  loadedVia: Record<string, number>;
  /** bytes of the initial chunks by package (`zod`, `jsonc-parser`, `@aws-sdk/…`; our own code is `(own)`), from the metafile's bytesInOutput */
  initialByPackage: Record<string, number>;
}

/**
 * Bundle a function the way `sst deploy` does with the options of sst.config.ts (ESM, esnext,
 * minified, keepNames, the SDK aliases of stacks/esbuild.ts, and code splitting: each lazily imported module and what only it needs
 * become chunks that are read on first use). `outfile` names the entry; with splitting its chunks
 * go into a folder of their own next to it. Sizes from esbuild's metafile.
 */
export async function bundle(entry: string, outfile: string, opts: { splitting?: boolean } = {}): Promise<BundleSize> {
  const splitting = opts.splitting ?? true;
  const outdir = splitting ? outfile.replace(/\.mjs$/, "") : undefined;
  const result = await build({
    entryPoints: [entry],
    ...(splitting ? { outdir, splitting: true, outExtension: { ".js": ".mjs" } } : { outfile }),
    bundle: true,
    platform: "node",
    format: "esm",
    target: "esnext",
    mainFields: ["module", "main"],
    minify: true,
    keepNames: true,
    metafile: true,
    logLevel: "silent",
    banner: { js: "import { createRequire as topLevelCreateRequire } from 'module';const require = topLevelCreateRequire(import.meta.url);" },
    ...lambdaEsbuild,
    ...(SDK_HTTP_BY_REQUIRE ? { plugins: [...lambdaEsbuild.plugins, sdkHttpByRequire] } : {}),
  });
  const meta = result.metafile!;
  const cwd = process.cwd();
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(cwd, p));
  const outputs = Object.entries(meta.outputs).filter(([k]) => !k.endsWith(".map"));
  const entryOut = outputs.find(([, o]) => o.entryPoint && abs(o.entryPoint) === abs(entry))?.[0] ?? outputs[0][0];
  const file = abs(entryOut);
  let bytes = 0;
  let gzip = 0;
  for (const [k] of outputs) {
    const b = readFileSync(abs(k));
    bytes += b.length;
    gzip += gzipSync(b).length;
  }
  const sizes = analyseChunks(meta, entryOut);
  return { file, bytes, gzip, chunks: outputs.length, ...sizes };
}

/**
 * Modules of which a container loads at most one: a county configures one SMS provider, and
 * core/resident/sms-providers.ts imports only that provider's adapter (and SDK). `loaded` counts
 * each alternative on its own (the heaviest one) instead of all of them at once; `loadedVia` gives
 * each one's figure.
 */
export const ALTERNATIVES: readonly (readonly string[])[] = [["core/resident/sms-aliyun.ts", "core/resident/sms-tencent.ts"]];

/** `initial` and `loaded` of a bundle (see BundleSize) from esbuild's metafile. */
export function analyseChunks(meta: Metafile, entryOut: string): Pick<BundleSize, "initial" | "loaded" | "heaviest" | "initialInputs" | "initialByPackage" | "loadedVia"> {
  const outs = meta.outputs;
  const chunkOf = new Map<string, string>(); // input → output chunk
  for (const [k, o] of Object.entries(outs)) for (const i of Object.keys(o.inputs)) if (!chunkOf.has(i) || outs[k].entryPoint === i) chunkOf.set(i, k);
  // lazy edges of our own code (not node_modules): input → chunk of the module it imports on first use
  const lazyFrom = new Map<string, Set<string>>();
  for (const [input, info] of Object.entries(meta.inputs)) {
    if (input.includes("node_modules/")) continue;
    for (const imp of info.imports) {
      if (imp.kind !== "dynamic-import" || imp.external) continue;
      const target = chunkOf.get(imp.path);
      const from = chunkOf.get(input);
      if (target && from) lazyFrom.set(from, new Set([...(lazyFrom.get(from) ?? []), target]));
    }
  }
  const closure = (start: string, lazy: boolean, skip: ReadonlySet<string> = new Set()) => {
    const seen = new Set<string>();
    const stack = [start];
    while (stack.length) {
      const k = stack.pop()!;
      if (seen.has(k) || !outs[k]) continue;
      seen.add(k);
      for (const i of outs[k].imports) if (i.kind === "import-statement" && outs[i.path]) stack.push(i.path);
      if (lazy) for (const t of lazyFrom.get(k) ?? []) if (!skip.has(t)) stack.push(t);
    }
    return seen;
  };
  // alternatives of which a container loads one (ALTERNATIVES): each is counted on its own, never with the others
  const groups = ALTERNATIVES.map((g) => g.map((m) => ({ module: m, chunk: [...chunkOf].find(([i]) => i.endsWith(m))?.[1] })).filter((x): x is { module: string; chunk: string } => Boolean(x.chunk))).filter((g) => g.length > 1);
  const choices: Array<{ via?: string; skip: Set<string> }> = [{ skip: new Set() }];
  for (const g of groups) for (const c of g) choices.push({ via: c.module, skip: new Set(groups.flatMap((gg) => (gg === g ? gg.filter((x) => x !== c) : gg.slice(1))).map((x) => x.chunk)) });
  if (groups.length) choices.shift();
  const size = (set: Set<string>) => [...set].reduce((a, k) => a + outs[k].bytes, 0);
  const initialSet = closure(entryOut, false);
  const initial = size(initialSet);
  let loaded = initial;
  let heaviest: string | undefined;
  const reachableOf = new Map(choices.map((c) => [c, closure(entryOut, true, c.skip)]));
  const loadedVia: Record<string, number> = {};
  for (const targets of lazyFrom.values()) {
    for (const t of targets) {
      for (const choice of choices) {
        const { via, skip } = choice;
        const reachable = reachableOf.get(choice)!;
        if (!reachable.has(t)) continue; // only through an alternative not taken
        const all = closure(t, true, skip);
        for (const k of initialSet) all.add(k);
        const s = size(all);
        if (via) loadedVia[via] = Math.max(loadedVia[via] ?? initial, s);
        if (s > loaded) {
          loaded = s;
          heaviest = `${outs[t].entryPoint ?? t}${via ? ` via ${via.replace(/^.*\//, "")}` : ""}`;
        }
      }
    }
  }
  const initialInputs = [...initialSet].flatMap((k) => Object.keys(outs[k].inputs));
  const initialByPackage: Record<string, number> = {};
  for (const k of initialSet) {
    for (const [i, { bytesInOutput }] of Object.entries(outs[k].inputs)) {
      const pkg = packageOf(i);
      initialByPackage[pkg] = (initialByPackage[pkg] ?? 0) + bytesInOutput;
    }
  }
  return { initial, loaded, heaviest, initialInputs, initialByPackage, loadedVia };
}

/** The npm package an esbuild input path belongs to (`zod`, `@aws-sdk/client-s3`), or `(own)` for the project's code. */
export function packageOf(input: string): string {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules\/)/.exec(input);
  return m ? m[1] : "(own)";
}

/** An API Gateway (HTTP API, payload 2.0) event for one route. */
export function apiEvent(method: string, path: string, routeKey: string, opts: { token?: string; body?: unknown; params?: Record<string, string>; query?: Record<string, string> } = {}) {
  const now = Date.now();
  const headers: Record<string, string> = { "content-type": "application/json", "user-agent": "bench" };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  return {
    version: "2.0",
    routeKey,
    rawPath: path,
    rawQueryString: new URLSearchParams(opts.query ?? {}).toString(),
    queryStringParameters: opts.query && Object.keys(opts.query).length ? opts.query : undefined,
    headers,
    pathParameters: opts.params && Object.keys(opts.params).length ? opts.params : undefined,
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    isBase64Encoded: false,
    requestContext: { accountId: "000000000000", apiId: "bench", domainName: "localhost", domainPrefix: "local", http: { method, path, protocol: "HTTP/1.1", sourceIp: "127.0.0.1", userAgent: "bench" }, requestId: randomUUID(), routeKey, stage: "$default", time: new Date(now).toISOString(), timeEpoch: now },
  };
}

/** Precedes a cold-init process's result on stdout (a handler may log there; a status may contain braces). */
const MARK = "@@bench-cold@@";

export interface ColdSample {
  importMs: number;
  firstMs: number;
  totalMs: number;
  status: number | string;
  /** with a `second` event: the second request served in the same process, right after the first (warm) */
  warmMs?: number;
  warmStatus?: number | string;
}

/**
 * Cold init of one bundle: a fresh Node process imports it and serves one event (against the
 * embedded stack given by `env`); import time + first-invocation time, measured inside the process.
 * With `opts.second`, the same process then serves that event too (warm: code loaded, clients
 * connected) and its time is `warmMs`. Median of `runs` fresh processes.
 */
export async function coldInit(file: string, event: unknown, env: Record<string, string>, runs: number, opts: { second?: unknown } = {}): Promise<ColdSample> {
  const script = `
const t0 = performance.now();
const m = await import(${JSON.stringify("file://" + file)});
const t1 = performance.now();
const serve = async (event, id) => {
  try { const out = await m.handler(event, { awsRequestId: id, getRemainingTimeInMillis: () => 30000 }); return out?.statusCode ?? (out?.batchItemFailures ? (out.batchItemFailures.length ? "batch: " + out.batchItemFailures.length + " failed" : "batch") : "ok"); }
  catch (e) { return "threw: " + (e?.message ?? e) + (e?.recordErrors?.length ? " (" + (e.recordErrors[0]?.message ?? e.recordErrors[0]) + ")" : ""); }
};
const status = await serve(${JSON.stringify(event)}, "bench");
const t2 = performance.now();
const out = { importMs: t1 - t0, firstMs: t2 - t1, status };
${opts.second === undefined ? "" : `out.warmStatus = await serve(${JSON.stringify(opts.second)}, "bench-2");
out.warmMs = performance.now() - t2;`}
process.stdout.write("\\n${MARK}" + JSON.stringify(out));
process.exit(0);`;
  const samples: ColdSample[] = [];
  for (let i = 0; i < runs; i++) {
    const { stdout } = await run(process.execPath, [...COLD_NODE_ARGS, ...PROFILE, "--input-type=module", "-e", script], {
      env: { ...process.env, ...env, POWERTOOLS_LOG_LEVEL: "ERROR" },
      maxBuffer: 1 << 20,
    });
    const s = JSON.parse(stdout.slice(stdout.lastIndexOf(MARK) + MARK.length)) as Omit<ColdSample, "totalMs">;
    samples.push({ ...s, totalMs: s.importMs + s.firstMs });
  }
  const by = (k: "importMs" | "firstMs" | "totalMs" | "warmMs") => quantile(samples.map((s) => s[k] as number).sort((a, b) => a - b), 0.5);
  const last = samples[samples.length - 1];
  return { importMs: by("importMs"), firstMs: by("firstMs"), totalMs: by("totalMs"), status: last.status, ...(opts.second === undefined ? {} : { warmMs: by("warmMs"), warmStatus: last.warmStatus }) };
}
