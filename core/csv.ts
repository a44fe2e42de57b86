/**
 * The one CSV writer for every file people open in a spreadsheet (exports, appraisals, unit
 * exports, job error reports): UTF-8 with a byte-order mark (so Excel reads Chinese), CRLF lines,
 * RFC 4180 quoting, and cells a spreadsheet would run as a formula (starting with `= + - @`, tab
 * or CR, OWASP "CSV injection") prefixed with `'`. Plain numbers (`-3`, `-2.5`) are not formulas
 * and stay as they are. Reading (core/job/csv.ts `parseCsv`) removes exactly one such `'`, and the
 * writer also prefixes text that already starts with `'` before a formula character, so what is
 * written reads back unchanged. Pure.
 */
export const BOM = "\uFEFF";

const FORMULA = /^'*[=+\-@\t\r]/;
const PLAIN_NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;

/** One cell, neutralised and quoted as needed. Arrays are joined with `;`. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  let s = Array.isArray(value) ? value.join(";") : String(value);
  if (FORMULA.test(s) && !PLAIN_NUMBER.test(s)) s = `'${s}`;
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Undo `csvCell`'s neutralisation on a field read back. */
export const unneutralise = (field: string): string => (/^'+[=+\-@\t\r]/.test(field) && !PLAIN_NUMBER.test(field.slice(1)) ? field.slice(1) : field);

/** One record with its CRLF. */
export const csvLine = (cells: unknown[]): string => `${cells.map(csvCell).join(",")}\r\n`;

/** A whole document: BOM, header, rows. */
export function toCsv(header: unknown[], rows: unknown[][]): string {
  return BOM + csvLine(header) + rows.map(csvLine).join("");
}
