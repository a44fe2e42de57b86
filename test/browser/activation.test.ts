/**
 * First sign-in with an activation code in Chromium: a staff import without passwords issues codes
 * (sheet downloaded by the importer), the holder opens 使用激活码首次登录 on the sign-in page, a wrong
 * code is refused like a wrong password, the right one sets their password and signs them in
 * (screenshots in test-output/screenshots/activation-*.png).
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import ExcelJS from "exceljs";
import type { Browser, Page } from "playwright-core";
import { ensureConsoleBuilt } from "../../local/console-build.ts";
import { apiUrl, call } from "../client.ts";
import { adminToken } from "../fixtures.ts";
import { CHROMIUM, hasChromium, launchChromium } from "./chromium.ts";
import { serveConsole, type ConsoleServer } from "./serve.ts";
import { http, importXlsx, staffXlsx, waitJob } from "../../bench/onboarding-files.ts";

const shots = fileURLToPath(new URL("../../test-output/screenshots/", import.meta.url));
if (!hasChromium()) console.warn(`test/browser/activation.test.ts skipped: no Chromium at ${CHROMIUM}`);
const username = `ac${Date.now().toString(36).slice(-6)}`;

describe.skipIf(!hasChromium())("first sign-in with an activation code in Chromium", () => {
  let server: ConsoleServer;
  let browser: Browser;
  let page: Page;
  let code = "";

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    const admin = await adminToken();
    const api = http(apiUrl(), () => admin);
    const job = await waitJob(api, await importXlsx(api, "users", "新人员.xlsx", await staffXlsx([{ username, displayName: "新网格员陈六", role: "网格员", unitCode: "350206001001001" }])), undefined, 90_000);
    if (job.result?.activationCodes !== 1) throw new Error(JSON.stringify(job));
    const r = await fetch(`${apiUrl()}/v1/jobs/${job.id}/activation-codes.xlsx`, { headers: { authorization: `Bearer ${admin}` } });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await r.arrayBuffer()) as ArrayBuffer);
    code = String(wb.worksheets[0].getCell(2, 5).value);

    await ensureConsoleBuilt(() => {});
    server = await serveConsole(apiUrl());
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: "zh-CN", timezoneId: "Asia/Shanghai" });
    context.setDefaultTimeout(20_000);
    page = await context.newPage();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("refuses a wrong code like a wrong password, then sets the holder's own password with the right one and signs in", async () => {
    await page.goto(`${server.url}/#/login`);
    await page.click('[data-testid="activate-link"]');
    await page.waitForSelector('[data-testid="activate-form"]');
    expect(await page.textContent('[data-testid="activate-form"]')).toContain("使用激活码首次登录");
    await page.fill('input[name="username"]', username);
    await page.fill('input[name="code"]', "AAAA-BBBB-CCCC-DDDD");
    await page.fill('input[name="new-password"]', "chen-liu-own-pass");
    await page.fill('input[name="repeat-password"]', "chen-liu-own-pass");
    await page.click('[data-testid="activate-submit"]');
    const refused = await page.waitForSelector('[data-testid="activate-error"]');
    expect(await refused.textContent()).toContain("用户名或激活码不正确");
    await page.screenshot({ path: `${shots}activation-refused.png` });

    await page.fill('input[name="code"]', code.toLowerCase());
    await page.screenshot({ path: `${shots}activation-form.png` });
    await page.click('[data-testid="activate-submit"]');
    await page.waitForSelector('[data-testid="dashboard"]');
    await page.screenshot({ path: `${shots}activation-signed-in.png` });
    // the password is the holder's now, and the code is spent
    expect((await call("POST", "/v1/auth/login", { body: { username, password: "chen-liu-own-pass" } })).status).toBe(200);
    expect((await call("POST", "/v1/auth/activate", { body: { username, code, password: "another-pass-123" } })).status).toBe(401);
  });
});
