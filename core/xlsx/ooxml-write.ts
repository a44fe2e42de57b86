/**
 * A small .xlsx (Office Open XML spreadsheet) writer on node:zlib (core/zip.ts) and XML strings: what our workbooks
 * use and nothing else — shared strings, cell styles (fonts, fills, number formats, alignment),
 * column widths and column styles, a frozen top, hidden sheets, list validations and cell notes.
 * It replaces exceljs (about 1 MB minified) on the functions' cold path; docs/setup.md "Excel".
 * The parts follow ECMA-376 part 1 (SpreadsheetML) in the element order its schema requires, and
 * the files open in Excel, WPS and LibreOffice (test/excel-ooxml.test.ts reads them back with exceljs
 * and LibreOffice).
 */
import { zip } from "../zip.ts";

export { zip };

export const NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
export const NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
export const NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships";
export const REL_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/** Characters XML 1.0 does not allow (Excel refuses a file carrying them): dropped. */
// eslint-disable-next-line no-control-regex
const INVALID_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;
export const escText = (s: string) => s.replace(INVALID_XML, "").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
export const escAttr = (s: string) => escText(s).replace(/"/g, "&quot;").replace(/\r?\n/g, "&#10;");

/** Column letter of a 1-based column number (1 → A, 27 → AA). */
export function columnLetter(n: number): string {
  let s = "";
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
}

/** A cell's look: what our sheets use. `numFmt: "@"` is Excel's text format (built-in 49). */
export interface Style {
  bold?: boolean;
  italic?: boolean;
  size?: number;
  /** ARGB, e.g. FF808080 */
  color?: string;
  font?: string;
  /** solid fill, ARGB */
  fill?: string;
  numFmt?: "@";
  wrap?: boolean;
  vertical?: "top" | "center" | "bottom";
}

const DEFAULT_STYLES =
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="${NS_MAIN}">` +
  `<fonts count="1"><font><sz val="11"/><color theme="1"/><name val="Calibri"/><family val="2"/><scheme val="minor"/></font></fonts>` +
  `<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>` +
  `<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>` +
  `<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>` +
  `<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>` +
  `<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>` +
  `<dxfs count="0"/><tableStyles count="0" defaultTableStyle="TableStyleMedium2" defaultPivotStyle="PivotStyleLight16"/></styleSheet>`;

/** The entries of one list element of styles.xml (`fonts`, `fills`, `cellXfs`), each as its XML. */
function section(xml: string, name: string): { start: number; end: number; items: string[] } | undefined {
  const m = new RegExp(`<${name}\\b[^>]*?(?:/>|>([\\s\\S]*?)</${name}>)`).exec(xml);
  if (!m) return undefined;
  const item = name === "cellXfs" ? "xf" : name.slice(0, -1);
  const items = (m[1] ?? "").match(new RegExp(`<${item}\\b[^>]*?(?:/>|>[\\s\\S]*?</${item}>)`, "g")) ?? [];
  return { start: m.index, end: m.index + m[0].length, items };
}

/**
 * The style sheet of a workbook: ours (new workbooks) or the uploaded one (corrected files), to
 * which the styles used are appended as new fonts, fills and cell formats; `xf()` answers the index
 * a cell's `s` names. An uploaded sheet whose styles cannot be read keeps them and gets no new ones.
 */
export class StyleBook {
  private fonts: string[];
  private fills: string[];
  private xfs: string[];
  private readonly known = new Map<string, number>();
  private readonly xml: string;
  readonly ok: boolean;

  constructor(xml: string = DEFAULT_STYLES) {
    this.xml = xml;
    const fonts = section(xml, "fonts");
    const fills = section(xml, "fills");
    const xfs = section(xml, "cellXfs");
    this.ok = !!(fonts?.items.length && fills && xfs?.items.length);
    this.fonts = fonts?.items ?? [];
    this.fills = fills?.items ?? [];
    this.xfs = xfs?.items ?? [];
  }

  /** The cell format of `style` (0, the default, for none); `base` is the format it extends (an uploaded cell's). */
  xf(style: Style | undefined, base = 0): number {
    if (!style || !this.ok) return base;
    const key = `${base}|${JSON.stringify(style)}`;
    const hit = this.known.get(key);
    if (hit !== undefined) return hit;
    let xf = this.xfs[base] ?? this.xfs[0];
    const attr = (name: string, value: string) => {
      const re = new RegExp(`\\s${name}="[^"]*"`);
      xf = re.test(xf) ? xf.replace(re, ` ${name}="${value}"`) : xf.replace(/^<xf\b/, `<xf ${name}="${value}"`);
    };
    if (style.bold || style.italic || style.size || style.color || style.font) {
      const font =
        `<font>${style.bold ? "<b/>" : ""}${style.italic ? "<i/>" : ""}<sz val="${style.size ?? 11}"/>` +
        `${style.color ? `<color rgb="${style.color}"/>` : `<color theme="1"/>`}<name val="${escAttr(style.font ?? "Calibri")}"/><family val="2"/></font>`;
      attr("fontId", String(this.add(this.fonts, font)));
      attr("applyFont", "1");
    }
    if (style.fill) {
      attr("fillId", String(this.add(this.fills, `<fill><patternFill patternType="solid"><fgColor rgb="${style.fill}"/><bgColor indexed="64"/></patternFill></fill>`)));
      attr("applyFill", "1");
    }
    if (style.numFmt === "@") {
      attr("numFmtId", "49");
      attr("applyNumberFormat", "1");
    }
    if (style.wrap || style.vertical) {
      const alignment = `<alignment${style.vertical ? ` vertical="${style.vertical}"` : ""}${style.wrap ? ` wrapText="1"` : ""}/>`;
      const open = /^<xf\b[^>]*?(?=\/?>)/.exec(xf)![0];
      const inner = xf.endsWith("/>") ? "" : xf.slice(xf.indexOf(">") + 1, xf.lastIndexOf("</xf>")).replace(/<alignment\b[^>]*?(?:\/>|>[\s\S]*?<\/alignment>)/, "");
      xf = `${open}>${alignment}${inner}</xf>`;
      attr("applyAlignment", "1");
    }
    const n = this.add(this.xfs, xf);
    this.known.set(key, n);
    return n;
  }

  private add(list: string[], item: string): number {
    const at = list.indexOf(item);
    return at >= 0 ? at : list.push(item) - 1;
  }

  /** styles.xml with the formats added. */
  toXml(): string {
    if (!this.ok) return this.xml;
    let xml = this.xml;
    // replace from the last section back, so the earlier offsets hold
    for (const [name, items] of [["cellXfs", this.xfs], ["fills", this.fills], ["fonts", this.fonts]] as const) {
      const s = section(xml, name)!;
      xml = `${xml.slice(0, s.start)}<${name} count="${items.length}">${items.join("")}</${name}>${xml.slice(s.end)}`;
    }
    return xml;
  }
}

