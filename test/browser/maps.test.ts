/**
 * The console's base maps in Chromium against a loopback tile server (blank PNG tiles, requests
 * counted), with ONE build pointed at two sources through its run-time `tiles.json`
 * (admin/src/map/tiles.ts): (a) a Tianditu-like CGCS2000 source (no shift) and (b) an
 * AMap/Tencent-like GCJ-02 source (shapes and points drawn shifted, clicks shifted back).
 *
 * Two grids of this file's own share the edge lng = 110.61. The target T lies 60 m west of it, in
 * grid A. The test finds where the tiles show T — a GCJ-02 tile set shows a WGS84 point at the
 * pixel of its GCJ-02 form — from a loaded tile image's screen box and its z/x/y, clicks there in
 * the case report's location picker, and asserts: the click lands on grid A's drawn polygon, the
 * picked location is T (within a few metres) and it locates grid A. On the GCJ-02 source, the
 * clicked spot read without the shift-back lies in grid B (the neighbour a missing shift picks).
 * Screenshots: test-output/screenshots/maps-*.png.
 */
import { describe, it, expect, beforeAll, afterAll, vi } from "vitest";
import { createServer, type Server } from "node:http";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { AddressInfo } from "node:net";
import type { Browser, Page } from "playwright-core";
import { ensureConsoleBuilt, consoleDistDir } from "../../local/console-build.ts";
import { apiUrl, call } from "../client.ts";
import { adminToken, DEMO_PASSWORD } from "../fixtures.ts";
import { fromWgs84 } from "../../core/geo/crs.ts";
import { distanceMeters } from "../../core/geo/measure.ts";
import { CHROMIUM, hasChromium, launchChromium, makePng } from "./chromium.ts";
import { serveConsole, type ConsoleServer } from "./serve.ts";

const shots = fileURLToPath(new URL("../../test-output/screenshots/", import.meta.url));

if (!hasChromium()) console.warn(`test/browser/maps.test.ts skipped: no Chromium at ${CHROMIUM} (Debian: apt-get install chromium)`);

const A = [[[110.6, 28.3], [110.61, 28.3], [110.61, 28.31], [110.6, 28.31], [110.6, 28.3]]];
const B = [[[110.61, 28.3], [110.62, 28.3], [110.62, 28.31], [110.61, 28.31], [110.61, 28.3]]];
/** 60 m west of the shared edge (1° of longitude at 28.305° N ≈ 98 km) */
const T: [number, number] = [110.61 - 60 / 98_000, 28.305];

/** Blank tiles on loopback; every request counted by the path's first segment (the source). */
function tileServer(): Promise<{ url: string; counts: Record<string, number>; close(): Promise<void> }> {
  const png = makePng(256, 256);
  const counts: Record<string, number> = {};
  const server: Server = createServer((req, res) => {
    const source = (req.url ?? "/").split("/")[1] ?? "";
    counts[source] = (counts[source] ?? 0) + 1;
    res.setHeader("content-type", "image/png");
    res.setHeader("cache-control", "no-store");
    res.end(png);
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        counts,
        close: () => new Promise<void>((r) => server.close(() => r())),
      }),
    ),
  );
}

/** The screen position where the tiles inside `within` show the tile-system point `p` (from a loaded tile's box and its z/x/y). */
async function whereTilesShow(page: Page, within: string, source: string, p: readonly [number, number]): Promise<[number, number]> {
  const tile = await page.$eval(`${within} img.leaflet-tile-loaded`, (img) => {
    const r = img.getBoundingClientRect();
    return { src: (img as HTMLImageElement).src, left: r.left, top: r.top, width: r.width };
  });
  const [, z, tx, ty] = (new RegExp(`/${source}/(\\d+)/(\\d+)/(\\d+)\\.png`).exec(tile.src) ?? []).map(Number);
  expect(tile.width).toBe(256);
  const [wx, wy] = worldPixel(p[0], p[1], z);
  return [tile.left + (wx - tx * 256), tile.top + (wy - ty * 256)];
}

/** Web Mercator world pixel of a point at zoom z (256 px tiles). */
function worldPixel(lng: number, lat: number, z: number): [number, number] {
  const size = 256 * 2 ** z;
  const s = Math.sin((lat * Math.PI) / 180);
  return [((lng + 180) / 360) * size, (0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)) * size];
}

