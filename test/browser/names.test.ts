/**
 * Grid workers on phones and names instead of ids, in headless Chromium against the shared
 * embedded stack: worker1 at 375×812 reports a case with a photo from where they stand (the
 * device's position), finds it under 我上报的, opens the case page whose reporter, unit path and
 * timeline are names; no English word reaches these zh-CN screens; a file that is not valid JSON
 * is reported on the import page with its line and column. Screenshots in test-output/screenshots/.
 */
import { FORMAT_WORDS } from "./latin-words.ts";
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { ensureConsoleBuilt } from "../../local/console-build.ts";
import { apiUrl, call } from "../client.ts";
import { DEMO_PASSWORD, tokenFor } from "../fixtures.ts";
import { bridgePresignedUrls, CHROMIUM, hasChromium, launchChromium, makePng } from "./chromium.ts";
import { serveConsole, type ConsoleServer } from "./serve.ts";

const shots = fileURLToPath(new URL("../../test-output/screenshots/", import.meta.url));

if (!hasChromium()) console.warn(`test/browser/names.test.ts skipped: no Chromium at ${CHROMIUM}`);

/**
 * ASCII words allowed on a zh-CN screen: formats, units and brands that are written in Latin
 * letters in Chinese too. Ids, case numbers and coordinates have no 3-letter words.
 */
const ALLOWED_ASCII = new Set([
  // the import file's column and property names, written as they must appear in the file
  "code", "name", "parentCode", "parent", "level", "type", "households", "population", "boundary", "FeatureCollection", "Feature",
  // the chosen file's name and size
  "grids", "geojson",
  ...FORMAT_WORDS,
]);

/** Latin words of 3+ letters in the visible text that are not allowed (English leaking into zh-CN). */
async function englishWords(page: Page): Promise<string[]> {
  // what people typed (case descriptions, other tests' cases on the shared stack) is data, not the interface: skip it
  const text = await page.evaluate(() => {
    const copy = document.body.cloneNode(true) as HTMLElement;
    copy.querySelectorAll("[data-user-text]").forEach((e) => e.remove());
    document.body.appendChild(copy);
    copy.style.position = "absolute";
    copy.style.left = "-99999px";
    const t = copy.innerText;
    copy.remove();
    return t;
  });
  const words = text.match(/[A-Za-z][A-Za-z0-9]{2,}/g) ?? [];
  // ids (ULIDs) are uppercase letters and digits mixed with digits: skip tokens with a digit run of 2+
  return [...new Set(words.filter((w) => !ALLOWED_ASCII.has(w) && !/\d{2,}/.test(w) && !/^[0-9A-Z]{20,}$/.test(w)))];
}

