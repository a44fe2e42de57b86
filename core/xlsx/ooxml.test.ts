import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import ExcelJS from "exceljs";
import { strFromU8, strToU8, unzipSync, zipSync } from "fflate";
import { cellText, correctedSheets, readBook, readSheets, writeSheets, type CellValue } from "./book.ts";
import { STAFF } from "./lists.ts";
import { HOUSEHOLDS, PEOPLE } from "./spec-registry.ts";
import { Book } from "./ooxml-read.ts";
import { writeWorkbook } from "./ooxml-write.ts";
import { activationSheet } from "./activation-sheet.ts";
import { requireTool } from "../../test/tools.ts";

/**
 * The workbook reader and writer of our own (ooxml-read.ts, ooxml-write.ts) against exceljs, which
 * they replace at run time and which stays a dev dependency for these proofs: files exceljs writes
 * read the same cell by cell as exceljs reads them; files we write read back in exceljs with the
 * same values, validations, sheet states, widths and formats; hand-made parts as Excel, WPS and
 * LibreOffice write them (inline strings, no `r`, prefixed namespaces, 1904 dates) read right; and,
 * where LibreOffice is installed, it converts what we write.
 */

const load = async (bytes: Uint8Array) => {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  return wb;
};
const save = async (wb: ExcelJS.Workbook) => new Uint8Array(await wb.xlsx.writeBuffer());

/** Every cell of every sheet as text, by exceljs and by our reader. */
async function bothReadings(bytes: Uint8Array): Promise<{ theirs: Record<string, string[][]>; ours: Record<string, string[][]> }> {
  const wb = await load(bytes);
  const book = Book.open(bytes);
  const theirs: Record<string, string[][]> = {};
  const ours: Record<string, string[][]> = {};
  expect(book.sheets.map((s) => [s.name, s.state])).toEqual(wb.worksheets.map((w) => [w.name, w.state]));
  for (const ws of wb.worksheets) {
    const mine = book.sheet(ws.name)!;
    expect(mine.rowCount, ws.name).toBe(ws.rowCount);
    const cols = Math.max(ws.columnCount, mine.columnCount);
    theirs[ws.name] = Array.from({ length: ws.rowCount }, (_, r) => Array.from({ length: cols }, (_, c) => cellText(ws.getCell(r + 1, c + 1).value as CellValue)));
    ours[ws.name] = Array.from({ length: ws.rowCount }, (_, r) => Array.from({ length: cols }, (_, c) => cellText(mine.value(r + 1, c + 1))));
  }
  return { theirs, ours };
}

/** A workbook as a clerk's Excel leaves it: shared and rich text, numbers, dates, booleans, formulas, links, errors, gaps, a hidden sheet. */
async function clerkBook(): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const help = wb.addWorksheet("说明");
  help.getCell("A1").value = "先填“人员”表";
  const ws = wb.addWorksheet("人员");
  ws.addRow(["用户名*", "姓名*", "手机号", "角色*", "单位编码*", "部门编码", "状态", "初始密码"]);
  ws.addRow(["username", "displayName", "phone", "role", "unitCode", "departmentCode", "active", "password"]);
  ws.addRow(["u.one", { richText: [{ text: "王", font: { bold: true } }, { text: "芳 " }] }, 13900000001, "网格员", 350206001001001, null, true, "  空格  "]);
  ws.addRow(["u.two", "李 & <强>", "0592-1234567", { formula: 'CONCAT("网格","员")', result: "网格员" }, { formula: "1+1", result: 2 }, { formula: "TRUE()", result: true }, false, 2.5]);
  ws.addRow([]);
  ws.addRow(["u.three", { text: "链接", hyperlink: "https://example.org" }, { error: "#N/A" }, "网格长", "350206001001002", new Date(Date.UTC(2026, 2, 4)), 0, 1e21]);
  ws.getCell("F6").numFmt = "yyyy-mm-dd";
  ws.getCell("H7").value = { formula: "DATE(2026,1,2)", result: new Date(Date.UTC(2026, 0, 2)) };
  ws.getCell("H7").numFmt = "yyyy/m/d";
  ws.getCell("C8").value = "  ";
  const hidden = wb.addWorksheet("选项", { state: "hidden" });
  ["网格员", "网格长"].forEach((v, i) => (hidden.getCell(i + 1, 1).value = v));
  return save(wb);
}

