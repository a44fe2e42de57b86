/**
 * `npm run cost [-- --lambda-ms=100] [-- --json]`: the monthly bill of the reference county
 * (core/ops/cost/model.ts, docs/cost.md) from the measured units in core/ops/cost/measured.json,
 * for each price list in core/ops/cost/prices.*.json. Offline, in seconds.
 */
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { bill, idle, monthlyCounts, REFERENCE_COUNTY, type Measured, type PriceList } from "../core/ops/cost/model.ts";

const dir = fileURLToPath(new URL("../core/ops/cost/", import.meta.url));
let measured: Measured;
try {
  measured = JSON.parse(readFileSync(`${dir}measured.json`, "utf8"));
} catch {
  console.error("core/ops/cost/measured.json is missing: run `npm run bench -- capacity --md` first");
  process.exit(1);
}
const lambdaMs = process.argv.find((a) => a.startsWith("--lambda-ms="))?.split("=")[1];
const lists: PriceList[] = readdirSync(dir)
  .filter((f) => /^prices\..+\.json$/.test(f))
  .map((f) => JSON.parse(readFileSync(dir + f, "utf8")));

const w = REFERENCE_COUNTY;
const fmt = (n: number, digits = 4) => n.toLocaleString("en", { maximumFractionDigits: digits });
const bar = (v: number, max: number) => "█".repeat(max > 0 ? Math.max(v > 0 ? 1 : 0, Math.round((v / max) * 40)) : 0);

console.log(`Reference county: ${fmt(w.microGrids)} micro-grids, ${fmt(w.casesPerYear)} cases/year, ${w.staff} staff (workload: core/ops/cost/model.ts REFERENCE_COUNTY)`);
console.log(`Measured units: ${measured.at.slice(0, 10)}, mean of ${measured.runs} runs (core/ops/cost/measured.json)\n`);
const counts = monthlyCounts(w);
console.log("Operations a month:");
for (const [op, n] of Object.entries(counts)) console.log(`  ${op.padEnd(32)} ${fmt(Math.round(n)).padStart(10)}`);

const out: Record<string, unknown> = {};
for (const list of lists) {
  const b = bill(w, measured, list, lambdaMs ? { lambdaMsPerCall: Number(lambdaMs), lambdaMemoryMb: 512 } : {});
  const i = idle(list);
  out[list.region] = { ...b, idle: i };
  console.log(`\n━━ ${list.region} (${list.currency}, prices read ${list.retrieved}) ━━`);
  for (const l of b.lines) console.log(`  ${l.service.padEnd(9)} ${l.item.padEnd(58)} ${fmt(Math.round(l.quantity)).padStart(12)} ${l.unit.padEnd(8)} ${l.cost === undefined ? "   no price (left out)" : `${list.currency} ${fmt(l.cost)}`.padStart(20)}`);
  console.log(`  ${"total (priced lines only)".padEnd(90)} ${`${list.currency} ${fmt(b.total, 2)}`.padStart(20)}`);
  console.log(`  ${"photos (a year kept, outside the targets)".padEnd(90)} ${(b.photos === undefined ? "no price" : `${list.currency} ${fmt(b.photos, 2)}`).padStart(20)}`);
  console.log(`  ${"idle county (priced lines only)".padEnd(90)} ${`${list.currency} ${fmt(i.total, 4)}`.padStart(20)}`);
  const byService = new Map<string, number>();
  for (const l of b.lines) byService.set(l.service, (byService.get(l.service) ?? 0) + (l.cost ?? 0));
  const max = Math.max(...byService.values());
  console.log("  by service:");
  for (const [s, v] of byService) console.log(`    ${s.padEnd(9)} ${bar(v, max)} ${list.currency} ${fmt(v, 4)}`);
  if (list.missing.length) console.log(`  not priced (no price found, left out of the total): ${list.missing.join("; ")}`);
  if (b.unmeasured.length) console.log(`  operations without a measurement (left out): ${b.unmeasured.join(", ")}`);
}
if (process.argv.includes("--json")) console.log(JSON.stringify(out, null, 2));
