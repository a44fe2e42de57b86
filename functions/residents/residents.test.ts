import { describe, it, expect, beforeAll } from "vitest";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { advanceClock, apiUrl, call, useStackEnv } from "../../test/client.ts";
import { adminToken, tokenFor } from "../../test/fixtures.ts";
import { must, pointIn } from "../../test/cases.ts";
import { db, tableName } from "../../core/db/client.ts";
import * as keys from "../../core/db/keys.ts";
import { phoneHash } from "../../core/resident/phone.ts";

const GRID = "350206001001001"; // worker1's grid
const OTHER_GRID = "350206002001001"; // worker2's grid

let seq = 0;
/** A fresh mainland mobile number per registration (limits are per phone). */
const newPhone = () => `139${String(Date.now() % 1e6).padStart(6, "0")}${String(seq++ % 100).padStart(2, "0")}`;

async function register(phone = newPhone(), gridCode = GRID) {
  const sent = await call("POST", "/v1/residents/code", { body: { phone } });
  if (sent.status !== 201) throw new Error(`code: ${sent.status} ${JSON.stringify(sent.body)}`);
  const v = await call("POST", "/v1/residents/verify", { body: { phone, code: sent.body.devCode, gridCode } });
  if (v.status !== 200) throw new Error(`verify: ${v.status} ${JSON.stringify(v.body)}`);
  return { phone, ...v.body } as { phone: string; accessToken: string; refreshToken: string; resident: any };
}

async function residentReport(token: string, body: Record<string, unknown> = {}) {
  const location = await pointIn("worker1");
  return call("POST", "/v1/cases", { token, body: { categoryId: "cat-env-garbage", description: "楼下垃圾没人清", location, ...body } });
}

beforeAll(() => useStackEnv());

