/**
 * The county as a tree and a map, the case desk of dispatchers and departments (the console guide's
 * screenshots), the holiday-data warning on a case page and the channel grant of API keys, in
 * headless Chromium against an embedded stack of this file's own (its clock moves to New Year's Eve).
 * Screenshots in test-output/screenshots/county-*.png; the guide's copies are in docs/screenshots/.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { subdivide, syntheticGrid } from "../../core/geo/synthetic.ts";
import { CGCS2000_GEOGRAPHIC, shapefileZip } from "../shapefile-writer.ts";
import { fileURLToPath } from "node:url";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { ensureConsoleBuilt } from "../../local/console-build.ts";
import { apiUrl, call, queuesIdle, setClock } from "../client.ts";
import { DEMO_PASSWORD, tokenFor } from "../fixtures.ts";
import { must, report } from "../cases.ts";
import { ownStack } from "../own-stack.ts";
import { bridgePresignedUrls, CHROMIUM, hasChromium, launchChromium } from "./chromium.ts";
import { serveConsole, type ConsoleServer } from "./serve.ts";

const shots = fileURLToPath(new URL("../../test-output/screenshots/", import.meta.url));

if (!hasChromium()) console.warn(`test/browser/county.test.ts skipped: no Chromium at ${CHROMIUM}`);

// Monday 7 December 2026, 09:30 in the county: working hours, deadlines within 2026
ownStack({ at: "2026-12-07T01:30:00Z" });

describe.skipIf(!hasChromium())("the county as a tree and a map, the case desk, holiday warnings and key channels", () => {
  let server: ConsoleServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];
  /** the department's case, dispatched with a deadline in 2026 */
  let covered = "";

  const go = (hash: string) => page.goto(`${server.url}/#${hash}`);
  const snap = async (name: string) => {
    await page.waitForLoadState("networkidle", { timeout: 5_000 }).catch(() => undefined);
    await page.screenshot({ path: `${shots}county-${name}.png`, fullPage: true });
  };
  const caseState = (state: string) => page.waitForSelector(`[data-testid="case-page"][data-state="${state}"]`);

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

  /** The action's dialog, faded in completely (a picture mid-transition is washed out). */
  async function dialogShown(action: string) {
    await page.waitForFunction((sel) => {
      const container = document.querySelector(`${sel} .MuiDialog-container`);
      return !!container && getComputedStyle(container).opacity === "1";
    }, `[data-testid="dialog-${action}"]`);
  }

  /** Open an action's dialog on the case page, take its picture, and close it without sending. */
  async function dialogShot(action: string, name: string) {
    await page.click(`[data-testid="action-${action}"]`);
    await dialogShown(action);
    await snap(name);
    await page.keyboard.press("Escape");
    await page.waitForSelector(`[data-testid="dialog-${action}"]`, { state: "detached" });
  }

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
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

  it("the dispatcher's desk: accept, dispatch, approve an extension; the supervision office supervises", async () => {
    const toAccept = await report("worker1", { description: "小区门口井盖松动，行人易绊倒" });
    const toDispatch = await report("worker1", { description: "人行道共享单车乱停放，占用盲道" });
    await must("center", toDispatch.case.id, "accept");

    await signIn("center");
    await go("/cases");
    await page.waitForSelector('[data-testid="queue-to_accept"][aria-selected="true"]');
    await page.waitForSelector(`[data-testid="case-row-${toAccept.case.number}"]`);
    await snap("desk-center");
    await page.click(`[data-testid="case-row-${toAccept.case.number}"]`);
    await caseState("reported");
    await snap("case-center-to-accept");
    await page.click('[data-testid="action-accept"]');
    await page.waitForSelector('[data-testid="dialog-accept"]');
    await page.click('[data-testid="submit-accept"]');
    await caseState("claimable");

    await go(`/cases/${encodeURIComponent(toDispatch.case.id)}/show`);
    await caseState("claimable");
    await dialogShot("dispatch", "dialog-dispatch");

    // the supervision office puts an open case under supervision
    await signIn("supervisor");
    await go(`/cases/${encodeURIComponent(toDispatch.case.id)}/show`);
    await caseState("claimable");
    await dialogShot("supervise", "dialog-supervise");
    expect(pageErrors).toEqual([]);
  }, 180_000);

  it("the department's desk: claim, handle, ask for more time, transfer back", async () => {
    const c = await report("worker1", { description: "背街小巷垃圾桶满溢未清运" });
    await must("center", c.case.id, "accept");
    covered = c.case.id;
    await queuesIdle();

    await signIn("dept1");
    await go("/cases");
    await page.click('[data-testid="queue-claimable"]');
    await page.waitForSelector(`[data-testid="case-row-${c.case.number}"]`);
    await snap("desk-department-claimable");
    await page.click(`[data-testid="case-row-${c.case.number}"]`);
    await caseState("claimable");
    await page.click('[data-testid="action-claim"]');
    await page.waitForSelector('[data-testid="dialog-claim"]');
    await page.click('[data-testid="submit-claim"]');
    await caseState("dispatched");
    await snap("case-department-claimed");
    await dialogShot("transfer", "dialog-transfer");
    await dialogShot("handle", "dialog-handle");

    // ask for 24 more working hours; the centre sees the request and may approve it
    await page.click('[data-testid="action-extend_request"]');
    await page.waitForSelector('[data-testid="dialog-extend_request"]');
    await page.fill('input[name="hours"]', "24");
    await page.fill('textarea[name="reason"]', "需协调供电部门配合施工");
    await dialogShown("extend_request");
    await snap("dialog-extend-request");
    await page.click('[data-testid="submit-extend_request"]');
    await page.waitForSelector('[data-testid="dialog-extend_request"]', { state: "detached" });
    await expect.poll(async () => (await call("GET", `/v1/cases/${c.case.id}`, { token: await tokenFor("center") })).body.case.pendingExtension?.hours).toBe(24);

    await signIn("center");
    await go(`/cases/${encodeURIComponent(c.case.id)}/show`);
    await caseState("dispatched");
    await page.waitForSelector('[data-testid="action-extend_approve"]');
    expect(await page.textContent('[data-testid="case-page"]')).toContain("申请延期 24 小时：需协调供电部门配合施工");
    await snap("case-center-extension");
    expect(pageErrors).toEqual([]);
  }, 180_000);

  it("shows the county as a lazily opened tree with the open cases of each unit, and opens a unit", async () => {
    const api = await call("GET", "/v1/units/tree", { token: await tokenFor("center") });
    const county = api.body.items[0];
    expect(county.figures.open).toBeGreaterThanOrEqual(2);

    await signIn("center");
    await page.click('[data-testid="menu-units-tree"]');
    await page.waitForSelector('[data-testid="units-tree"]');
    const root = page.locator('[data-testid="tree-node"][data-code="350206"]');
    await root.waitFor();
    expect(await root.locator('[data-testid="figure-open"]').first().getAttribute("data-value")).toBe(String(county.figures.open));
    // the registry of the whole county, counted per subtree (the dispatcher reads the registry)
    expect(county.registry).toEqual({ households: expect.any(Number), people: expect.any(Number), places: expect.any(Number) });
    expect(await root.locator('[data-testid="figure-registered-households"]').first().getAttribute("data-value")).toBe(String(county.registry.households));
    expect(await root.locator('[data-testid="figure-registered-people"]').first().getAttribute("data-value")).toBe(String(county.registry.people));
    // the county starts open: its streets are read, nothing below them yet
    await page.waitForSelector('[data-testid="tree-node"][data-code="350206001"]');
    expect(await page.locator('[data-testid="tree-node"][data-level="grid"]').count()).toBe(0);
    const open = async (code: string) => {
      await page.click(`[data-testid="tree-node"][data-code="${code}"] >> [data-testid="tree-toggle"] >> nth=0`);
      await page.waitForSelector(`[data-testid="tree-node"][data-code="${code}"][data-open="true"] [data-testid="tree-children"] [data-testid="tree-node"]`);
    };
    await open("350206001");
    await open("350206001001");
    await open("350206001001001");
    // the four micro-grids of 第1网格 are leaves; the other grids were never read
    expect(await page.locator('[data-testid="tree-node"][data-level="micro_grid"]').count()).toBe(4);
    expect(await page.locator('[data-testid="tree-node"][data-level="grid"]').count()).toBe(4);
    const grid = page.locator('[data-testid="tree-node"][data-code="350206001001001"]');
    expect(Number(await grid.locator('[data-testid="figure-open"]').first().getAttribute("data-value"))).toBeGreaterThanOrEqual(2);
    expect(await page.locator('[data-testid="tree-node"][data-level="micro_grid"] [data-testid="tree-toggle"]').count()).toBe(0);
    await snap("units-tree");
    await grid.locator('[data-testid="tree-link"]').first().click();
    await page.waitForURL(/#\/units\/[^/]+\/show$/);
    await page.waitForSelector('[data-testid="unit-map"]');
    expect(await page.textContent("body")).toContain("第1网格");
    expect(pageErrors).toEqual([]);
  }, 120_000);

  it("draws every grid of the county on one map coloured by open cases, and a click opens the grid", async () => {
    await go("/units/map");
    await page.waitForSelector('[data-testid="grids-map"][data-units="16"]');
    await page.waitForSelector('[data-testid="grids-map"] canvas');
    // the menu shows where one is: 网格地图, not also 网格单元 (whose path /units is a prefix of /units/map)
    expect(await page.getAttribute('[data-testid="menu-units-map"]', "data-current")).toBe("true");
    expect(await page.getAttribute('[data-testid="menu-units"]', "data-current")).toBe("false");
    const color = (id: string) => page.$eval(`[data-testid="${id}"]`, (e) => getComputedStyle(e).color);
    expect(await color("menu-units")).not.toBe(await color("menu-units-map"));
    // no SVG path per grid: drawn on the canvas renderer
    expect(await page.locator('[data-testid="grids-map"] path.leaflet-interactive').count()).toBe(0);
    expect(await page.textContent('[data-testid="map-summary"]')).toMatch(/共 16 个单元/);
    await page.waitForTimeout(300);
    await snap("grids-map-open");
    await page.click('[data-testid="metric-overdue"]');
    await page.waitForSelector('[data-testid="grids-map"][data-metric="overdue"]');
    await page.click('[data-testid="metric-open"]');
    await page.waitForSelector('[data-testid="grids-map"][data-metric="open"]');
    const box = (await page.locator('[data-testid="grids-map"]').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.waitForSelector(".leaflet-tooltip");
    expect(await page.textContent(".leaflet-tooltip")).toMatch(/网格.*在办 \d+ · 本月超时 \d+/);
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.waitForURL(/#\/units\/[^/]+\/show$/);
    await page.waitForSelector('[data-testid="unit-map"]');
    expect(pageErrors).toEqual([]);
  }, 120_000);

  it("colours the grid map by this month's appraisal band for whom may read appraisals", async () => {
    const admin = await tokenFor("admin");
    await report("worker1", { description: "楼道杂物堆放" }); // a grid with activity this month (the test stands on its own)
    await queuesIdle().catch(() => undefined);
    const { month } = (await call("GET", "/v1/units/map?level=grid", { token: admin })).body as { month: string };
    expect((await call("POST", "/v1/appraisals/run", { token: admin, body: { period: month } })).status).toBe(202);
    for (let i = 0; i < 300 && (await call("GET", `/v1/appraisals/${month}/run`, { token: admin })).body.status !== "done"; i++) await new Promise((r) => setTimeout(r, 200));
    const expected = (await call("GET", `/v1/appraisals/${month}/map?level=grid`, { token: admin })).body.items as { band: { color: string } | null }[];
    const colours = [...new Set(expected.map((i) => i.band?.color ?? "na"))].sort().join(",");
    expect(colours).not.toBe("na");
    await signIn("admin");
    await go("/units/map");
    await page.waitForSelector('[data-testid="grids-map"][data-units="16"]');
    await page.click('[data-testid="metric-band"]');
    await page.waitForSelector('[data-testid="grids-map"][data-metric="band"]');
    expect(await page.getAttribute('[data-testid="grids-map"]', "data-bands")).toBe(colours);
    const legend = (await page.textContent('[data-testid="map-legend"]'))!;
    expect(legend).toContain(`${month} 考评等级`);
    expect(legend).not.toMatch(/poor|fair|good|fine|excellent/); // bands named in the console's language
    await page.waitForTimeout(300);
    await snap("grids-map-band");
    expect(pageErrors).toEqual([]);
  }, 180_000);

  it("grants an API key the police channel from the form and shows it in the list and on the key", async () => {
    await signIn("admin");
    await go("/api-keys/create");
    await page.fill('input[name="name"]', "公安110接警平台");
    await page.click('label:has-text("公安转办")');
    expect(await page.isChecked('label:has-text("公安转办") input[type="checkbox"]')).toBe(true);
    await snap("api-key-channels");
    await page.click('button[type="submit"]');
    await page.waitForSelector('[data-testid="api-key-secret"]');
    await page.click('[data-testid="api-key-secret-done"]');
    await page.waitForURL(/#\/api-keys\/[^/]+\/show$/);
    const id = decodeURIComponent(/#\/api-keys\/([^/]+)\/show$/.exec(page.url())![1]);
    expect(await page.textContent("main")).toContain("公安转办");
    const key = await call("GET", `/v1/api-keys/${encodeURIComponent(id)}`, { token: await tokenFor("admin") });
    expect(key.body.channels).toEqual(["police"]);
    await go("/api-keys");
    const row = page.locator('[data-testid="api-keys-table"] tr', { hasText: "公安110接警平台" });
    await row.waitFor();
    expect(await row.textContent()).toContain("公安转办");
    expect(await row.textContent()).not.toContain("热线");
    await snap("api-keys-list");
    expect(pageErrors).toEqual([]);
  }, 120_000);

  it("checks a GIS office's Shapefile before importing: the overlap and the gap on the map with their areas, then imports with both accepted", async () => {
    // a 400 m grid whose two micro-grids overlap by a quarter and leave a quarter uncovered (the county refuses
    // overlaps), as a zipped CGCS2000 Shapefile with the usual attribute names
    const [cell] = syntheticGrid({ origin: [119.7, 25.2], cols: 1, rows: 1, cellMeters: 400 });
    const [left, right] = subdivide(cell, 2, 1);
    const ring = right.boundary.coordinates[0];
    const w = (ring[1][0] - ring[0][0]) / 2;
    const shifted = ring.map(([x, y]) => [x - w, y] as [number, number]);
    const street = (await call("GET", "/v1/units?q=350206002&limit=5", { token: await tokenFor("admin") })).body.items.find((u: { code: string }) => u.code === "350206002");
    const made = await call("POST", "/v1/units", { token: await tokenFor("admin"), body: { parentId: street.id, name: "拓扑检查社区", code: "350206002097" } });
    expect(made.status).toBe(201);
    const zip = shapefileZip(
      [
        { attributes: { CODE: "350206002097001", NAME: "拓扑检查网格", PARENT: "350206002097" }, rings: [cell.boundary.coordinates[0] as [number, number][]] },
        { attributes: { CODE: "35020600209700101", NAME: "第1微网格", PARENT: "350206002097001" }, rings: [left.boundary.coordinates[0] as [number, number][]] },
        { attributes: { CODE: "35020600209700102", NAME: "第2微网格", PARENT: "350206002097001" }, rings: [shifted] },
      ],
      { prj: CGCS2000_GEOGRAPHIC, encoding: "utf-8" },
    );
    const file = join(mkdtempSync(join(tmpdir(), "wangge-topology-")), "拓扑检查.zip");
    writeFileSync(file, zip);

    await signIn("admin");
    await go("/units/import");
    await page.setInputFiles('[data-testid="import-file"]', file);
    await page.waitForSelector('[data-testid="shapefile-preview"][data-count="3"]');
    await page.click('[data-testid="import-check"]');
    const report = page.locator('[data-testid="topology-report"]');
    await report.waitFor({ timeout: 60_000 });
    expect(await report.getAttribute("data-count")).toBe("2");
    const kinds = await page.$$eval('[data-testid="topology-finding"]', (rs) => rs.map((r) => r.getAttribute("data-kind")).sort());
    expect(kinds).toEqual(["gap", "overlap"]);
    expect(await report.textContent()).toMatch(/相邻单元重叠[\s\S]*m²/);
    await page.waitForSelector('[data-testid="topology-map"] path.leaflet-interactive, [data-testid="topology-map"] canvas');
    await page.waitForTimeout(300);
    await snap("import-topology-check");
    // nothing written by the check
    expect((await call("GET", "/v1/units?q=350206002097001&limit=5", { token: await tokenFor("admin") })).body.items).toEqual([]);

    for (const box of await page.locator('[data-testid="topology-accept"] input').all()) await box.check();
    await page.click('[data-testid="topology-import"]');
    await page.waitForSelector('[data-testid="import-job"][data-status="succeeded"] [data-testid="import-result"]', { timeout: 60_000 });
    expect(await page.textContent('[data-testid="import-result"]')).toContain("新建 3");
    await snap("import-topology-accepted");
    const micro = (await call("GET", "/v1/units?q=35020600209700102&limit=5", { token: await tokenFor("admin") })).body.items[0];
    expect(micro.boundaryWarnings).toEqual([expect.objectContaining({ kind: "overlaps_sibling", siblingCode: "35020600209700101" })]);
    expect(pageErrors).toEqual([]);
  }, 180_000);

  it("warns on a case page when its deadline falls in a year without official holidays", async () => {
    // New Year's Eve 17:40 in the county: the accept deadline falls in 2027, whose notice is not imported
    await setClock("2026-12-31T09:40:00Z");
    const c = await report("worker1", { description: "路灯不亮，夜间出行不便" });
    const view = await call("GET", `/v1/cases/${c.case.id}`, { token: await tokenFor("center") });
    expect(view.body.warnings.map((w: { year: number }) => w.year)).toEqual([2027]);
    await signIn("center");
    await go(`/cases/${encodeURIComponent(c.case.id)}/show`);
    await caseState("reported");
    const banner = await page.waitForSelector('[data-testid="case-page"] [data-testid="calendar-warning-2027"]');
    expect(await banner.textContent()).toContain("工作日历尚无 2027 年法定节假日安排");
    await snap("case-holiday-warning");
    // a case whose deadline lies in 2026 (covered) has no banner
    await go(`/cases/${encodeURIComponent(covered)}/show`);
    await caseState("dispatched");
    await page.waitForSelector('[data-testid="case-number"]');
    expect(await page.locator('[data-testid^="calendar-warning-"]').count()).toBe(0);
    expect(pageErrors).toEqual([]);
  }, 120_000);
});
