/**
 * Excel workbooks of the lists counties keep in Excel (staff, departments, categories): the
 * template and export writer, the reader of a filled file, and the corrected file (the uploaded
 * workbook with an `错误` column on the rejected rows). docs/setup.md "Excel".
 *
 * Layout of every list sheet: row 1 the Chinese column names (`*` marks a required one), row 2 the
 * machine keys (grey), data from row 3. A reader finds the columns by key or by Chinese name in the
 * first rows, so a sheet without the key row reads the same; unknown columns (e.g. `错误`) are ignored.
 *
 * The workbooks are written and read by core/xlsx/ooxml-write.ts and ooxml-read.ts (node:zlib and XML
 * strings, no exceljs): only the functions that build or read a workbook load this module. The
 * writer of templates and exports is core/xlsx/book-write.ts (re-exported here), so a template or
 * export route does not load the reader.
 */
import { InvalidError } from "../errors.ts";
import type { ListSpec } from "./specs.ts";
import { columnLetter } from "./ooxml-write.ts";
import { Book, type Sheet, type Value } from "./ooxml-read.ts";
import { CHOICES_SHEET } from "./book-write.ts";

export { XLSX_TYPE } from "./schema.ts";
export { FIRST_DATA_ROW, writeBook, writeSheets, type SheetData } from "./book-write.ts";

export { columnLetter };

/** A cell's value: as read (ooxml-read.ts), or rich text and formula objects as exceljs gives them. */
export type CellValue = Value | undefined | { richText: Array<{ text?: string }> } | { formula?: string; sharedFormula?: string; result?: CellValue } | { text: string } | { error: string };

/** The text of a cell as a person sees it: numbers without exponent, rich text joined, formulas by result. */
export function cellText(v: CellValue): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "string") return v.trim();
  if (typeof v === "number") return Number.isInteger(v) ? BigInt(v).toString() : String(v);
  if (typeof v === "boolean") return v ? "TRUE" : "FALSE";
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  const o = v as unknown as Record<string, unknown>;
  if (Array.isArray(o.richText)) return (o.richText as Array<{ text?: string }>).map((r) => r.text ?? "").join("").trim();
  if ("formula" in o || "sharedFormula" in o) return cellText(o.result as CellValue);
  if (typeof o.text === "string") return o.text.trim();
  return "";
}

const normalise = (s: string) => s.replace(/[*＊\s（）()]/g, "").toLowerCase();

export interface SheetRow {
  /** the row number Excel shows */
  line: number;
  cells: Record<string, string>;
}

export interface ReadSheet {
  rows: SheetRow[];
  /** machine key → 1-based column */
  columns: Map<string, number>;
  sheetName: string;
}

function loadBook(bytes: Uint8Array): Book {
  return Book.open(bytes);
}

/** The sheet of the list: the one named as in the template, else (a one-sheet list) the first sheet. */
function listSheet(wb: Book, spec: ListSpec, strict = false): Sheet | undefined {
  if (wb.sheets.some((w) => w.name === spec.sheet)) return wb.sheet(spec.sheet);
  const other = strict ? undefined : wb.sheets.find((w) => w.name !== "填写说明" && w.name !== CHOICES_SHEET);
  return other && wb.sheet(other.name);
}

/** Header rows: the first of rows 1–3 naming columns of the list (by key or Chinese name), and a key row after it. */
function findColumns(ws: Sheet, spec: ListSpec): { columns: Map<string, number>; firstData: number } {
  const byName = new Map<string, string>();
  for (const c of spec.columns) {
    byName.set(normalise(c.key), c.key);
    byName.set(normalise(c.zh), c.key);
    for (const a of c.aliases ?? []) byName.set(normalise(a), c.key);
  }
  const match = (r: number) => {
    const found = new Map<string, number>();
    for (let col = 1; col <= ws.columnCount; col++) {
      const value = ws.value(r, col);
      if (value === null) continue;
      const key = byName.get(normalise(cellText(value)));
      if (key && !found.has(key)) found.set(key, col);
    }
    return found;
  };
  let best = { row: 0, columns: new Map<string, number>() };
  for (let r = 1; r <= 3; r++) {
    const m = match(r);
    if (m.size > best.columns.size) best = { row: r, columns: m };
  }
  if (!best.row) throw new InvalidError("The sheet has no header row naming the columns of the template", { problem: "xlsx_missing_columns", line: 1, missing: spec.columns.filter((c) => c.required).map((c) => c.key) });
  let firstData = best.row + 1;
  // the key row under the Chinese names (or names under keys): a second header row
  const next = match(firstData);
  if (next.size >= Math.min(2, best.columns.size)) {
    for (const [k, v] of next) if (!best.columns.has(k)) best.columns.set(k, v);
    firstData++;
  }
  const missing = spec.columns.filter((c) => c.required && !best.columns.has(c.key)).map((c) => c.key);
  if (missing.length) {
    throw new InvalidError(`The sheet misses required columns: ${missing.join(", ")}`, { problem: "xlsx_missing_columns", line: best.row, missing });
  }
  return { columns: best.columns, firstData };
}

/** Read the list sheet of an uploaded workbook into rows of text by column key (blank rows and the untouched example row skipped). */
export async function readBook(bytes: Uint8Array, spec: ListSpec): Promise<ReadSheet> {
  const ws = listSheet(loadBook(bytes), spec);
  if (!ws) throw new InvalidError("The workbook has no sheet", { problem: "xlsx_no_sheet", line: 0 });
  return readSheet(ws, spec);
}

/**
 * Read the sheets of a workbook of several lists (households and people), each found by its name;
 * a sheet that is absent is left out of the answer (the caller says which it needs).
 */
