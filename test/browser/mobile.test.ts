/**
 * Residents on phones: the resident page (the QR landing page, admin/public/resident) at 375×812
 * with touch, a granted geolocation and a photo, against the shared embedded stack. Registration
 * by phone code (devCode on the local stage), a report located by the device, large touch targets,
 * no sideways scrolling. Screenshot in test-output/screenshots/mobile-resident-*.png.
 * (The worker's report flow in the console at this size is not covered here yet.)
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { cpSync, mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { apiUrl, call } from "../client.ts";
import { pointIn } from "../cases.ts";
import { adminToken } from "../fixtures.ts";
import { distanceMeters } from "../../core/geo/measure.ts";
import { bridgePresignedUrls, CHROMIUM, hasChromium, launchChromium, makePng } from "./chromium.ts";
import { serveConsole, type ConsoleServer } from "./serve.ts";

const shots = fileURLToPath(new URL("../../test-output/screenshots/", import.meta.url));
const GRID = "350206001001001"; // worker1's grid

if (!hasChromium()) console.warn(`test/browser/mobile.test.ts skipped: no Chromium at ${CHROMIUM} (Debian: apt-get install chromium)`);

describe.skipIf(!hasChromium())("the resident page on a phone (375×812, geolocation granted)", () => {
  let server: ConsoleServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let here: { lng: number; lat: number };
  const pageErrors: string[] = [];

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    // the resident page is static (admin/public/resident): served as built, no console build needed
    const dir = mkdtempSync(join(tmpdir(), "wangge-mobile-"));
    cpSync(fileURLToPath(new URL("../../admin/public/resident/", import.meta.url)), join(dir, "resident"), { recursive: true });
    server = await serveConsole(apiUrl(), `${dir}/`);
    const c = await pointIn("worker1");
    here = { lng: c.lng + 0.0001, lat: c.lat + 0.0001 }; // a few metres from the grid's centre, inside it
    browser = await launchChromium();
    context = await browser.newContext({
      viewport: { width: 375, height: 812 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      locale: "zh-CN",
      timezoneId: "Asia/Shanghai",
      geolocation: { longitude: here.lng, latitude: here.lat, accuracy: 12 },
      permissions: ["geolocation"],
    });
    context.setDefaultTimeout(20_000);
    page = await context.newPage();
    page.on("pageerror", (e) => pageErrors.push(e.message));
    await bridgePresignedUrls(page);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const tooSmall = () =>
    page.evaluate(() =>
      [...document.querySelectorAll("button, input, select, textarea")]
        .filter((el) => (el as HTMLElement).offsetParent !== null && !(el as HTMLInputElement).type?.match(/^(file|hidden)$/))
        .map((el) => ({ el: (el as HTMLElement).id || (el as HTMLElement).textContent?.trim() || el.tagName, h: el.getBoundingClientRect().height }))
        .filter((x) => x.h < 44),
    );
  const sideways = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

  it("registers by phone code, reports with the device's location and a photo, and the case lands in the grid at that point", async () => {
    await page.goto(`${server.url}/resident/?grid=${GRID}`);
    await page.waitForSelector("#v-register:not([hidden])");
    expect(await tooSmall()).toEqual([]);
    expect(await sideways()).toBe(0);
    const phone = `135${String(process.pid % 10000).padStart(4, "0")}${String(Date.now() % 10000).padStart(4, "0")}`;
    await page.fill("#phone", phone);
    await page.tap("#b-send");
    await page.waitForSelector("#f-code:not([hidden])");
    expect(await page.inputValue("#code")).toMatch(/^\d{6}$/); // devCode on the local stage
    await page.tap('#f-code button[type="submit"]');
    await page.waitForSelector("#v-report:not([hidden])");
    await page.screenshot({ path: `${shots}mobile-resident-report.png`, fullPage: true });
    expect(await tooSmall()).toEqual([]);
    expect(await sideways()).toBe(0);

    await page.selectOption("#category", "cat-env-garbage");
    await page.fill("#description", "手机测试：楼下垃圾堆积");
    await page.setInputFiles("#photos", { name: "photo.png", mimeType: "image/png", buffer: makePng() });
    await page.tap("#b-locate");
    await expect.poll(() => page.textContent("#loc-text")).toMatch(/当前位置（±12 米）/);
    const posted = page.waitForResponse((r) => r.url().endsWith("/v1/cases") && r.request().method() === "POST");
    await page.tap("#b-submit");
    const res = await posted;
    expect(res.status()).toBe(201);
    const view = await res.json();
    expect(distanceMeters([view.case.location.lng, view.case.location.lat], [here.lng, here.lat])).toBeLessThan(0.5);
    // filed in the unit that contains the device's position (not the QR grid's centre)
    const at = await call("GET", `/v1/units/locate?lng=${here.lng}&lat=${here.lat}`, { token: await adminToken() });
    expect(view.case.unitId).toBe(at.body.unit.id);
    expect(view.case.channel).toBe("resident");
    await page.waitForSelector("#v-cases:not([hidden])");
    await page.screenshot({ path: `${shots}mobile-resident-cases.png`, fullPage: true });
    expect(await sideways()).toBe(0);
    expect(pageErrors).toEqual([]);
  }, 120_000);
});
