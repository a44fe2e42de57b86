/**
 * The first-run guide in headless Chromium (own stack: it adds units to the county): the county
 * admin sees the demo county's official townships from the national divisions (湖里区, 350206),
 * which of them exist already, unticks what is not theirs, renames one village, imports the rest
 * with progress, and a second import has nothing left to write. Screenshots in test-output/screenshots/.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import proj4 from "proj4";
import { syntheticGrid } from "../../core/geo/synthetic.ts";
import { CGCS2000_GK_39, shapefileZip } from "../shapefile-writer.ts";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { ensureConsoleBuilt } from "../../local/console-build.ts";
import { apiUrl, call } from "../client.ts";
import { DEMO_PASSWORD, tokenFor } from "../fixtures.ts";
import { ownStack } from "../own-stack.ts";
import { CHROMIUM, hasChromium, launchChromium } from "./chromium.ts";
import { serveConsole, type ConsoleServer } from "./serve.ts";

const shots = fileURLToPath(new URL("../../test-output/screenshots/", import.meta.url));
if (!hasChromium()) console.warn(`test/browser/setup.test.ts skipped: no Chromium at ${CHROMIUM}`);

describe.skipIf(!hasChromium())("first-run guide: the county's official divisions", () => {
  ownStack({ startTimeoutMs: 180_000 });
  let server: ConsoleServer;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  const snap = async (name: string) => {
    await page.waitForLoadState("networkidle", { timeout: 5_000 }).catch(() => undefined);
    await page.screenshot({ path: `${shots}setup-${name}.png`, fullPage: true });
  };

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    await ensureConsoleBuilt(() => {});
    server = await serveConsole(apiUrl());
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, locale: "zh-CN", timezoneId: "Asia/Shanghai" });
    context.setDefaultTimeout(20_000);
    page = await context.newPage();
    page.on("pageerror", (e) => pageErrors.push(e.message));
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("imports the picked townships and villages with their official codes, once", async () => {
    await page.goto(`${server.url}/#/login`);
    await page.fill('input[name="username"]', "admin");
    await page.fill('input[name="password"]', DEMO_PASSWORD);
    await page.click('button[type="submit"]');
    await page.waitForSelector('[data-testid="dashboard"]');
    await page.goto(`${server.url}/#/setup`);
    await page.waitForSelector('[data-testid="divisions-table"]');
    // the demo county's two streets carry their official codes and names: they exist already
    await page.waitForSelector('[data-testid="exists-350206001"]');
    await page.waitForSelector('[data-testid="exists-350206002"]');
    expect(await page.textContent('[data-testid="divisions-step"]')).toContain("福建省 厦门市 湖里区：7 个乡镇（街道）");
    expect(await page.getAttribute('[data-testid="setup-step-departments"]', "data-done")).toBe("true");
    await snap("01-divisions");

    // keep only the two development zones (350206405, 350206406) and their villages
    for (const code of ["350206001", "350206002", "350206003", "350206004", "350206005"]) await page.uncheck(`[data-testid="pick-${code}"]`);
    await page.click('[data-testid="expand-350206405"]');
    const village = await page.locator('[data-testid="division-350206405"] ~ tr').first().getAttribute("data-testid");
    const villageCode = village!.replace("division-", "");
    expect(villageCode).toMatch(/^350206405\d{3}$/);
    await page.fill(`[data-testid="name-${villageCode}"]`, "火炬园社区");
    expect(await page.textContent('[data-testid="divisions-import"]')).toMatch(/导入 \d+ 个单位/);
    const rows = Number(/导入 (\d+) 个单位/.exec((await page.textContent('[data-testid="divisions-import"]'))!)![1]);
    await page.click('[data-testid="divisions-import"]');
    await page.waitForSelector('[data-testid="import-job"][data-status="succeeded"]', { timeout: 60_000 });
    expect(await page.textContent('[data-testid="import-result"]')).toContain(String(rows));
    await snap("02-imported");

    // the units are there with official codes, under their township, the renamed one by its new name
    const admin = await tokenFor("admin");
    const zone = (await call("GET", "/v1/units?q=350206405&limit=10", { token: admin })).body.items;
    expect(zone.map((u: { code: string }) => u.code).sort()).toEqual(["350206405", villageCode]);
    const renamed = zone.find((u: { code: string }) => u.code === villageCode);
    expect(renamed.name).toBe("火炬园社区");
    expect(renamed.parentId).toBe(zone.find((u: { code: string }) => u.code === "350206405").id);
    const untouched = (await call("GET", "/v1/units?q=350206003&limit=1", { token: admin })).body.items;
    expect(untouched).toEqual([]);

    // once imported, nothing is left to write for these: the same choice imports 0 units
    await page.reload();
    // the guide now opens on the first step left (boundaries: the new units have none); step 1 stays one click away
    expect(await page.getAttribute('[data-testid="setup-step-boundaries"]', "data-done")).toBe("false");
    await page.click('[data-testid="setup-step-divisions"] .MuiStepLabel-root');
    await page.waitForSelector('[data-testid="exists-350206405"]');
    for (const code of ["350206001", "350206002", "350206003", "350206004", "350206005"]) await page.uncheck(`[data-testid="pick-${code}"]`);
    await page.click('[data-testid="expand-350206405"]');
    await page.fill(`[data-testid="name-${villageCode}"]`, "火炬园社区");
    await page.waitForSelector(`[data-testid="division-${villageCode}"] [data-testid="exists-${villageCode}"]`);
    expect(await page.textContent('[data-testid="divisions-import"]')).toBe("导入 0 个单位");
    expect(await page.isDisabled('[data-testid="divisions-import"]')).toBe(true);
    await snap("03-nothing-left");
    expect(pageErrors).toEqual([]);
  }, 300_000);

  it("adds categories from the standard catalogue: a class with its subclasses, renamed and with its own deadline", async () => {
    await page.goto(`${server.url}/#/setup`);
    await page.click('[data-testid="setup-step-categories"] .MuiStepLabel-root');
    await page.click('[data-testid="setup-catalogue"]');
    await page.waitForSelector('[data-testid="catalogue-page"]');
    // the demo county's own 01 环境卫生 is in use: shown, not offered
    expect(await page.isDisabled('[data-testid="catalogue-pick-01"]')).toBe(true);
    await page.check('[data-testid="catalogue-pick-21"]');
    expect(await page.isChecked('[data-testid="catalogue-pick-2101"]')).toBe(true);
    await page.uncheck('[data-testid="catalogue-pick-2106"]');
    await page.fill('[data-testid="catalogue-name-21"]', "矛盾纠纷调解");
    await page.fill('[data-testid="catalogue-deadline-21-handle"]', "3");
    expect(await page.textContent('[data-testid="catalogue-apply"]')).toBe("添加 6 个类别");
    await snap("04-catalogue");
    await page.click('[data-testid="catalogue-apply"]');
    await page.waitForSelector('[data-testid="catalogue-result"]');
    expect(await page.textContent('[data-testid="catalogue-result"]')).toBe("新建 6 个，已有 0 个");
    await page.waitForSelector('[data-testid="catalogue-pick-21"]:disabled');
    expect(await page.isDisabled('[data-testid="catalogue-pick-2106"]')).toBe(false);

    const admin = await tokenFor("admin");
    const found = (await call("GET", "/v1/categories?q=21&limit=50", { token: admin })).body.items as { id: string; code: string; name: string }[];
    expect(found.map((c) => c.code).sort()).toEqual(["21", "2101", "2102", "2103", "2104", "2105"]);
    const cls = found.find((c) => c.code === "21")!;
    expect(cls.name).toBe("矛盾纠纷调解");
    const view = (await call("GET", `/v1/categories/${cls.id}`, { token: admin })).body;
    expect([view.isDispute, view.deadlines.handle]).toEqual([true, { amount: 3, unit: "working_days" }]);
    expect(pageErrors).toEqual([]);
  }, 300_000);

  it("imports a zipped Gauss–Krüger Shapefile with GBK attributes after the admin says which attribute is which", async () => {
    // two grids under the village imported above (it has no boundary: nothing to be within), far from the demo polygons
    const admin = await tokenFor("admin");
    const village = ((await call("GET", "/v1/units?q=350206405&limit=10", { token: admin })).body.items as { code: string }[]).find((u) => u.code.length === 12)!.code;
    const gk = (origin: [number, number]) =>
      (syntheticGrid({ origin, cols: 1, rows: 1, cellMeters: 500 })[0].boundary.coordinates[0] as [number, number][]).map((xy) => proj4("WGS84", CGCS2000_GK_39).forward(xy) as [number, number]);
    const zip = shapefileZip(
      [
        { attributes: { BianMa: `${village}001`, MingCheng: "火炬第一网格", ShangJi: village }, rings: [gk([118.74, 24.6])] },
        { attributes: { BianMa: `${village}002`, MingCheng: "火炬第二网格", ShangJi: village }, rings: [gk([118.75, 24.6])] },
      ],
      { prj: CGCS2000_GK_39, encoding: "gbk" },
    );
    const file = join(tmpdir(), `wangge-grids-${process.pid}.zip`);
    writeFileSync(file, zip);
    await page.goto(`${server.url}/#/units/import`);
    await page.setInputFiles('[data-testid="import-file"]', file);
    await page.waitForSelector('[data-testid="shapefile-fields"]');
    expect(await page.textContent('[data-testid="shapefile-fields"]')).toContain("BianMa、MingCheng、ShangJi");
    expect(await page.isDisabled('[data-testid="import-start"]')).toBe(true); // its own attribute names: nothing guessed
    // a look at the file on the map before anything is sent: both grids, reprojected from zone 39 in the browser
    await page.waitForSelector('[data-testid="shapefile-preview"][data-count="2"]');
    expect(await page.textContent('[data-testid="shapefile-preview"]')).toMatch(/文件中有 2 个图形[\s\S]*CGCS2000_3_Degree_GK_Zone_39/);
    await page.waitForSelector('[data-testid="shapefile-preview-map"] path.leaflet-interactive, [data-testid="shapefile-preview-map"] canvas');
    for (const [key, attribute] of [["code", "BianMa"], ["name", "MingCheng"], ["parentCode", "ShangJi"]]) {
      await page.click(`.MuiInputBase-root:has(input[data-testid="shapefile-field-${key}"]) [role="combobox"]`);
      await page.click(`li[data-value="${attribute}"]`);
      await page.waitForSelector(`li[data-value="${attribute}"]`, { state: "detached" });
    }
    await snap("05-shapefile-mapping");
    await page.click('[data-testid="import-start"]');
    await page.waitForSelector('[data-testid="import-job"][data-status="succeeded"]', { timeout: 60_000 });
    expect(await page.textContent('[data-testid="import-result"]')).toContain("新建 2");
    await snap("06-shapefile-imported");
    const grids = (await call("GET", `/v1/units?q=${village}0&limit=10`, { token: admin })).body.items as { code: string; name: string; boundary?: unknown }[];
    expect(grids.map((g) => [g.code, g.name, !!g.boundary]).sort()).toEqual([[`${village}001`, "火炬第一网格", true], [`${village}002`, "火炬第二网格", true]]);
    expect(pageErrors).toEqual([]);
  }, 300_000);
});
