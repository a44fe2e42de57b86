/**
 * A small .xlsx reader on node:zlib (core/unzip.ts, core/zip.ts) and regular expressions, and the in-place edit of an uploaded
 * workbook (the corrected file): docs/setup.md "Excel". It reads what Excel, WPS, LibreOffice and
 * exceljs write — sheets by name in the workbook's order and state, shared strings (rich text runs
 * joined, phonetic runs left out), inline strings, `t="str"` formula results and the cached result
 * of any formula, booleans, numbers, dates by their number format (1900 and 1904 systems), cells
 * and rows without `r` attributes; error cells read as empty.
 *
 * An edited workbook keeps every part of the upload as it came (styles, other sheets, notes,
 * validations, merged cells, formulas); only the edited sheets' cells are rewritten (the new values
 * as inline strings, their styles appended to the uploaded style sheet) and the calculation chain is
 * dropped (Excel rebuilds it).
 */
import { InvalidError } from "../errors.ts";
import { cellXml, columnLetter, StyleBook, type Style } from "./ooxml-write.ts";
import { unzip } from "../unzip.ts";
import { zip } from "../zip.ts";

/** A cell's value as read: text, number, boolean, date (by its number format) or nothing. */
export type Value = string | number | boolean | Date | null;

const utf8 = new TextDecoder();

/** Uncompressed size a workbook may expand to (an upload is at most 4 MiB; this refuses zip bombs). */
const MAX_EXPANDED = 256 * 1024 * 1024;

const ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };
/** XML character data → text (entities, character references, and Excel's `_xHHHH_` escapes). */
export function xmlText(s: string): string {
  return s
    .replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (m, e: string) =>
      e[0] === "#" ? String.fromCodePoint(e[1] === "x" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10)) : (ENTITIES[e] ?? m),
    )
    .replace(/_x([0-9A-Fa-f]{4})_/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

/** The attributes of an element's opening tag (namespace prefixes dropped: `r:id` → `id`). */
export function attrs(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of tag.matchAll(/([\w.-]+:)?([\w.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
    // an unprefixed attribute wins over a prefixed one of the same local name
    if (!(m[2] in out) || !m[1]) out[m[2]] = xmlText(m[3] ?? m[4] ?? "");
  }
  return out;
}

/** Elements `name` (any namespace prefix) in `xml`: their attributes' text and their content. */
const patterns = new Map<string, RegExp>();
function elements(xml: string, name: string): Array<{ attrs: string; body: string; at: number; xml: string }> {
  let re = patterns.get(name);
  if (!re) patterns.set(name, (re = new RegExp(`<(?:[\\w.-]+:)?${name}(?=[\\s/>])([^>]*?)(?:/>|>([\\s\\S]*?)</(?:[\\w.-]+:)?${name}>)`, "g")));
  return [...xml.matchAll(re)].map((m) => ({ attrs: m[1], body: m[2] ?? "", at: m.index, xml: m[0] }));
}

/** The text of a string item (`<si>` or `<is>`): its `<t>`, or its runs' `<t>` joined; phonetic runs left out. */
function itemText(body: string): string {
  const plain = body.replace(/<(?:[\w.-]+:)?rPh\b[\s\S]*?<\/(?:[\w.-]+:)?rPh>/g, "");
  return elements(plain, "t")
    .map((t) => xmlText(t.body))
    .join("");
}

/** Excel's serial day number → date, as exceljs reads it (1900 or 1904 system). */
export function excelDate(v: number, date1904: boolean): Date {
  return new Date(Math.round((v - 25569 + (date1904 ? 1462 : 0)) * 24 * 3600 * 1000));
}

/** A number format that shows a date or time: y m d h s (outside quotes and brackets); built-ins 14–22, 27–36, 45–47, 50–58. */
function isDateFormat(id: number, code: string | undefined): boolean {
  if (code === undefined) return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) || (id >= 50 && id <= 58);
  return /[ymdhMsb]/.test(code.replace(/\[[^\]]*]/g, "").replace(/"[^"]*"/g, ""));
}

interface Cell {
  value: Value;
  /** the cell's XML as uploaded (kept when the cell is not edited) */
  xml: string;
  s: number;
}

interface Row {
  /** the row's attributes but `r` and `spans` */
  attrs: string;
  cells: Map<number, Cell>;
}

/** A worksheet read: rows by number, each cell by 1-based column. */
export class Sheet {
  readonly rows = new Map<number, Row>();
  rowCount = 0;
  columnCount = 0;
  dirty = false;
  /** the XML before `<sheetData>` and after it */
  head = "";
  tail = "";
  private widths = new Map<number, number>();

  readonly name: string;
  readonly state: string;
  readonly path: string;

  constructor(name: string, state: string, path: string) {
    this.name = name;
    this.state = state;
    this.path = path;
  }

  /** merged ranges: each cell of one shows (and reads as) its top-left cell's value */
  merges: Array<{ top: number; left: number; bottom: number; right: number }> = [];

  /** The value at row `r`, column `c` (1-based); in a merged range, the range's. */
  value(r: number, c: number): Value {
    for (const m of this.merges) {
      if (r >= m.top && r <= m.bottom && c >= m.left && c <= m.right) return this.rows.get(m.top)?.cells.get(m.left)?.value ?? null;
    }
    return this.rows.get(r)?.cells.get(c)?.value ?? null;
  }

  /** The cells of row `r` that exist (empty cells carrying only a style included, as null). */
  cells(r: number): Map<number, Cell> {
    return this.rows.get(r)?.cells ?? new Map();
  }

  /** Write a value (null: none) into a cell, keeping the cell's style unless `style` adds to it. */
  set(r: number, c: number, value: string | null, styles: StyleBook, style?: Style): void {
    let row = this.rows.get(r);
    if (!row) this.rows.set(r, (row = { attrs: "", cells: new Map() }));
    const old = row.cells.get(c);
    if (!old && value === null && !style) return;
    const s = style ? styles.xf(style, old?.s ?? 0) : (old?.s ?? 0);
    const xml = cellXml(`${columnLetter(c)}${r}`, value, s, null);
    if (xml) row.cells.set(c, { value, xml, s });
    else row.cells.delete(c);
    this.rowCount = Math.max(this.rowCount, r);
    if (xml) this.columnCount = Math.max(this.columnCount, c);
    this.dirty = true;
  }

  /**
   * Give the cells of row `r` from column 1 to `last`, but column `except`, the look `style` added
   * to their own; a cell that is not there is written empty with its column's style and the look.
   */
  restyleRow(r: number, styles: StyleBook, style: Style, except: number, last: number): void {
    let row = this.rows.get(r);
    if (!row) this.rows.set(r, (row = { attrs: "", cells: new Map() }));
    for (let c = 1; c <= last; c++) {
      if (c === except) continue;
      const cell = row.cells.get(c);
      if (cell) {
        const s = styles.xf(style, cell.s);
        cell.xml = withAttr(cell.xml, "s", String(s));
        cell.s = s;
      } else {
        const s = styles.xf(style, this.columnStyle(c));
        row.cells.set(c, { value: null, xml: `<c r="${columnLetter(c)}${r}" s="${s}"/>`, s });
      }
    }
    this.dirty = true;
  }

  /** The style a column gives its empty cells (`<col style>`), 0 for none. */
  private columnStyle(c: number): number {
    for (const col of elements(this.head, "col")) {
      const a = attrs(col.attrs);
      if (Number(a.min) <= c && c <= Number(a.max)) return Number(a.style ?? 0);
    }
    return 0;
  }

  setWidth(c: number, width: number): void {
    this.widths.set(c, width);
    this.dirty = true;
  }

  /** The worksheet XML with the edits. */
  toXml(): string {
    const rows = [...this.rows.entries()]
      .filter(([, row]) => row.cells.size || row.attrs.trim())
      .sort(([a], [b]) => a - b)
      .map(([r, row]) => {
        const cells = [...row.cells.entries()].sort(([a], [b]) => a - b).map(([, cell]) => cell.xml);
        return `<row r="${r}"${row.attrs}${cells.length ? `>${cells.join("")}</row>` : "/>"}`;
      });
    let head = this.head.replace(/<(?:[\w.-]+:)?dimension\b[^>]*\/>/, `<dimension ref="A1:${columnLetter(Math.max(1, this.columnCount))}${Math.max(1, this.rowCount)}"/>`);
    if (this.widths.size) head = withWidths(head, this.widths);
    const open = /<((?:[\w.-]+:)?)sheetData\b[^>]*?\/?>$/.exec(head);
    const prefix = open?.[1] ?? "";
    const start = head.replace(/<((?:[\w.-]+:)?)sheetData\b[^>]*?\/?>$/, `<${prefix}sheetData>`);
    // a sheet written with a namespace prefix (`x:c`): the rows and cells written here take it too
    const body = prefix ? rows.join("").replace(/<(\/?)(row|c|v|is|t)(?=[\s/>])/g, `<$1${prefix}$2`) : rows.join("");
    return `${start}${body}</${prefix}sheetData>${this.tail}`;
  }
}

/** A tag's attribute set (added or replaced). */
function withAttr(xml: string, name: string, value: string): string {
  const open = /^<[\w.:-]+/.exec(xml)![0];
  const re = new RegExp(`^(<[^>]*?\\s)${name}="[^"]*"`);
  return re.test(xml) ? xml.replace(re, `$1${name}="${value}"`) : `${open} ${name}="${value}"${xml.slice(open.length)}`;
}

/** The `<cols>` of a sheet's head with the given columns' widths (ranges covering them split). */
function withWidths(head: string, widths: Map<number, number>): string {
  const colsRe = /<((?:[\w.-]+:)?)cols\b[^>]*>([\s\S]*?)<\/(?:[\w.-]+:)?cols>/;
  const found = colsRe.exec(head);
  const prefix = found?.[1] ?? /<((?:[\w.-]+:)?)sheetData\b/.exec(head)?.[1] ?? "";
  let cols = found ? elements(found[2], "col").map((c) => ({ ...numbers(attrs(c.attrs)), xml: c.xml })) : [];
  for (const [c, width] of widths) {
    const next: typeof cols = [];
    for (const col of cols) {
      if (col.min > c || col.max < c) next.push(col);
      else {
        if (col.min < c) next.push({ min: col.min, max: c - 1, xml: withAttr(withAttr(col.xml, "min", String(col.min)), "max", String(c - 1)) });
        if (col.max > c) next.push({ min: c + 1, max: col.max, xml: withAttr(withAttr(col.xml, "min", String(c + 1)), "max", String(col.max)) });
      }
    }
    next.push({ min: c, max: c, xml: `<${prefix}col min="${c}" max="${c}" width="${width}" customWidth="1"/>` });
    cols = next;
  }
  const xml = `<${prefix}cols>${cols.sort((a, b) => a.min - b.min).map((c) => c.xml).join("")}</${prefix}cols>`;
  return found ? head.replace(colsRe, xml) : head.replace(/<((?:[\w.-]+:)?)sheetData\b[^>]*?\/?>$/, (m) => `${xml}${m}`);
}

const numbers = (a: Record<string, string>) => ({ min: Number(a.min), max: Number(a.max) });

/** A cell's r, s and t (the attributes the reader needs) without parsing the others. */
function cellAttrs(tag: string): { r?: string; s?: string; t?: string } {
  if (tag.includes("'")) return attrs(tag);
  return { r: /(?:^|\s)r="([^"]*)"/.exec(tag)?.[1], s: /(?:^|\s)s="([^"]*)"/.exec(tag)?.[1], t: /(?:^|\s)t="([^"]*)"/.exec(tag)?.[1] };
}

/** Column number of a cell reference (`AB12` → 28); 0 if it has none. */
function refColumn(ref: string): number {
  let c = 0;
  for (const ch of ref) {
    const code = ch.charCodeAt(0);
    if (code >= 65 && code <= 90) c = c * 26 + code - 64;
    else if (code >= 97 && code <= 122) c = c * 26 + code - 96;
    else break;
  }
  return c;
}

/** An uploaded workbook: its sheets (read on first use) and, for an edit, all its parts. */
export class Book {
  readonly sheets: Array<{ name: string; state: string; path: string }> = [];
  private readonly parsed = new Map<string, Sheet>();
  private strings: string[] = [];
  private dateStyles: boolean[] = [];
  private date1904 = false;
  private stylesPath: string | undefined;
  private styleBook: StyleBook | undefined;
  private readonly workbookPath: string;

  private readonly files: Record<string, Uint8Array>;

  private constructor(files: Record<string, Uint8Array>) {
    this.files = files;
    const rels = (path: string) => {
      const dir = path.slice(0, path.lastIndexOf("/") + 1);
      const file = `${dir}_rels/${path.slice(dir.length)}.rels`;
      return elements(this.text(file) ?? "", "Relationship").map((e) => {
        const a = attrs(e.attrs);
        const target = a.Target.startsWith("/") ? a.Target.slice(1) : normalisePath(dir + a.Target);
        return { id: a.Id, type: a.Type ?? "", target };
      });
    };
    this.workbookPath = rels("").find((r) => r.type.endsWith("/officeDocument"))?.target ?? "xl/workbook.xml";
    const workbook = this.text(this.workbookPath);
    if (workbook === undefined) throw new Error("no workbook part");
    const parts = rels(this.workbookPath);
    const pr = elements(workbook, "workbookPr")[0];
    this.date1904 = ["1", "true"].includes(pr ? (attrs(pr.attrs).date1904 ?? "") : "");
    for (const s of elements(workbook, "sheet")) {
      const a = attrs(s.attrs);
      // worksheets only (a chart sheet has no cells)
      const part = parts.find((p) => p.id === a.id && p.type.endsWith("/worksheet"));
      const path = part?.target;
      if (path && this.files[path]) this.sheets.push({ name: a.name ?? "", state: a.state ?? "visible", path });
    }
    const sst = parts.find((p) => p.type.endsWith("/sharedStrings"))?.target;
    const sstXml = sst ? this.text(sst) : undefined;
    if (sstXml) this.strings = elements(sstXml, "si").map((si) => itemText(si.body));
    this.stylesPath = parts.find((p) => p.type.endsWith("/styles"))?.target;
    const stylesXml = this.stylesPath ? this.text(this.stylesPath) : undefined;
    if (stylesXml) {
      const codes = new Map(elements(stylesXml, "numFmt").map((f) => [Number(attrs(f.attrs).numFmtId), attrs(f.attrs).formatCode]));
      const xfs = elements(stylesXml, "cellXfs")[0]?.body ?? "";
      this.dateStyles = elements(xfs, "xf").map((xf) => {
        const id = Number(attrs(xf.attrs).numFmtId ?? 0);
        return isDateFormat(id, codes.get(id));
      });
    }
  }

  /** Open .xlsx bytes; a file that is no workbook is a 400 (`xlsx_unreadable`). */
  static open(bytes: Uint8Array): Book {
    try {
      const files = unzip(bytes, { maxExpanded: MAX_EXPANDED, tooLarge: () => new Error("the workbook expands beyond 256 MiB") });
      return new Book(files);
    } catch (e) {
      throw new InvalidError(`The file is not an Excel workbook (.xlsx): ${(e as Error).message.slice(0, 200)}`, { problem: "xlsx_unreadable", line: 0 });
    }
  }

  private text(path: string): string | undefined {
    const f = this.files[path];
    return f ? utf8.decode(f).replace(/^\ufeff/, "") : undefined;
  }

  /** The sheet named `name`, read. */
  sheet(name: string): Sheet | undefined {
    const meta = this.sheets.find((s) => s.name === name);
    if (!meta) return undefined;
    let ws = this.parsed.get(name);
    if (!ws) this.parsed.set(name, (ws = this.read(meta)));
    return ws;
  }

  private read(meta: { name: string; state: string; path: string }): Sheet {
    const ws = new Sheet(meta.name, meta.state, meta.path);
    const xml = this.text(meta.path) ?? "";
    const data = /<(?:[\w.-]+:)?sheetData\b[^>]*?(?:\/>|>([\s\S]*?)<\/(?:[\w.-]+:)?sheetData>)/.exec(xml);
    if (!data) throw new InvalidError(`The sheet ${meta.name} has no cells part`, { problem: "xlsx_unreadable", line: 0 });
    ws.head = xml.slice(0, data.index) + /^<[^>]*?(?=\/?>)/.exec(data[0])![0] + ">";
    ws.tail = xml.slice(data.index + data[0].length);
    let r = 0;
    for (const row of elements(data[1] ?? "", "row")) {
      const ra = attrs(row.attrs);
      r = ra.r ? Number(ra.r) : r + 1;
      const rowAttrs = row.attrs.replace(/\s(?:r|spans)\s*=\s*(?:"[^"]*"|'[^']*')/g, "").replace(/\s*\/$/, "");
      const cells = new Map<number, Cell>();
      let c = 0;
      for (const cell of elements(row.body, "c")) {
        const a = cellAttrs(cell.attrs);
        c = a.r ? refColumn(a.r) || c + 1 : c + 1;
        const s = a.s ? Number(a.s) : 0;
        const value = this.cellValue(a.t, s, cell.body);
        // the reference kept as written when it names this cell (the usual case), else written in
        const xml = a.r && refColumn(a.r) === c && a.r.endsWith(String(r)) && a.r.length === columnLetter(c).length + String(r).length ? cell.xml : withAttr(cell.xml, "r", `${columnLetter(c)}${r}`);
        cells.set(c, { value, xml, s });
        ws.columnCount = Math.max(ws.columnCount, c);
      }
      ws.rows.set(r, { attrs: rowAttrs, cells });
      ws.rowCount = Math.max(ws.rowCount, r);
    }
    for (const m of elements(ws.tail, "mergeCell")) {
      const ref = /^([A-Za-z]+)(\d+):([A-Za-z]+)(\d+)$/.exec(attrs(m.attrs).ref ?? "");
      if (!ref) continue;
      const range = { top: Number(ref[2]), left: refColumn(ref[1]), bottom: Number(ref[4]), right: refColumn(ref[3]) };
      ws.merges.push(range);
      ws.rowCount = Math.max(ws.rowCount, range.bottom);
      ws.columnCount = Math.max(ws.columnCount, range.right);
    }
    return ws;
  }

  private cellValue(t: string | undefined, s: number, body: string): Value {
    // `<v>` as Excel writes it, else any prefixed or attributed form
    const at = body.indexOf("<v>");
    const v = at >= 0 ? body.slice(at + 3, body.indexOf("</v>", at)) : elements(body, "v")[0]?.body;
    const raw = v === undefined ? undefined : v.includes("&") || v.includes("_x") ? xmlText(v) : v;
    const number = (x: string): Value => {
      const n = parseFloat(x);
      if (Number.isNaN(n)) return null;
      return this.dateStyles[s] ? excelDate(n, this.date1904) : n;
    };
    if (/<(?:[\w.-]+:)?f[\s/>]/.test(body)) {
      // a formula: its cached result
      if (raw === undefined) return null;
      if (t === "str") return raw;
      if (t === "b") return parseInt(raw, 10) !== 0;
      if (t === "e") return null;
      if (t === "s") return this.strings[parseInt(raw, 10)] ?? null;
      return number(raw);
    }
    if (t === "inlineStr") {
      const is = elements(body, "is")[0];
      return is ? itemText(is.body) : (raw ?? null);
    }
    if (raw === undefined) return null;
    switch (t) {
      case "s":
        return this.strings[parseInt(raw, 10)] ?? null;
      case "str":
        return raw;
      case "b":
        return parseInt(raw, 10) !== 0;
      case "e":
        return null;
      case "d": {
        const d = new Date(raw);
        return Number.isNaN(d.getTime()) ? null : d;
      }
      default:
        return number(raw);
    }
  }

  /** The style sheet to add edits' looks to (the upload's own). */
  styles(): StyleBook {
    this.styleBook ??= new StyleBook(this.stylesPath ? this.text(this.stylesPath) : "");
    return this.styleBook;
  }

  /** The workbook with the edits, as .xlsx bytes. */
  toBytes(): Uint8Array {
    // the parts as uploaded (folder entries left out)
    const out: Record<string, string | Uint8Array> = Object.fromEntries(Object.entries(this.files).filter(([name]) => !name.endsWith("/")));
    for (const ws of this.parsed.values()) if (ws.dirty) out[ws.path] = ws.toXml();
    if (this.styleBook?.ok && this.stylesPath) out[this.stylesPath] = this.styleBook.toXml();
    // the calculation chain names formula cells; an edited cell may no longer be one: Excel rebuilds it
    const chain = Object.keys(out).find((p) => /(^|\/)calcChain\.xml$/.test(p));
    if (chain) {
      delete out[chain];
      const relsPath = this.workbookPath.replace(/([^/]+)$/, "_rels/$1.rels");
      const rels = this.text(relsPath);
      if (rels) out[relsPath] = rels.replace(/<(?:[\w.-]+:)?Relationship\b[^>]*calcChain[^>]*\/>/g, "");
      const types = this.text("[Content_Types].xml");
      if (types) out["[Content_Types].xml"] = types.replace(/<(?:[\w.-]+:)?Override\b[^>]*calcChain[^>]*\/>/g, "");
    }
    return zip(out);
  }
}

/** `xl/worksheets/../styles.xml` → `xl/styles.xml`. */
function normalisePath(p: string): string {
  const out: string[] = [];
  for (const part of p.split("/")) {
    if (part === "..") out.pop();
    else if (part !== "." && part !== "") out.push(part);
  }
  return out.join("/");
}
