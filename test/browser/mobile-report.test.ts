/**
 * Reporting on a phone (375×812, touch, geolocation granted), with the base map on a loopback
 * blank-tile server configured through the build's run-time tiles.json as an AMap-like GCJ-02
 * source (the harder case: the point is drawn shifted and taps are shifted back):
 * - the resident page (the QR landing page) under its strict CSP with the tile origin allowed:
 *   the device's position appears on a small map, the resident taps where the problem really is,
 *   and the report is filed at that adjusted point (WGS84);
 * - the grid worker's report flow in the console (cases/create): device location, the map to
 *   adjust, a photo from the camera input, submit.
 * Every interactive control of both flows measures at least 44×44 CSS px (exceptions named in
 * the worker test). Screenshots: test-output/screenshots/mobile-report-*.png.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { createServer, type Server } from "node:http";
import { mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { AddressInfo } from "node:net";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { ensureConsoleBuilt, consoleDistDir } from "../../local/console-build.ts";
import { apiUrl, call, useStackEnv } from "../client.ts";
import { pointIn } from "../cases.ts";
import { adminToken, DEMO_PASSWORD } from "../fixtures.ts";
import { fromWgs84 } from "../../core/geo/crs.ts";
import { distanceMeters } from "../../core/geo/measure.ts";
import { residentCsp } from "../../core/web/console-headers.ts";
import { bridgePresignedUrls, CHROMIUM, hasChromium, launchChromium, makePng } from "./chromium.ts";
import { serveConsole, type ConsoleServer } from "./serve.ts";

const shots = fileURLToPath(new URL("../../test-output/screenshots/", import.meta.url));
const GRID = "350206001001001"; // worker1's grid

if (!hasChromium()) console.warn(`test/browser/mobile-report.test.ts skipped: no Chromium at ${CHROMIUM} (Debian: apt-get install chromium)`);

function tileServer(): Promise<{ url: string; count: () => number; close(): Promise<void> }> {
  const png = makePng(256, 256);
  let n = 0;
  const server: Server = createServer((_req, res) => {
    n++;
    res.setHeader("content-type", "image/png");
    res.setHeader("cache-control", "no-store");
    res.end(png);
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, count: () => n, close: () => new Promise<void>((r) => server.close(() => r())) }),
    ),
  );
}

/**
 * A pass-through in front of the test's console server adding response headers (the resident
 * page's CSP as the CloudFront policy and the local server send it). A real server rather than
 * Playwright's request interception: Chromium counts an intercepted document as coming from the
 * public address space and then refuses its requests to the loopback tile server.
 */
function withHeaders(upstream: string, extra: (path: string) => Record<string, string>): Promise<{ url: string; close(): Promise<void> }> {
  const skip = new Set(["host", "connection", "content-length", "transfer-encoding", "content-encoding", "keep-alive"]);
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined && !skip.has(k)) headers[k] = Array.isArray(v) ? v.join(",") : v;
    const body = chunks.length ? new Uint8Array(Buffer.concat(chunks)) : undefined;
    const up = await fetch(upstream + (req.url ?? "/"), { method: req.method, headers, body, redirect: "manual" });
    res.statusCode = up.status;
    up.headers.forEach((v, k) => {
      if (!skip.has(k) && k !== "set-cookie") res.setHeader(k, v);
    });
    const cookies = up.headers.getSetCookie();
    if (cookies.length) res.setHeader("set-cookie", cookies);
    for (const [k, v] of Object.entries(extra(new URL(req.url ?? "/", "http://x").pathname))) res.setHeader(k, v);
    res.end(Buffer.from(await up.arrayBuffer()));
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise<void>((r) => server.close(() => r())) }),
    ),
  );
}

function worldPixel(lng: number, lat: number, z: number): [number, number] {
  const size = 256 * 2 ** z;
  const s = Math.sin((lat * Math.PI) / 180);
  return [((lng + 180) / 360) * size, (0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)) * size];
}

/** Where the tiles inside `within` show the WGS84 point p (GCJ-02 tiles: at its GCJ-02 form). */
async function onScreen(page: Page, within: string, p: { lng: number; lat: number }): Promise<[number, number]> {
  const tile = await page.$eval(`${within} img.leaflet-tile-loaded`, (img) => {
    const r = img.getBoundingClientRect();
    return { src: (img as HTMLImageElement).src, left: r.left, top: r.top };
  });
  const [, z, tx, ty] = (/\/(\d+)\/(\d+)\/(\d+)\.png/.exec(tile.src) ?? []).map(Number);
  const [lng, lat] = fromWgs84(p.lng, p.lat, "gcj02");
  const [wx, wy] = worldPixel(lng, lat, z);
  return [tile.left + (wx - tx * 256), tile.top + (wy - ty * 256)];
}

