import { readFileSync, readdirSync, statSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { startStack } from "../local/stack.ts";
import { seedDemoCounty } from "../local/demo-county.ts";
import { ensureConsoleBuilt } from "../local/console-build.ts";
import { CHROMIUM, hasChromium, launchChromium } from "../test/browser/chromium.ts";
import { consoleDist, serveConsole } from "../test/browser/serve.ts";
import { markdownTable, quantile, round, type BenchResult, type Row } from "./harness.ts";

const PASSWORD = "bench-password-123";
const RUNS = 5;
/** Cases waiting in the dispatcher's intake queue (one page of the desk shows 50). */
const CASES = 60;
/** Issue #13: the JS a browser must fetch before the console starts stays within this (gzip). */
export const INITIAL_JS_TARGET_KB = 300;

const gzipKb = (files: string[]) => round(files.reduce((n, f) => n + gzipSync(readFileSync(join(consoleDist, f))).length, 0) / 1024, 1);
const rawKb = (files: string[]) => round(files.reduce((n, f) => n + statSync(join(consoleDist, f)).size, 0) / 1024, 1);

/** The JS the browser must fetch before the app can start: the entry script and its modulepreloads. */
function initialScripts(): string[] {
  const html = readFileSync(join(consoleDist, "index.html"), "utf8");
  const refs = [...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="\/?([^"]+\.js)"/g)].map((m) => m[1]);
  return [...new Set(refs)];
}

