/**
 * The writer of the list workbooks (templates and exports; layout in core/xlsx/book.ts): headers,
 * the key row, rows or the template's example row, validation lists (long ones on the hidden
 * `选项` sheet), text columns, notes and the help sheet. Apart from the reader (book.ts) so that a
 * template or export route loads only ooxml-write.ts and core/zip.ts (issue #15).
 */
import type { ListSpec } from "./specs.ts";
import { columnLetter, writeWorkbook, type Style, type Validation, type WSheet } from "./ooxml-write.ts";

/** Data rows given validation lists and text formats in a written sheet (beyond the rows written). */
const SPARE_ROWS = 2000;
/** First data row (after the Chinese names and the machine keys). */
export const FIRST_DATA_ROW = 3;

/** Values of a validation list longer than this go to the hidden sheet `选项` (Excel caps an inline list at 255 characters). */
const INLINE_LIST_MAX = 250;
export const CHOICES_SHEET = "选项";

/** One sheet to write: its spec, its rows, and validation lists known only at run time (e.g. the caller's unit codes) by column key. */
export interface SheetData {
  spec: ListSpec;
  rows: Record<string, string>[];
  lists?: Record<string, string[]>;
}

/** Write a list sheet: headers, key row, `rows` (or the example row for a template), validations, help sheet. */
export async function writeBook(spec: ListSpec, rows: Record<string, string>[], opts: { template: boolean }): Promise<Uint8Array> {
  return writeSheets([{ spec, rows }], opts);
}

/** Write a workbook of one or more list sheets (in order), each with its validations, and one help sheet. */
export async function writeSheets(sheets: SheetData[], opts: { template: boolean }): Promise<Uint8Array> {
  // long lists go to a hidden sheet after the list sheets, one column each (the same list once)
  const choiceLists: string[][] = [];
  const listFormula = (values: string[]): string => {
    const inline = `"${values.join(",")}"`;
    if (inline.length <= INLINE_LIST_MAX && !values.some((v) => v.includes(","))) return inline;
    let n = choiceLists.findIndex((l) => l.length === values.length && l.every((v, i) => v === values[i]));
    if (n < 0) n = choiceLists.push(values) - 1;
    const letter = columnLetter(n + 1);
    return `'${CHOICES_SHEET}'!$${letter}$1:$${letter}$${Math.max(1, values.length)}`;
  };
  const out: WSheet[] = [];
  for (const { spec, rows, lists } of sheets) {
    const head: Style = { bold: true, fill: "FFDDEBF7" };
    const keyRow: Style = { italic: true, size: 9, color: "FF808080" };
    const body = opts.template ? [spec.example] : rows;
    const exampleStyle: Style | undefined = opts.template ? { italic: true, color: "FF808080" } : undefined;
    const notes: Record<string, string> = {};
    spec.columns.forEach((c, i) => {
      if (c.help) notes[`${columnLetter(i + 1)}1`] = c.help;
    });
    if (opts.template) notes[`A${FIRST_DATA_ROW}`] = "示例行：原样保留时导入会跳过它，可以删除或改成真实数据。";
    const last = FIRST_DATA_ROW + body.length + SPARE_ROWS;
    const validations: Validation[] = [];
    spec.columns.forEach((c, i) => {
      const values = lists?.[c.key] ?? c.list;
      if (!values?.length) return;
      const letter = columnLetter(i + 1);
      validations.push({
        sqref: `${letter}${FIRST_DATA_ROW}:${letter}${last}`,
        formula: listFormula(values),
        allowBlank: !c.required,
        errorStyle: "warning",
        errorTitle: c.zh,
        error: values.length <= 12 ? `请从列表中选择：${values.join("、")}` : "请从下拉列表中选择",
      });
    });
    out.push({
      name: spec.sheet,
      frozenRows: 2,
      // text columns stay text: a code 01 or a phone number typed into them keeps its digits
      // (a column style: Excel gives it to the cells typed in; no empty rows are written)
      cols: spec.columns.map((c) => ({ width: c.width ?? 14, style: c.text ? { numFmt: "@" as const } : undefined })),
      rows: [
        spec.columns.map((c) => ({ v: `${c.zh}${c.required ? "*" : ""}`, style: head })),
        spec.columns.map((c) => ({ v: c.key, style: keyRow })),
        ...body.map((r) => spec.columns.map((c) => ({ v: r[c.key] ?? "", style: exampleStyle }))),
      ],
      validations,
      notes,
    });
  }
  if (choiceLists.length) {
    const height = Math.max(...choiceLists.map((l) => l.length));
    out.push({ name: CHOICES_SHEET, state: "hidden", rows: Array.from({ length: height }, (_, r) => choiceLists.map((l) => l[r] ?? null)) });
  }
  const bold = (cells: string[]) => cells.map((v) => ({ v, style: { bold: true } }));
  const help: WSheet["rows"] = [];
  for (const { spec } of sheets) {
    if (sheets.length > 1) help.push(bold([`表“${spec.sheet}”`]));
    help.push(bold(["列", "列名", "键", "必填", "说明"]));
    spec.columns.forEach((c, i) => help.push([columnLetter(i + 1), c.zh, c.key, c.required ? "是" : "", c.help ?? ""]));
    help.push([]);
    for (const line of spec.notes) help.push([line]);
    help.push([]);
  }
  out.push({ name: "填写说明", cols: [undefined, { width: 16 }, { width: 16 }, undefined, { width: 80 }], rows: help });
  return writeWorkbook(out, { creator: "wangge", level: opts.template ? 1 : 6 }); // templates: the cheaper deflate (ooxml-write.ts zip)
}

