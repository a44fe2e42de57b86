/**
 * The calendar page in Chromium: the banner for a year without official holidays and the
 * one-file import of a State Council notice (screenshots in test-output/screenshots/).
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { ensureConsoleBuilt } from "../../local/console-build.ts";
import { apiUrl, call, setClock } from "../client.ts";
import { adminToken, DEMO_PASSWORD } from "../fixtures.ts";
import { CHROMIUM, hasChromium, launchChromium } from "./chromium.ts";
import { serveConsole, type ConsoleServer } from "./serve.ts";

const shots = fileURLToPath(new URL("../../test-output/screenshots/", import.meta.url));

if (!hasChromium()) console.warn(`test/browser/calendar.test.ts skipped: no Chromium at ${CHROMIUM}`);

describe.skipIf(!hasChromium())("the calendar page in Chromium", () => {
  let server: ConsoleServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    await ensureConsoleBuilt(() => {});
    server = await serveConsole(apiUrl());
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: "zh-CN", timezoneId: "Asia/Shanghai" });
    context.setDefaultTimeout(15_000);
    page = await context.newPage();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("warns about next year's missing holidays from 1 November and imports a notice from one file", async () => {
    // 2 November 2026 in the county: the 2027 notice is due and the calendar has none (only the far test year 2031 is ever imported)
    await setClock("2026-11-02T02:00:00Z");
    const api = await call("GET", "/v1/calendar", { token: await adminToken() });
    expect(api.body.warnings.map((w: { year: number }) => w.year)).toEqual([2027]);

    await page.goto(`${server.url}/#/login`);
    await page.fill('input[name="username"]', "admin");
    await page.fill('input[name="password"]', DEMO_PASSWORD);
    await page.click('button[type="submit"]');
    await page.waitForSelector('[data-testid="dashboard"]');
    await page.goto(`${server.url}/#/calendar`);
    const banner = await page.waitForSelector('[data-testid="calendar-warning-2027"]');
    expect(await banner.textContent()).toContain("尚无 2027 年法定节假日安排");
    await page.screenshot({ path: `${shots}calendar-warning.png`, fullPage: true });

    const file = `${shots}notice-2031.csv`;
    writeFileSync(file, "date,type\n2031-01-01,休\n2031-10-01,休\n2031-09-28,班\n");
    await page.setInputFiles('[data-testid="calendar-notice-file"]', file);
    await page.waitForSelector("text=已导入 2031 年：2 天假日，1 天调休上班");
    await page.screenshot({ path: `${shots}calendar-imported.png`, fullPage: true });
    const after = await call("GET", "/v1/calendar", { token: await adminToken() });
    expect(after.body.holidays).toEqual(expect.arrayContaining(["2031-01-01", "2031-10-01"]));
    expect(after.body.workdays).toContain("2031-09-28");
  });
});
