/**
 * `npm run cost [-- --cases-per-year=80000 --micro-grids=3200 --staff=150 …] [-- --lambda-ms=100] [-- --json]`:
 * the monthly bill of a county — the reference county, or the numbers given (core/ops/cost/workload-args.ts)
 * (core/ops/cost/model.ts, docs/cost.md) from the measured units in core/ops/cost/measured.json and
 * the deployment the stacks define (core/ops/cost/deployment.ts), for each price list in
 * core/ops/cost/prices.*.json, and the bill of an idle county. Offline, in seconds.
 */
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { deployment } from "../core/ops/cost/deployment.ts";
import { functionAlarmScope } from "../stacks/settings.ts";
import { WorkloadArgsError, workloadFromArgs } from "../core/ops/cost/workload-args.ts";
import { schedules } from "../functions/schedules.ts";
import { bill, idle, monthlyCounts, storedGb, type LambdaTimes, TARGETS_USD, verdict, type Line, type Measured, type PriceList } from "../core/ops/cost/model.ts";

const dir = fileURLToPath(new URL("../core/ops/cost/", import.meta.url));
let measured: Measured;
try {
  measured = JSON.parse(readFileSync(`${dir}measured.json`, "utf8"));
} catch {
  console.error("core/ops/cost/measured.json is missing: run `npm run bench -- capacity --md` first");
  process.exit(1);
}
const lambdaMs = process.argv.find((a) => a.startsWith("--lambda-ms="))?.split("=")[1];

/**
 * Lambda's measured times (core/ops/cost/model.ts LambdaTimes) from the committed bench results:
 * bundles (each function's warm message, first scheduled run and cold init), county-day (the area
 * functions' cold starts in a working day, 5-minute reclaim) and appraisal (the monthly run's wall
 * time and its consumers). Undefined when a result is missing: the bill then names the duration as
 * left out.
 */
function lambdaTimes(): { times: LambdaTimes; sources: string } | undefined {
  const results = fileURLToPath(new URL("../bench/results/", import.meta.url));
  const read = (f: string): any => {
    try {
      return JSON.parse(readFileSync(results + f, "utf8"));
    } catch {
      return undefined;
    }
  };
  const [bundles, day, appraisal] = [read("bundles.json"), read("county-day.json"), read("appraisal.json")];
  if (!bundles || !day || !appraisal) return undefined;
  const row = (name: string) => (bundles.rows as Array<Record<string, any>>).find((r) => r.function === name);
  const areas = (bundles.rows as Array<Record<string, any>>).filter((r) => String(r.function).startsWith("area ") && !String(r.function).includes("static"));
  const sched = schedules.map((s) => ({ expression: s.schedule, row: row(`schedule ${s.name}`) }));
  const dayRow = (day.rows as Array<Record<string, any>>).find((r) => r.layout === "area functions" && r.idle_min === 5);
  const events = row("consumer events");
  const timeouts = row("consumer timeouts");
  const consumers = Number(/on (\d+) concurrent consumers/.exec((appraisal.notes as string[]).join(" "))?.[1]);
  if (!dayRow || !events?.warm_ms || !timeouts?.warm_ms || sched.some((s) => !s.row) || !areas.length || !consumers) return undefined;
  return {
    times: {
      eventMs: events.warm_ms,
      timeoutMs: timeouts.warm_ms,
      schedules: sched.map((s) => ({ expression: s.expression, ms: s.row!.first_ms, initMs: s.row!.init_ms })),
      apiColdStartsPerWorkingDay: dayRow.containers,
      registryColdStartsPerWorkingDay: day.coldStartsByFunction?.["area:registry"],
      apiInitMs: areas.reduce((n, r) => n + r.init_ms, 0) / areas.length,
      eventsInitMs: events.init_ms,
      timeoutsInitMs: timeouts.init_ms,
      appraisalRunMs: Number(appraisal.rows[0].seconds) * 1000,
      appraisalConsumers: consumers,
    },
    sources: `bundles ${String(bundles.at).slice(0, 16)}, county-day ${String(day.at).slice(0, 16)} (${dayRow.containers} cold starts in ${Number(dayRow.requests).toLocaleString("en")} requests${day.coldStartsByFunction ? `, ${day.coldStartsByFunction["area:registry"] ?? 0} of the registry function` : ""}), appraisal ${String(appraisal.at).slice(0, 16)}`,
  };
}
const measuredTimes = lambdaTimes();
const lists: PriceList[] = readdirSync(dir)
  .filter((f) => /^prices\..+\.json$/.test(f))
  .map((f) => JSON.parse(readFileSync(dir + f, "utf8")));

