/**
 * Issue #19 in headless Chromium against the shared embedded stack: the settings page shows the
 * county's personal-data controls (privacy quotas, retention and the mask style) with the values the API holds
 * (built-in defaults where the county saved none). It does not save: changing county settings on
 * the shared stack would change other files' quotas (test/security-settings.test.ts saves them on
 * its own stack). Screenshot: test-output/screenshots/security-settings-privacy.png.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { ensureConsoleBuilt } from "../../local/console-build.ts";
import { apiUrl, call } from "../client.ts";
import { DEMO_PASSWORD, adminToken } from "../fixtures.ts";
import { CHROMIUM, hasChromium, launchChromium } from "./chromium.ts";
import { serveConsole, type ConsoleServer } from "./serve.ts";

const shots = fileURLToPath(new URL("../../test-output/screenshots/", import.meta.url));

if (!hasChromium()) {
  if (process.env.CI === "true") throw new Error(`test/browser/security.test.ts: no Chromium at ${CHROMIUM}`);
  console.warn(`test/browser/security.test.ts skipped: no Chromium at ${CHROMIUM}`);
}

describe.skipIf(!hasChromium())("personal-data settings in the console (#19)", () => {
  let server: ConsoleServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    await ensureConsoleBuilt(() => {});
    server = await serveConsole(apiUrl());
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1440, height: 1100 }, locale: "zh-CN", timezoneId: "Asia/Shanghai" });
    context.setDefaultTimeout(15_000);
    page = await context.newPage();
    await page.goto(`${server.url}/#/login`);
    await page.fill('input[name="username"]', "admin");
    await page.fill('input[name="password"]', DEMO_PASSWORD);
    await page.click('button[type="submit"]');
    await page.waitForSelector('[data-testid="dashboard"]');
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("shows the privacy settings with the county's values and their bounds, and the mask style with a preview", async () => {
    const defaults = { searchesPerUserHour: 30, revealsPerUserDay: 50, residentRetentionDays: 730, auditRetentionMonths: 36, revealsPerUnitDay: 100, caseAttachmentRetentionDays: 730, movedAwayRetentionDays: 365, unattachedUploadRetentionHours: 168, importFileRetentionDays: 30, dutyPhotoRetentionDays: 730 };
    const { masks, ...numbers } = { ...defaults, masks: { idNumber: { trailing: 4 }, phone: { leading: 0, trailing: 4 } }, ...(await call("GET", "/v1/settings", { token: await adminToken() })).body.privacy };
    expect(Object.keys(numbers).sort()).toEqual(Object.keys(defaults).sort());
    await page.goto(`${server.url}/#/settings`);
    await page.waitForSelector('[data-testid="settings-privacy"]');
    for (const [key, value] of Object.entries(numbers)) expect(await page.inputValue(`[data-testid="privacy-${key}"]`), key).toBe(String(value));
    expect(await page.inputValue('[data-testid="privacy-mask-id-trailing"]')).toBe(String(masks.idNumber.trailing));
    expect(await page.inputValue('[data-testid="privacy-mask-phone-leading"]')).toBe(String(masks.phone.leading));
    expect(await page.inputValue('[data-testid="privacy-mask-phone-trailing"]')).toBe(String(masks.phone.trailing));
    const text = await page.textContent('[data-testid="settings-privacy"]');
    expect(text).toContain("个人信息保护");
    expect(text).toContain("6–120，默认 36");
    expect(text).toContain("身份证号和手机号的脱敏方式");
    expect(text).toContain("示例：**************1234");
    expect(text).toContain("示例：*******5678");
    await page.screenshot({ path: `${shots}security-settings-privacy.png`, fullPage: true });
  });
});
