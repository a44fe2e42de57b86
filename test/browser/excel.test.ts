/**
 * The Excel round trip in headless Chromium (own stack: it adds departments): the county admin
 * downloads the departments template from the list, fills it (exceljs here, as a clerk in Excel),
 * imports it, sees the rejected row with its Excel row, column and reason in Chinese, downloads the
 * file with the errors marked, fixes it, uploads it again (nothing duplicated) and exports the list.
 * Screenshots in test-output/screenshots/excel-*.png.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import ExcelJS from "exceljs";
import type { Browser, Page } from "playwright-core";
import { ensureConsoleBuilt } from "../../local/console-build.ts";
import { apiUrl, call } from "../client.ts";
import { adminToken, DEMO_PASSWORD } from "../fixtures.ts";
import { ownStack } from "../own-stack.ts";
import { CHROMIUM, hasChromium, launchChromium } from "./chromium.ts";
import { serveConsole, type ConsoleServer } from "./serve.ts";

const shots = fileURLToPath(new URL("../../test-output/screenshots/", import.meta.url));
if (!hasChromium()) {
  if (process.env.CI === "true") throw new Error(`test/browser/excel.test.ts: no Chromium at ${CHROMIUM} under CI`);
  console.warn(`test/browser/excel.test.ts skipped: no Chromium at ${CHROMIUM}`);
}

const text = (v: ExcelJS.CellValue) => (v === null || v === undefined ? "" : String(v));

describe.skipIf(!hasChromium())("Excel round trip in the console", () => {
  ownStack({ startTimeoutMs: 180_000 });
  let server: ConsoleServer;
  let browser: Browser;
  let page: Page;
  const dir = mkdtempSync(join(tmpdir(), "wangge-excel-"));
  const pageErrors: string[] = [];
  const snap = async (name: string) => {
    await page.waitForLoadState("networkidle", { timeout: 5_000 }).catch(() => undefined);
    await page.screenshot({ path: `${shots}excel-${name}.png`, fullPage: true });
  };
  /** Click `selector` and return the downloaded workbook. */
  const download = async (selector: string, name: string): Promise<{ wb: ExcelJS.Workbook; path: string; suggested: string }> => {
    const [dl] = await Promise.all([page.waitForEvent("download"), page.click(selector)]);
    const path = join(dir, name);
    await dl.saveAs(path);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync(path) as unknown as ArrayBuffer);
    return { wb, path, suggested: dl.suggestedFilename() };
  };
  const save = async (wb: ExcelJS.Workbook, name: string) => {
    const path = join(dir, name);
    writeFileSync(path, Buffer.from(await wb.xlsx.writeBuffer()));
    return path;
  };

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    await ensureConsoleBuilt(() => {});
    server = await serveConsole(apiUrl());
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, locale: "zh-CN", timezoneId: "Asia/Shanghai", acceptDownloads: true });
    context.setDefaultTimeout(20_000);
    page = await context.newPage();
    page.on("pageerror", (e) => pageErrors.push(e.message));
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("downloads the template from the list, imports it, shows the bad row by row and column, and a fixed corrected file imports the rest once", async () => {
    await page.goto(`${server.url}/#/login`);
    await page.fill('input[name="username"]', "admin");
    await page.fill('input[name="password"]', DEMO_PASSWORD);
    await page.click('button[type="submit"]');
    await page.waitForSelector('[data-testid="dashboard"]');
    await page.goto(`${server.url}/#/departments`);
    await page.waitForSelector('[data-testid="excel-template-departments"]');
    expect(await page.textContent('[data-testid="excel-template-departments"]')).toContain("下载模板");
    expect(await page.textContent('[data-testid="excel-import-departments"]')).toContain("导入Excel");
    expect(await page.textContent('[data-testid="excel-export-departments"]')).toContain("导出Excel");
    await snap("01-list-actions");

    const template = await download('[data-testid="excel-template-departments"]', "template.xlsx");
    expect(template.suggested).toBe("职能部门-导入模板.xlsx");
    const ws = template.wb.getWorksheet("职能部门")!;
    expect(text(ws.getCell(1, 1).value)).toBe("部门编码*");
    expect(text(ws.getCell(2, 1).value)).toBe("code");
    // rows 4 and 5 under the example row
    ws.getRow(4).values = ["XLB1", "浏览器测试局", "周一", "0592-1111111", "350206001", "启用"];
    ws.getRow(5).values = ["XLB2", "缺联系人局", "", "", "", ""];
    const filled = await save(template.wb, "filled.xlsx");

    await page.click('[data-testid="excel-import-departments"]');
    await page.waitForSelector('[data-testid="excel-import-page"]');
    await page.setInputFiles('[data-testid="excel-file"]', filled);
    await page.click('[data-testid="excel-start"]');
    await page.waitForSelector('[data-testid="excel-job"][data-status="succeeded"]', { timeout: 90_000 });
    expect(await page.textContent('[data-testid="excel-result"]')).toBe("新建 1，更新 0，未变 0，有错 1 行");
    const row = (await page.textContent('[data-testid="excel-error-5"]'))!;
    expect(row).toContain("C · 联系人");
    expect(row).toContain("联系人不能为空");
    await snap("02-errors");

    const corrected = await download('[data-testid="excel-corrected"]', "corrected.xlsx");
    const cws = corrected.wb.worksheets[0];
    expect(text(cws.getCell(1, 7).value)).toBe("错误");
    expect(text(cws.getCell(5, 7).value)).toBe("C列：联系人不能为空");
    expect(text(cws.getCell(4, 7).value)).toBe("");
    cws.getCell(5, 3).value = "吴二";
    const fixed = await save(corrected.wb, "fixed.xlsx");
    await page.setInputFiles('[data-testid="excel-file"]', fixed);
    await page.click('[data-testid="excel-start"]');
    await page.waitForFunction(() => {
      const el = document.querySelector('[data-testid="excel-result"]');
      return el?.textContent === "新建 1，更新 0，未变 1，有错 0 行";
    }, undefined, { timeout: 90_000 });
    expect(await page.locator('[data-testid="excel-errors"]').count()).toBe(0);
    await snap("03-fixed");

    const list = (await call("GET", "/v1/departments?q=XLB&limit=50", { token: await adminToken() })).body.items as Array<{ code: string }>;
    expect(list.map((d) => d.code).sort()).toEqual(["XLB1", "XLB2"]);

    await page.goto(`${server.url}/#/departments`);
    await page.waitForSelector('[data-testid="excel-export-departments"]');
    const exported = await download('[data-testid="excel-export-departments"]', "export.xlsx");
    expect(exported.suggested).toMatch(/^职能部门-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const codes = exported.wb.worksheets[0].getColumn(1).values.map((v) => text(v as ExcelJS.CellValue));
    expect(codes.filter((c) => c.startsWith("XLB"))).toEqual(["XLB1", "XLB2"]);
    expect(pageErrors).toEqual([]);
  }, 240_000);

  it("offers the same actions on the staff and categories lists", async () => {
    for (const [path, list] of [["users", "staff"], ["categories", "categories"]] as const) {
      await page.goto(`${server.url}/#/${path}`);
      await page.waitForSelector(`[data-testid="excel-import-${list}"]`);
      expect(await page.locator(`[data-testid="excel-template-${list}"]`).count()).toBe(1);
      expect(await page.locator(`[data-testid="excel-export-${list}"]`).count()).toBe(1);
    }
    await page.click('[data-testid="excel-import-categories"]');
    await page.waitForSelector('[data-testid="excel-import-page"]');
    expect(await page.textContent('[data-testid="excel-import-page"]')).toContain("导入事件分类（Excel）");
    await snap("04-categories-page");
  }, 60_000);
});
