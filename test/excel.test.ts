import { describe, expect, it } from "vitest";
import ExcelJS from "exceljs";
import { apiUrl, call } from "./client.ts";
import { adminToken, tokenFor } from "./fixtures.ts";
import { ownStack } from "./own-stack.ts";

/**
 * Excel round trips (#20, docs/setup.md "Excel") on an own embedded stack: the template is
 * downloaded and filled with exceljs as a clerk would, imported as a job, its errors name the rows
 * as Excel numbers them, the corrected file carries an error column, the fixed file imports the
 * rest, and uploading again never duplicates; an export imports back unchanged.
 */
ownStack();

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

/** The sheet's rows from `from` on as arrays of cell text (columns 1..n). */
function rowsOf(ws: ExcelJS.Worksheet, from: number, n: number): string[][] {
  const out: string[][] = [];
  for (let r = from; r <= ws.rowCount; r++) out.push(Array.from({ length: n }, (_, i) => text(ws.getCell(r, i + 1).value)));
  return out;
}

/** Rows appended after the sheet's last row, by machine key (row 2 of the template). */
async function fill(bytes: Buffer, rows: Record<string, string>[], edit?: (ws: ExcelJS.Worksheet, col: (key: string) => number) => void): Promise<Buffer> {
  const wb = await book(bytes);
  const ws = wb.worksheets[0];
  const keys = rowsOf(ws, 2, ws.columnCount)[0];
  const col = (key: string) => keys.indexOf(key) + 1;
  edit?.(ws, col);
  for (const r of rows) ws.addRow(keys.map((k) => r[k] ?? ""));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function importXlsx(path: string, bytes: Buffer, token: string): Promise<any> {
  const r = await call("POST", path, { token, body: { fileName: "filled.xlsx", content: bytes.toString("base64") } });
  expect(r.status, JSON.stringify(r.body)).toBe(202);
  return jobEnd(r.body.jobId, token);
}

/** The job once it ended (succeeded or failed). */
async function jobEnd(jobId: string, token: string): Promise<any> {
  const until = Date.now() + 90_000;
  while (Date.now() < until) {
    const j = await call("GET", `/v1/jobs/${jobId}`, { token });
    if (j.body.status === "succeeded" || j.body.status === "failed") return j.body;
    await new Promise((res) => setTimeout(res, 150));
  }
  throw new Error("import did not finish");
}

/** Each error as [row, column letter, code]. */
const where = (job: any) => job.errors.map((e: any) => [e.line, e.params?.column ?? "", e.code]);

/** The corrected file's error column by row number (rows with no error absent). */
async function errorColumn(jobId: string, token: string, lang = "zh"): Promise<{ wb: ExcelJS.Workbook; errors: Map<number, string> }> {
  const wb = await book(await download(`/v1/jobs/${jobId}/corrected.xlsx?lang=${lang}`, token));
  const ws = wb.worksheets[0];
  let col = 0;
  ws.getRow(1).eachCell((c, i) => {
    if (text(c.value) === (lang === "zh" ? "错误" : "Errors")) col = i;
  });
  expect(col, "error column").toBeGreaterThan(0);
  const errors = new Map<number, string>();
  for (let r = 3; r <= ws.rowCount; r++) if (text(ws.getCell(r, col).value)) errors.set(r, text(ws.getCell(r, col).value));
  return { wb, errors };
}

describe("Excel templates", () => {
  it("gives a template with Chinese headers, the key row, an example row and validation lists, to those who may create the records", async () => {
    const admin = await adminToken();
    const wb = await book(await download("/v1/users/template.xlsx", admin));
    const ws = wb.getWorksheet("人员")!;
    expect(rowsOf(ws, 1, 8).slice(0, 2)).toEqual([
      ["用户名*", "姓名*", "手机号", "角色*", "单位编码*", "部门编码", "状态", "初始密码"],
      ["username", "displayName", "phone", "role", "unitCode", "departmentCode", "active", "password"],
    ]);
    expect(text(ws.getCell(3, 4).value)).toBe("网格员");
    const roleList = (ws as any).dataValidations.model["D3"];
    expect(roleList.type).toBe("list");
    expect(roleList.formulae[0]).toContain("网格长");
    expect(wb.getWorksheet("填写说明")).toBeDefined();
    const worker = await tokenFor("worker1");
    for (const list of ["users", "departments", "categories"]) {
      expect((await call("GET", `/v1/${list}/template.xlsx`, { token: worker })).status, list).toBe(403);
      expect((await call("POST", `/v1/${list}/import.xlsx`, { token: worker, body: { content: "UEsDBA==" } })).status, list).toBe(403);
    }
  });

  it("refuses a file that is not an .xlsx workbook at once, with a 400 naming it", async () => {
    const r = await call("POST", "/v1/departments/import.xlsx", { token: await adminToken(), body: { fileName: "x.csv", content: Buffer.from("code,name\nA,B\n").toString("base64") } });
    expect(r.status).toBe(400);
    expect(r.body.error.details.problem).toBe("xlsx_unreadable");
    const bad = await call("POST", "/v1/departments/import.xlsx", { token: await adminToken(), body: { content: "not base64!" } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.fields[0].path).toBe("content");
  });
});

describe("Excel round trip of departments", () => {
  it("imports the good rows, names the bad ones by Excel row and column, gives the corrected file, and a fixed re-upload creates the rest without duplicates", async () => {
    const admin = await adminToken();
    const template = await download("/v1/departments/template.xlsx", admin);
    // row 3 is the example (left as it is: skipped); the clerk's rows are 4–7
    const filled = await fill(template, [
      { code: "XLS1", name: "城管执法局", contactName: "王五", contactPhone: "0592-7654321", unitCodes: "350206001、350206002", active: "启用" },
      { code: "坏 编码", name: "错误编码局", contactName: "赵六" },
      { code: "XLS2", name: "水利局", contactName: "" },
      { code: "XLS1", name: "重复的城管", contactName: "钱七" },
    ]);
    const job = await importXlsx("/v1/departments/import.xlsx", filled, admin);
    expect(job.status).toBe("succeeded");
    expect(job.result).toMatchObject({ rows: 4, created: 1, updated: 0, unchanged: 0, rejected: 3 });
    expect(where(job)).toEqual([
      [5, "A", "invalid"],
      [6, "C", "required"],
      [7, "A", "duplicate_in_file"],
    ]);
    expect(job.errors[2].params).toMatchObject({ value: "XLS1", other: 4 });

    const { wb, errors } = await errorColumn(job.id, admin);
    expect([...errors.keys()]).toEqual([5, 6, 7]);
    expect(errors.get(5)).toBe("A列：部门编码“坏 编码”无效：字母、数字、_ -（分类还可用 .），最多 32 位");
    expect(errors.get(6)).toBe("C列：联系人不能为空");
    expect(errors.get(7)).toBe("A列：XLS1 在第 4 行已出现");
    expect((await errorColumn(job.id, admin, "en")).errors.get(6)).toBe("C列：Contact is required");

    // the clerk fixes the marked rows in the corrected file and uploads it again
    const ws = wb.worksheets[0];
    ws.getCell(5, 1).value = "XLS3";
    ws.getCell(6, 3).value = "孙八";
    ws.getCell(7, 1).value = "XLS4";
    const fixed = Buffer.from(await wb.xlsx.writeBuffer());
    const again = await importXlsx("/v1/departments/import.xlsx", fixed, admin);
    expect(again.result).toMatchObject({ created: 3, updated: 0, unchanged: 1, rejected: 0 });
    expect(again.errors).toEqual([]);
    const list = (await call("GET", "/v1/departments?q=XLS&limit=50", { token: admin })).body.items as any[];
    expect(list.map((d) => d.code).sort()).toEqual(["XLS1", "XLS2", "XLS3", "XLS4"]);
    expect(list.find((d) => d.code === "XLS1").unitIds).toHaveLength(2);

    const third = await importXlsx("/v1/departments/import.xlsx", fixed, admin);
    expect(third.result).toMatchObject({ created: 0, updated: 0, unchanged: 4, rejected: 0 });
    expect(((await call("GET", "/v1/departments?q=XLS&limit=50", { token: admin })).body.items as any[]).length).toBe(4);
  });

  it("exports departments in the template's layout, and the export imports back unchanged; an edited cell updates only that department", async () => {
    const admin = await adminToken();
    const exported = await download("/v1/departments/export.xlsx", admin);
    const ws = (await book(exported)).worksheets[0];
    const count = (await call("GET", "/v1/departments?limit=200", { token: admin })).body.items.length;
    expect(ws.rowCount - 2).toBe(count);
    const back = await importXlsx("/v1/departments/import.xlsx", exported, admin);
    expect(back.result).toMatchObject({ rows: count, created: 0, updated: 0, unchanged: count, rejected: 0 });
    const edited = await fill(exported, [], (sheet, col) => {
      for (let r = 3; r <= sheet.rowCount; r++) if (text(sheet.getCell(r, col("code")).value) === "XLS2") sheet.getCell(r, col("name")).value = "水利局（改名）";
    });
    const changed = await importXlsx("/v1/departments/import.xlsx", edited, admin);
    expect(changed.result).toMatchObject({ created: 0, updated: 1, unchanged: count - 1 });
    const xls2 = (await call("GET", "/v1/departments?q=XLS2", { token: admin })).body.items[0];
    expect(xls2.name).toBe("水利局（改名）");
  });
});

describe("Excel imports racing", () => {
  it("two imports of the same file at once create each department once (the losing create updates or keeps the winner)", async () => {
    const admin = await adminToken();
    const rows = [1, 2, 3, 4, 5].map((n) => ({ code: `XLC${n}`, name: `并发局${n}`, contactName: "周" }));
    const file = await fill(await download("/v1/departments/template.xlsx", admin), rows);
    const [a, b] = await Promise.all([importXlsx("/v1/departments/import.xlsx", file, admin), importXlsx("/v1/departments/import.xlsx", file, admin)]);
    expect(a.id).not.toBe(b.id);
    expect(a.result.created + b.result.created).toBe(5);
    expect(a.result.created + a.result.unchanged + b.result.created + b.result.unchanged).toBe(10);
    expect(a.errors.concat(b.errors)).toEqual([]);
    const list = (await call("GET", "/v1/departments?q=XLC&limit=50", { token: admin })).body.items as any[];
    expect(list.map((d) => d.code).sort()).toEqual(["XLC1", "XLC2", "XLC3", "XLC4", "XLC5"]);
  });

  it("answers a repeated request with the same Idempotency-Key with the first job", async () => {
    const admin = await adminToken();
    const file = await fill(await download("/v1/departments/template.xlsx", admin), [{ code: "XLD1", name: "幂等局", contactName: "郑" }]);
    const body = { fileName: "same.xlsx", content: file.toString("base64") };
    const first = await call("POST", "/v1/departments/import.xlsx", { token: admin, body, headers: { "idempotency-key": "xlsx-test-1" } });
    // the replay once the job ended: a replay while it is still queued queues it again (its message may have been
    // lost), and that second message, meeting the first one's run, would wait out the jobs queue's 15-minute
    // visibility timeout on the shared stack (docs/async.md "Job leases"), keeping every other test's queues busy
    expect((await jobEnd(first.body.jobId, admin)).status).toBe("succeeded");
    const again = await call("POST", "/v1/departments/import.xlsx", { token: admin, body, headers: { "idempotency-key": "xlsx-test-1" } });
    expect(first.status).toBe(202);
    expect(again.status).toBe(202);
    expect(again.body.jobId).toBe(first.body.jobId);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
  });
});

describe("Excel round trip of staff", () => {
  it("creates accounts with their roles from one row per role (an activation code for one without a password), rejects bad rows with their reasons, keeps initial passwords only on rejected rows, and a corrected re-upload adds the rest once", async () => {
    const admin = await adminToken();
    const template = await download("/v1/users/template.xlsx", admin);
    const pw = "Init-pass-2026";
    const filled = await fill(template, [
      { username: "xls.wang", displayName: "王芳", phone: "13900000001", role: "网格员", unitCode: "350206001001001", active: "启用", password: pw },
      { username: "xls.wang", role: "grid_leader", unitCode: "350206001001002" },
      { username: "xls.li", displayName: "李强", role: "网格员", unitCode: "999", password: pw },
      { username: "xls.zhao", displayName: "赵敏", role: "队长", unitCode: "350206002001001", password: pw },
      { username: "xls.qian", displayName: "钱伟", role: "网格员", unitCode: "350206002001001" },
      { username: "xls.dept", displayName: "部门人员", role: "职能部门人员", unitCode: "350206", departmentCode: "XLS1", password: pw },
    ]);
    const job = await importXlsx("/v1/users/import.xlsx", filled, admin);
    expect(job.status).toBe("succeeded");
    expect(job.result).toMatchObject({ rows: 6, created: 3, updated: 0, unchanged: 0, rejected: 2, activationCodes: 1 });
    expect(where(job)).toEqual([
      [6, "E", "unknown_unit"],
      [7, "D", "unknown_role"],
    ]);
    // xls.qian had no initial password: an activation code, on the sheet only its importer may download
    const codes = (await book(await download(`/v1/jobs/${job.id}/activation-codes.xlsx`, admin))).worksheets[0];
    expect(rowsOf(codes, 2, 5).map((r) => [r[0], r[1], /^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/.test(r[4])])).toEqual([["xls.qian", "钱伟", true]]);

    const { wb, errors } = await errorColumn(job.id, admin);
    expect([...errors.keys()]).toEqual([6, 7]);
    expect(errors.get(7)).toBe("D列：没有“队长”这个角色");
    const ws = wb.worksheets[0];
    // passwords of the accounts created are gone from the stored file; the rejected rows keep theirs
    expect(text(ws.getCell(4, 8).value)).toBe("");
    expect(text(ws.getCell(6, 8).value)).toBe(pw);
    ws.getCell(6, 5).value = "350206002001001";
    ws.getCell(7, 4).value = "网格员";
    const fixed = Buffer.from(await wb.xlsx.writeBuffer());
    const again = await importXlsx("/v1/users/import.xlsx", fixed, admin);
    expect(again.result, JSON.stringify(again.errors)).toMatchObject({ created: 2, updated: 0, unchanged: 3, rejected: 0, activationCodes: 0 });

    const users = (await call("GET", "/v1/users?q=xls.&limit=50", { token: admin })).body.items as any[];
    expect(users.map((u) => u.username).sort()).toEqual(["xls.dept", "xls.li", "xls.qian", "xls.wang", "xls.zhao"]);
    expect(users.find((u) => u.username === "xls.wang").assignments.map((a: any) => a.role).sort()).toEqual(["grid_leader", "grid_worker"]);
    expect(users.find((u) => u.username === "xls.dept").assignments[0].departmentId).toBeTruthy();
    const login = await call("POST", "/v1/auth/login", { body: { username: "xls.li", password: pw } });
    expect(login.status).toBe(200);

    const third = await importXlsx("/v1/users/import.xlsx", fixed, admin);
    expect(third.result).toMatchObject({ created: 0, updated: 0, unchanged: 5, rejected: 0 });
  });

  it("exports staff one row per role without passwords, and the export imports back unchanged", async () => {
    const admin = await adminToken();
    const exported = await download("/v1/users/export.xlsx", admin);
    const ws = (await book(exported)).worksheets[0];
    const rows = rowsOf(ws, 3, 8);
    expect(rows.filter((r) => r[0] === "xls.wang").map((r) => r[3]).sort()).toEqual(["网格员", "网格长"]);
    expect(rows.every((r) => r[7] === "")).toBe(true);
    const accounts = new Set(rows.map((r) => r[0])).size;
    const back = await importXlsx("/v1/users/import.xlsx", exported, admin);
    expect(back.errors).toEqual([]);
    expect(back.result).toMatchObject({ rows: rows.length, created: 0, updated: 0, unchanged: accounts, rejected: 0 });
  });
});

describe("Excel round trip of categories", () => {
  it("creates classes before their subcategories wherever they stand in the file, rejects unknown parents and unreadable deadlines, and the export imports back unchanged", async () => {
    const admin = await adminToken();
    const template = await download("/v1/categories/template.xlsx", admin);
    const filled = await fill(template, [
      { code: "X101", name: "测试子类", parentCode: "X1", departmentCodes: "XLS1、XLS3" },
      { code: "X1", name: "测试大类", isDispute: "是", handle: "3工作日", accept: "4小时" },
      { code: "X102", name: "无主子类", parentCode: "NOPE" },
      { code: "X2", name: "坏时限", handle: "3周" },
    ]);
    const job = await importXlsx("/v1/categories/import.xlsx", filled, admin);
    expect(job.result).toMatchObject({ created: 2, rejected: 2 });
    expect(where(job)).toEqual([
      [6, "C", "unknown_parent"],
      [7, "L", "invalid"],
    ]);
    const x1 = (await call("GET", "/v1/categories?q=X1&limit=10", { token: admin })).body.items as any[];
    const parent = x1.find((c) => c.code === "X1");
    expect(parent.deadlines).toEqual({ handle: { amount: 3, unit: "working_days" }, accept: { amount: 4, unit: "calendar_hours" } });
    expect(parent.isDispute).toBe(true);
    expect(x1.find((c) => c.code === "X101").parentId).toBe(parent.id);

    const exported = await download("/v1/categories/export.xlsx", admin);
    const count = (await call("GET", "/v1/categories?limit=200", { token: admin })).body.items.length;
    const back = await importXlsx("/v1/categories/import.xlsx", exported, admin);
    expect(back.errors).toEqual([]);
    expect(back.result).toMatchObject({ rows: count, created: 0, updated: 0, unchanged: count, rejected: 0 });
  });

  it("shows the corrected file only to who may see the job, and only once it ended", async () => {
    const admin = await adminToken();
    const job = await importXlsx("/v1/categories/import.xlsx", await fill(await download("/v1/categories/template.xlsx", admin), [{ code: "X3", name: "" }]), admin);
    expect(where(job)).toEqual([[4, "B", "required"]]);
    expect((await call("GET", `/v1/jobs/${job.id}/corrected.xlsx`, { token: await tokenFor("center") })).status).toBe(404);
    expect((await call("GET", `/v1/jobs/${job.id}/corrected.xlsx?lang=fr`, { token: admin })).status).toBe(400);
  });
});
