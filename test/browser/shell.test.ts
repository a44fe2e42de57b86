/**
 * The console's shell screens in headless Chromium against the shared embedded stack: a message
 * that really went to a dead-letter queue is sent back from the Operations screen; the settings
 * and a category's effective deadlines with their source; the notifications page; the audit log
 * filtered by action; the big screen. A screenshot of every screen in test-output/screenshots/.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { mkdirSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { ensureConsoleBuilt } from "../../local/console-build.ts";
import { apiUrl, call, queuesIdle } from "../client.ts";
import { report } from "../cases.ts";
import { DEMO_PASSWORD, adminToken, tokenFor } from "../fixtures.ts";
import { deadLetter, dlqDepth, pauseConsumer, takeFromQueue } from "../deadletter.ts";
import { CHROMIUM, hasChromium, launchChromium } from "./chromium.ts";
import { serveConsole, type ConsoleServer } from "./serve.ts";

const shots = fileURLToPath(new URL("../../test-output/screenshots/", import.meta.url));
const QUEUE = "exports";

if (!hasChromium()) {
  console.warn(`test/browser/shell.test.ts skipped: no Chromium at ${CHROMIUM} (Debian: apt-get install chromium)`);
}

describe.skipIf(!hasChromium())("the console's shell screens in Chromium", () => {
  let server: ConsoleServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let admin: string;
  const pageErrors: string[] = [];

  const go = (hash: string) => page.goto(`${server.url}/#${hash}`);
  const snap = async (name: string) => {
    await page.waitForLoadState("networkidle", { timeout: 5_000 }).catch(() => undefined);
    await page.screenshot({ path: `${shots}shell-${name}.png`, fullPage: true });
  };

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    await ensureConsoleBuilt(() => {});
    server = await serveConsole(apiUrl());
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: "zh-CN", timezoneId: "Asia/Shanghai" });
    context.setDefaultTimeout(15_000);
    page = await context.newPage();
    page.on("pageerror", (e) => pageErrors.push(e.message));
    admin = await adminToken();
    // figures to show: two cases reported today
    await report("worker1");
    await report("worker1");
    await queuesIdle();
    await go("/login");
    await page.fill('input[name="username"]', "admin");
    await page.fill('input[name="password"]', DEMO_PASSWORD);
    await page.click('button[type="submit"]');
    await page.waitForSelector('[data-testid="dashboard"]');
  }, 180_000);

  afterAll(async () => {
    await pauseConsumer(QUEUE, false).catch(() => undefined);
    await browser?.close();
    await server?.close();
  });

  it("shows the menu by the work and the exact dashboard", async () => {
    for (const g of ["cases", "administration"]) await page.waitForSelector(`[data-testid="menu-group-${g}"]`);
    await page.waitForSelector('[data-testid="menu-ops"]');
    await page.waitForSelector('[data-testid="kpi-open"]');
    expect(await page.textContent('[data-testid="dashboard-note"]')).toContain("精确统计");
    await snap("01-dashboard");
  });

  it("sends a dead-lettered message back from the Operations screen", async () => {
    const body = JSON.stringify({ test: "browser-redrive", id: randomUUID() });
    await pauseConsumer(QUEUE, true);
    await deadLetter(QUEUE, body);
    const dead = await dlqDepth(QUEUE);
    await go("/ops");
    const chip = await page.waitForSelector(`[data-testid="dead-${QUEUE}"]`);
    expect(Number(await chip.textContent())).toBe(dead);
    await snap("02-ops-dead-letter");
    await page.click(`[data-testid="redrive-${QUEUE}"]`);
    await page.click(".ra-confirm");
    await page.waitForSelector(`[data-testid="queue-${QUEUE}"][data-dead="0"]`);
    expect(await dlqDepth(QUEUE)).toBe(0);
    expect(await takeFromQueue(QUEUE, body)).toBe(body);
    await pauseConsumer(QUEUE, false);
    await snap("03-ops-after-redrive");
  });

  it("shows the county defaults and a category's effective deadlines with their source", async () => {
    await go("/settings");
    await page.waitForSelector('[data-testid="default-handle"]');
    expect(await page.inputValue('[data-testid="amount-handle"]')).toBe(String((await call("GET", "/v1/settings", { token: admin })).body.caseDefaults.deadlines.handle.amount));
    await snap("04-settings");
    const tag = randomUUID().slice(0, 4).toUpperCase();
    const parent = (await call("POST", "/v1/categories", { token: admin, body: { code: `SH${tag}`, name: `壳测大类${tag}`, deadlines: { verify: { amount: 6, unit: "working_hours" } } } })).body;
    const child = (await call("POST", "/v1/categories", { token: admin, body: { code: `SH${tag}01`, name: `壳测小类${tag}`, parentId: parent.id, deadlines: { handle: { amount: 2, unit: "working_days" } } } })).body;
    await go(`/categories/${child.id}/show`);
    await page.waitForSelector('[data-testid="deadline-handle"]');
    expect(await page.getAttribute('[data-testid="deadline-handle"]', "data-source")).toBe("category");
    expect(await page.getAttribute('[data-testid="deadline-verify"]', "data-source")).toBe("parent");
    expect(await page.getAttribute('[data-testid="deadline-accept"]', "data-source")).toBe("county");
    expect(await page.textContent('[data-testid="deadline-verify"]')).toContain("继承上级类别");
    expect(await page.textContent('[data-testid="deadline-accept"]')).toContain("县级默认");
    await snap("05-category-deadlines");
  });

  it("lists notifications on their own page and marks one read", async () => {
    // the dispatch center is told of the reports made in beforeAll
    const center = await tokenFor("center");
    const unread = (await call("GET", "/v1/me/notifications?unread=true&limit=50", { token: center })).body.items;
    expect(unread.length).toBeGreaterThan(0);
    const other = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: "zh-CN", timezoneId: "Asia/Shanghai" });
    const p2 = await other.newPage();
    await p2.goto(`${server.url}/#/login`);
    await p2.fill('input[name="username"]', "center");
    await p2.fill('input[name="password"]', DEMO_PASSWORD);
    await p2.click('button[type="submit"]');
    await p2.waitForSelector('[data-testid="dashboard"]');
    await p2.goto(`${server.url}/#/notifications`);
    // other files report on the shared stack meanwhile, so the centre's unread count only grows: at least what was read above
    // the table is drawn (empty) while its first page loads: wait for the page's rows, then count them
    await p2.waitForSelector('[data-testid="inbox-table"]:not([data-count="0"])');
    expect(Number(await p2.getAttribute('[data-testid="inbox-table"]', "data-count"))).toBeGreaterThanOrEqual(Math.min(unread.length, 50));
    await p2.waitForLoadState("networkidle", { timeout: 5_000 }).catch(() => undefined);
    await p2.screenshot({ path: `${shots}shell-06-notifications.png`, fullPage: true });
    const readId = (await p2.getAttribute('[data-testid="inbox-row"] >> nth=0', "data-id"))!;
    await p2.click('[data-testid="inbox-mark-read"] >> nth=0');
    await p2.waitForSelector(`[data-testid="inbox-row"][data-id="${readId}"]`, { state: "detached" });
    const stillUnread = (await call("GET", "/v1/me/notifications?unread=true&limit=50", { token: center })).body.items as { id: string }[];
    expect(stillUnread.map((n) => n.id)).not.toContain(readId);
    // the read one is still under 全部, marked read
    await p2.click('[data-testid="inbox-tab-all"]');
    await p2.waitForSelector('[data-testid="inbox-row"][data-read="true"]');
    await other.close();
  });

  it("filters the audit log by action in the query and names actions in Chinese", async () => {
    await go(`/audit?filter=${encodeURIComponent(JSON.stringify({ action: "ops.redrive" }))}`);
    await page.waitForSelector('[data-testid="audit-action"]');
    const actions = await page.$$eval('[data-testid="audit-action"]', (els) => els.map((e) => e.textContent));
    expect(actions.length).toBeGreaterThan(0);
    expect(new Set(actions)).toEqual(new Set(["重新投递死信"]));
    await snap("07-audit-filtered");
    await go("/audit/reveals");
    await page.waitForSelector('[data-testid="reveals-page"]');
    await snap("08-audit-reveals");
  });

  it("shows the big screen with today's figures from the aggregates", async () => {
    const o = (await call("GET", "/v1/stats/overview", { token: admin })).body;
    await go("/bigscreen");
    await page.waitForSelector('[data-testid="bigscreen"]');
    expect(o.totals.today.reports).toBeGreaterThanOrEqual(2);
    await page.waitForSelector(`[data-testid="big-today-reports"][data-value="${o.totals.today.reports}"]`);
    await page.waitForSelector(`[data-testid="big-open"][data-value="${o.totals.open}"]`);
    await page.waitForSelector(`[data-testid="big-month-reports"][data-value="${o.totals.month.reports}"]`);
    await page.setViewportSize({ width: 1920, height: 1080 });
    await snap("09-bigscreen");
    await page.setViewportSize({ width: 1440, height: 900 });
    expect(pageErrors).toEqual([]);
  });
});