describe("reading workbooks others wrote", () => {
  it("reads every cell of a workbook exceljs wrote as exceljs reads it: shared and rich text, numbers, dates, booleans, formula results, links, errors, gaps, sheet order and state", async () => {
    const bytes = await clerkBook();
    const { theirs, ours } = await bothReadings(bytes);
    expect(ours).toEqual(theirs);
    // and what that is, as a person sees it
    expect(ours["人员"][2]).toEqual(["u.one", "王芳", "13900000001", "网格员", "350206001001001", "", "TRUE", "空格"]);
    expect(ours["人员"][3]).toEqual(["u.two", "李 & <强>", "0592-1234567", "网格员", "2", "TRUE", "FALSE", "2.5"]);
    expect(ours["人员"][5]).toEqual(["u.three", "链接", "", "网格长", "350206001001002", "2026-03-04", "0", "1000000000000000000000"]);
    expect(ours["人员"][6][7]).toBe("2026-01-02");
  });

  it("reads the list sheet into the rows the import takes, the same as through exceljs's cells", async () => {
    const bytes = await clerkBook();
    const sheet = await readBook(bytes, STAFF);
    expect(sheet.sheetName).toBe("人员");
    expect(sheet.rows.map((r) => r.line)).toEqual([3, 4, 6, 7]);
    const ws = (await load(bytes)).getWorksheet("人员")!;
    for (const row of sheet.rows) {
      for (const [key, col] of sheet.columns) expect(row.cells[key], `${key}${row.line}`).toBe(cellText(ws.getCell(row.line, col).value as CellValue));
    }
  });

  it("reads parts as Excel, WPS and LibreOffice write them: inline strings, t=str, phonetic runs, rows and cells without r, prefixed namespaces, sheets listed out of file order, 1904 dates", () => {
    const ns = 'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
    const rels = (items: string) => `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${items}</Relationships>`;
    const rel = (id: string, type: string, target: string) => `<Relationship Id="${id}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/${type}" Target="${target}"/>`;
    const files = {
      "[Content_Types].xml": strToU8("<Types/>"),
      "_rels/.rels": strToU8(rels(rel("rId1", "officeDocument", "/xl/workbook.xml"))),
      "xl/workbook.xml": strToU8(`<x:workbook ${ns}><x:workbookPr date1904="1"/><x:sheets><x:sheet name="人员" sheetId="2" r:id="rId2"/><x:sheet name="其它" sheetId="1" state="veryHidden" r:id="rId1"/></x:sheets></x:workbook>`),
      "xl/_rels/workbook.xml.rels": strToU8(rels(rel("rId1", "worksheet", "worksheets/sheet1.xml") + rel("rId2", "worksheet", "worksheets/sheet2.xml") + rel("rId3", "sharedStrings", "sharedStrings.xml") + rel("rId4", "styles", "styles.xml"))),
      "xl/sharedStrings.xml": strToU8(
        `<x:sst ${ns}><x:si><x:t>username</x:t></x:si><x:si><x:r><x:t>张</x:t></x:r><x:r><x:rPr><x:b/></x:rPr><x:t xml:space="preserve">三 </x:t></x:r><x:rPh sb="0" eb="1"><x:t>ZHANG</x:t></x:rPh></x:si><x:si><x:t>a_x000D_b &amp;#38; &#20154;</x:t></x:si></x:sst>`,
      ),
      "xl/styles.xml": strToU8(`<x:styleSheet ${ns}><x:numFmts count="1"><x:numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/></x:numFmts><x:cellXfs count="3"><x:xf numFmtId="0"/><x:xf numFmtId="164"/><x:xf numFmtId="14"/></x:cellXfs></x:styleSheet>`),
      "xl/worksheets/sheet1.xml": strToU8(`<x:worksheet ${ns}><x:sheetData><x:row><x:c t="inlineStr"><x:is><x:t>别的表</x:t></x:is></x:c></x:row></x:sheetData></x:worksheet>`),
      "xl/worksheets/sheet2.xml": strToU8(
        `<x:worksheet ${ns}><x:sheetData>` +
          `<x:row><x:c t="s"><x:v>0</x:v></x:c><x:c t="inlineStr"><x:is><x:t>displayName</x:t></x:is></x:c><x:c t="inlineStr"><x:is><x:t>note</x:t></x:is></x:c></x:row>` +
          `<x:row><x:c t="str"><x:v>u.1</x:v></x:c><x:c t="s"><x:v>1</x:v></x:c><x:c s="1"><x:v>0</x:v></x:c></x:row>` +
          `<x:row r="5"><x:c r="B5" t="s"><x:v>2</x:v></x:c><x:c><x:f>A2</x:f><x:v>3</x:v></x:c><x:c t="e"><x:v>#REF!</x:v></x:c><x:c t="b"><x:v>1</x:v></x:c><x:c s="2"><x:v>366</x:v></x:c><x:c t="str"><x:f>A2</x:f><x:v>u.1</x:v></x:c></x:row>` +
          `<x:row r="6"><x:c r="A6"/><x:c r="C6" s="1"/></x:row>` +
          `</x:sheetData></x:worksheet>`,
      ),
    };
    const book = Book.open(zipSync(files));
    expect(book.sheets.map((s) => [s.name, s.state])).toEqual([
      ["人员", "visible"],
      ["其它", "veryHidden"],
    ]);
    const ws = book.sheet("人员")!;
    expect([1, 2, 5].map((r) => Array.from({ length: 8 }, (_, c) => cellText(ws.value(r, c + 1))))).toEqual([
      ["username", "displayName", "note", "", "", "", "", ""],
      // 0 in the 1904 system is 1904-01-01
      ["u.1", "张三", "1904-01-01", "", "", "", "", ""],
      ["", "a\rb &#38; 人", "3", "", "TRUE", "1905-01-01", "u.1", ""],
    ]);
    expect([ws.rowCount, ws.columnCount]).toEqual([6, 7]);
    expect(cellText(book.sheet("其它")!.value(1, 1))).toBe("别的表");
    // edited, the prefixed sheet stays prefixed and reads back with the edit beside the cells kept
    ws.set(2, 4, "新值 & <x>", book.styles());
    const bytes = book.toBytes();
    const xml = strFromU8(unzipSync(bytes)["xl/worksheets/sheet2.xml"]);
    expect(xml).toMatch(/<x:row r="2"><x:c r="A2" t="str">.*<x:c r="D2" t="inlineStr"><x:is><x:t>新值 &amp; &lt;x&gt;<\/x:t><\/x:is><\/x:c><\/x:row>/);
    expect(xml).not.toMatch(/<\/?(row|c|v|is|t)[\s/>]/);
    const edited = Book.open(bytes).sheet("人员")!;
    expect([edited.value(2, 1), edited.value(2, 2), edited.value(2, 4), edited.value(5, 7)]).toEqual(["u.1", "张三 ", "新值 & <x>", "u.1"]);
  });

  it("refuses what is no workbook, and a zip that expands beyond 256 MiB, as unreadable", async () => {
    expect(() => Book.open(strToU8("code,name\nA,B\n"))).toThrow(expect.objectContaining({ details: expect.objectContaining({ problem: "xlsx_unreadable" }) }));
    expect(() => Book.open(zipSync({ "a.txt": strToU8("x") }))).toThrow(expect.objectContaining({ details: expect.objectContaining({ problem: "xlsx_unreadable" }) }));
    // a part that says it expands to 300 MiB (its central directory entry's uncompressed size)
    const bomb = zipSync({ "xl/worksheets/sheet1.xml": strToU8("<worksheet/>") });
    const view = new DataView(bomb.buffer, bomb.byteOffset, bomb.byteLength);
    const entry = bomb.findIndex((_, i) => view.getUint32(i, true) === 0x02014b50);
    view.setUint32(entry + 24, 300 * 1024 * 1024, true);
    expect(() => Book.open(bomb)).toThrow(/256 MiB/);
  });
});

