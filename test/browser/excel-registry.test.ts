/**
 * The people Excel round trip in headless Chromium (own stack: it registers people): community
 * staff download the people template from the 人口 list, fill a household and its members (exceljs
 * here, as a clerk in Excel), import it, see the rejected row by sheet, row and column with its
 * reason in Chinese, download the file with the errors marked (the written rows masked and given
 * their record ids), fix the row and upload it again (nothing duplicated), export the list (masked)
 * and upload the export unchanged. Screenshots in test-output/screenshots/excel-registry-*.png.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import ExcelJS from "exceljs";
import type { Browser, Page } from "playwright-core";
import { ensureConsoleBuilt } from "../../local/console-build.ts";
import { idCheckChar } from "../../core/registry/idcard.ts";
import { apiUrl, call } from "../client.ts";
import { DEMO_PASSWORD, tokenFor } from "../fixtures.ts";
import { ownStack } from "../own-stack.ts";
import { CHROMIUM, hasChromium, launchChromium } from "./chromium.ts";
import { serveConsole, type ConsoleServer } from "./serve.ts";

const shots = fileURLToPath(new URL("../../test-output/screenshots/", import.meta.url));
if (!hasChromium()) {
  if (process.env.CI === "true") throw new Error(`test/browser/excel-registry.test.ts: no Chromium at ${CHROMIUM} under CI`);
  console.warn(`test/browser/excel-registry.test.ts skipped: no Chromium at ${CHROMIUM}`);
}

const text = (v: ExcelJS.CellValue) => (v === null || v === undefined ? "" : String(v));
const idNumber = (birth: string, seq: number) => {
  const first = `350206${birth}${String(seq).padStart(3, "0")}`;
  return first + idCheckChar(first);
};

describe.skipIf(!hasChromium())("Excel round trip of the registry in the console", () => {
  ownStack({ startTimeoutMs: 180_000 });
  let server: ConsoleServer;
  let browser: Browser;
  let page: Page;
  const dir = mkdtempSync(join(tmpdir(), "wangge-excelreg-"));
  const pageErrors: string[] = [];
  const snap = async (name: string) => {
    await page.waitForLoadState("networkidle", { timeout: 5_000 }).catch(() => undefined);
    await page.screenshot({ path: `${shots}excel-registry-${name}.png`, fullPage: true });
  };
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
  const upload = async (path: string, result: string) => {
    await page.setInputFiles('[data-testid="excel-file"]', path);
    await page.click('[data-testid="excel-start"]');
    await page.waitForFunction((want) => document.querySelector('[data-testid="excel-result"]')?.textContent === want, result, { timeout: 90_000 });
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

  it("imports a household and its members from the people list, shows the bad row, and the corrected file and the export import back without duplicates", async () => {
    await page.goto(`${server.url}/#/login`);
    await page.fill('input[name="username"]', "community1");
    await page.fill('input[name="password"]', DEMO_PASSWORD);
    await page.click('button[type="submit"]');
    await page.waitForSelector('[data-testid="dashboard"]');
    await page.goto(`${server.url}/#/people`);
    await page.waitForSelector('[data-testid="excel-template-people"]');
    expect(await page.textContent('[data-testid="excel-import-people"]')).toContain("导入Excel");
    expect(await page.textContent('[data-testid="excel-export-people"]')).toContain("导出Excel");
    await snap("01-list-actions");

    const template = await download('[data-testid="excel-template-people"]', "template.xlsx");
    expect(template.suggested).toBe("人口-导入模板.xlsx");
    expect(template.wb.worksheets.map((w) => w.name).slice(0, 2)).toEqual(["住户", "人员"]);
    const hs = template.wb.getWorksheet("住户")!;
    hs.getRow(4).values = ["", "350206001001001", "金山路 20 号 101 室", "一般户", "2", "黄志明", "13811112222"];
    const ps = template.wb.getWorksheet("人员")!;
    const head = idNumber("19620718", 11);
    const wife = idNumber("19650203", 22);
    ps.getRow(4).values = ["", "黄志明", "居民身份证", head, "男", "户主", "13811112222", "350206001001001", "金山路 20 号 101 室"];
    // row 5: the check digit is wrong
    const wrong = wife.slice(0, 17) + (wife.endsWith("1") ? "2" : "1");
    ps.getRow(5).values = ["", "周丽", "居民身份证", wrong, "女", "配偶", "", "350206001001001", "金山路 20 号 101 室"];
    const filled = await save(template.wb, "filled.xlsx");

    await page.click('[data-testid="excel-import-people"]');
    await page.waitForSelector('[data-testid="excel-import-page"]');
    expect(await page.textContent('[data-testid="excel-import-page"]')).toContain("导入户籍人口（Excel）");
    await upload(filled, "新建 2，更新 0，未变 0，有错 1 行");
    const row = (await page.textContent('[data-testid="excel-error-人员-5"]'))!;
    expect(row).toContain("人员 · 5");
    expect(row).toContain("D · 证件号码");
    expect(row).toContain("无效");
    await snap("02-errors");

    const corrected = await download('[data-testid="excel-corrected"]', "corrected.xlsx");
    const cws = corrected.wb.getWorksheet("人员")!;
    const errCol = cws.getRow(1).values instanceof Array ? (cws.getRow(1).values as ExcelJS.CellValue[]).map(text).indexOf("错误") : -1;
    expect(errCol).toBeGreaterThan(0);
    expect(text(cws.getCell(5, errCol).value)).toContain("D列：证件号码");
    expect(text(cws.getCell(4, 4).value)).toBe(`**************${head.slice(-4)}`); // written: masked in the stored file
    expect(text(cws.getCell(4, 1).value)).toMatch(/^[0-9A-Z]{26}$/);
    cws.getCell(5, 4).value = wife;
    const fixed = await save(corrected.wb, "fixed.xlsx");
    await upload(fixed, "新建 1，更新 0，未变 2，有错 0 行");
    expect(await page.locator('[data-testid="excel-errors"]').count()).toBe(0);
    await snap("03-fixed");

    const token = await tokenFor("community1");
    const people = (await call("GET", "/v1/registry/people?q=黄志明", { token })).body.items;
    expect(people).toHaveLength(1);
    const members = (await call("GET", `/v1/registry/people?householdId=${people[0].householdId}`, { token })).body.items.map((x: { name: string }) => x.name);
    expect(members.sort()).toEqual(["周丽", "黄志明"]);

    await page.goto(`${server.url}/#/people`);
    await page.waitForSelector('[data-testid="excel-export-people"]');
    const exported = await download('[data-testid="excel-export-people"]', "export.xlsx");
    expect(exported.suggested).toMatch(/^人口-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const ews = exported.wb.getWorksheet("人员")!;
    const ids = ews.getColumn(4).values.map((v) => text(v as ExcelJS.CellValue)).slice(3);
    expect(ids.length).toBeGreaterThanOrEqual(2);
    expect(ids.every((v) => /^\*{14}[0-9X]{4}$/.test(v))).toBe(true);
    await page.click('[data-testid="excel-import-people"]');
    await page.waitForSelector('[data-testid="excel-import-page"]');
    const rows = exported.wb.getWorksheet("住户")!.rowCount - 2 + ews.rowCount - 2;
    await upload(exported.path, `新建 0，更新 0，未变 ${rows}，有错 0 行`);
    await snap("04-export-reimported");
    expect(pageErrors).toEqual([]);
  }, 300_000);

  it("offers the same actions on the households and units lists", async () => {
    await page.goto(`${server.url}/#/households`);
    await page.waitForSelector('[data-testid="excel-import-households"]');
    expect(await page.locator('[data-testid="excel-template-households"]').count()).toBe(1);
    expect(await page.locator('[data-testid="excel-export-households"]').count()).toBe(1);
    await snap("05-households-list");
    // community staff read the unit tree but may not write it: export only
    await page.goto(`${server.url}/#/units`);
    await page.waitForSelector('[data-testid="excel-export-units"]');
    expect(await page.locator('[data-testid="excel-import-units"]').count()).toBe(0);
  }, 60_000);
});