describe.skipIf(!hasChromium())("the console's base maps on Tianditu-like and AMap-like tiles (one build, tiles.json)", () => {
  let server: ConsoleServer;
  let tiles: Awaited<ReturnType<typeof tileServer>>;
  let browser: Browser;
  let site: string;
  let admin: string;
  let gridA: { id: string };
  let gridB: { id: string };
  const username = `mapworker${process.pid % 100000}`;

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    await ensureConsoleBuilt(() => {});
    // the build under test, served as built but for its tiles.json (links to every other file)
    site = mkdtempSync(join(tmpdir(), "wangge-maps-"));
    for (const entry of readdirSync(consoleDistDir())) if (entry !== "tiles.json") symlinkSync(join(consoleDistDir(), entry), join(site, entry));
    [server, tiles] = await Promise.all([serveConsole(apiUrl(), `${site}/`), tileServer()]);
    browser = await launchChromium();

    admin = await adminToken();
    const me = await call("GET", "/v1/me", { token: admin });
    const streets = await call("GET", `/v1/units?parentId=${me.body.assignments[0].unitId}`, { token: admin });
    const street = streets.body.items.find((u: { code: string }) => u.code === "350206001");
    const community = await call("POST", "/v1/units", { token: admin, body: { parentId: street.id, name: "底图测试社区", code: "350206001619" } });
    expect(community.status).toBe(201);
    const mk = (name: string, code: string, ring: number[][][]) =>
      call("POST", "/v1/units", { token: admin, body: { parentId: community.body.id, name, code, type: "residential", boundary: { type: "Polygon", coordinates: ring } } });
    const [a, b] = [await mk("底图测试西网格", "350206001619001", A), await mk("底图测试东网格", "350206001619002", B)];
    expect([a.status, b.status]).toEqual([201, 201]);
    [gridA, gridB] = [a.body, b.body];
    // the worker of grid A: the report form's map centres on their grid
    const u = await call("POST", "/v1/users", { token: admin, body: { username, displayName: "底图网格员", password: DEMO_PASSWORD, assignments: [{ role: "grid_worker", unitId: gridA.id }] } });
    expect(u.status).toBe(201);
    // a warm API may keep its locate index a few seconds before it sees new grids
    await vi.waitFor(async () => expect((await call("GET", `/v1/units/locate?lng=${T[0]}&lat=${T[1]}`, { token: admin })).body.unit?.id).toBe(gridA.id), { timeout: 20_000, interval: 500 });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all([server?.close(), tiles?.close()]);
  });

  const locate = async (lng: number, lat: number) => (await call("GET", `/v1/units/locate?lng=${lng}&lat=${lat}`, { token: admin })).body.unit?.id;

  it("the build writes tiles.json (from VITE_TILE_*) and the resident page's Leaflet and our WGS84 ⇄ GCJ-02 script (crs.js)", () => {
    const written = JSON.parse(readFileSync(join(consoleDistDir(), "tiles.json"), "utf8"));
    expect(typeof written).toBe("object");
    for (const f of ["leaflet.js", "leaflet.css", "crs.js"]) expect(existsSync(join(consoleDistDir(), "resident", "vendor", f))).toBe(true);
  });

  it("shows T where the TILES show it, and T is in grid A; on GCJ-02 tiles that spot read as WGS84 is in grid B", async () => {
    expect(await locate(...T)).toBe(gridA.id);
    const shown = fromWgs84(...T, "gcj02");
    expect(distanceMeters(shown, T)).toBeGreaterThan(300);
    expect(await locate(...shown)).toBe(gridB.id);
  });

  it.each([
    ["tianditu", "wgs84"],
    ["amap", "gcj02"],
  ] as const)("on %s tiles (%s), a click where the tiles show a point of grid A near its edge picks that point and grid A", async (source, crs) => {
    writeFileSync(join(site, "tiles.json"), JSON.stringify({ url: `${tiles.url}/${source}/{z}/{x}/{y}.png`, subdomains: "abc", attribution: "", maxZoom: 18, crs }));
    const before = { ...tiles.counts };
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "zh-CN", timezoneId: "Asia/Shanghai" });
    context.setDefaultTimeout(20_000);
    const page: Page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    try {
      await page.goto(`${server.url}/#/login`);
      await page.fill('input[name="username"]', username);
      await page.fill('input[name="password"]', DEMO_PASSWORD);
      await page.click('button[type="submit"]');
      await page.waitForSelector('[data-testid="dashboard"]');
      await page.goto(`${server.url}/#/cases/create`);
      const map = `[data-testid="location-map"][data-tile-crs="${crs}"]`;
      await page.waitForSelector(`${map} path.leaflet-interactive`);
      await page.waitForSelector(`${map} img.leaflet-tile-loaded`);
      await page.waitForLoadState("networkidle", { timeout: 5_000 }).catch(() => undefined);

      // where the tiles show T: from a loaded tile's box and its z/x/y
      const onTiles = crs === "gcj02" ? fromWgs84(...T, "gcj02") : T;
      const [x, y] = await whereTilesShow(page, map, source, onTiles);
      // that spot is inside grid A as drawn (the shapes are where the tiles put them)
      const hit = await page.evaluate(([px, py]) => document.elementFromPoint(px, py)?.closest("path.leaflet-interactive") !== null, [x, y]);
      expect(hit).toBe(true);
      await page.mouse.click(x, y);
      await expect.poll(() => page.inputValue('input[name="location.lng"]')).not.toBe("");
      const picked: [number, number] = [Number(await page.inputValue('input[name="location.lng"]')), Number(await page.inputValue('input[name="location.lat"]'))];
      // one screen pixel at this zoom is a few metres; the shift is hundreds
      expect(distanceMeters(picked, T)).toBeLessThan(15);
      expect(await locate(...picked)).toBe(gridA.id);
      await page.waitForSelector(`${map} path.leaflet-interactive >> nth=1`); // the picked point's marker
      await page.screenshot({ path: `${shots}maps-${source}-${crs}.png`, fullPage: true });

      // 网格地图 (units/map, one canvas layer): a click where the tiles show T opens grid A
      await page.goto(`${server.url}/#/units/map`);
      const gridsMap = '[data-testid="grids-map"]';
      await page.waitForSelector(`${gridsMap} canvas`);
      await page.waitForSelector(`${gridsMap} img.leaflet-tile-loaded`);
      await page.waitForLoadState("networkidle", { timeout: 5_000 }).catch(() => undefined);
      const [mx, my] = await whereTilesShow(page, gridsMap, source, onTiles);
      await page.mouse.click(mx, my);
      await page.waitForURL(new RegExp(`#/units/${encodeURIComponent(gridA.id)}/show`));
      // the tiles came from the configured local server, this source only
      expect((tiles.counts[source] ?? 0) - (before[source] ?? 0)).toBeGreaterThan(0);
      const other = source === "amap" ? "tianditu" : "amap";
      expect((tiles.counts[other] ?? 0) - (before[other] ?? 0)).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);
});
