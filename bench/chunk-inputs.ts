import { build } from "esbuild";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { lambdaEsbuild } from "../stacks/esbuild.ts";
import { analyseChunks, packageOf } from "./cold.ts";

/*
 * What a deployed function's initial chunks are made of, and what each of its lazily imported
 * modules adds (issue #15): bundles each entry like bench/cold.ts (split, minified, the aliases of
 * stacks/esbuild.ts; NO_ALIAS=1 without them) and prints bytes by package, optionally the biggest
 * files (FILES=n) and the heaviest lazy modules with the packages they add (ROUTES=n).
 *   npx node bench/chunk-inputs.ts bench/floor.ts functions/_areas/cases.ts
 * (the area entries are written by functions/area-entries.ts, e.g. by `npm start` or the bench)
 */
const dir = mkdtempSync(join(tmpdir(), "wangge-chunk-inputs-"));
try {
  for (const entry of process.argv.slice(2)) {
    const outdir = join(dir, entry.replace(/[^a-z0-9]/gi, "_"));
    const r = await build({ entryPoints: [entry], outdir, splitting: true, outExtension: { ".js": ".mjs" }, bundle: true, platform: "node", format: "esm", target: "esnext", mainFields: ["module", "main"], minify: true, keepNames: true, metafile: true, logLevel: "silent", ...(process.env.NO_ALIAS ? {} : lambdaEsbuild) });
    const meta = r.metafile;
    const outs = meta.outputs;
    const entryOut = Object.entries(outs).find(([, o]) => o.entryPoint && resolve(o.entryPoint) === resolve(entry))![0];
    const a = analyseChunks(meta, entryOut);
    const initial = new Set<string>();
    const stack = [entryOut];
    while (stack.length) {
      const k = stack.pop()!;
      if (initial.has(k)) continue;
      initial.add(k);
      for (const i of outs[k].imports) if (i.kind === "import-statement" && outs[i.path]) stack.push(i.path);
    }
    const files: Array<[string, number]> = [];
    for (const k of initial) for (const [i, { bytesInOutput }] of Object.entries(outs[k].inputs)) files.push([i, bytesInOutput]);
    console.log(`== ${entry}: initial ${(a.initial / 1024).toFixed(1)} KB, loaded ${(a.loaded / 1024).toFixed(1)} KB (heaviest: ${a.heaviest ?? "-"})`);
    for (const [p, b] of Object.entries(a.initialByPackage).sort((x, y) => y[1] - x[1]).slice(0, 25)) console.log(`  ${(b / 1024).toFixed(1).padStart(7)} ${p}`);
    if (process.env.FILES) for (const [p, b] of files.sort((x, y) => y[1] - x[1]).slice(0, Number(process.env.FILES))) console.log(`    ${(b / 1024).toFixed(1).padStart(7)} ${p}`);
    if (process.env.ROUTES) {
      // each lazy module of our own code: what it adds over the initial chunks (with what it loads on first use), by package
      const chunkOf = new Map<string, string>();
      for (const [k, o] of Object.entries(outs)) for (const i of Object.keys(o.inputs)) if (!chunkOf.has(i) || outs[k].entryPoint === i) chunkOf.set(i, k);
      const lazy = new Map<string, Set<string>>();
      for (const [input, info] of Object.entries(meta.inputs)) {
        if (input.includes("node_modules/")) continue;
        for (const imp of info.imports) {
          const t = chunkOf.get(imp.path);
          const f = chunkOf.get(input);
          if (imp.kind === "dynamic-import" && !imp.external && t && f) lazy.set(f, new Set([...(lazy.get(f) ?? []), t]));
        }
      }
      const closure = (start: string) => {
        const seen = new Set<string>();
        const st = [start];
        while (st.length) {
          const k = st.pop()!;
          if (seen.has(k) || !outs[k]) continue;
          seen.add(k);
          for (const i of outs[k].imports) if (i.kind === "import-statement" && outs[i.path]) st.push(i.path);
          for (const t of lazy.get(k) ?? []) st.push(t);
        }
        return seen;
      };
      const rows = new Map<string, [number, string]>();
      for (const targets of lazy.values()) {
        for (const t of targets) {
          const added = [...closure(t)].filter((k) => !initial.has(k));
          const by: Record<string, number> = {};
          for (const k of added) for (const [i, { bytesInOutput }] of Object.entries(outs[k].inputs)) {
            const p = packageOf(i) === "(own)" ? i.replace(/^.*?(functions|core)\//, "$1/") : packageOf(i);
            by[p] = (by[p] ?? 0) + bytesInOutput;
          }
          const top = Object.entries(by).sort((x, y) => y[1] - x[1]).slice(0, Number(process.env.ROUTES)).map(([p, b]) => `${p} ${(b / 1024).toFixed(1)}`).join(", ");
          rows.set(outs[t].entryPoint ?? t, [added.reduce((s, k) => s + outs[k].bytes, 0), top]);
        }
      }
      for (const [m, [add, top]] of [...rows].sort((x, y) => y[1][0] - x[1][0]).slice(0, Number(process.env.TOP ?? 8))) console.log(`  +${(add / 1024).toFixed(1).padStart(6)} KB → ${((a.initial + add) / 1024).toFixed(0)} KB  ${m.replace(/^.*?(functions|core|node_modules)\//, "$1/")}: ${top}`);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