describe("workbooks we write", () => {
  const units = Array.from({ length: 30 }, (_, i) => `3502060010010${String(i).padStart(2, "0")}`);

  it("reads back in exceljs with the template's values, styles, widths, text formats, frozen rows, validations (inline and on the hidden 选项 sheet), notes and help sheet", async () => {
    const bytes = await writeSheets(
      [
        { spec: HOUSEHOLDS, rows: [], lists: { unitCode: units } },
        { spec: PEOPLE, rows: [], lists: { unitCode: units } },
      ],
      { template: true },
    );
    const wb = await load(bytes);
    expect(wb.worksheets.map((w) => [w.name, w.state])).toEqual([
      ["住户", "visible"],
      ["人员", "visible"],
      ["选项", "hidden"],
      ["填写说明", "visible"],
    ]);
    const people = wb.getWorksheet("人员")!;
    const keys = PEOPLE.columns.map((c) => c.key);
    expect(Array.from({ length: keys.length }, (_, i) => people.getCell(2, i + 1).value)).toEqual(keys);
    expect(Array.from({ length: keys.length }, (_, i) => people.getCell(1, i + 1).value)).toEqual(PEOPLE.columns.map((c) => `${c.zh}${c.required ? "*" : ""}`));
    expect(Array.from({ length: keys.length }, (_, i) => cellText(people.getCell(3, i + 1).value as CellValue))).toEqual(keys.map((k) => PEOPLE.example[k] ?? ""));
    expect(people.getCell(1, 1).font).toMatchObject({ bold: true });
    expect(people.getCell(1, 1).fill).toMatchObject({ type: "pattern", pattern: "solid", fgColor: { argb: "FFDDEBF7" } });
    expect(people.getCell(2, 1).font).toMatchObject({ italic: true, size: 9, color: { argb: "FF808080" } });
    expect(people.views[0]).toMatchObject({ state: "frozen", ySplit: 2 });
    PEOPLE.columns.forEach((c, i) => {
      expect(people.getColumn(i + 1).width, c.key).toBe(c.width ?? 14);
      expect(people.getColumn(i + 1).numFmt ?? "", c.key).toBe(c.text ? "@" : "");
    });
    const idNumber = keys.indexOf("idNumber") + 1;
    expect(people.getCell(3, idNumber).numFmt).toBe("@");
    const v = (people as unknown as { dataValidations: { model: Record<string, { type: string; formulae: string[]; allowBlank?: boolean; errorStyle?: string }> } }).dataValidations.model;
    const at = (key: string, row = 3) => v[`${String.fromCharCode(64 + keys.indexOf(key) + 1)}${row}`];
    expect(at("gender")).toMatchObject({ type: "list", formulae: ['"男,女"'], allowBlank: true, errorStyle: "warning" });
    // the example row and 2,000 spare rows
    expect(at("gender", 2004)).toMatchObject({ formulae: ['"男,女"'] });
    expect(at("gender", 2005)).toBeUndefined();
    expect(at("unitCode").formulae[0]).toBe(`'选项'!$A$1:$A$${units.length}`);
    expect(at("unitCode").allowBlank).toBeUndefined();
    const choices = wb.getWorksheet("选项")!;
    expect(Array.from({ length: choices.rowCount }, (_, i) => choices.getCell(i + 1, 1).value)).toEqual(units);
    expect(people.getCell(1, idNumber).note).toBe(PEOPLE.columns[idNumber - 1].help);
    expect(wb.getWorksheet("填写说明")!.getCell(1, 1).value).toBe("表“住户”");
    // and our reader reads it as exceljs does
    const { theirs, ours } = await bothReadings(bytes);
    expect(ours).toEqual(theirs);
  });

  it("writes an export's rows as text, leading zeros and long digits kept, and reads them back to the same rows", async () => {
    const rows: Record<string, string>[] = [
      { username: "0012", displayName: "张 & <三>", phone: "013900000001", role: "网格员", unitCode: "350206001001001", active: "启用", password: "" },
      { username: "li.si", displayName: " 前后空格 ", phone: "", role: "网格长", unitCode: "350206001001002", departmentCode: "CGJ", active: "停用", password: "" },
    ];
    const bytes = await writeSheets([{ spec: STAFF, rows }], { template: false });
    const ws = (await load(bytes)).getWorksheet("人员")!;
    expect(ws.getCell(3, 1).value).toBe("0012");
    expect(ws.getCell(3, 3).value).toBe("013900000001");
    expect(ws.getCell(4, 2).value).toBe(" 前后空格 ");
    const back = await readBook(bytes, STAFF);
    expect(back.rows.map((r) => r.cells)).toEqual(rows.map((r) => Object.fromEntries(STAFF.columns.map((c) => [c.key, (r[c.key] ?? "").trim()]))));
  });

  it("writes the activation-code sheet with its header, text columns and monospace code column", async () => {
    const bytes = await activationSheet([{ username: "a.b", displayName: "王", phone: "013800000000", unitCodes: ["350206001001001", "350206"], code: "AB12-CD34-EF56-GH78", expiresAt: "2026-12-05T08:00:00.000Z" } as never]);
    const wb = await load(bytes);
    const ws = wb.worksheets[0];
    expect(wb.worksheets.map((w) => w.name)).toEqual(["激活码", "使用说明"]);
    expect([1, 2].map((r) => Array.from({ length: 6 }, (_, c) => ws.getCell(r, c + 1).value))).toEqual([
      ["用户名", "姓名", "手机号", "单位编码", "激活码", "有效期至（北京时间）"],
      ["a.b", "王", "013800000000", "350206001001001、350206", "AB12-CD34-EF56-GH78", "2026-12-05 16:00"],
    ]);
    expect(ws.getCell(2, 5).font).toMatchObject({ name: "Consolas", bold: true });
    expect(ws.getColumn(3).numFmt).toBe("@");
    expect(ws.getColumn(1).width).toBe(16);
  });

  it("writes the same bytes for the same workbook", () => {
    const one = writeWorkbook([{ name: "a", rows: [["x", { v: 1 }, { v: true }]] }]);
    expect(Buffer.from(writeWorkbook([{ name: "a", rows: [["x", { v: 1 }, { v: true }]] }])).equals(Buffer.from(one))).toBe(true);
  });
});

