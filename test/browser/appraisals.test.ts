/**
 * The appraisal screens in headless Chromium, on a stack of this file's own (it locks a month and
 * changes the county's scoring rules, which a shared stack's other tests must not see):
 * the county administrator adds an external indicator to the five-colour rule and reads the
 * version difference; the command centre imports a month's values — first with bad rows, seeing
 * every one by line, then corrected; the administrator runs and locks the month, sees the
 * five-colour map and table, opens the yellow grid's explanation, the department ranking and the
 * grid workers, and redeems a worker's points. Screenshots of every screen, zh-CN and English.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { ensureConsoleBuilt } from "../../local/console-build.ts";
import { apiUrl, call, queuesIdle } from "../client.ts";
import { DEMO_PASSWORD, tokenFor } from "../fixtures.ts";
import { must, report } from "../cases.ts";
import { ownStack } from "../own-stack.ts";
import { CHROMIUM, hasChromium, launchChromium } from "./chromium.ts";
import { serveConsole, type ConsoleServer } from "./serve.ts";

const shots = fileURLToPath(new URL("../../test-output/screenshots/", import.meta.url));
const TZ_MS = 8 * 3600_000;
const monthOf = (at: string | number) => new Date(new Date(at).getTime() + TZ_MS).toISOString().slice(0, 7);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

if (!hasChromium()) console.warn(`test/browser/appraisals.test.ts skipped: no Chromium at ${CHROMIUM}`);

describe.skipIf(!hasChromium())("the appraisal screens in Chromium", () => {
  // a stack of its own: starting DynamoDB Local on a busy shared machine can take minutes
  ownStack({ startTimeoutMs: 300_000 });
  let server: ConsoleServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];
  let period: string;
  let previous: string;
  let grids: { id: string; code: string; name: string }[];
  let yellowGrid: { id: string; code: string };
  let worker1: string;

  const go = (hash: string) => page.goto(`${server.url}/#${hash}`);
  const snap = async (name: string) => {
    await page.waitForLoadState("networkidle", { timeout: 5_000 }).catch(() => undefined);
    await page.screenshot({ path: `${shots}appraisals-${name}.png`, fullPage: true });
  };
  async function signIn(username: string) {
    await go("/login");
    await page.fill('input[name="username"]', username);
    await page.fill('input[name="password"]', DEMO_PASSWORD);
    await page.click('button[type="submit"]');
    await page.waitForSelector('[data-testid="dashboard"]');
  }
  async function signOut() {
    // the app bar hides while the page is scrolled down
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.waitForSelector(".RaUserMenu-userButton", { state: "visible" });
    await page.click(".RaUserMenu-userButton");
    await page.click('[data-testid="logout"]');
    await page.waitForSelector('input[name="username"]');
  }
  /** Run a month over the API and wait until it is done (the setup's last month). */
  async function runMonth(p: string) {
    const admin = await tokenFor("admin");
    const r = await call("POST", "/v1/appraisals/run", { token: admin, body: { period: p } });
    if (r.status !== 202) throw new Error(`run ${p}: ${r.status} ${JSON.stringify(r.body)}`);
    for (let i = 0; i < 240; i++) {
      await queuesIdle().catch(() => undefined);
      if ((await call("GET", `/v1/appraisals/${p}/run`, { token: admin })).body.status === "done") return;
      await sleep(250);
    }
    throw new Error(`run of ${p} did not finish`);
  }

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    const admin = await tokenFor("admin");
    period = monthOf((await call("GET", "/_local/clock")).body.now);
    previous = new Date(Date.UTC(Number(period.slice(0, 4)), Number(period.slice(5, 7)) - 2, 1)).toISOString().slice(0, 7);
    const units: any[] = [];
    for (let cursor: string | null = null, first = true; first || cursor; first = false) {
      const page: any = (await call("GET", `/v1/units?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`, { token: admin })).body;
      units.push(...page.items);
      cursor = page.nextCursor;
    }
    grids = units.filter((u) => u.level === "grid").map((u) => ({ id: u.id, code: u.code, name: u.name }));
    expect(grids.length).toBeGreaterThanOrEqual(5);
    const me = (await call("GET", "/v1/me", { token: await tokenFor("worker1") })).body;
    worker1 = me.id;
    yellowGrid = grids.find((g) => g.id === me.assignments[0].unitId)!;
    expect(yellowGrid).toBeTruthy();

    // the county's own indicator in the five-colour rule (version 1), and a month of work in worker1's grid: three reports registered
    // (one of them closed on time, satisfied), one rejected
    expect((await call("POST", "/v1/indicator-definitions", { token: admin, body: { key: "safety_score", name: "平安建设评分", unit: "分", direction: "higher_better", min: 0, max: 100 } })).status).toBe(201);
    const { presets: _p, version, ...rules } = (await call("GET", "/v1/scoring-rules", { token: admin })).body;
    rules.fiveColor.indicators.push({ key: "safety_score", weight: 90 });
    expect((await call("PUT", "/v1/scoring-rules", { token: admin, body: { ...rules, version, note: "加入平安建设评分" } })).status).toBe(200);
    const accepted: string[] = [];
    for (let i = 0; i < 3; i++) {
      accepted.push((await report("worker1", { description: `楼道杂物堆放 ${i + 1}` })).case.id);
      await must("center", accepted[i], "accept");
    }
    // one of them claimed by the city management bureau, handled, checked and evaluated: a department to rank
    await must("dept1", accepted[0], "claim");
    await must("dept1", accepted[0], "handle", { note: "已清理" });
    await must("worker1", accepted[0], "verify", { pass: true });
    await must("worker1", accepted[0], "evaluate", { level: "satisfied" });
    await must("center", (await report("worker1", { description: "重复上报" })).case.id, "reject", { reason: "不属实" });
    await queuesIdle();
    // last month: values and a run, so this month's results have a change to show
    const last = grids.map((g) => `${previous},${g.code},safety_score,${g.id === yellowGrid.id ? 78 : 70}`).join("\n");
    expect((await call("POST", "/v1/indicators", { token: admin, raw: `period,unit,key,value\n${last}\n`, headers: { "content-type": "text/csv" } })).status).toBe(200);
    await runMonth(previous);

    await ensureConsoleBuilt(() => {});
    server = await serveConsole(apiUrl());
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: "zh-CN", timezoneId: "Asia/Shanghai", acceptDownloads: true });
    context.setDefaultTimeout(20_000);
    page = await context.newPage();
    page.on("pageerror", (e) => pageErrors.push(e.message));
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("edits the scoring rules and shows the difference between versions", async () => {
    await signIn("admin");
    await page.waitForSelector('[data-testid="menu-appraisals"]');
    await page.waitForSelector('[data-testid="menu-scoring-rules"]');
    await go("/scoring-rules");
    await page.waitForSelector('[data-testid="rule-indicator"][data-key="safety_score"]');
    const index = (await page.$$('[data-testid="rule-indicator"]')).length - 1;
    expect(await page.getAttribute('[data-testid="rule-indicator"]:last-of-type', "data-key")).toBe("safety_score");
    await page.fill(`input[name="fiveColor.indicators.${index}.weight"]`, "85");
    await page.fill('input[name="note"]', "平安建设评分权重调为 85");
    await page.waitForSelector('[data-testid="rules-diff"] [data-path="fiveColor.indicators[safety_score].weight"]');
    await page.click('[data-testid="rules-save"]');
    // saved as version 2: the versions panel compares version 1 with it
    await page.waitForSelector('[data-testid="rules-versions"] [data-testid="diff-row"][data-path="fiveColor.indicators[safety_score].weight"]');
    const diff = (await page.textContent('[data-testid="rules-versions"] [data-testid="diff-row"]'))!;
    expect(diff).toContain("90");
    expect(diff).toContain("85");
    const rules = (await call("GET", "/v1/scoring-rules", { token: await tokenFor("admin") })).body;
    expect(rules.version).toBe(2);
    expect(rules.fiveColor.indicators.find((i: any) => i.key === "safety_score")).toEqual({ key: "safety_score", weight: 85 });
    expect(await page.textContent('[data-testid="rules-versions"]')).toContain("平安建设评分权重调为 85");
    await snap("rules");
    await signOut();
  }, 120_000);

  it("imports a month's indicator values: every bad row in one table by line, then the corrected file", async () => {
    await signIn("center");
    await go(`/indicators?tab=import&period=${period}`);
    // worker1's grid: closed on time 100, close rate 100, satisfied 100, no rework 100 (weights 75), valid reports 75 (10),
    // safety 33 (85) → (7500 + 750 + 2805) / 170 = 65.03: yellow
    const values = (g: { id: string }, i: number) => (g.id === yellowGrid.id ? 33 : [95, 85, 75, 40, 92, 50, 88, 72][i % 8]);
    const good = grids.map((g, i) => `${period},${g.code},safety_score,${values(g, i)}`);
    const bad = ["period,unit,key,value", good[0], `${period},${grids[1].code},safety_score,150`, `2026-13,${grids[2].code},safety_score,60`, `${period},999999999999999,safety_score,60`, `${previous},${grids[3].code},safety_score,60`, `${period},${grids[4].code},safety_score,abc`].join("\n");
    await page.fill('[data-testid="indicator-text"]', bad);
    await page.click('[data-testid="import-submit"]');
    await page.waitForSelector('[data-testid="import-errors"]');
    const rows = await page.$$eval('[data-testid="import-error-row"]', (els) => els.map((e) => `${e.getAttribute("data-line")}:${e.getAttribute("data-field")}`));
    expect(rows).toEqual(["3:key", "4:period", "5:unit", "6:period", "7:value"]);
    expect(await page.textContent('[data-testid="import-errors"]')).toContain("超过上限 100");
    await snap("indicators-import-errors");
    // nothing was written
    expect((await call("GET", `/v1/indicators?period=${period}`, { token: await tokenFor("center") })).body.items).toEqual([]);
    await page.fill('[data-testid="indicator-text"]', ["period,unit,key,value", ...good].join("\n"));
    await page.click('[data-testid="import-submit"]');
    await page.waitForSelector('[data-testid="import-ok"]');
    await page.click('[data-testid="tab-values"]');
    await page.waitForSelector('[data-testid="value-row"]');
    expect(await page.$$('[data-testid="value-row"]')).toHaveLength(grids.length);
    expect(await page.textContent('[data-testid="values-table"]')).toContain("›");
    await snap("indicators-values");
    await page.click('[data-testid="tab-definitions"]');
    await page.waitForSelector('[data-testid="definition-row"][data-key="safety_score"]');
    await snap("indicators-definitions");
    await signOut();
  }, 120_000);

  it("runs and locks the month, colours the county map, and explains why a grid is yellow", async () => {
    await signIn("admin");
    await go(`/appraisals?period=${period}`);
    await page.waitForSelector('[data-testid="run-panel"][data-status="not_run"]');
    await page.click('[data-testid="run-button"]');
    await page.waitForSelector('[data-testid="run-panel"][data-status="done"]', { timeout: 60_000 });
    await page.waitForSelector('[data-testid="appraisal-map"] path.leaflet-interactive');
    const colors = (await page.getAttribute('[data-testid="choropleth"]', "data-colors"))!.split(",");
    expect(colors).toEqual(expect.arrayContaining(["blue", "green", "orange", "red", "yellow"]));
    await page.waitForSelector('[data-testid="map-legend"]');
    await page.waitForSelector(`[data-testid="unit-row"][data-id="${yellowGrid.id}"][data-color="yellow"]`);
    await page.click('[data-testid="lock-button"]');
    await page.click('[data-testid="lock-confirm"]');
    await page.waitForSelector('[data-testid="run-panel"][data-status="locked"]');
    expect((await call("POST", "/v1/appraisals/run", { token: await tokenFor("admin"), body: { period } })).status).toBe(409);
    await snap("month");

    await page.click(`[data-testid="unit-row"][data-id="${yellowGrid.id}"] a`);
    await page.waitForSelector('[data-testid="result-page"][data-color="yellow"]');
    await page.waitForSelector('[data-testid="why"]');
    const why = (await page.textContent('[data-testid="why"]'))!;
    expect(why).toContain("为什么是黄");
    expect(why).toContain("60–70");
    // each indicator with its formula, weight and points; the rules version used; last month's orange
    await page.waitForSelector('[data-testid="line-row"][data-key="safety_score"]');
    expect(await page.textContent('[data-testid="line-row"][data-key="validReportRate"]')).toContain("有效上报数 ÷ 上报数");
    expect(await page.textContent('[data-testid="rules-version"]')).toContain("2");
    expect(await page.textContent('[data-testid="result-name"]')).toMatch(/金山社区 › 第1网格$/);
    expect(await page.getAttribute('[data-testid="change"] [data-testid="band-chip"]', "data-color")).toBe("orange");
    await snap("grid-yellow-explained");

    await go(`/appraisals?period=${period}&tab=departments`);
    await page.waitForSelector('[data-testid="departments-table"]');
    await page.waitForSelector('[data-testid="department-row"][data-id="dept-urban"][data-rated="true"]');
    expect(await page.textContent('[data-testid="department-row"][data-id="dept-urban"]')).toContain("城市管理局");
    await snap("departments");
  }, 180_000);

  it("shows grid workers' scores and redeems points from the ledger", async () => {
    await go(`/appraisals?period=${period}&tab=workers`);
    await page.waitForSelector(`[data-testid="worker-row"][data-id="${worker1}"]`);
    await snap("workers");
    await page.click(`[data-testid="worker-row"][data-id="${worker1}"] [data-testid="open-ledger"]`);
    await page.waitForSelector('[data-testid="points-page"]');
    // 3 valid reports + 1 on-time check + 1 satisfied evaluation, one point each
    expect(await page.textContent('[data-testid="points-balance"]')).toBe("5");
    await page.click('[data-testid="redeem-button"]');
    await page.fill('input[name="points"]', "2");
    await page.fill('input[name="item"]', "洗衣液 1 瓶");
    await page.fill('textarea[name="note"]', "本月服务积分兑换");
    await page.click('[data-testid="redeem-submit"]');
    await page.waitForSelector('[data-testid="points-balance"]:text-is("3")');
    await page.waitForSelector('[data-testid="ledger-row"][data-kind="redeem"]:has-text("洗衣液 1 瓶")');
    const ledger = (await call("GET", `/v1/points/${worker1}`, { token: await tokenFor("admin") })).body;
    expect(ledger).toMatchObject({ balance: 3, earned: 5, redeemed: 2, name: "金山社区第1网格员" });
    await snap("points-ledger");
  }, 120_000);

  it("explains the result in English too", async () => {
    await go(`/appraisals/unit/${encodeURIComponent(yellowGrid.id)}/${period}`);
    await page.waitForSelector('[data-testid="why"]');
    await page.click('button:has-text("简体中文")');
    await page.click('li:has-text("English")');
    await page.waitForSelector('[data-testid="why"] >> text=Why Yellow');
    expect(await page.textContent('[data-testid="line-row"][data-key="validReportRate"]')).toContain("Valid report rate");
    await snap("grid-yellow-explained-en");
    await page.click('button:has-text("English")');
    await page.click('li:has-text("简体中文")');
    await page.waitForSelector('[data-testid="why"] >> text=为什么是黄');
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