/** A cell written: a value and its look. */
export interface WCell {
  v: string | number | boolean | null;
  style?: Style;
}

export interface Validation {
  /** e.g. D3:D2005 */
  sqref: string;
  /** the list: `"a,b"` inline, or a range like `'选项'!$A$1:$A$9` */
  formula: string;
  allowBlank: boolean;
  errorStyle?: "stop" | "warning" | "information";
  errorTitle?: string;
  error?: string;
}

export interface WSheet {
  name: string;
  state?: "hidden";
  /** rows kept in view at the top */
  frozenRows?: number;
  /** by 0-based column: width (characters) and the style of the column's empty cells */
  cols?: Array<{ width?: number; style?: Style } | undefined>;
  /** row 1 first; a row's cells from column A (null or "" for none) */
  rows: Array<Array<WCell | string | null>>;
  validations?: Validation[];
  /** a note (comment) on a cell, by address (e.g. A1) */
  notes?: Record<string, string>;
}

class SharedStrings {
  readonly list: string[] = [];
  private readonly index = new Map<string, number>();
  count = 0;
  of(s: string): number {
    this.count++;
    let n = this.index.get(s);
    if (n === undefined) {
      n = this.list.push(s) - 1;
      this.index.set(s, n);
    }
    return n;
  }
  toXml(): string {
    const items = this.list.map((s) => `<si><t${/^\s|\s$/.test(s) ? ` xml:space="preserve"` : ""}>${escText(s)}</t></si>`);
    return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="${NS_MAIN}" count="${this.count}" uniqueCount="${this.list.length}">${items.join("")}</sst>`;
  }
}

/** The XML of one cell (`s` already resolved); strings by the shared table. */
export function cellXml(ref: string, v: WCell["v"], s: number, strings: SharedStrings | null): string {
  const sAttr = s ? ` s="${s}"` : "";
  if (v === null || v === "") return s ? `<c r="${ref}"${sAttr}/>` : "";
  if (typeof v === "number") return Number.isFinite(v) ? `<c r="${ref}"${sAttr}><v>${v}</v></c>` : "";
  if (typeof v === "boolean") return `<c r="${ref}"${sAttr} t="b"><v>${v ? 1 : 0}</v></c>`;
  if (strings) return `<c r="${ref}"${sAttr} t="s"><v>${strings.of(v)}</v></c>`;
  return `<c r="${ref}"${sAttr} t="inlineStr"><is><t${/^\s|\s$/.test(v) ? ` xml:space="preserve"` : ""}>${escText(v)}</t></is></c>`;
}

/** The comments part and its VML drawing (Excel shows notes through the legacy drawing). */
function notesParts(notes: Record<string, string>, sheet: number): { comments: string; vml: string } {
  const entries = Object.entries(notes);
  const comments =
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<comments xmlns="${NS_MAIN}"><authors><author>wangge</author></authors><commentList>` +
    entries.map(([ref, text]) => `<comment ref="${ref}" authorId="0"><text><r><t xml:space="preserve">${escText(text)}</t></r></text></comment>`).join("") +
    `</commentList></comments>`;
  const shapes = entries.map(([ref], i) => {
    const m = /^([A-Z]+)(\d+)$/.exec(ref)!;
    let col = 0;
    for (const ch of m[1]) col = col * 26 + ch.charCodeAt(0) - 64;
    const row = Number(m[2]);
    return (
      `<v:shape id="_x0000_s${sheet * 1024 + 1 + i}" type="#_x0000_t202" style="position:absolute;margin-left:59.25pt;margin-top:1.5pt;width:180pt;height:80pt;z-index:${i + 1};visibility:hidden" fillcolor="#ffffe1" o:insetmode="auto">` +
      `<v:fill color2="#ffffe1"/><v:shadow on="t" color="black" obscured="t"/><v:path o:connecttype="none"/><v:textbox style="mso-direction-alt:auto"><div style="text-align:left"></div></v:textbox>` +
      `<x:ClientData ObjectType="Note"><x:MoveWithCells/><x:SizeWithCells/><x:Anchor>${col}, 15, ${row - 1}, 2, ${col + 3}, 15, ${row + 4}, 16</x:Anchor><x:AutoFill>False</x:AutoFill><x:Row>${row - 1}</x:Row><x:Column>${col - 1}</x:Column></x:ClientData></v:shape>`
    );
  });
  const vml =
    `<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:x="urn:schemas-microsoft-com:office:excel">` +
    `<o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="${sheet}"/></o:shapelayout>` +
    `<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>` +
    shapes.join("") +
    `</xml>`;
  return { comments, vml };
}

function sheetXml(ws: WSheet, styles: StyleBook, strings: SharedStrings, hasNotes: boolean): string {
  const colStyle = (ws.cols ?? []).map((c) => (c?.style ? styles.xf(c.style) : 0));
  const rows: string[] = [];
  let maxCol = 0;
  ws.rows.forEach((row, i) => {
    const r = i + 1;
    const cells: string[] = [];
    row.forEach((cell, j) => {
      const c = typeof cell === "string" || cell === null ? { v: cell } : cell;
      // a cell's own style, else its column's (a text column's cells stay text when edited)
      const s = c.style ? styles.xf({ ...(ws.cols?.[j]?.style ?? {}), ...c.style }) : (colStyle[j] ?? 0);
      const x = cellXml(`${columnLetter(j + 1)}${r}`, c.v, s, strings);
      if (x) {
        cells.push(x);
        maxCol = Math.max(maxCol, j + 1);
      }
    });
    if (cells.length) rows.push(`<row r="${r}">${cells.join("")}</row>`);
  });
  const cols = (ws.cols ?? [])
    .map((c, j) => (c ? `<col min="${j + 1}" max="${j + 1}" width="${c.width ?? 9.140625}"${c.width ? ` customWidth="1"` : ""}${colStyle[j] ? ` style="${colStyle[j]}"` : ""}/>` : ""))
    .join("");
  const frozen = ws.frozenRows
    ? `<sheetViews><sheetView workbookViewId="0"><pane ySplit="${ws.frozenRows}" topLeftCell="A${ws.frozenRows + 1}" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="A${ws.frozenRows + 1}" sqref="A${ws.frozenRows + 1}"/></sheetView></sheetViews>`
    : `<sheetViews><sheetView workbookViewId="0"/></sheetViews>`;
  const validations = ws.validations?.length
    ? `<dataValidations count="${ws.validations.length}">` +
      ws.validations
        .map(
          (v) =>
            `<dataValidation type="list"${v.allowBlank ? ` allowBlank="1"` : ""}${v.errorStyle && v.errorStyle !== "stop" ? ` errorStyle="${v.errorStyle}"` : ""} showInputMessage="1" showErrorMessage="1"` +
            `${v.errorTitle ? ` errorTitle="${escAttr(v.errorTitle)}"` : ""}${v.error ? ` error="${escAttr(v.error)}"` : ""} sqref="${v.sqref}"><formula1>${escText(v.formula)}</formula1></dataValidation>`,
        )
        .join("") +
      `</dataValidations>`
    : "";
  const dimension = rows.length ? `A1:${columnLetter(Math.max(1, maxCol))}${ws.rows.length}` : "A1";
  return (
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="${NS_MAIN}" xmlns:r="${NS_REL}">` +
    `<dimension ref="${dimension}"/>${frozen}<sheetFormatPr defaultRowHeight="15"/>${cols ? `<cols>${cols}</cols>` : ""}` +
    `<sheetData>${rows.join("")}</sheetData>${validations}` +
    `<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>` +
    `${hasNotes ? `<legacyDrawing r:id="rIdNotes"/>` : ""}</worksheet>`
  );
}

/** A workbook of `sheets` (in order) as .xlsx bytes. */
export function writeWorkbook(sheets: WSheet[], opts: { creator?: string; level?: 1 | 6 } = {}): Uint8Array {
  const styles = new StyleBook();
  const strings = new SharedStrings();
  const parts: Record<string, string> = {};
  const overrides: string[] = [];
  let vmlDefault = false;
  sheets.forEach((ws, i) => {
    const n = i + 1;
    const hasNotes = !!ws.notes && Object.keys(ws.notes).length > 0;
    parts[`xl/worksheets/sheet${n}.xml`] = sheetXml(ws, styles, strings, hasNotes);
    overrides.push(`<Override PartName="/xl/worksheets/sheet${n}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`);
    if (hasNotes) {
      const { comments, vml } = notesParts(ws.notes!, n);
      parts[`xl/comments${n}.xml`] = comments;
      parts[`xl/drawings/vmlDrawing${n}.vml`] = vml;
      parts[`xl/worksheets/_rels/sheet${n}.xml.rels`] =
        `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="${NS_PKG_REL}">` +
        `<Relationship Id="rIdNotes" Type="${REL_TYPE}/vmlDrawing" Target="../drawings/vmlDrawing${n}.vml"/>` +
        `<Relationship Id="rIdComments" Type="${REL_TYPE}/comments" Target="../comments${n}.xml"/></Relationships>`;
      overrides.push(`<Override PartName="/xl/comments${n}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"/>`);
      vmlDefault = true;
    }
  });
  parts["[Content_Types].xml"] =
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
    `<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>` +
    `${vmlDefault ? `<Default Extension="vml" ContentType="application/vnd.openxmlformats-officedocument.vmlDrawing"/>` : ""}` +
    `<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
    overrides.join("") +
    `<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>` +
    `<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>` +
    `<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>` +
    `<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>`;
  parts["_rels/.rels"] =
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="${NS_PKG_REL}">` +
    `<Relationship Id="rId1" Type="${REL_TYPE}/officeDocument" Target="xl/workbook.xml"/>` +
    `<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>` +
    `<Relationship Id="rId3" Type="${REL_TYPE}/extended-properties" Target="docProps/app.xml"/></Relationships>`;
  parts["docProps/core.xml"] =
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">` +
    `<dc:creator>${escText(opts.creator ?? "wangge")}</dc:creator></cp:coreProperties>`;
  parts["docProps/app.xml"] =
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>wangge</Application></Properties>`;
  const firstVisible = Math.max(0, sheets.findIndex((s) => s.state !== "hidden"));
  parts["xl/workbook.xml"] =
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="${NS_MAIN}" xmlns:r="${NS_REL}">` +
    `<workbookPr/><bookViews><workbookView activeTab="${firstVisible}" firstSheet="${firstVisible}"/></bookViews><sheets>` +
    sheets.map((ws, i) => `<sheet name="${escAttr(ws.name)}" sheetId="${i + 1}"${ws.state ? ` state="${ws.state}"` : ""} r:id="rId${i + 1}"/>`).join("") +
    `</sheets><calcPr calcId="191029"/></workbook>`;
  parts["xl/_rels/workbook.xml.rels"] =
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="${NS_PKG_REL}">` +
    sheets.map((_, i) => `<Relationship Id="rId${i + 1}" Type="${REL_TYPE}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`).join("") +
    `<Relationship Id="rId${sheets.length + 1}" Type="${REL_TYPE}/styles" Target="styles.xml"/>` +
    `<Relationship Id="rId${sheets.length + 2}" Type="${REL_TYPE}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`;
  // styles and strings last: the sheets above fill them
  parts["xl/sharedStrings.xml"] = strings.toXml();
  parts["xl/styles.xml"] = styles.toXml();
  return zip(parts, opts.level);
}