describe("the corrected file", () => {
  /** A filled template as a clerk saves it, with what we must not lose: another sheet, a formula, a merge, a comment, a style, a width. */
  async function filled(): Promise<Uint8Array> {
    const wb = await load(await writeSheets([{ spec: STAFF, rows: [] }], { template: true }));
    const ws = wb.getWorksheet("人员")!;
    ws.spliceRows(3, 1);
    ws.addRow(["ok.one", "好的", "13900000001", "网格员", "350206001001001", "", "启用", "Init-pass-2026"]);
    ws.addRow(["bad.one", "坏的", "", "队长", "350206001001001", "", "", "Init-pass-2026"]);
    ws.addRow(["bad.two", "也坏", "", "网格员", "999", "", "", ""]);
    ws.getCell("I3").value = { formula: "LEN(A3)", result: 6 };
    ws.getCell("B5").font = { color: { argb: "FF0000FF" } };
    ws.getColumn(2).width = 33;
    const mine = wb.addWorksheet("我的备注");
    mine.getCell("A1").value = "自己的表";
    mine.mergeCells("A2:C2");
    mine.getCell("A2").value = "合并";
    mine.getCell("A3").value = "有批注";
    mine.getCell("A3").note = "批注";
    return save(wb);
  }

  it("adds the 错误 column with each rejected row's reason, keeps every sheet, value, formula, merge, note, width and validation of the upload, and a second pass reuses the column", async () => {
    const upload = await filled();
    const before = await bothReadings(upload);
    const reasons = new Map([[STAFF.sheet, new Map([[4, "D列：没有“队长”这个角色"], [5, "E列：没有编码为 999 的单位"]])]]);
    const out = await correctedSheets(upload, [STAFF], reasons, { header: "错误" });
    const wb = await load(out);
    expect(wb.worksheets.map((w) => [w.name, w.state])).toEqual((await load(upload)).worksheets.map((w) => [w.name, w.state]));
    const ws = wb.getWorksheet("人员")!;
    // the upload's 9 columns (the clerk's formula in I) and then the errors
    expect([1, 2, 3, 4, 5].map((r) => cellText(ws.getCell(r, 10).value as CellValue))).toEqual(["错误", "error", "", "D列：没有“队长”这个角色", "E列：没有编码为 999 的单位"]);
    expect(ws.getCell(1, 10).font).toMatchObject({ bold: true, color: { argb: "FFC00000" } });
    expect(ws.getCell(4, 10).alignment).toMatchObject({ wrapText: true, vertical: "top" });
    expect(ws.getColumn(10).width).toBe(60);
    expect(ws.getCell(4, 1).fill).toMatchObject({ fgColor: { argb: "FFFDE9E7" } });
    expect(ws.getCell(5, 2).font).toMatchObject({ color: { argb: "FF0000FF" } });
    expect(ws.getCell(5, 2).fill).toMatchObject({ fgColor: { argb: "FFFDE9E7" } });
    expect(ws.getCell(3, 1).fill ?? null).not.toEqual(expect.objectContaining({ fgColor: { argb: "FFFDE9E7" } }));
    expect(ws.getCell("I3").value).toMatchObject({ formula: "LEN(A3)", result: 6 });
    expect(ws.getColumn(2).width).toBe(33);
    expect(ws.views[0]).toMatchObject({ state: "frozen", ySplit: 2 });
    expect((ws as unknown as { dataValidations: { model: Record<string, { formulae: string[] }> } }).dataValidations.model["D4"].formulae[0]).toContain("网格员");
    const mine = wb.getWorksheet("我的备注")!;
    expect(mine.getCell("A2").value).toBe("合并");
    expect(mine.getCell("B2").isMerged).toBe(true);
    expect(mine.getCell("A3").note).toBe("批注");
    // every value of the upload is where it was
    const after = await bothReadings(out);
    expect(after.ours["我的备注"]).toEqual(before.ours["我的备注"]);
    expect(after.ours["人员"].map((r) => r.slice(0, 9))).toEqual(before.ours["人员"]);
    expect(after.ours).toEqual(after.theirs);

    // fixed and uploaded again: the error column is reused, row 4's reason gone
    const again = await correctedSheets(out, [STAFF], new Map([[STAFF.sheet, new Map([[5, "还是不对"]])]]), { header: "错误" });
    const ws2 = (await load(again)).getWorksheet("人员")!;
    expect([1, 4, 5].map((r) => cellText(ws2.getCell(r, 10).value as CellValue))).toEqual(["错误", "", "还是不对"]);
    expect(ws2.getCell(1, 11).value).toBeNull();
  });

  it("fills a rejected row across its columns, empty cells included, keeping a text column's format", async () => {
    const written = await writeSheets([{ spec: STAFF, rows: [{ username: "a", displayName: "甲", role: "网格员", unitCode: "350206001001001" }, { username: "b", displayName: "乙", role: "队长" }] }], { template: false });
    const ws = (await load(await correctedSheets(written, [STAFF], new Map([[STAFF.sheet, new Map([[4, "D列：没有“队长”这个角色"]])]]), { header: "错误" }))).getWorksheet("人员")!;
    // G4 (状态) and E4 (单位编码, a text column) were never written; H is the last column of the sheet, I the errors
    for (const col of [1, 5, 7, 8]) expect(ws.getCell(4, col).fill, `column ${col}`).toMatchObject({ fgColor: { argb: "FFFDE9E7" } });
    expect(ws.getCell(4, 5).numFmt).toBe("@");
    expect(ws.getCell(4, 9).value).toBe("D列：没有“队长”这个角色");
    expect(ws.getCell(3, 7).fill ?? null).not.toEqual(expect.objectContaining({ fgColor: { argb: "FFFDE9E7" } }));
  });

  it("writes values into cells and adds a column left out of the upload (the registry's record ids and masks), nothing else", async () => {
    const upload = await writeSheets([{ spec: PEOPLE, rows: [{ name: "陈", idNumber: "350206195603020131", unitCode: "350206001001001" }] }], { template: false });
    // the clerk deleted the id column
    const wb = await load(upload);
    wb.getWorksheet("人员")!.spliceColumns(1, 1);
    const bytes = await save(wb);
    const values = new Map([[PEOPLE.sheet, new Map([[3, { id: "01HX", idNumber: "350206********0131" }]])]]);
    const out = await correctedSheets(bytes, [PEOPLE], new Map(), { header: null }, values);
    const sheets = await readSheets(out, [PEOPLE]);
    const people = sheets.get(PEOPLE.sheet)!;
    expect(people.rows).toEqual([{ line: 3, cells: expect.objectContaining({ id: "01HX", idNumber: "350206********0131", name: "陈" }) }]);
    const ws = (await load(out)).getWorksheet("人员")!;
    expect([1, 2].map((r) => ws.getCell(r, PEOPLE.columns.length).value)).toEqual([PEOPLE.columns[0].zh, "id"]);
  });
});