/**
 * Visible interactive controls smaller than 44×44 CSS px; a text field counts as its whole box.
 * Not counted: file inputs (hidden behind their labels or drop zones, which are measured) and the
 * map's own surface (the whole map is the target of a tap).
 */
const smallControls = (page: Page, scope = "body") =>
  page.evaluate((root) => {
    const sel = 'button, input, select, textarea, a[href], [role="button"], [role="checkbox"], [role="switch"], [role="combobox"], [role="option"], [tabindex]:not([tabindex="-1"]), .leaflet-marker-icon';
    return [...(document.querySelector(root) ?? document.body).querySelectorAll(sel)]
      .filter((el) => {
        const h = el as HTMLElement;
        if ((h as HTMLInputElement).type === "file" || (h as HTMLInputElement).type === "hidden") return false;
        if (h.classList.contains("leaflet-container")) return false;
        const r = h.getBoundingClientRect();
        const style = getComputedStyle(h);
        return r.width > 0 && r.height > 0 && style.visibility !== "hidden" && style.opacity !== "0";
      })
      .map((el) => {
        const h = el as HTMLElement;
        // a text field's target is its whole box (MUI's input root focuses the input on any tap in it)
        const r = (/^(INPUT|TEXTAREA)$/.test(h.tagName) ? (h.closest(".MuiInputBase-root") ?? h) : h).getBoundingClientRect();
        const name = h.dataset.testid || h.getAttribute("aria-label") || h.getAttribute("name") || h.textContent?.trim().slice(0, 20) || h.id || h.tagName;
        return { el: name, what: `${h.tagName.toLowerCase()}${h.getAttribute("role") ? `[role=${h.getAttribute("role")}]` : ""}`, w: Math.round(r.width), h: Math.round(r.height) };
      })
      .filter((x) => x.w < 44 || x.h < 44);
  }, scope);

