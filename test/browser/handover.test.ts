/**
 * Handover of a leaving grid worker's work (人走机留) in Chromium: the deactivate button is refused
 * with what is open and offers the handover; the dialog shows what the user holds, the admin picks
 * the successor, confirms, follows the progress to the result, then deactivates
 * (screenshots in test-output/screenshots/handover-*.png).
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { mkdirSync } from "node:fs";
import { randomInt } from "node:crypto";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { ensureConsoleBuilt } from "../../local/console-build.ts";
import { apiUrl, call, login } from "../client.ts";
import { adminToken, DEMO_PASSWORD } from "../fixtures.ts";
import { CHROMIUM, hasChromium, launchChromium } from "./chromium.ts";
import { serveConsole, type ConsoleServer } from "./serve.ts";

const shots = fileURLToPath(new URL("../../test-output/screenshots/", import.meta.url));

if (!hasChromium()) console.warn(`test/browser/handover.test.ts skipped: no Chromium at ${CHROMIUM}`);

const tag = Date.now().toString(36).slice(-5);

async function must(method: string, path: string, body: unknown, token?: string) {
  const r = await call(method, path, { token: token ?? (await adminToken()), body });
  if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

describe.skipIf(!hasChromium())("the staff handover in Chromium", () => {
  let server: ConsoleServer;
  let browser: Browser;
  let page: Page;
  let leaver: any;
  let successor: any;
  let grid1: any;

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    const street = (await must("GET", "/v1/units?q=350206001&limit=5", undefined)).items.find((u: any) => u.code === "350206001");
    let community: any;
    for (let attempt = 0; !community; attempt++) {
      const r = await call("POST", "/v1/units", { token: await adminToken(), body: { parentId: street.id, name: `交接演示社区${tag}`, code: `350206001${randomInt(700, 800)}` } });
      if (r.status === 201) community = r.body;
      else if (attempt > 10) throw new Error(JSON.stringify(r.body));
    }
    grid1 = await must("POST", "/v1/units", { parentId: community.id, name: "交接演示一网格", code: `${community.code}001` });
    const grid2 = await must("POST", "/v1/units", { parentId: community.id, name: "交接演示二网格", code: `${community.code}002` });
    leaver = await must("POST", "/v1/users", { username: `hb${tag}leaver`, displayName: "离职网格员张三", password: DEMO_PASSWORD, assignments: [{ role: "grid_worker", unitId: grid1.id }] });
    successor = await must("POST", "/v1/users", { username: `hb${tag}succ`, displayName: "接任网格员李四", password: DEMO_PASSWORD, assignments: [{ role: "grid_worker", unitId: grid2.id }] });
    await must("POST", "/v1/users", { username: `hb${tag}leader`, displayName: "演示网格长王五", password: DEMO_PASSWORD, assignments: [{ role: "grid_leader", unitId: community.id }] });
    await must("POST", "/v1/registry/households", { unitId: grid1.id, address: "交接演示小区 3 号", membersCount: 3 }, await login(leaver.username, DEMO_PASSWORD));

    await ensureConsoleBuilt(() => {});
    server = await serveConsole(apiUrl());
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: "zh-CN", timezoneId: "Asia/Shanghai" });
    context.setDefaultTimeout(20_000);
    page = await context.newPage();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("refuses the deactivation with what is open, hands the grid over to the chosen successor, then deactivates", async () => {
    await page.goto(`${server.url}/#/login`);
    await page.fill('input[name="username"]', "admin");
    await page.fill('input[name="password"]', DEMO_PASSWORD);
    await page.click('button[type="submit"]');
    await page.waitForSelector('[data-testid="dashboard"]');
    await page.goto(`${server.url}/#/users/${leaver.id}/show`);

    // deactivate: refused, with what is open and the handover offered
    await page.click('[data-testid="user-deactivate"]');
    await page.click('[data-testid="user-deactivate-confirm"]');
    const refused = await page.waitForSelector('[data-testid="user-deactivate-refused"]');
    expect(await refused.textContent()).toContain("1 个网格有住户且没有其他网格员");
    await page.waitForTimeout(400); // the dialog's fade-in
    await page.screenshot({ path: `${shots}handover-refused.png` });
    await page.click('[data-testid="user-deactivate-handover"]');

    // what the user holds, by kind
    await page.waitForSelector('[data-testid="handover-counts"]');
    expect(await page.textContent('[data-testid="handover-count-assignments"]')).toBe("1");
    expect(await page.textContent('[data-testid="handover-count-households"]')).toBe("1");
    expect(await page.textContent('[data-testid="handover-count-taskUnits"]')).toBe("0");

    // pick the successor among the eligible users
    await page.click('[data-testid="handover-successor"] [role="combobox"]');
    await page.waitForSelector(`[data-testid="handover-successor-${successor.username}"]`);
    expect(await page.locator(`[data-testid="handover-successor-${leaver.username}"]`).count()).toBe(0);
    await page.screenshot({ path: `${shots}handover-pick.png` });
    await page.click(`[data-testid="handover-successor-${successor.username}"]`);
    await page.click('[data-testid="handover-next"]');
    const confirm = await page.waitForSelector('[data-testid="handover-confirm-text"]');
    expect(await confirm.textContent()).toContain("接任网格员李四");
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${shots}handover-confirm.png` });
    await page.click('[data-testid="handover-start"]');
    const result = await page.waitForSelector('[data-testid="handover-result"]', { timeout: 60_000 });
    expect(await result.textContent()).toBe("交接完成：已移交 1 个网格岗位、0 个任务网格。");
    await page.screenshot({ path: `${shots}handover-done.png` });
    await page.keyboard.press("Escape");

    const after = await must("GET", `/v1/users/${successor.id}`, undefined);
    expect(after.assignments.map((a: any) => a.unitId)).toContain(grid1.id);

    // now the deactivation goes through
    await page.waitForSelector('[data-testid="handover-dialog"]', { state: "detached" });
    await page.click('[data-testid="user-deactivate"]');
    await page.click('[data-testid="user-deactivate-confirm"]');
    await page.waitForSelector('[data-testid="user-deactivate"]', { state: "detached" });
    await page.screenshot({ path: `${shots}handover-deactivated.png` });
    expect((await must("GET", `/v1/users/${leaver.id}`, undefined)).active).toBe(false);
  });

  it("shows the handover in English too", async () => {
    await page.goto(`${server.url}/#/users/${successor.id}/show`);
    await page.click('button:has-text("简体中文")');
    await page.click('li:has-text("English")');
    await page.click('[data-testid="user-handover"]');
    await page.waitForSelector('[data-testid="handover-counts"] >> text=Grid roles');
    expect(await page.textContent('[data-testid="handover-count-assignments"]')).toBe("2");
    await page.click('[data-testid="handover-successor"] [role="combobox"]');
    const option = await page.waitForSelector(`[data-testid="handover-successor-hb${tag}leader"]`);
    expect(await option.textContent()).toBe(`演示网格长王五 (hb${tag}leader, Grid leader)`);
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${shots}handover-en.png` });
    await page.keyboard.press("Escape");
    await page.keyboard.press("Escape");
    await page.click('button:has-text("English")');
    await page.click('li:has-text("简体中文")');
  });
});
