/**
 * The appraisal screens' pure parts: band colours, months, CSV of any table (UTF-8 with a BOM,
 * formula-looking cells neutralised), the import error table from the API's field issues, and
 * the rules editor's checks. Tested in model.test.ts.
 */

import { BOM, csvCell, toCsv } from "../../../core/csv.ts";
import { saveBlob } from "../common/saveBlob.ts";

/** One CSV cell and a whole table: the product's one CSV writer (core/csv.ts, pure). */
export { BOM };
export const csvField = csvCell;

export type Band = { min: number; color: string; label: string; name?: string; rank?: number };

/** CSS colours of the band colour names the presets use; any other name is used as CSS as it is. */
const BAND_CSS: Record<string, string> = {
  red: "#d32f2f",
  yellow: "#fbc02d",
  orange: "#f57c00",
  blue: "#1976d2",
  green: "#388e3c",
};
export const NA_CSS = "#bdbdbd";

export const bandCss = (color: string | null | undefined): string => (color ? (BAND_CSS[color] ?? color) : NA_CSS);

/** Black or white text on a band colour. */
export const bandText = (color: string | null | undefined): string => (color === "yellow" || color === "orange" ? "#212121" : "#fff");

/** The county month ("2026-03") of an instant in Asia/Shanghai. */
export function monthOf(at: Date, timeZone = "Asia/Shanghai"): string {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit" }).formatToParts(at);
  return `${parts.find((p) => p.type === "year")!.value}-${parts.find((p) => p.type === "month")!.value}`;
}

export function shiftMonth(period: string, months: number): string {
  const [y, m] = period.split("-").map(Number);
  const i = y * 12 + (m - 1) + months;
  return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, "0")}`;
}

export const isMonth = (s: string | null | undefined): s is string => !!s && /^\d{4}-(0[1-9]|1[0-2])$/.test(s);

/** A CSV document of a table: UTF-8 byte-order mark, CRLF, text that would start a formula neutralised. */
export const tableCsv = (header: string[], rows: unknown[][]): string => toCsv(header, rows);

/** Offer `csv` as a download named `filename` (browser only). */
export const downloadCsv = (filename: string, csv: string): void => saveBlob(filename, new Blob([csv], { type: "text/csv;charset=utf-8" }));

export type ImportError = { line: number | null; field: string; message: string; key: string; params: Record<string, string> };

/**
 * What a server message about an imported row says, as a translation key and its parameters
 * (the server speaks English; the table shows the console's language).
 */
export function rowMessage(message: string): { key: string; params: Record<string, string> } {
  const m = (re: RegExp) => re.exec(message);
  let x: RegExpExecArray | null;
  if ((x = m(/^(.*): above the maximum (.+)$/))) return { key: "above_max", params: { key: x[1], max: x[2] } };
  if ((x = m(/^(.*): below the minimum (.+)$/))) return { key: "below_min", params: { key: x[1], min: x[2] } };
  if ((x = m(/^(.*): built-in indicators are computed, not entered$/))) return { key: "builtin", params: { key: x[1] } };
  if ((x = m(/^(.*): unknown indicator$/))) return { key: "unknown_indicator", params: { key: x[1] } };
  if ((x = m(/^(.*): inactive indicator$/))) return { key: "inactive_indicator", params: { key: x[1] } };
  if ((x = m(/^unknown or inactive unit (.*)$/))) return { key: "unknown_unit", params: { unit: x[1] } };
  if ((x = m(/^a month YYYY-MM, not "(.*)"$/))) return { key: "bad_month", params: { value: x[1] } };
  if ((x = m(/^(\S+) is not the month being imported \((.+)\)$/))) return { key: "other_month", params: { value: x[1], period: x[2] } };
  if (message === "not a number") return { key: "not_a_number", params: {} };
  if (message === "required") return { key: "required", params: {} };
  if (message === "outside your part of the hierarchy") return { key: "out_of_scope", params: {} };
  return { key: "other", params: { message } };
}

/**
 * The API's field issues of an import (`rows.<line>.<field>` for CSV, `items.<i>.values.<key>`
 * for JSON) as table rows: line (CSV line, or JSON item number from 1), field, message.
 */
export function importErrors(fields: readonly { path: string; message: string }[]): ImportError[] {
  return fields.map((f) => {
    const csv = /^rows\.(\d+)(?:\.(\w+))?$/.exec(f.path);
    const json = /^items\.(\d+)(?:\.(?:values\.)?(.+))?$/.exec(f.path);
    const line = csv ? Number(csv[1]) : json ? Number(json[1]) + 1 : null;
    const field = csv ? (csv[2] ?? "") : json ? (json[2] ?? "") : f.path;
    return { line, field, message: f.message, ...rowMessage(f.message) };
  });
}

/** The row numbers (1-based CSV lines) a text has, header included: to show the bad lines beside their errors. */
export const csvLines = (text: string): string[] => text.replace(/^\uFEFF/, "").split(/\r\n|\n|\r/);

export type RulesDraft = {
  fiveColor: { indicators: { key: string; weight: number; direction?: string; min?: number; max?: number }[]; bands: Band[]; levels: string[] };
  department: Record<string, unknown> & { weights: Record<string, number>; grades: { grade: string; min: number }[] };
  worker: { weights: Record<string, number>; grades: { grade: string; min: number }[] };
  points: Record<string, number>;
};

/** Problems the editor shows before saving (the API checks again): path → translation key. */
export function draftProblems(d: RulesDraft): Record<string, string> {
  const out: Record<string, string> = {};
  const bands = d.fiveColor.bands;
  if (bands[0]?.min !== 0) out["fiveColor.bands.0.min"] = "app.appraisals.rules.first_band_zero";
  for (let i = 1; i < bands.length; i++) if (!(bands[i].min > bands[i - 1].min)) out[`fiveColor.bands.${i}.min`] = "app.appraisals.rules.bands_rise";
  const keys = d.fiveColor.indicators.map((i) => i.key);
  if (!keys.length) out["fiveColor.indicators"] = "app.appraisals.rules.need_indicator";
  keys.forEach((k, i) => {
    if (keys.indexOf(k) !== i) out[`fiveColor.indicators.${i}.key`] = "app.appraisals.rules.indicator_twice";
  });
  d.fiveColor.indicators.forEach((r, i) => {
    if (!(r.weight > 0)) out[`fiveColor.indicators.${i}.weight`] = "app.appraisals.rules.weight_positive";
    if (r.min !== undefined && r.max !== undefined && !(r.min < r.max)) out[`fiveColor.indicators.${i}.max`] = "app.appraisals.rules.max_above_min";
  });
  return out;
}

/** The share of each weight in their sum, in percent (one decimal). */
export function weightShares(weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + (b > 0 ? b : 0), 0);
  return weights.map((w) => (sum > 0 && w > 0 ? Math.round((1000 * w) / sum) / 10 : 0));
}