const phoneContext = (browser: Browser, at: { lng: number; lat: number }) =>
  browser.newContext({
    viewport: { width: 375, height: 812 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: "zh-CN",
    timezoneId: "Asia/Shanghai",
    geolocation: { longitude: at.lng, latitude: at.lat, accuracy: 12 },
    permissions: ["geolocation"],
  });

describe.skipIf(!hasChromium())("reporting on a phone with a map to adjust the position (375×812, GCJ-02 tiles)", () => {
  let server: ConsoleServer;
  /** the same site with the resident page's own CSP as deployed (tile origin allowed) */
  let strict: { url: string; close(): Promise<void> };
  let tiles: Awaited<ReturnType<typeof tileServer>>;
  let browser: Browser;
  let admin: string;
  let centre: { lng: number; lat: number };

  beforeAll(async () => {
    useStackEnv();
    mkdirSync(shots, { recursive: true });
    await ensureConsoleBuilt(() => {});
    tiles = await tileServer();
    // the build as built, but for its tiles.json: an AMap-like GCJ-02 source on loopback
    const site = mkdtempSync(join(tmpdir(), "wangge-mobile-report-"));
    for (const entry of readdirSync(consoleDistDir())) if (entry !== "tiles.json") symlinkSync(join(consoleDistDir(), entry), join(site, entry));
    writeFileSync(join(site, "tiles.json"), JSON.stringify({ url: `${tiles.url}/amap/{z}/{x}/{y}.png`, subdomains: "abc", attribution: "", maxZoom: 18, crs: "gcj02" }));
    server = await serveConsole(apiUrl(), `${site}/`);
    const csp = residentCsp({ files: [new URL(process.env.AWS_ENDPOINT_URL_S3!).origin], tiles: [tiles.url] });
    strict = await withHeaders(server.url, (path): Record<string, string> => (path.startsWith("/resident/") ? { "content-security-policy": csp, "referrer-policy": "no-referrer" } : {}));
    browser = await launchChromium();
    admin = await adminToken();
    centre = await pointIn("worker1");
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all([strict?.close(), server?.close(), tiles?.close()]);
  });

  const locate = async (p: { lng: number; lat: number }) => (await call("GET", `/v1/units/locate?lng=${p.lng}&lat=${p.lat}`, { token: admin })).body.unit?.id;

  it("resident page: the device's position on a small map, a tap and a drag move it, the report is filed at the adjusted point — under the strict CSP", async () => {
    const device = { lng: centre.lng + 0.0001, lat: centre.lat + 0.0001 };
    // where the problem really is: about 60 m away from where the phone thinks it is
    const target = { lng: centre.lng - 0.0004, lat: centre.lat - 0.0003 };
    // then dragged a little further
    const dragTo = { lng: centre.lng - 0.0006, lat: centre.lat - 0.0001 };
    const context = await phoneContext(browser, device);
    context.setDefaultTimeout(20_000);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await bridgePresignedUrls(page);
    await page.addInitScript(() => {
      const w = window as unknown as { violations: string[] };
      w.violations = [];
      document.addEventListener("securitypolicyviolation", (e) => w.violations.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    const before = tiles.count();
    try {
      await page.goto(`${strict.url}/resident/?grid=${GRID}`);
      await page.waitForSelector("#v-register:not([hidden])");
      const phone = `136${String(process.pid % 10000).padStart(4, "0")}${String(Date.now() % 10000).padStart(4, "0")}`;
      await page.fill("#phone", phone);
      await page.tap("#b-send");
      await page.waitForSelector("#f-code:not([hidden])");
      await page.tap('#f-code button[type="submit"]');
      await page.waitForSelector("#v-report:not([hidden])");
      await page.selectOption("#category", "cat-env-garbage");
      await page.fill("#description", "手机地图测试：井盖缺失");
      await page.setInputFiles("#photos", { name: "photo.png", mimeType: "image/png", buffer: makePng() });

      await page.tap("#b-locate");
      await expect.poll(() => page.textContent("#loc-text")).toMatch(/当前位置（±12 米）/);
      await page.waitForSelector('#loc-map[data-placed="device"] img.leaflet-tile-loaded');
      await page.$eval("#loc-map", (el) => el.scrollIntoView({ block: "center" }));
      // the pin is where the GCJ-02 tiles show the device's position
      const pin = await page.$eval("#loc-map .leaflet-marker-icon", (el) => {
        const r = el.getBoundingClientRect();
        return { x: r.left + r.width / 2, y: r.top + r.height / 2, w: r.width, h: r.height };
      });
      const [dx, dy] = await onScreen(page, "#loc-map", device);
      expect(Math.hypot(pin.x - dx, pin.y - dy)).toBeLessThan(2);
      expect([pin.w, pin.h]).toEqual([44, 44]);
      await page.screenshot({ path: `${shots}mobile-report-resident-map.png`, fullPage: true });

      // a tap where the tiles show the target moves the point there
      const [tx, ty] = await onScreen(page, "#loc-map", target);
      await page.touchscreen.tap(tx, ty);
      await expect.poll(() => page.textContent("#loc-text")).toMatch(/已在地图上调整（距定位约 \d+ 米）/);
      const moved = await page.$eval("#loc-map", (el) => ({ lng: Number((el as HTMLElement).dataset.lng), lat: Number((el as HTMLElement).dataset.lat) }));
      expect(distanceMeters([moved.lng, moved.lat], [target.lng, target.lat])).toBeLessThan(3);
      // …and dragging the pin moves it again (Leaflet drags on pointer events: a press, moves, a release)
      const pinNow = await page.$eval("#loc-map .leaflet-marker-icon", (el) => {
        const r = el.getBoundingClientRect();
        return [r.left + r.width / 2, r.top + r.height / 2];
      });
      const [gx, gy] = await onScreen(page, "#loc-map", dragTo);
      await page.mouse.move(pinNow[0], pinNow[1]);
      await page.mouse.down();
      await page.mouse.move(gx, gy, { steps: 10 });
      await page.mouse.up();
      await expect
        .poll(async () => {
          const at = await page.$eval("#loc-map", (el) => [Number((el as HTMLElement).dataset.lng), Number((el as HTMLElement).dataset.lat)] as [number, number]);
          return distanceMeters(at, [dragTo.lng, dragTo.lat]);
        })
        .toBeLessThan(3);
      const dragged = await page.$eval("#loc-map", (el) => ({ lng: Number((el as HTMLElement).dataset.lng), lat: Number((el as HTMLElement).dataset.lat) }));
      expect(distanceMeters([dragged.lng, dragged.lat], [dragTo.lng, dragTo.lat])).toBeLessThan(3);
      expect(await smallControls(page)).toEqual([]);
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBe(0);
      await page.screenshot({ path: `${shots}mobile-report-resident-adjusted.png`, fullPage: true });

      const posted = page.waitForResponse((r) => r.url().endsWith("/v1/cases") && r.request().method() === "POST");
      await page.tap("#b-submit");
      const res = await posted;
      expect(res.status()).toBe(201);
      const view = await res.json();
      // filed at the adjusted point (WGS84, no crs), not where the phone was
      expect(view.case.location.crs).toBeUndefined();
      expect(distanceMeters([view.case.location.lng, view.case.location.lat], [dragTo.lng, dragTo.lat])).toBeLessThan(3);
      expect(distanceMeters([view.case.location.lng, view.case.location.lat], [device.lng, device.lat])).toBeGreaterThan(40);
      expect(view.case.unitId).toBe(await locate(dragTo));
      await page.waitForSelector("#v-cases:not([hidden])");

      // the tiles came from the configured server; nothing was refused by the CSP…
      expect(tiles.count() - before).toBeGreaterThan(0);
      expect(await page.evaluate(() => (window as unknown as { violations: string[] }).violations)).toEqual([]);
      // …which is enforced: an image from any other origin is refused
      await page.evaluate((other) => {
        const img = document.createElement("img");
        img.src = other;
        document.body.appendChild(img);
      }, `${tiles.url.replace("127.0.0.1", "localhost")}/x.png`);
      await expect.poll(() => page.evaluate(() => (window as unknown as { violations: string[] }).violations.join("\n"))).toMatch(/^img-src http:\/\/localhost:/);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 150_000);
  it("grid worker in the console (cases/create): device location, a tap on the map to adjust, a photo from the camera, submit — every control ≥ 44×44", async () => {
    const device = { lng: centre.lng - 0.0001, lat: centre.lat + 0.0002 };
    const target = { lng: centre.lng + 0.0005, lat: centre.lat - 0.0002 };
    const context = await phoneContext(browser, device);
    context.setDefaultTimeout(20_000);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await bridgePresignedUrls(page);
    const before = tiles.count();
    try {
      await page.goto(`${server.url}/#/login`);
      await page.fill('input[name="username"]', "worker1");
      await page.fill('input[name="password"]', DEMO_PASSWORD);
      await page.tap('button[type="submit"]');
      await page.waitForSelector('[data-testid="dashboard"]');
      await page.goto(`${server.url}/#/cases/create`);
      const map = '[data-testid="location-map"][data-tile-crs="gcj02"]';
      await page.waitForSelector(`${map} path.leaflet-interactive`);
      await page.screenshot({ path: `${shots}mobile-report-worker-form.png`, fullPage: true });

      await page.tap('[data-testid="report-category"] [role="combobox"], .MuiInputBase-root:has(input[name="categoryId"]) [role="combobox"]');
      await page.tap('li[data-value="cat-env-garbage"]');
      await page.waitForSelector('li[data-value="cat-env-garbage"]', { state: "detached" });
      await page.fill('textarea[name="description"]', "网格员手机上报：路面塌陷");

      // the device's position (WGS84) fills the location…
      await page.tap('[data-testid="location-here"]');
      await expect.poll(async () => Number(await page.inputValue('input[name="location.lat"]'))).toBeCloseTo(device.lat, 6);
      expect(Number(await page.inputValue('input[name="location.lng"]'))).toBeCloseTo(device.lng, 6);
      // …and a tap where the tiles show the real spot moves it there
      await page.$eval(map, (el) => el.scrollIntoView({ block: "center" }));
      await page.waitForSelector(`${map} img.leaflet-tile-loaded`);
      const [tx, ty] = await onScreen(page, map, target);
      await page.touchscreen.tap(tx, ty);
      await expect.poll(async () => distanceMeters([Number(await page.inputValue('input[name="location.lng"]')), Number(await page.inputValue('input[name="location.lat"]'))], [target.lng, target.lat])).toBeLessThan(5);

      // a photo from the camera input (capture=environment opens the back camera on a phone)
      expect(await page.getAttribute('[data-testid="report-camera-input"]', "capture")).toBe("environment");
      await page.setInputFiles('[data-testid="report-camera-input"]', { name: "camera.png", mimeType: "image/png", buffer: makePng() });
      await page.waitForSelector('[data-testid="report-photos"] img');

      const small = await smallControls(page, "#main-content");
      // the documented exception: the unit autocomplete's own small open/clear arrows (the 56 px field opens the same list)
      expect(small.filter((c) => !/^(Open|Clear|打开|清除)$/.test(c.el))).toEqual([]);
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBe(0);
      await page.screenshot({ path: `${shots}mobile-report-worker-filled.png`, fullPage: true });

      const posted = page.waitForResponse((r) => r.url().endsWith("/v1/cases") && r.request().method() === "POST");
      await page.tap('#main-content button[type="submit"]');
      const res = await posted;
      expect(res.status()).toBe(201);
      const view = await res.json();
      expect(distanceMeters([view.case.location.lng, view.case.location.lat], [target.lng, target.lat])).toBeLessThan(5);
      expect(view.case.unitId).toBe(await locate(target));
      expect(view.case.channel).not.toBe("resident");
      // the camera's photo went up first and travels with the report; the case page shows it
      expect(res.request().postDataJSON().attachments).toEqual([{ key: expect.any(String), kind: "photo" }]);
      await page.waitForSelector('[data-testid="case-page"]');
      await page.waitForSelector('[data-testid="case-photo"] img');
      expect(await page.locator('[data-testid="case-photo"]').count()).toBe(1);
      await page.screenshot({ path: `${shots}mobile-report-worker-case.png`, fullPage: true });
      expect(tiles.count() - before).toBeGreaterThan(0);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 150_000);
});