describe("grid QR codes", () => {
  it("serves a grid's QR code as SVG and PNG pointing at the resident page", async () => {
    const token = await tokenFor("community1");
    const me = await call("GET", "/v1/me", { token });
    const grids = await call("GET", `/v1/units?parentId=${me.body.assignments[0].unitId}`, { token });
    const grid = grids.body.items[0];
    const svg = await fetch(`${apiUrl()}/v1/units/${grid.id}/qr.svg`, { headers: { authorization: `Bearer ${token}` } });
    expect(svg.status).toBe(200);
    expect(svg.headers.get("content-type")).toBe("image/svg+xml");
    expect(svg.headers.get("x-qr-url")).toMatch(new RegExp(`^https?://[^/]+/resident/\\?grid=${grid.code}$`));
    expect(await svg.text()).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    const png = await fetch(`${apiUrl()}/v1/units/${grid.id}/qr.png?scale=4`, { headers: { authorization: `Bearer ${token}` } });
    expect(png.headers.get("content-type")).toBe("image/png");
    const bytes = new Uint8Array(await png.arrayBuffer());
    expect([...bytes.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
  });

  it("prints one card per grid of a community, and hides units outside the caller's scope", async () => {
    const token = await tokenFor("community1");
    const me = await call("GET", "/v1/me", { token });
    const community = me.body.assignments[0].unitId;
    const grids = await call("GET", `/v1/units?parentId=${community}&active=true`, { token });
    const sheet = await fetch(`${apiUrl()}/v1/units/${community}/qr-sheet.html`, { headers: { authorization: `Bearer ${token}` } });
    expect(sheet.status).toBe(200);
    const html = await sheet.text();
    expect(html.match(/<figure class="card">/g)).toHaveLength(grids.body.items.length);
    expect(html).toContain(`/resident/?grid=${grids.body.items[0].code}`);
    const other = await call("GET", "/v1/me", { token: await tokenFor("worker2") });
    const out = await fetch(`${apiUrl()}/v1/units/${other.body.assignments[0].unitId}/qr.svg`, { headers: { authorization: `Bearer ${token}` } });
    expect(out.status).toBe(404);
  });
});

describe("resident registration", () => {
  it("shows the public grid page behind a QR code, and 404 for unknown codes or units above the grids", async () => {
    const r = await call("GET", `/v1/residents/grids/${GRID}`);
    expect(r.status).toBe(200);
    expect(r.body.grid).toMatchObject({ code: GRID, level: "grid" });
    expect(r.body.path).toHaveLength(4);
    expect(r.body.path[0]).toBe(r.body.countyName);
    expect(r.body.categories.some((c: any) => c.id === "cat-env-garbage")).toBe(true);
    expect((await call("GET", "/v1/residents/grids/350206999999999")).status).toBe(404);
    expect((await call("GET", "/v1/residents/grids/350206001")).status).toBe(404); // a street
  });

  it("registers a resident by phone code into the scanned grid and keeps only a hash and a masked phone", async () => {
    const s = await register();
    expect(s.resident).toMatchObject({ anonymous: false, phoneMasked: `${s.phone.slice(0, 3)}****${s.phone.slice(-4)}`, grid: { code: GRID } });
    const me = await call("GET", "/v1/residents/me", { token: s.accessToken });
    expect(me.body).toEqual(s.resident);
    const stored = await db().send(new GetCommand({ TableName: tableName(), Key: keys.resident(s.resident.id) }));
    expect(stored.Item?.phoneHash).toBe(await phoneHash(s.phone));
    expect(JSON.stringify(stored.Item)).not.toContain(s.phone);
    await advanceClock(2); // one SMS per phone per minute
    const again = await register(s.phone, OTHER_GRID);
    expect(again.resident.id).toBe(s.resident.id); // same phone, same resident, now in the other grid
    expect(again.resident.grid.code).toBe(OTHER_GRID);
  });

  it("refuses a wrong code, and burns the code after five wrong attempts", async () => {
    const phone = newPhone();
    const sent = await call("POST", "/v1/residents/code", { body: { phone } });
    const wrong = String((Number(sent.body.devCode) + 1) % 1_000_000).padStart(6, "0");
    const first = await call("POST", "/v1/residents/verify", { body: { phone, code: wrong, gridCode: GRID } });
    expect(first.status).toBe(400);
    expect(first.body.error.details.fields[0].path).toBe("code");
    for (let i = 0; i < 4; i++) await call("POST", "/v1/residents/verify", { body: { phone, code: wrong, gridCode: GRID } });
    const late = await call("POST", "/v1/residents/verify", { body: { phone, code: sent.body.devCode, gridCode: GRID } });
    expect(late.status).toBe(400);
  });

  it("limits codes per phone with 429 and Retry-After", async () => {
    const phone = newPhone();
    expect((await call("POST", "/v1/residents/code", { body: { phone } })).status).toBe(201);
    const second = await call("POST", "/v1/residents/code", { body: { phone } });
    expect(second.status).toBe(429);
    expect(Number(second.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(second.body.error.code).toBe("rate_limited");
  });

  it("refuses invalid phones and oversized bodies", async () => {
    expect((await call("POST", "/v1/residents/code", { body: { phone: "12345" } })).status).toBe(400);
    const big = await call("POST", "/v1/residents/code", { body: { phone: "13900000000", pad: "x".repeat(2000) } });
    expect(big.status).toBe(413);
  });

  it("renews a session with a single-use refresh token", async () => {
    const s = await register();
    const r = await call("POST", "/v1/residents/refresh", { body: { refreshToken: s.refreshToken } });
    expect(r.status).toBe(200);
    expect(r.body.resident.id).toBe(s.resident.id);
    expect(r.body.refreshToken).not.toBe(s.refreshToken);
    expect((await call("POST", "/v1/residents/refresh", { body: { refreshToken: s.refreshToken } })).status).toBe(401);
  });

  it("opens an anonymous session where the county allows anonymous reports", async () => {
    const r = await call("POST", "/v1/residents/anonymous", { body: { gridCode: GRID } });
    expect(r.status).toBe(200);
    expect(r.body.resident).toMatchObject({ anonymous: true, phoneMasked: null, grid: { code: GRID } });
    const report = await residentReport(r.body.accessToken, { description: "匿名上报" });
    expect(report.status).toBe(201);
    expect(report.body.case.reporter).toEqual({ kind: "resident", id: r.body.resident.id });
  });
});

describe("resident reports", () => {
  it("reports with a photo on the resident channel and follows the case through to an evaluation", async () => {
    const s = await register();
    const up = await call("POST", "/v1/uploads", { token: s.accessToken, body: { contentType: "image/jpeg", size: 4, tag: "before" } });
    expect(up.status).toBe(201);
    expect((await fetch(up.body.uploadUrl, { method: "PUT", headers: up.body.headers, body: new Uint8Array([9, 8, 7, 6]) })).ok).toBe(true);
    const r = await residentReport(s.accessToken, { attachments: [{ key: up.body.key, kind: "photo" }] });
    expect(r.status).toBe(201);
    const c = r.body.case;
    expect(c).toMatchObject({ channel: "resident", reporter: { kind: "resident", id: s.resident.id } });

    // residents see only their own cases in any list (canSee); `mine=true` is the same list for them
    const mine = await call("GET", "/v1/cases?limit=200", { token: s.accessToken });
    expect(mine.status).toBe(200);
    expect(mine.body.items.map((v: any) => v.case.id)).toContain(c.id);
    expect(mine.body.items.every((v: any) => v.case.reporter.id === s.resident.id)).toBe(true);

    await must("center", c.id, "accept", { note: "内部：交城管" });
    await must("dept1", c.id, "claim");
    await must("dept1", c.id, "start");
    await must("dept1", c.id, "handle", { note: "已清运，处置人员电话 0592-1234567" });
    await must("worker1", c.id, "verify", { pass: true, note: "现场核查通过" });

    const seen = await call("GET", `/v1/cases/${c.id}`, { token: s.accessToken });
    expect(seen.status).toBe(200);
    expect(seen.body.allowedActions).toContain("evaluate");
    const text = JSON.stringify(seen.body.timeline);
    for (const note of ["内部：交城管", "0592-1234567", "现场核查通过"]) expect(text).not.toContain(note);
    expect(seen.body.timeline.every((e: any) => e.note === undefined && e.data === undefined)).toBe(true);
    expect(seen.body.timeline.find((e: any) => e.type === "reported").attachments).toEqual([{ key: up.body.key, kind: "photo" }]);
    const staff = await call("GET", `/v1/cases/${c.id}`, { token: await tokenFor("center") });
    expect(JSON.stringify(staff.body.timeline)).toContain("内部：交城管");

    const evaluated = await call("POST", `/v1/cases/${c.id}/evaluate`, { token: s.accessToken, body: { level: "very_satisfied" } });
    expect(evaluated.status).toBe(200);
    expect(evaluated.body.case).toMatchObject({ state: "closed", evaluation: { level: "very_satisfied", by: { kind: "resident", id: s.resident.id } } });
  });

  it("never shows a resident another resident's case (404) nor lists it", async () => {
    const a = await register();
    const b = await register();
    const c = (await residentReport(a.accessToken, { description: "只有我能看" })).body.case;
    expect((await call("GET", `/v1/cases/${c.id}`, { token: b.accessToken })).status).toBe(404);
    expect((await call("POST", `/v1/cases/${c.id}/comment`, { token: b.accessToken, body: { note: "看看" } })).status).toBe(404);
    const listed = await call("GET", "/v1/cases?limit=200", { token: b.accessToken });
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((v: any) => v.case.id)).not.toContain(c.id);
    expect(listed.body.items.every((v: any) => v.case.reporter.id === b.resident.id)).toBe(true);
  });

  it("keeps resident tokens away from staff routes", async () => {
    const s = await register();
    expect((await call("GET", "/v1/units", { token: s.accessToken })).status).toBe(403);
    expect((await call("GET", `/v1/units/x/qr.svg`, { token: s.accessToken })).status).toBe(403);
    expect((await call("GET", "/v1/residents/me", { token: await adminToken() })).status).toBe(403);
  });
});