/** A chunk's name without its content hash (`assets/Box-vBDFpMiI.js` → `Box`). */
const chunkName = (f: string) => f.replace(/^assets\//, "").replace(/-[A-Za-z0-9_-]{8}\.js$/, "");

const stats = (ms: number[]) => {
  const s = [...ms].sort((a, b) => a - b);
  return { median_ms: round(quantile(s, 0.5), 0), min_ms: round(s[0], 0), max_ms: round(s[s.length - 1], 0) };
};

/**
 * Time to the first interactive screen of the case desk in headless Chromium: signed in through
 * the API in cookie mode, the refresh cookie put in the browser as the console's login leaves it
 * (the console renews its in-memory access token from it on load, issue #19), then
 * `/#/cases` opened until the first row of the dispatcher's intake queue is on screen. Median of
 * 5, in a new browser context each time (cold cache) and on a reload (warm cache); plus the
 * initial JS of the build (gzip) and the JS the desk actually loads.
 */
export async function consoleBench(): Promise<BenchResult> {
  if (!hasChromium()) throw new Error(`the console bench needs Chromium at ${CHROMIUM} (Debian: apt-get install chromium)`);
  await ensureConsoleBuilt((m) => console.log(`  ${m}`));
  const loadBefore = loadavg()[0];
  const stack = await startStack({ autoSchedule: false, log: () => {} });
  const server = await serveConsole(stack.url);
  const browser = await launchChromium();
  try {
    await seedDemoCounty({ password: PASSWORD, now: stack.clock.now() });
    const login = async (u: string) =>
      (await (await fetch(`${stack.url}/v1/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: u, password: PASSWORD }) })).json()) as {
        accessToken: string;
      };
    const worker = (await login("worker1")).accessToken;
    const me = await (await fetch(`${stack.url}/v1/me`, { headers: { authorization: `Bearer ${worker}` } })).json();
    const unit = await (await fetch(`${stack.url}/v1/units/${me.assignments[0].unitId}`, { headers: { authorization: `Bearer ${worker}` } })).json();
    const [lng, lat] = unit.centroid as [number, number];
    for (let i = 0; i < CASES; i++) {
      const r = await fetch(`${stack.url}/v1/cases`, {
        method: "POST",
        headers: { authorization: `Bearer ${worker}`, "content-type": "application/json" },
        body: JSON.stringify({ categoryId: i % 3 ? "cat-env-garbage" : "cat-facility-light", description: `控制台基准 ${i}`, location: { lng: lng + (i % 10) * 1e-5, lat } }),
      });
      if (r.status !== 201) throw new Error(`report: ${r.status} ${await r.text()}`);
    }

    const measure = async (warm: boolean) => {
      const times: number[] = [];
      const api: number[] = [];
      const scripts = new Set<string>();
      for (let i = 0; i < RUNS; i++) {
        const signedIn = await fetch(`${server.url}/v1/auth/login`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-wangge-session": "cookie", origin: server.url },
          body: JSON.stringify({ username: "center", password: PASSWORD }),
        });
        const refresh = /wg_srt=([^;]+)/.exec(signedIn.headers.get("set-cookie") ?? "")?.[1];
        if (!refresh) throw new Error(`login in cookie mode: ${signedIn.status} ${await signedIn.text()}`);
        const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
        await context.addCookies([{ name: "wg_srt", value: refresh, domain: new URL(server.url).hostname, path: "/v1/auth", httpOnly: true, secure: true, sameSite: "Strict" }]);
        const page = await context.newPage();
        if (warm) {
          await page.goto(`${server.url}/#/cases`);
          await page.waitForSelector('[data-testid^="case-row-"]', { timeout: 30_000 });
        }
        let calls = 0;
        page.on("request", (r) => {
          const u = new URL(r.url());
          if (u.pathname.startsWith("/v1/")) calls++;
          if (u.pathname.endsWith(".js")) scripts.add(u.pathname.replace(/^\//, ""));
        });
        if (warm) await page.reload({ waitUntil: "commit" });
        else await page.goto(`${server.url}/#/cases`, { waitUntil: "commit" });
        // performance.now() counts from the navigation's start
        const at = await page.waitForFunction(() => (document.querySelector('[data-testid^="case-row-"]') ? performance.now() : 0), undefined, { timeout: 30_000, polling: "raf" });
        times.push(Number(await at.jsonValue()));
        api.push(calls);
        await context.close();
      }
      return { times, api: quantile([...api].sort((a, b) => a - b), 0.5), scripts: [...scripts] };
    };

    const cold = await measure(false);
    const warm = await measure(true);
    const initial = initialScripts();
    const allJs = readdirSync(join(consoleDist, "assets")).filter((f) => f.endsWith(".js")).map((f) => `assets/${f}`);
    const deskJs = cold.scripts.filter((f) => allJs.includes(f));
    const initialKb = gzipKb(initial);
    const within = initialKb <= INITIAL_JS_TARGET_KB;
    const rows: Row[] = [
      { measure: "case desk, first visit (new context, cold cache)", ...stats(cold.times), api_requests: cold.api, js_files: deskJs.length, js_gzip_kb: gzipKb(deskJs) },
      { measure: "case desk, reload (warm cache)", ...stats(warm.times), api_requests: warm.api, js_files: deskJs.length, js_gzip_kb: gzipKb(deskJs) },
      { measure: "initial JS (entry + modulepreload)", js_files: initial.length, js_gzip_kb: initialKb, js_kb: rawKb(initial), target_gzip_kb: INITIAL_JS_TARGET_KB, within_target: within ? "yes" : "NO" },
      { measure: "whole build (all JS chunks)", js_files: allJs.length, js_gzip_kb: gzipKb(allJs), js_kb: rawKb(allJs) },
    ];
    // what the initial JS is made of: the largest chunks, so a regression names its culprit
    const chunks = initial.map((f) => ({ chunk: chunkName(f), gzip_kb: gzipKb([f]), kb: rawKb([f]) })).sort((a, b) => b.gzip_kb - a.gzip_kb);
    const top = chunks.slice(0, 8);
    const rest = chunks.slice(8);
    const loadAfter = loadavg()[0];
    if (!within) console.warn(`  initial JS ${initialKb} KB gzip is over the ${INITIAL_JS_TARGET_KB} KB target: move what the largest chunks below hold behind lazy imports`);
    return {
      name: `Admin console: time to the first row of the case desk in headless Chromium (median of ${RUNS}), and JS sizes`,
      title: "Console",
      rows,
      notes: [
        `${(await browser.version()) || "chromium"} on the embedded stack (local API, DynamoDB Local) on this machine; the dispatcher's intake queue holds ${CASES} cases (first page 50)`,
        "signed in through the API; the HttpOnly refresh cookie is put in the browser before the app starts, so the renewal (POST /v1/auth/refresh), /v1/me and the list are the first calls",
        "time = performance.now() in the page when the first row is rendered (from navigation start); sizes from the production build, gzip level 6",
        `initial JS target (issue #13): ≤ ${INITIAL_JS_TARGET_KB} KB gzip — ${within ? "within" : "OVER"} (${initialKb} KB)`,
        `machine load (1-minute load average) ${round(loadBefore, 1)} before, ${round(loadAfter, 1)} after, on ${cpus().length} CPUs: times on a shared, busy machine are upper bounds`,
      ],
      markdown: [
        "### Initial JS by chunk (largest first)",
        "",
        markdownTable([...top, ...(rest.length ? [{ chunk: `${rest.length} smaller chunks`, gzip_kb: round(rest.reduce((n, c) => n + c.gzip_kb, 0), 1), kb: round(rest.reduce((n, c) => n + c.kb, 0), 1) }] : [])]),
        "",
        "Chunks are named by Rolldown after a module they hold (MUI's `Box`/`Grow`, react-admin's `Title`, the app's `index` and `i18n`). Every screen is a lazy chunk (`lazy(() => import(…))` in each resource's index.ts); the initial set is the app shell with the data provider and its typed API client (openapi-fetch, ~3 KB gzip), react-admin's core, MUI's base components and the zh-CN messages (English loads when chosen).",
      ].join("\n"),
    };
  } finally {
    await browser.close();
    await server.close();
    await stack.stop();
  }
}
