/**
 * CSV for spreadsheet users (pure): UTF-8 with a byte-order mark (so Excel opens Chinese text
 * correctly), CRLF line ends, RFC 4180 quoting, and cells that a spreadsheet would run as a
 * formula (`= + - @`, tab, CR) prefixed with `'`.
 */
export const BOM = "\uFEFF";

export function csvCell(value: unknown): string {
  let s = value === null || value === undefined ? "" : Array.isArray(value) ? value.join(";") : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const csvLine = (cells: unknown[]): string => `${cells.map(csvCell).join(",")}\r\n`;

export function toCsv(header: string[], rows: unknown[][]): string {
  return BOM + csvLine(header) + rows.map(csvLine).join("");
}
