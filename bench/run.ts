import { cpus, totalmem } from "node:os";
import { fileURLToPath } from "node:url";
import { markdownTable, save, table, writeMarkdownSection, type BenchResult } from "./harness.ts";

/**
 * `npm run bench [-- name ...]`: runs the named benchmarks (default: all), writes
 * bench/results/<name>.json and prints a table per benchmark. Ratios are measured side by side
 * in the same run, so they compare like with like on whatever machine runs them. `--md` also writes
 * each bench's section of docs/benchmarks.md (between its markers; the rest of the file is kept).
 */
const benches: Record<string, () => Promise<BenchResult>> = {
  bundles: async () => (await import("./bundles.ts")).bundlesBench(),
  "county-day": async () => (await import("./county-day.ts")).countyDayBench(),
  locate: async () => (await import("./locate.ts")).locateBench(),
  registry: async () => (await import("./registry.ts")).registryBench(),
  "registry-excel": async () => (await import("./registry-excel.ts")).registryExcelBench(),
  import: async () => (await import("./import.ts")).importBench(),
  onboarding: async () => (await import("./onboarding.ts")).onboardingBench(),
  cases: async () => (await import("./cases.ts")).casesBench(),
  timers: async () => (await import("./timers.ts")).timersBench(),
  console: async () => (await import("./console.ts")).consoleBench(),
  appraisal: async () => (await import("./appraisal.ts")).appraisalBench(),
  capacity: async () => (await import("./capacity.ts")).capacityBench(),
};

const round1 = (n: number) => Math.round(n * 10) / 10;
const wanted = process.argv.slice(2).filter((a) => !a.startsWith("-"));
const unknown = wanted.filter((w) => !benches[w]);
if (unknown.length) {
  console.error(`unknown bench: ${unknown.join(", ")}; known: ${Object.keys(benches).join(", ")}`);
  process.exit(1);
}
const meta = { at: new Date().toISOString(), node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model, memGiB: Math.round(totalmem() / 2 ** 30) };
for (const id of wanted.length ? wanted : Object.keys(benches)) {
  console.log(`\n▶ ${id}`);
  const t0 = Date.now();
  const result = await benches[id]();
  const file = save(id, result, { ...meta, seconds: (Date.now() - t0) / 1000 });
  console.log(`${result.name}\n\n${table(result.rows)}\n${(result.notes ?? []).map((n) => `  · ${n}`).join("\n")}\n  → ${file.replace(process.cwd() + "/", "")}`);
  if (process.argv.includes("--md")) {
    const doc = fileURLToPath(new URL("../docs/benchmarks.md", import.meta.url));
    const machine = `${meta.at.slice(0, 16).replace("T", " ")} UTC · node ${meta.node} · ${meta.cpus} × ${meta.cpu} · ${meta.memGiB} GiB · ${round1((Date.now() - t0) / 1000)} s · \`npm run bench -- ${id} --md\` (raw: bench/results/${id}.json)`;
    const body = [`## ${result.title ?? result.name}`, "", `_${machine}_`, "", result.title ? `${result.name}\n` : "", markdownTable(result.rows), "", ...(result.notes ?? []).map((n) => `- ${n}`), "", result.markdown ?? ""].join("\n");
    writeMarkdownSection(doc, id, body);
    console.log(`  → docs/benchmarks.md (section ${id})`);
  }
}
process.exit(0);
