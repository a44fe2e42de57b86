import { describe, expect, it } from "vitest";
import ExcelJS from "exceljs";
import { unzipSync, strFromU8 } from "fflate";
import { writeSheets } from "./book-write.ts";
import { Book } from "./ooxml-read.ts";
import { zip } from "./ooxml-write.ts";
import { UNITS } from "./spec-units.ts";
import { DEPARTMENTS } from "./spec-departments.ts";

/**
 * Templates are zipped at deflate level 1 (#15: the first deflate of a cold process, ooxml-write.ts
 * `zip`), exports at 6. A level-1 template must be the same workbook: the same parts byte for byte
 * once unzipped, and it opens in exceljs (the dev-dependency oracle) and in our reader with its
 * sheets, headers and validation lists.
 */
const codes = Array.from({ length: 87 }, (_, i) => `350206${String(i).padStart(3, "0")}`);

describe("templates at deflate level 1", () => {
  it("unzip to the same parts as the level-6 zip, and open in exceljs and our reader with headers, key row and the unit-code list", async () => {
    const bytes = await writeSheets([{ spec: UNITS, rows: [], lists: { parentCode: codes } }], { template: true });
    const parts = unzipSync(bytes);
    const six = unzipSync(zip(Object.fromEntries(Object.entries(parts)), 6));
    expect(Object.keys(six).sort()).toEqual(Object.keys(parts).sort());
    for (const name of Object.keys(parts)) expect(Buffer.from(six[name]).equals(Buffer.from(parts[name])), name).toBe(true);
    // level 1 still deflates (not stored): well under the XML's size
    const xml = Object.values(parts).reduce((a, p) => a + p.length, 0);
    expect(bytes.length).toBeLessThan(xml / 2);

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
    const ws = wb.getWorksheet(UNITS.sheet)!;
    expect(UNITS.columns.map((c, i) => ws.getCell(2, i + 1).value)).toEqual(UNITS.columns.map((c) => c.key));
    expect(String(ws.getCell(1, 1).value)).toContain(UNITS.columns[0].zh);
    const ours = Book.open(bytes);
    expect(ours.sheet(UNITS.sheet)!.value(2, 1)).toBe(UNITS.columns[0].key);
    // the parent-code dropdown lists the 87 codes (on the hidden choices sheet: too long to inline)
    const sheetXml = Object.entries(parts).filter(([n]) => n.startsWith("xl/worksheets/")).map(([, b]) => strFromU8(b)).join("");
    expect(sheetXml).toContain("<dataValidation");
    const choices = wb.worksheets.find((w) => w.state === "hidden")!;
    expect(Array.from({ length: codes.length }, (_, r) => String(choices.getCell(r + 1, 1).value))).toEqual(codes);
  });

  it("exports stay at level 6, templates of a list without run-time lists are level 1 too (smaller work, same parts)", async () => {
    const template = await writeSheets([{ spec: DEPARTMENTS, rows: [] }], { template: true });
    const parts = unzipSync(template);
    expect(Buffer.from(zip(Object.fromEntries(Object.entries(parts)), 1)).equals(Buffer.from(template))).toBe(true);
    const exported = await writeSheets([{ spec: DEPARTMENTS, rows: [] }], { template: false });
    const eparts = unzipSync(exported);
    expect(Buffer.from(zip(Object.fromEntries(Object.entries(eparts)), 6)).equals(Buffer.from(exported))).toBe(true);
  });
});