export async function readSheets(bytes: Uint8Array, specs: ListSpec[]): Promise<Map<string, ReadSheet>> {
  const wb = loadBook(bytes);
  const out = new Map<string, ReadSheet>();
  for (const spec of specs) {
    const ws = listSheet(wb, spec, specs.length > 1);
    if (ws) out.set(spec.sheet, readSheet(ws, spec));
  }
  if (!out.size) throw new InvalidError(`The workbook has none of the sheets ${specs.map((s) => s.sheet).join(", ")}`, { problem: "xlsx_no_sheet", line: 0 });
  return out;
}

function readSheet(ws: Sheet, spec: ListSpec): ReadSheet {
  let found: ReturnType<typeof findColumns>;
  try {
    found = findColumns(ws, spec);
  } catch (e) {
    if (e instanceof InvalidError) (e.details as Record<string, unknown>).sheet = ws.name;
    throw e;
  }
  const { columns, firstData } = found;
  const rows: SheetRow[] = [];
  for (let r = firstData; r <= ws.rowCount; r++) {
    const cells: Record<string, string> = {};
    for (const [key, col] of columns) cells[key] = cellText(ws.value(r, col));
    if (Object.values(cells).every((v) => v === "")) continue;
    if (isExample(cells, spec)) continue;
    rows.push({ line: r, cells });
  }
  return { rows, columns, sheetName: ws.name };
}

function isExample(cells: Record<string, string>, spec: ListSpec): boolean {
  return spec.columns.every((c) => (cells[c.key] ?? "") === (spec.example[c.key] ?? ""));
}

/**
 * The uploaded workbook with an `错误` column after the last one: each rejected row carries its
 * reasons (red), the other rows none.
 */
export async function correctedBook(bytes: Uint8Array, spec: ListSpec, reasons: Map<number, string>, opts: { header: string } = { header: "错误" }): Promise<Uint8Array> {
  return correctedSheets(bytes, [spec], new Map([[spec.sheet, reasons]]), opts);
}

/**
 * The same for a workbook of several sheets: `reasons` by sheet name, then by row. `values` (by
 * sheet, row and column key) are written into cells first: the registry puts the record id on rows
 * written and masks their personal values (core/xlsx/registry-apply.ts), so the stored file keeps
 * plaintext only where a row is still to fix, and the corrected file imports back unchanged.
 */
export async function correctedSheets(
  bytes: Uint8Array,
  specs: ListSpec[],
  reasons: Map<string, Map<number, string>>,
  opts: { header: string | null } = { header: "错误" },
  values?: Map<string, Map<number, Record<string, string>>>,
): Promise<Uint8Array> {
  const wb = loadBook(bytes);
  const styles = wb.styles();
  for (const spec of specs) {
    const ws = listSheet(wb, spec, specs.length > 1);
    if (!ws) continue;
    const { columns, firstData } = findColumns(ws, spec);
    const set = values?.get(spec.sheet);
    if (set?.size) {
      for (const [line, cells] of set) {
        for (const [key, value] of Object.entries(cells)) {
          let col = columns.get(key);
          if (!col) {
            // the column was left out of the upload: add it (with its header) after the last
            col = Math.max(ws.columnCount, ...columns.values()) + 1;
            const c = spec.columns.find((x) => x.key === key);
            ws.set(1, col, c?.zh ?? key, styles);
            if (firstData > 2) ws.set(2, col, key, styles);
            columns.set(key, col);
          }
          ws.set(line, col, value, styles);
        }
      }
    }
    if (opts.header === null) continue; // only the values written
    const mine = reasons.get(spec.sheet) ?? new Map<number, string>();
    // an earlier corrected file's error column is reused (a file fixed and uploaded again)
    let errorCol = 0;
    for (const [col, cell] of ws.cells(1)) {
      if (["错误", "error", "errors"].includes(normalise(cellText(cell.value)))) errorCol = Math.max(errorCol, col);
    }
    if (!errorCol) errorCol = Math.max(ws.columnCount, ...columns.values()) + 1;
    ws.set(1, errorCol, opts.header, styles, { bold: true, color: "FFC00000" });
    if (firstData > 2) ws.set(2, errorCol, "error", styles);
    ws.setWidth(errorCol, 60);
    const last = ws.rowCount;
    for (let r = firstData; r <= last; r++) {
      const reason = mine.get(r);
      if (!reason) {
        ws.set(r, errorCol, null, styles);
        continue;
      }
      ws.set(r, errorCol, reason, styles, { color: "FFC00000", wrap: true, vertical: "top" });
      ws.restyleRow(r, styles, { fill: "FFFDE9E7" }, errorCol, Math.max(errorCol - 1, ...columns.values()));
    }
  }
  return wb.toBytes();
}

/** The workbook with one column's cells emptied on every data row but `keep` (initial passwords once used). */
export async function clearColumn(bytes: Uint8Array, spec: ListSpec, key: string, keep: Set<number>): Promise<Uint8Array> {
  const wb = loadBook(bytes);
  const ws = listSheet(wb, spec);
  if (!ws) return bytes;
  const { columns, firstData } = findColumns(ws, spec);
  const col = columns.get(key);
  if (!col) return bytes;
  const styles = wb.styles();
  for (let r = firstData; r <= ws.rowCount; r++) {
    if (keep.has(r)) continue;
    const cells = Object.fromEntries([...columns].map(([k, c]) => [k, cellText(ws.value(r, c))]));
    if (!isExample(cells, spec)) ws.set(r, col, null, styles); // the example row stays the example (skipped)
  }
  return wb.toBytes();
}
