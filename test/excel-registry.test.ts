import { describe, expect, it, vi } from "vitest";
import ExcelJS from "exceljs";
import { apiUrl, call } from "./client.ts";
import { adminToken, tokenFor } from "./fixtures.ts";
import { ownStack } from "./own-stack.ts";
import { idCheckChar } from "../core/registry/idcard.ts";

/**
 * Excel of the registry (households and people) and of the unit tree (#20, docs/registry.md
 * "Excel"), on an own embedded stack: templates with the caller's unit codes in their dropdowns; an
 * import of households and people in one workbook (a member naming a household of the same file)
 * through the registry's own writes (tallies move); line-numbered errors (bad check digit, unit out
 * of scope, unknown household) and the corrected file; re-uploads and export → re-import change
 * nothing; the export is masked and audited; a unit workbook builds a three-level tree.
 */
ownStack();
vi.setConfig({ testTimeout: 240_000 });

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

async function download(path: string, token: string): Promise<Buffer> {
  const r = await fetch(apiUrl() + path, { headers: { authorization: `Bearer ${token}` } });
  expect(r.status, `${path}: ${r.status} ${r.status === 200 ? "" : await r.clone().text()}`).toBe(200);
  expect(r.headers.get("content-type")).toBe(XLSX);
  return Buffer.from(await r.arrayBuffer());
}

async function book(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  return wb;
}

const text = (v: ExcelJS.CellValue) => (v === null || v === undefined ? "" : String(v));
const keysOf = (ws: ExcelJS.Worksheet) => Array.from({ length: ws.columnCount }, (_, i) => text(ws.getCell(2, i + 1).value));

/** The sheet's data rows (from row 3) by machine key. */
function records(ws: ExcelJS.Worksheet): Record<string, string>[] {
  const keys = keysOf(ws);
  const out: Record<string, string>[] = [];
  for (let r = 3; r <= ws.rowCount; r++) out.push(Object.fromEntries(keys.map((k, i) => [k, text(ws.getCell(r, i + 1).value)])));
  return out;
}