describe.skipIf(!hasChromium())("grid workers on phones, and names instead of ids", () => {
  let server: ConsoleServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];
  let grid: { id: string; name: string; centroid: [number, number] };

  const go = (hash: string) => page.goto(`${server.url}/#${hash}`);
  const snap = async (name: string) => {
    await page.waitForLoadState("networkidle", { timeout: 5_000 }).catch(() => undefined);
    await page.screenshot({ path: `${shots}names-${name}.png`, fullPage: true });
  };
  const noHorizontalScroll = async () => expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  const choose = async (name: string, value: string) => {
    await page.click(`.MuiInputBase-root:has(input[name="${name}"]) [role="combobox"]`);
    await page.click(`li[data-value="${value}"]`);
    await page.waitForSelector(`li[data-value="${value}"]`, { state: "detached" });
  };

  async function signIn(username: string) {
    await go("/login");
    await page.fill('input[name="username"]', username);
    await page.fill('input[name="password"]', DEMO_PASSWORD);
    await page.click('button[type="submit"]');
    await page.waitForSelector('[data-testid="dashboard"]');
  }

  /** Forget the session (on a phone the user menu is an icon; the stored session is what matters). */
  async function signOut() {
    await go("/login");
    // the refresh token is an HttpOnly cookie (#19): forget it as well as the cached profile
    await page.context().clearCookies();
    await page.evaluate(() => localStorage.clear());
    await page.reload();
    await page.waitForSelector('input[name="username"]');
  }

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    const worker = await tokenFor("worker1");
    const me = await call("GET", "/v1/me", { token: worker });
    grid = (await call("GET", `/v1/units/${me.body.assignments[0].unitId}`, { token: await tokenFor("admin") })).body;
    await ensureConsoleBuilt(() => {});
    server = await serveConsole(apiUrl());
    browser = await launchChromium();
    context = await browser.newContext({
      viewport: { width: 375, height: 812 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      locale: "zh-CN",
      timezoneId: "Asia/Shanghai",
      geolocation: { longitude: grid.centroid[0], latitude: grid.centroid[1] },
      permissions: ["geolocation"],
    });
    context.setDefaultTimeout(15_000);
    page = await context.newPage();
    page.on("pageerror", (e) => pageErrors.push(e.message));
    page.on("console", (m) => {
      if (m.type() === "error") console.warn("browser console:", m.text());
    });
    await bridgePresignedUrls(page);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("a grid worker reports from the field at 375×812, finds it under 我上报的 and reads names on the case page", async () => {
    await signIn("worker1");
    await noHorizontalScroll();

    // ------------------------------------------------ report with a photo, located by the phone
    await go("/cases/create");
    await choose("categoryId", "cat-env-garbage");
    const description = `手机上报：楼道堆放杂物 ${Date.now()}`;
    await page.fill('textarea[name="description"]', description);
    await page.click('[data-testid="location-here"]');
    await expect.poll(() => page.inputValue('input[name="location.lng"]')).not.toBe("");
    expect(Math.abs(Number(await page.inputValue('input[name="location.lng"]')) - grid.centroid[0])).toBeLessThan(1e-5);
    expect(Math.abs(Number(await page.inputValue('input[name="location.lat"]')) - grid.centroid[1])).toBeLessThan(1e-5);
    await page.setInputFiles('[data-testid="report-photos"] input[type="file"]', { name: "photo.png", mimeType: "image/png", buffer: makePng() });
    await page.waitForSelector('[data-testid="report-photos"] img');
    await noHorizontalScroll();
    expect(await englishWords(page)).toEqual([]);
    await snap("01-report-375");
    await page.click('button[type="submit"]');
    await page.waitForURL(/#\/cases\/[^/]+\/show$/, { timeout: 20_000 });
    await page.waitForSelector('[data-testid="case-page"][data-state="reported"]');
    const number = (await page.textContent('[data-testid="case-number"]'))!.trim();

    // ------------------------------------------------ the case page: names, not ids
    await page.waitForSelector('[data-testid="case-photo"] img');
    await page.waitForSelector('[data-testid="unit-name"]');
    const unitText = (await page.textContent('[data-testid="case-page"] dd [data-testid="unit-name"]'))!;
    expect(unitText).toMatch(/^金山社区 › 第1网格 › .+/);
    await page.waitForSelector('[data-testid="event-reported"] [data-testid="user-name"]');
    expect(await page.textContent('[data-testid="event-reported"] [data-testid="user-name"]')).toBe("金山社区第1网格员（我）");
    expect(await page.locator('[data-testid="name-pending"]').count()).toBe(0);
    await noHorizontalScroll();
    expect(await englishWords(page)).toEqual([]);
    await snap("02-case-page-375");

    // ------------------------------------------------ the desk: 我上报的
    await go("/cases");
    await page.click('[data-testid="queue-reported"]');
    await page.waitForSelector(`[data-testid="case-row-${number}"]`);
    expect(await page.textContent('[data-testid="queue-reported"]')).toBe("我上报的");
    await noHorizontalScroll();
    expect(await englishWords(page)).toEqual([]);
    await snap("03-desk-reported-375");
    await page.click(`[data-testid="case-row-${number}"]`);
    await page.waitForSelector('[data-testid="case-page"][data-state="reported"]');

    // ------------------------------------------------ the dashboard in zh-CN, no English
    await go("/");
    await page.waitForSelector('[data-testid="dashboard"]');
    await page.waitForLoadState("networkidle", { timeout: 5_000 }).catch(() => undefined);
    expect(await englishWords(page)).toEqual([]);
    await snap("04-dashboard-375");
    expect(pageErrors).toEqual([]);
  }, 120_000);

  it("the desk opens on the worker's queue that has work", async () => {
    // worker1 has no case to verify (first queue) unless another test left one; the first queue with work is chosen
    const token = await tokenFor("worker1");
    const toVerify = await call("GET", "/v1/cases?state=handled&limit=1", { token });
    const mine = await call("GET", "/v1/cases?mine=true&limit=1", { token });
    const expected = toVerify.body.items.length ? "to_verify" : mine.body.items.length ? "mine" : "reported";
    await signOut();
    await signIn("worker1");
    await go("/cases");
    await page.waitForSelector(`[data-testid="queue-${expected}"][aria-selected="true"]`);
  }, 60_000);

  it("shows the county admin an import file that is not valid JSON with its line and column, in Chinese", async () => {
    await page.setViewportSize({ width: 1366, height: 900 });
    await signOut();
    await signIn("admin");
    await go("/units/import");
    await page.waitForSelector('[data-testid="import-page"]');
    const broken = '{\n  "type": "FeatureCollection",\n  "features": [\n    {"type": "Feature",}\n  ]\n}';
    await page.setInputFiles('[data-testid="import-file"]', { name: "grids.geojson", mimeType: "application/geo+json", buffer: Buffer.from(broken) });
    await page.click('[data-testid="import-start"]');
    const row = page.locator('[data-testid="import-file-error-invalid_json"]');
    await row.waitFor({ timeout: 30_000 });
    const text = (await row.textContent())!;
    // a small file goes inline and is refused at once (400); a large one fails its job with the same error
    expect(text).toContain("第 4 行第 24 列");
    expect(text).toContain("文件不是有效的 JSON：这里应是用双引号括起来的属性名");
    expect(await englishWords(page)).toEqual([]);
    await snap("05-import-error");
    expect(pageErrors).toEqual([]);
  }, 90_000);
});