const soffice = ["/usr/bin/soffice", "/usr/bin/libreoffice"].find((p) => existsSync(p));
// under CI=true a missing LibreOffice fails this file (test/tools.ts), never skips it: .ci/run installs it
describe.skipIf(!requireTool("LibreOffice", soffice !== undefined, "apt-get install libreoffice-calc-nogui"))("LibreOffice opens what we write, and writes what we read", () => {
  const dir = mkdtempSync(join(tmpdir(), "wangge-ooxml-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const csv = (bytes: Uint8Array, name: string): string => {
    writeFileSync(join(dir, `${name}.xlsx`), bytes);
    execFileSync(soffice!, ["--headless", `-env:UserInstallation=file://${dir}/profile`, "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", dir, join(dir, `${name}.xlsx`)], { stdio: "ignore", timeout: 120_000 });
    return readFileSync(join(dir, `${name}.csv`), "utf8");
  };

  it("converts a written export and a corrected file to CSV with their values", async () => {
    const rows = [{ username: "0012", displayName: "张三", phone: "013900000001", role: "网格员", unitCode: "350206001001001", active: "启用" }];
    const written = await writeSheets([{ spec: STAFF, rows }], { template: false });
    expect(csv(written, "export").split(/\r?\n/).slice(0, 3)).toEqual([
      "用户名*,姓名*,手机号,角色*,单位编码*,部门编码,状态,初始密码",
      "username,displayName,phone,role,unitCode,departmentCode,active,password",
      "0012,张三,013900000001,网格员,350206001001001,,启用,",
    ]);
    const corrected = await correctedSheets(written, [STAFF], new Map([[STAFF.sheet, new Map([[3, "A列：有误"]])]]), { header: "错误" });
    expect(csv(corrected, "corrected").split(/\r?\n/)[2]).toBe("0012,张三,013900000001,网格员,350206001001001,,启用,,A列：有误");
  }, 240_000);

  it("reads a workbook LibreOffice wrote (our template saved again by LibreOffice Calc) into the same rows, and writes its corrected file", async () => {
    const rows: Record<string, string>[] = [
      { username: "0012", displayName: "张 & 三", phone: "013900000001", role: "网格员", unitCode: "350206001001001", active: "启用" },
      { username: "li.si", displayName: "李四", role: "队长", unitCode: "999", departmentCode: "CGJ" },
    ];
    const written = await writeSheets([{ spec: STAFF, rows }], { template: false });
    writeFileSync(join(dir, "ours.xlsx"), written);
    execFileSync(soffice!, ["--headless", `-env:UserInstallation=file://${dir}/profile`, "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", join(dir, "lo"), join(dir, "ours.xlsx")], { stdio: "ignore", timeout: 120_000 });
    const theirs = new Uint8Array(readFileSync(join(dir, "lo", "ours.xlsx")));
    expect(Buffer.from(theirs).equals(Buffer.from(written))).toBe(false);
    const read = await readBook(theirs, STAFF);
    expect(read.rows).toEqual((await readBook(written, STAFF)).rows);
    expect(read.rows.map((r) => r.cells.username)).toEqual(["0012", "li.si"]);
    // its validations and hidden sheet as LibreOffice saved them, read by exceljs
    const wb = await load(theirs);
    expect((wb.getWorksheet("人员") as unknown as { dataValidations: { model: Record<string, { formulae: string[] }> } }).dataValidations.model["D3"].formulae[0]).toContain("网格员");
    const corrected = await correctedSheets(theirs, [STAFF], new Map([[STAFF.sheet, new Map([[4, "D列：没有“队长”这个角色"]])]]), { header: "错误" });
    expect(csv(corrected, "lo-corrected").split(/\r?\n/)[3]).toBe("li.si,李四,,队长,999,CGJ,,,D列：没有“队长”这个角色");
  }, 240_000);
});