const fmt = (n: number, digits = 4) => n.toLocaleString("en", { maximumFractionDigits: digits });
let args: ReturnType<typeof workloadFromArgs>;
try {
  args = workloadFromArgs(process.argv.slice(2));
} catch (e) {
  if (!(e instanceof WorkloadArgsError)) throw e;
  console.error(`npm run cost: ${e.message}`);
  process.exit(2);
}
const w = args.workload;
const givenText = Object.entries(args.given).map(([k, v]) => `${k} ${fmt(v as number)}`).join(", ");
const d = deployment();
const bar = (v: number, max: number) => "█".repeat(max > 0 ? Math.max(v > 0 ? 1 : 0, Math.round((v / max) * 40)) : 0);

console.log(
  givenText
    ? `County: ${fmt(w.microGrids)} micro-grids, ${fmt(w.casesPerYear)} cases/year, ${w.staff} staff (given: ${givenText}; the rest as the reference county, core/ops/cost/model.ts REFERENCE_COUNTY)`
    : `Reference county: ${fmt(w.microGrids)} micro-grids, ${fmt(w.casesPerYear)} cases/year, ${w.staff} staff (workload: core/ops/cost/model.ts REFERENCE_COUNTY; give a county's own with --micro-grids= --cases-per-year= --staff= --resident-share= --partner-share= …)`,
);
console.log(`Measured units: ${measured.at.slice(0, 10)}, mean of ${measured.runs} runs (core/ops/cost/measured.json)`);
console.log(`Lambda times: ${measuredTimes ? `measured (bench/results: ${measuredTimes.sources}) at ${d.lambdaMemoryMb} MB` : "no bench results (bench/results/bundles.json, county-day.json, appraisal.json): duration left out"}`);
console.log(
  `Deployment (core/ops/cost/deployment.ts, checked against the synthesized stacks; WANGGE_FUNCTION_ALARMS=${functionAlarmScope()}): ${d.alarms} alarms, ${d.kmsKeys === 1 ? "1 KMS key" : `1/${Math.round(1 / d.kmsKeys)} of a shared KMS key`}, ${d.schedules.length} schedules, logs kept ${d.logRetentionDays} days; table data ASSUMED ${fmt(storedGb(w), 2)} GB\n`,
);
const counts = monthlyCounts(w);
console.log("Operations a month:");
for (const [op, n] of Object.entries(counts)) console.log(`  ${op.padEnd(32)} ${fmt(Math.round(n)).padStart(10)}`);

const printLines = (lines: Line[], currency: string) => {
  for (const l of lines) {
    const qty = l.quantity >= 100 ? fmt(Math.round(l.quantity)) : fmt(l.quantity, 3);
    console.log(`  ${l.service.padEnd(11)} ${l.item.padEnd(76)} ${qty.padStart(12)} ${l.unit.padEnd(12)} ${l.cost === undefined ? "no price (left out)" : `${currency} ${fmt(l.cost)}`}`);
  }
};
const sum = (lines: Line[]) => lines.reduce((s, l) => s + (l.cost ?? 0), 0);
const unpriced = (lines: Line[]) => lines.filter((l) => l.cost === undefined).length;