/** The template with its example rows removed and `rows` appended to each sheet, by machine key. */
async function fill(template: Buffer, sheets: Record<string, Record<string, string>[]>): Promise<Buffer> {
  const wb = await book(template);
  for (const [name, rows] of Object.entries(sheets)) {
    const ws = wb.getWorksheet(name)!;
    ws.spliceRows(3, 1);
    const keys = keysOf(ws);
    for (const r of rows) ws.addRow(keys.map((k) => r[k] ?? ""));
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function importXlsx(path: string, bytes: Buffer, token: string, headers: Record<string, string> = {}): Promise<any> {
  const r = await call("POST", path, { token, headers, body: { fileName: "registry.xlsx", content: bytes.toString("base64") } });
  expect(r.status, JSON.stringify(r.body)).toBe(202);
  const until = Date.now() + 120_000;
  let last: any;
  while (Date.now() < until) {
    const j = await call("GET", `/v1/jobs/${r.body.jobId}`, { token });
    last = j.body;
    if (j.body.status === "succeeded" || j.body.status === "failed") return j.body;
    await new Promise((res) => setTimeout(res, 150));
  }
  throw new Error(`import did not finish: ${JSON.stringify(last).slice(0, 500)}`);
}

/** A valid resident ID number (GB 11643) born on `birth` (YYYYMMDD) with sequence `seq` (odd: male). */
const idNumber = (birth: string, seq: number) => {
  const first = `350206${birth}${String(seq).padStart(3, "0")}`;
  return first + idCheckChar(first);
};

/** The registry tally of the caller's top unit (GET /v1/units/tree). */
async function tally(token: string): Promise<{ households: number; people: number }> {
  const r = await call("GET", "/v1/units/tree", { token });
  expect(r.status).toBe(200);
  const { households, people } = r.body.items[0].registry;
  return { households, people };
}

const GRID = "350206001001001";
const OTHER_GRID = "350206002001001"; // 高殿社区: outside community1's scope

describe("Excel of the registry", () => {
  it("gives a template of households and people with the caller's unit codes and the usual lists in dropdowns", async () => {
    const wb = await book(await download("/v1/registry/people/template.xlsx", await tokenFor("community1")));
    expect(wb.worksheets.map((w) => w.name)).toEqual(["住户", "人员", "选项", "填写说明"]);
    const people = wb.getWorksheet("人员")!;
    expect(keysOf(people)).toEqual(["id", "name", "idType", "idNumber", "gender", "relationship", "phone", "unitCode", "householdAddress", "householdId", "tags", "notes"]);
    expect(text(people.getCell(1, 4).value)).toBe("证件号码*");
    const v = (people as any).dataValidations.model;
    const at = (key: string) => v[`${String.fromCharCode(64 + keysOf(people).indexOf(key) + 1)}3`];
    expect(at("gender").formulae[0]).toBe('"男,女"');
    expect(at("idType").formulae[0]).toBe('"居民身份证"');
    expect(at("relationship").formulae[0]).toContain("户主");
    // unit codes: the caller's own units (a list sheet: too long to write inline)
    expect(at("unitCode").formulae[0]).toMatch(/^'选项'!\$A\$1:\$A\$\d+$/);
    const choices = wb.getWorksheet("选项")!;
    expect(choices.state).toBe("hidden");
    const codes = Array.from({ length: choices.rowCount }, (_, i) => text(choices.getCell(i + 1, 1).value));
    expect(codes).toContain(GRID);
    expect(codes).toContain("350206001001");
    expect(codes).not.toContain(OTHER_GRID);
    expect(codes.every((c) => c.startsWith("350206001001"))).toBe(true);
    // who may not write the registry gets no template
    expect((await call("GET", "/v1/registry/people/template.xlsx", { token: await tokenFor("street1") })).status).toBe(403);
    expect((await call("POST", "/v1/registry/people/import.xlsx", { token: await tokenFor("street1"), body: { content: "UEsDBA==" } })).status).toBe(403);
  });

  it("imports households and people of one workbook through the registry's writes, names bad rows, and a re-upload or an export imported back changes nothing", async () => {
    const token = await tokenFor("community1");
    const before = await tally(token);
    const template = await download("/v1/registry/people/template.xlsx", token);
    const head = idNumber("19560302", 13);
    const wife = idNumber("19580411", 24);
    const child = idNumber("19900115", 35);
    const bad = idNumber("19700101", 17).slice(0, 17) + (idNumber("19700101", 17).endsWith("0") ? "1" : "0");
    const filled = await fill(template, {
      住户: [
        { unitCode: GRID, address: "金山路 8 号 302 室", class: "重点户", membersCount: "3", contactName: "陈建国", contactPhone: "13912345678", needs: "助餐、助浴" },
        { unitCode: GRID, address: "金山路 8 号 303 室", class: "一般户", membersCount: "1" },
        { unitCode: OTHER_GRID, address: "高殿路 1 号", class: "一般户" }, // row 5: outside the caller's scope
      ],
      人员: [
        { name: "陈建国", idType: "居民身份证", idNumber: head, gender: "男", relationship: "户主", phone: "13912345678", unitCode: GRID, householdAddress: "金山路 8 号 302 室", tags: "老年人、党员" },
        { name: "林秀英", idNumber: wife, relationship: "配偶", unitCode: GRID, householdAddress: "金山路8号302室" },
        { name: "陈晓", idNumber: child, relationship: "子女", unitCode: GRID, householdAddress: "金山路 8 号 303 室" },
        { name: "坏号码", idNumber: bad, unitCode: GRID }, // row 6: check digit
        { name: "无此户", idNumber: idNumber("19800505", 41), unitCode: GRID, householdAddress: "不存在的地址 9 号" }, // row 7
        { name: "外单位", idNumber: idNumber("19810606", 52), unitCode: OTHER_GRID }, // row 8
      ],
    });
    const job = await importXlsx("/v1/registry/people/import.xlsx", filled, token);
    expect(job.status).toBe("succeeded");
    expect(job.result).toMatchObject({ list: "people", rows: 9, created: 5, updated: 0, unchanged: 0, rejected: 4 });
    const where = job.errors.map((e: any) => [e.params.sheet, e.line, e.params.column ?? "", e.code]);
    expect(where).toEqual([
      ["人员", 6, "D", "invalid"],
      ["人员", 7, "I", "unknown_household"],
      ["人员", 8, "H", "unit_out_of_scope"],
      ["住户", 5, "B", "unit_out_of_scope"],
    ]);
    // no full ID number in the job's errors
    expect(JSON.stringify(job.errors)).not.toContain(bad);
    const after = await tally(token);
    expect(after).toEqual({ households: before.households + 2, people: before.people + 3 });

    // the people are registered as entered, masked in the list, the member in the household of the same file
    const list = await call("GET", "/v1/registry/people?limit=200&q=陈建国", { token });
    const chen = list.body.items[0];
    expect(chen.idNumber).toBe(`**************${head.slice(-4)}`);
    expect(chen.relationship).toBe("head");
    expect(chen.tags.sort()).toEqual(["elderly", "party_member"]);
    const members = await call("GET", `/v1/registry/people?householdId=${chen.householdId}`, { token });
    expect(members.body.items.map((x: any) => x.name).sort()).toEqual(["林秀英", "陈建国"]);

    // the corrected file: an 错误 column on each sheet's rejected rows, the written rows masked and given their record id
    const corrected = await book(await download(`/v1/jobs/${job.id}/corrected.xlsx?lang=zh`, token));
    const sheet = corrected.getWorksheet("人员")!;
    const rows = records(sheet);
    const errCol = Array.from({ length: sheet.columnCount }, (_, i) => text(sheet.getCell(1, i + 1).value)).indexOf("错误") + 1;
    expect(errCol).toBeGreaterThan(0);
    expect(text(sheet.getCell(6, errCol).value)).toContain("D列：证件号码");
    expect(text(sheet.getCell(7, errCol).value)).toContain("找不到所属的户");
    expect(text(sheet.getCell(8, errCol).value)).toContain("不在您负责的范围内");
    expect(text(sheet.getCell(3, errCol).value)).toBe("");
    expect(rows[0].id).toBe(chen.id);
    expect(rows[0].idNumber).toBe(chen.idNumber);
    expect(rows[0].phone).toBe(chen.phone);
    expect(rows[3].idNumber).toBe(bad); // still to fix: kept as typed
    expect(text(corrected.getWorksheet("住户")!.getCell(5, 10).value)).toContain("不在您负责的范围内");

    // the same file again (and its Idempotency-Key replay): nothing changes
    const again = await importXlsx("/v1/registry/people/import.xlsx", filled, token, { "Idempotency-Key": "registry-again-1" });
    expect(again.result).toMatchObject({ created: 0, updated: 0, unchanged: 5, rejected: 4 });
    const replay = await call("POST", "/v1/registry/people/import.xlsx", { token, headers: { "Idempotency-Key": "registry-again-1" }, body: { fileName: "registry.xlsx", content: filled.toString("base64") } });
    expect(replay.status).toBe(202);
    expect(replay.body.jobId).toBe(again.id);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    // the corrected file uploaded as it is: its written rows are found by record id and mask
    const fixedAgain = await importXlsx("/v1/registry/people/import.xlsx", Buffer.from(await corrected.xlsx.writeBuffer()), token);
    expect(fixedAgain.result).toMatchObject({ created: 0, updated: 0, unchanged: 5, rejected: 4 });
    expect(await tally(token)).toEqual(after);
  });

  it("exports masked as the lists show, audits the export, and the export imported back changes nothing; a changed cell updates", async () => {
    const token = await tokenFor("community1");
    const bytes = await download("/v1/registry/people/export.xlsx", token);
    const wb = await book(bytes);
    const people = records(wb.getWorksheet("人员")!);
    const households = records(wb.getWorksheet("住户")!);
    expect(people.length).toBeGreaterThanOrEqual(3);
    for (const p of people) {
      expect(p.idNumber).toMatch(/^\*{14}[0-9X]{4}$/);
      if (p.phone) expect(p.phone).toMatch(/^\*{7}\d{4}$/);
      expect(p.id).toMatch(/^[0-9A-Z]{26}$/);
    }
    const chen = people.find((p) => p.name === "陈建国")!;
    expect(chen).toMatchObject({ gender: "男", relationship: "户主", householdAddress: "金山路 8 号 302 室", unitCode: GRID });
    expect(households.find((h) => h.address === "金山路 8 号 302 室")).toMatchObject({ contactPhone: "*******5678", class: "重点户", needs: "助餐、助浴" });
    const audit = await call("GET", "/v1/audit?action=registry.export&limit=10", { token: await adminToken() });
    expect(audit.status).toBe(200);
    expect(audit.body.items[0]).toMatchObject({ action: "registry.export", actor: { id: expect.any(String) } });
    expect(audit.body.items[0].details).toMatchObject({ list: "people", masked: true, people: people.length });

    const before = await tally(token);
    const back = await importXlsx("/v1/registry/people/import.xlsx", bytes, token);
    expect(back.result).toMatchObject({ created: 0, updated: 0, unchanged: people.length + households.length, rejected: 0 });
    expect(await tally(token)).toEqual(before);

    // an edited export: a new phone in full updates that person only; a different mask is refused
    const ws = wb.getWorksheet("人员")!;
    const keys = keysOf(ws);
    const row = people.indexOf(chen) + 3;
    ws.getCell(row, keys.indexOf("phone") + 1).value = "13700001111";
    const other = people.findIndex((p) => p.name === "林秀英") + 3;
    ws.getCell(other, keys.indexOf("idNumber") + 1).value = "**************9999";
    const edited = await importXlsx("/v1/registry/people/import.xlsx", Buffer.from(await wb.xlsx.writeBuffer()), token);
    expect(edited.result).toMatchObject({ created: 0, updated: 1, rejected: 1 });
    expect(edited.errors.map((e: any) => [e.line, e.code])).toEqual([[other, "masked_mismatch"]]);
    const now = await call("GET", `/v1/registry/people/${chen.id}`, { token });
    expect(now.body.phone).toBe("*******1111");
  });

  it("answers an ID number registered outside the caller's scope as create does, naming nothing", async () => {
    const outsider = await tokenFor("worker2"); // 高殿社区第1网格
    const id = idNumber("19750808", 63);
    const made = await call("POST", "/v1/registry/people", { token: outsider, body: { unitId: (await call("GET", `/v1/units?q=${OTHER_GRID}`, { token: await adminToken() })).body.items[0].id, name: "高殿居民", idNumber: id } });
    expect(made.status).toBe(201);
    const token = await tokenFor("community1");
    const filled = await fill(await download("/v1/registry/people/template.xlsx", token), { 住户: [], 人员: [{ name: "重复登记", idNumber: id, unitCode: GRID }] });
    const job = await importXlsx("/v1/registry/people/import.xlsx", filled, token);
    expect(job.errors.map((e: any) => [e.line, e.code])).toEqual([[3, "refused"]]);
    expect(job.errors[0].reason).toContain("cannot be registered here");
    expect(JSON.stringify(job.errors)).not.toContain(made.body.id);
    expect(JSON.stringify(job.errors)).not.toContain(OTHER_GRID);
  });
});

describe("Excel of the unit tree", () => {
  it("builds a three-level tree from one sheet (parents on any row), re-imports unchanged, and exports in the same layout", async () => {
    const admin = await adminToken();
    const wb = await book(await download("/v1/units/template.xlsx", admin));
    expect(keysOf(wb.getWorksheet("单位")!)).toEqual(["code", "name", "type", "level", "parentCode", "households", "population"]);
    const filled = await fill(await download("/v1/units/template.xlsx", admin), {
      单位: [
        { code: "350206009001001", name: "新城社区第1网格", type: "小区网格", parentCode: "350206009001", households: "120" },
        { code: "350206009", name: "新城街道", type: "街道/乡镇", parentCode: "350206" },
        { code: "350206009001", name: "新城社区", type: "社区/村", parentCode: "350206009", population: "5400" },
        { code: "350206008001", name: "无上级", parentCode: "350206008" }, // row 6: no such parent
      ],
    });
    const job = await importXlsx("/v1/units/import.xlsx", filled, admin);
    expect(job.result).toMatchObject({ list: "units", created: 3, rejected: 1 });
    expect(job.errors.map((e: any) => [e.line, e.params.column, e.code])).toEqual([[6, "E", "unknown_parent_unit"]]);
    const grid = (await call("GET", "/v1/units?q=350206009001001", { token: admin })).body.items[0];
    expect(grid).toMatchObject({ name: "新城社区第1网格", type: "residential", households: 120, depth: 3 });
    const community = (await call("GET", `/v1/units/${grid.parentId}`, { token: admin })).body;
    expect(community).toMatchObject({ code: "350206009001", population: 5400, depth: 2 });
    const again = await importXlsx("/v1/units/import.xlsx", filled, admin);
    expect(again.result).toMatchObject({ created: 0, updated: 0, unchanged: 3, rejected: 1 });

    const exported = await download("/v1/units/export.xlsx", admin);
    const rows = records((await book(exported)).getWorksheet("单位")!);
    expect(rows.find((r) => r.code === "350206009001001")).toMatchObject({ parentCode: "350206009001", type: "小区网格", level: "网格", households: "120" });
    expect(rows.find((r) => r.code === "350206")).toMatchObject({ parentCode: "" });
    const back = await importXlsx("/v1/units/import.xlsx", exported, admin);
    expect(back.result).toMatchObject({ created: 0, updated: 0, unchanged: rows.length, rejected: 0 });
    expect((await call("GET", "/v1/units/template.xlsx", { token: await tokenFor("community1") })).status).toBe(403);
  });
});
