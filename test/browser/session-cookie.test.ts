/**
 * Issue #19 in headless Chromium against the shared embedded stack: the staff console keeps no
 * refresh token where a script can read it. Signing in sets the HttpOnly `wg_srt` cookie (Path
 * /v1/auth, SameSite=Strict); localStorage, sessionStorage and document.cookie hold no refresh
 * token; a reload renews from the cookie and stays signed in; two tabs reloading at once do not
 * spend the same token twice (which would revoke the session family); signing out clears the cookie.
 * Screenshots: test-output/screenshots/session-cookie-*.png.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { ensureConsoleBuilt } from "../../local/console-build.ts";
import { apiUrl } from "../client.ts";
import { DEMO_PASSWORD } from "../fixtures.ts";
import { CHROMIUM, hasChromium, launchChromium } from "./chromium.ts";
import { serveConsole, type ConsoleServer } from "./serve.ts";

const shots = fileURLToPath(new URL("../../test-output/screenshots/", import.meta.url));

if (!hasChromium()) {
  if (process.env.CI === "true") throw new Error(`test/browser/session-cookie.test.ts: no Chromium at ${CHROMIUM}`);
  console.warn(`test/browser/session-cookie.test.ts skipped: no Chromium at ${CHROMIUM}`);
}

/** Everything a script of the page can read: both storages (keys and values) and document.cookie. */
const readable = (page: Page) =>
  page.evaluate(() => {
    const dump = (s: Storage) => Object.fromEntries(Array.from({ length: s.length }, (_, i) => [s.key(i)!, s.getItem(s.key(i)!) ?? ""]));
    return { local: dump(localStorage), session: dump(sessionStorage), cookie: document.cookie };
  });

describe.skipIf(!hasChromium())("staff session in an HttpOnly cookie (#19)", () => {
  let server: ConsoleServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const refreshCookie = async () => (await context.cookies()).find((c) => c.name === "wg_srt");
  const refreshCalls: number[] = [];
  /** ms the API in front of the stack holds a `POST /v1/auth/refresh` before passing it on */
  let holdRefresh = 0;
  let slowApi: Server;

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    await ensureConsoleBuilt(() => {});
    // the stack's API behind a pass-through that can hold renewals (to make two tabs' renewals overlap)
    slowApi = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      if (req.url === "/v1/auth/refresh" && holdRefresh) await new Promise((r) => setTimeout(r, holdRefresh));
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !["host", "connection", "content-length"].includes(k)).map(([k, v]) => [k, String(v)]));
      const up = await fetch(apiUrl() + req.url, { method: req.method, headers, body: chunks.length ? Buffer.concat(chunks) : undefined });
      res.statusCode = up.status;
      up.headers.forEach((v, k) => {
        if (!["content-length", "content-encoding", "transfer-encoding", "connection"].includes(k)) res.setHeader(k, v);
      });
      res.end(Buffer.from(await up.arrayBuffer()));
    });
    await new Promise<void>((r) => slowApi.listen(0, "127.0.0.1", () => r()));
    server = await serveConsole(`http://127.0.0.1:${(slowApi.address() as AddressInfo).port}`);
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: "zh-CN", timezoneId: "Asia/Shanghai" });
    context.setDefaultTimeout(20_000);
    context.on("response", (r) => {
      if (new URL(r.url()).pathname === "/v1/auth/refresh") refreshCalls.push(r.status());
    });
    page = await context.newPage();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    slowApi?.close();
  });

  it("signs in with the refresh token only in an HttpOnly, Secure, SameSite=Strict cookie on /v1/auth, never readable by script", async () => {
    await page.goto(`${server.url}/#/login`);
    await page.fill('input[name="username"]', "admin");
    await page.fill('input[name="password"]', DEMO_PASSWORD);
    await page.click('button[type="submit"]');
    await page.waitForSelector('[data-testid="dashboard"]');
    const cookie = await refreshCookie();
    expect(cookie).toMatchObject({ path: "/v1/auth", httpOnly: true, secure: true, sameSite: "Strict" });
    expect(cookie!.value.length).toBeGreaterThan(20);
    const seen = await readable(page);
    const all = JSON.stringify(seen);
    expect(all).not.toContain(cookie!.value);
    expect(all.toLowerCase()).not.toContain("refresh");
    expect(seen.cookie).not.toContain("wg_srt");
    // no access token kept in storage either: it lives in memory
    expect(Object.keys(seen.local)).not.toContain("wangge.session");
    expect(Object.keys(seen.session)).toEqual([]);
    await page.screenshot({ path: `${shots}session-cookie-signed-in.png` });
  });

  it("stays signed in after a reload (renewed from the cookie), still with nothing readable", async () => {
    const before = (await refreshCookie())!.value;
    const renewals = refreshCalls.length;
    await page.reload();
    await page.waitForSelector('[data-testid="dashboard"]');
    expect(await page.locator('input[name="username"]').count()).toBe(0);
    expect(refreshCalls.slice(renewals)).toEqual([200]);
    const after = (await refreshCookie())!.value;
    expect(after).not.toBe(before); // rotated
    const all = JSON.stringify(await readable(page));
    expect(all).not.toContain(after);
    expect(all).not.toContain(before);
    await page.screenshot({ path: `${shots}session-cookie-after-reload.png` });
  });

  it("lets two tabs reload at the same time without revoking the session (renewals take turns)", async () => {
    await page.goto(`${server.url}/#/`);
    await page.waitForSelector('[data-testid="dashboard"]');
    const second = await context.newPage();
    await second.goto(`${server.url}/#/`);
    await second.waitForSelector('[data-testid="dashboard"]');
    const renewals = refreshCalls.length;
    // the API holds each renewal 800 ms before answering, so the two tabs' renewals overlap unless the
    // console makes them take turns (without the Web Lock both send the same cookie and the second, a
    // replay, revokes the session: checked by hiding navigator.locks, which fails this test)
    holdRefresh = 800;
    await Promise.all([page.reload(), second.reload()]);
    await Promise.all([page.waitForSelector('[data-testid="dashboard"]'), second.waitForSelector('[data-testid="dashboard"]')]);
    holdRefresh = 0;
    expect(refreshCalls.slice(renewals)).toEqual([200, 200]);
    await second.screenshot({ path: `${shots}session-cookie-second-tab.png` });
    // the family is still alive: one more reload renews again
    await page.reload();
    await page.waitForSelector('[data-testid="dashboard"]');
    expect(refreshCalls.at(-1)).toBe(200);
    await second.close();
  });

  it("signing out clears the cookie, and a reload then shows the sign-in page", async () => {
    await page.goto(`${server.url}/#/`);
    await page.waitForSelector('[data-testid="dashboard"]');
    await page.click(".RaUserMenu-userButton");
    await page.click('[data-testid="logout"]');
    await page.waitForSelector('input[name="username"]');
    expect(await refreshCookie()).toBeUndefined();
    await page.reload();
    await page.waitForSelector('input[name="username"]');
    expect(await page.locator('[data-testid="dashboard"]').count()).toBe(0);
    expect(Object.keys((await readable(page)).local)).not.toContain("wangge.me");
    await page.screenshot({ path: `${shots}session-cookie-signed-out.png` });
  });
});
