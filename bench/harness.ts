import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export type Row = Record<string, number | string>;
export interface BenchResult {
  name: string;
  rows: Row[];
  notes?: string[];
  /** `--md`: the section's heading in docs/benchmarks.md (default: the name) and markdown after its table */
  title?: string;
  markdown?: string;
}

export const resultsDir = fileURLToPath(new URL("./results/", import.meta.url));

export function quantile(sorted: number[], q: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

export const round = (n: number, digits = 2): number => Number(n.toFixed(digits));

/** Print rows as an aligned table. */
export function table(rows: Row[]): string {
  if (!rows.length) return "(no rows)";
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cell = (v: unknown) => (v === undefined ? "" : typeof v === "number" ? v.toLocaleString("en", { maximumFractionDigits: 2 }) : String(v));
  const width = cols.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (vals: string[]) => vals.map((v, i) => (i === 0 ? v.padEnd(width[i]) : v.padStart(width[i]))).join("  ");
  return [line(cols), line(width.map((w) => "-".repeat(w))), ...rows.map((r) => line(cols.map((c) => cell(r[c]))))].join("\n");
}

export function save(id: string, result: BenchResult, meta: Record<string, unknown>): string {
  mkdirSync(resultsDir, { recursive: true });
  const file = `${resultsDir}${id}.json`;
  writeFileSync(file, JSON.stringify({ ...result, ...meta }, null, 2));
  return file;
}

/** A progress line that rewrites itself on a terminal and prints plainly otherwise. */
export function progress(label: string, total: number): (done: number) => void {
  let last = -1;
  return (done) => {
    const pct = total ? Math.floor((done / total) * 100) : 100;
    if (pct === last && done !== total) return;
    last = pct;
    const msg = `  ${label} ${done}/${total} (${pct}%)`;
    if (process.stdout.isTTY) process.stdout.write(`\r${msg}${done >= total ? "\n" : ""}`);
    else if (pct % 25 === 0 || done === total) console.log(msg);
  };
}

/** Rows as a GitHub markdown table (numbers right-aligned). */
export function markdownTable(rows: Row[]): string {
  if (!rows.length) return "(no rows)";
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cell = (v: unknown) => (v === undefined ? "" : typeof v === "number" ? v.toLocaleString("en", { maximumFractionDigits: 2 }) : String(v).replace(/\|/g, "\\|"));
  const numeric = cols.map((c) => rows.every((r) => r[c] === undefined || r[c] === "" || typeof r[c] === "number"));
  return [`| ${cols.join(" | ")} |`, `| ${numeric.map((n) => (n ? "---:" : "---")).join(" | ")} |`, ...rows.map((r) => `| ${cols.map((c) => cell(r[c])).join(" | ")} |`)].join("\n");
}

/**
 * Replace (or append) the section of `file` between `<!-- bench:<id>:start -->` and
 * `<!-- bench:<id>:end -->`, leaving everything else in the file as it is: benches write their own
 * sections of docs/benchmarks.md, people may write around them.
 */
export function writeMarkdownSection(file: string, id: string, body: string, header = "# Benchmarks\n\nMeasured by `npm run bench -- <name> --md`; each section is replaced when its bench runs again.\n"): void {
  const start = `<!-- bench:${id}:start -->`;
  const end = `<!-- bench:${id}:end -->`;
  const section = `${start}\n${body.trim()}\n${end}`;
  const text = existsSync(file) ? readFileSync(file, "utf8") : header;
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  const next = a >= 0 && b > a ? text.slice(0, a) + section + text.slice(b + end.length) : `${text.trimEnd()}\n\n${section}\n`;
  writeFileSync(file, next);
}