const out: Record<string, unknown> = {};
for (const list of lists) {
  const b = bill(w, measured, list, d, lambdaMs ? { lambdaMsPerCall: Number(lambdaMs) } : { times: measuredTimes?.times });
  const i = idle(w, list, d, measured);
  const usd = list.currency === "USD";
  out[list.region] = { ...b, idle: i, targets: usd ? { county: verdict(b.lines, TARGETS_USD.county), idle: verdict(i.lines, TARGETS_USD.idle) } : undefined };
  console.log(`\n━━ ${list.region} (${list.currency}, prices read ${list.retrieved}${Object.values(list.prices).some((p) => p.read) ? " and later, see the file" : ""}) ━━`);
  printLines(b.lines, list.currency);
  console.log(`  ${`total (priced lines only; ${unpriced(b.lines)} of ${b.lines.length} lines not priced)`.padEnd(102)} ${list.currency} ${fmt(b.total, 2)}`);
  console.log(`  ${"photos (a year kept, outside the targets)".padEnd(102)} ${b.photos === undefined ? "no price" : `${list.currency} ${fmt(b.photos, 2)}`}`);
  const byService = new Map<string, number>();
  for (const l of b.lines) byService.set(l.service, (byService.get(l.service) ?? 0) + (l.cost ?? 0));
  const max = Math.max(...byService.values());
  console.log("  by service:");
  for (const [s, v] of [...byService].sort((a, z) => z[1] - a[1])) console.log(`    ${s.padEnd(11)} ${bar(v, max).padEnd(40)} ${list.currency} ${fmt(v, 4)}`);

  console.log(`\n  idle county (no traffic; its data, key, alarms and schedules stay):`);
  printLines(i.lines, list.currency);
  console.log(`  ${`idle total (priced lines only; ${unpriced(i.lines)} of ${i.lines.length} lines not priced)`.padEnd(102)} ${list.currency} ${fmt(i.total, 2)}`);

  if (usd) {
    const county = verdict(b.lines, TARGETS_USD.county);
    const idleV = verdict(i.lines, TARGETS_USD.idle);
    console.log(`\n  targets: ${givenText ? "the reference county's target applied to this county:" : "reference county"} ≤ $${TARGETS_USD.county}/month excluding photos: ${county.toUpperCase()} ($${fmt(b.total, 2)}${unpriced(b.lines) ? " and more" : ""})`);
    console.log(`           idle ≤ $${TARGETS_USD.idle}/month: ${idleV.toUpperCase()} ($${fmt(i.total, 2)}${unpriced(i.lines) ? " and more" : ""})`);
    const key = i.lines.find((l) => l.service === "KMS")?.cost ?? 0;
    if (key >= TARGETS_USD.idle)
      console.log(
        `           the customer-managed KMS key alone costs $${fmt(key, 2)}/month: idle ≤ $${TARGETS_USD.idle} is impossible while residents' ID numbers and phones are sealed under a key of the county's own (an AWS-managed key cannot be used by our code; docs/cost.md "Idle").`,
      );
    if (d.kmsKeys === 1) {
      // the cheaper option: one key shared by several county stacks of the account, each under its own encryption context
      const sharedIdle = (n: number) => idle(w, list, deployment({ ...process.env, WANGGE_REGISTRY_KEY_ARN: "arn:aws:kms:us-east-1:111122223333:key/00000000-0000-0000-0000-000000000000", WANGGE_REGISTRY_KEY_SHARED_BY: String(n) }), measured).total;
      const enough = [2, 3, 4, 5, 6, 8, 10, 20].find((n) => sharedIdle(n) <= TARGETS_USD.idle);
      console.log(
        `           cheaper: WANGGE_REGISTRY_KEY_ARN at deploy (stacks/settings.ts), one key shared by the county stacks of an account, each county under its own encryption context: idle $${fmt(sharedIdle(2), 2)} with 2 counties, $${fmt(sharedIdle(4), 2)} with 4${enough ? ` (≤ $${TARGETS_USD.idle} from ${enough})` : ""}; docs/cost.md "Idle".`,
      );
    }
    {
      // the other alarm setting's effect (default account-wide; WANGGE_FUNCTION_ALARMS=function names each function)
      const other = functionAlarmScope() === "function" ? "account" : "function";
      const alarmLine = (x: Line[]) => x.find((l) => l.service === "CloudWatch" && l.unit === "alarm-months")!;
      const now = alarmLine(i.lines);
      const then = alarmLine(idle(w, list, deployment({ ...process.env, WANGGE_FUNCTION_ALARMS: other }), measured).lines);
      console.log(
        `           with WANGGE_FUNCTION_ALARMS=${other} at deploy (stacks/settings.ts): ${then.quantity} alarms instead of ${now.quantity}, 10 free a month (${then.cost === undefined ? "alarm price not found" : `$${fmt(then.cost, 2)} instead of $${fmt(now.cost ?? 0, 2)}`}); docs/cost.md "Alarms".`,
      );
    }
  } else {
    console.log(`\n  targets are stated in USD: no verdict for ${list.currency}; most ${list.region} lines have no price (below).`);
    const other = functionAlarmScope() === "function" ? "account" : "function";
    const then = idle(w, list, deployment({ ...process.env, WANGGE_FUNCTION_ALARMS: other }), measured);
    console.log(`  WANGGE_FUNCTION_ALARMS=${other} (docs/cost.md "Alarms"): idle priced lines ${list.currency} ${fmt(then.total, 2)} instead of ${fmt(i.total, 2)}.`);
  }
  if (list.missing.length) console.log(`  not priced (no price found, left out of the totals): ${list.missing.join("; ")}`);
  if (b.unmeasured.length) console.log(`  operations without a measurement (left out): ${b.unmeasured.join(", ")}`);
}
if (process.argv.includes("--json")) console.log(JSON.stringify(out, null, 2));
