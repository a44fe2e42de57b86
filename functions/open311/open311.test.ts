import { describe, it, expect, beforeAll } from "vitest";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { apiUrl, call, useStackEnv } from "../../test/client.ts";
import { adminToken, tokenFor } from "../../test/fixtures.ts";
import { pointIn, report } from "../../test/cases.ts";
import { db, tableName } from "../../core/db/client.ts";
import * as keys from "../../core/db/keys.ts";
import { timeline } from "../../core/case/repo.ts";
import { recordPartnerUpdate } from "../../core/open311/repo.ts";

const GRID = "350206001001001"; // worker1's grid in the demo county

async function apiKey(permissions: string[], extra: Record<string, unknown> = {}): Promise<string> {
  const r = await call("POST", "/v1/api-keys", { token: await adminToken(), body: { name: `open311-${Math.random().toString(36).slice(2, 8)}`, permissions, ...extra } });
  if (r.status !== 201) throw new Error(`api key: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.key;
}

/** POST a form, as Open311 clients do. */
async function post(path: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
  const r = await fetch(apiUrl() + path, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8", ...headers }, body: new URLSearchParams(fields).toString() });
  const text = await r.text();
  return { status: r.status, headers: r.headers, text, body: r.headers.get("content-type")?.includes("json") ? JSON.parse(text) : text };
}

async function get(path: string) {
  const r = await fetch(apiUrl() + path);
  const text = await r.text();
  return { status: r.status, headers: r.headers, text, body: r.headers.get("content-type")?.includes("json") ? JSON.parse(text) : text };
}

let key: string;
let at: { lng: number; lat: number };

beforeAll(async () => {
  useStackEnv();
  key = await apiKey(["cases:report", "cases:read"]);
  at = await pointIn("worker1");
});

describe("Open311 discovery and services", () => {
  it("lists the GeoReport v2 endpoint in JSON and XML", async () => {
    const j = await get("/open311/v2/discovery.json");
    expect(j.status).toBe(200);
    expect(j.body.endpoints[0]).toMatchObject({ specification: "http://wiki.open311.org/GeoReport_v2", type: "test", formats: ["text/xml", "application/json"] });
    expect(j.body.endpoints[0].url).toMatch(/\/open311\/v2$/);
    const x = await get("/open311/v2/discovery.xml");
    expect(x.headers.get("content-type")).toBe("text/xml; charset=utf-8");
    expect(x.text).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?>\n<discovery>/);
    expect(x.text).toContain("<format>application/json</format>");
  });

  it("maps second-level categories to services grouped by their first level, without an api_key", async () => {
    const r = await get("/open311/v2/services.json");
    expect(r.status).toBe(200);
    const garbage = r.body.find((s: any) => s.service_code === "0101");
    expect(garbage).toEqual({ service_code: "0101", service_name: "垃圾堆放", description: "环境卫生 / 垃圾堆放", metadata: true, type: "realtime", keywords: "环境卫生, 垃圾堆放, 0101", group: "环境卫生" });
    expect(r.body.find((s: any) => s.service_code === "01")).toBeUndefined(); // a group, not a service
    expect(r.body.find((s: any) => s.service_code === "06")).toMatchObject({ group: "民生服务" }); // a top level without children
    const x = await get("/open311/v2/services.xml");
    expect(x.text).toContain("<services>\n  <service>\n    <service_code>");
  });

  it("returns a service definition with its attributes, and 404 in the spec's error format for unknown codes", async () => {
    const r = await get("/open311/v2/services/0101.json");
    expect(r.body.service_code).toBe("0101");
    expect(r.body.attributes.map((a: any) => a.code)).toEqual(["grid_code", "urgent"]);
    const x = await get("/open311/v2/services/0101.xml");
    expect(x.text).toContain("<service_definition>");
    expect(x.text).toContain("<values>\n");
    const missing = await get("/open311/v2/services/9999.json");
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual([{ code: 404, description: "service_code 9999 not found" }]);
    const wrongJurisdiction = await get("/open311/v2/services.json?jurisdiction_id=110101");
    expect(wrongJurisdiction.status).toBe(404);
  });
});

describe("Open311 service requests", () => {
  it("refuses a request without an api_key or with a bad one (403, in the requested format)", async () => {
    const none = await post("/open311/v2/requests.json", { service_code: "0101", lat: String(at.lat), long: String(at.lng) });
    expect(none.status).toBe(403);
    expect(none.body[0].code).toBe(403);
    const bad = await post("/open311/v2/requests.xml", { api_key: "wg_nope", service_code: "0101", lat: String(at.lat), long: String(at.lng) });
    expect(bad.status).toBe(403);
    expect(bad.text).toContain("<errors>\n  <error>\n    <code>403</code>");
  });

  it("creates a case on the partner channel, reads it back through Open311, and it appears in /v1/cases", async () => {
    const created = await post("/open311/v2/requests.json", {
      api_key: key,
      jurisdiction_id: "350206",
      service_code: "0101",
      lat: String(at.lat),
      long: String(at.lng),
      address_string: "金山路 12 号",
      description: "路边垃圾三天没人清运",
      media_url: "https://partner.example.cn/media/1.jpg",
      account_id: "acct-42",
    });
    expect(created.status).toBe(201);
    expect(created.body).toHaveLength(1);
    const [req] = created.body;
    expect(Object.keys(req).sort()).toEqual(["account_id", "service_notice", "service_request_id"]);
    expect(req.account_id).toBe("acct-42");
    expect(req.service_notice).toMatch(/案件编号 \d{4}-\d{6}/);

    const one = await get(`/open311/v2/requests/${req.service_request_id}.json?api_key=${key}`);
    expect(one.status).toBe(200);
    expect(one.body[0]).toMatchObject({
      service_request_id: req.service_request_id,
      status: "open",
      service_code: "0101",
      service_name: "垃圾堆放",
      description: "路边垃圾三天没人清运",
      address: "金山路 12 号",
      lat: at.lat,
      long: at.lng,
      media_url: "https://partner.example.cn/media/1.jpg",
    });
    expect(one.body[0].status_notes).toMatch(/\((reported|accepted|claimable)\)/);
    expect(one.body[0].requested_datetime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/);
    expect(one.body[0].expected_datetime).toMatch(/\+08:00$/);

    const staff = await call("GET", `/v1/cases/${req.service_request_id}`, { token: await tokenFor("center") });
    expect(staff.status).toBe(200);
    expect(staff.body.case).toMatchObject({ channel: "partner", categoryId: "cat-env-garbage", reporter: { kind: "api_key" }, origin: { ref: "acct-42" } });

    const list = await get(`/open311/v2/requests.json?api_key=${key}&service_request_id=${req.service_request_id},nope`);
    expect(list.body.map((x: any) => x.service_request_id)).toEqual([req.service_request_id]);
    const windowed = await get(`/open311/v2/requests.json?api_key=${key}&service_code=0101&status=open`);
    expect(windowed.body.some((x: any) => x.service_request_id === req.service_request_id)).toBe(true);
    const closedOnly = await get(`/open311/v2/requests.json?api_key=${key}&status=closed`);
    expect(closedOnly.body.some((x: any) => x.service_request_id === req.service_request_id)).toBe(false);

    const xml = await get(`/open311/v2/requests/${req.service_request_id}.xml?api_key=${key}`);
    expect(xml.text).toContain(`<service_requests>\n  <request>\n    <service_request_id>${req.service_request_id}</service_request_id>`);
  });

  it("treats empty optional parameters as absent, in queries and in forms", async () => {
    const created = await post("/open311/v2/requests.json", {
      api_key: key,
      jurisdiction_id: "",
      service_code: "0101",
      lat: String(at.lat),
      long: String(at.lng),
      address_string: "",
      email: "",
      phone: "",
      media_url: "",
      account_id: "",
      description: "空参数的请求",
    });
    expect(created.status).toBe(201);
    const id = created.body[0].service_request_id;
    const plain = await get(`/open311/v2/requests.json?api_key=${key}&page_size=5`);
    const empties = await get(`/open311/v2/requests.json?api_key=${key}&page_size=5&start_date=&end_date=&status=&service_code=&service_request_id=&jurisdiction_id=&page=`);
    expect(empties.status).toBe(200);
    expect(empties.body.map((x: any) => x.service_request_id)).toEqual(plain.body.map((x: any) => x.service_request_id));
    expect(empties.body.map((x: any) => x.service_request_id)).toContain(id);
    const one = await get(`/open311/v2/requests/${id}.json?api_key=${key}&jurisdiction_id=`);
    expect(one.status).toBe(200);
    const services = await get("/open311/v2/services.json?jurisdiction_id=");
    expect(services.status).toBe(200);
    const missing = await post("/open311/v2/requests.json", { api_key: key, service_code: "", lat: String(at.lat), long: String(at.lng) });
    expect(missing.status).toBe(400);
    expect(JSON.stringify(missing.body)).toMatch(/service_code/);
  });

  it("shows cases reported through /v1/cases in Open311, one page at a time", async () => {
    const c = (await report("worker1", { description: "楼道堆放杂物" })).case;
    const r = await get(`/open311/v2/requests/${c.id}.json?api_key=${key}`);
    expect(r.status).toBe(200);
    expect(r.body[0]).toMatchObject({ service_request_id: c.id, status: "open", description: "楼道堆放杂物" });
    const page = await get(`/open311/v2/requests.json?api_key=${key}&page_size=1&page=1`);
    expect(page.body).toHaveLength(1);
  });

  it("keeps partner keys to their unit subtree", async () => {
    const me = await call("GET", "/v1/me", { token: await tokenFor("worker2") });
    const otherKey = await apiKey(["cases:read"], { unitId: me.body.assignments[0].unitId });
    const c = (await report("worker1", { description: "范围外的案件" })).case;
    const r = await get(`/open311/v2/requests/${c.id}.json?api_key=${otherKey}`);
    expect(r.status).toBe(404);
  });

  it("places an address-only request at the named grid and stores contact details masked, never in clear", async () => {
    const created = await post("/open311/v2/requests.json", {
      api_key: key,
      service_code: "0202",
      address_string: "金山社区 3 号楼旁路灯",
      "attribute[grid_code]": GRID,
      "attribute[urgent]": "true",
      first_name: "三",
      last_name: "张",
      phone: "13812345678",
      email: "zhangsan@example.cn",
    });
    expect(created.status).toBe(201);
    const id = created.body[0].service_request_id;
    const c = await call("GET", `/v1/cases/${id}`, { token: await tokenFor("center") });
    expect(c.body.case).toMatchObject({ urgent: true, location: { address: "金山社区 3 号楼旁路灯" } });
    const grid = await call("GET", `/v1/units/${c.body.case.unitId}`, { token: await adminToken() });
    expect(grid.body.code).toBe(GRID);
    const raw = await db().send(new GetCommand({ TableName: tableName(), Key: keys.open311Extras(id) }));
    const stored = JSON.stringify(raw.Item);
    expect(raw.Item?.contact).toMatchObject({ name: "张*", phoneMasked: "138****5678", emailMasked: "z***@example.cn" });
    expect(stored).not.toContain("13812345678");
    expect(stored).not.toContain("zhangsan");
    expect(stored).not.toContain("张三");
  });

  it("answers 400 with field details when the location or service code is missing", async () => {
    const noLoc = await post("/open311/v2/requests.json", { api_key: key, service_code: "0101" });
    expect(noLoc.status).toBe(400);
    expect(noLoc.body[0].description).toMatch(/location is required/);
    const noCode = await post("/open311/v2/requests.json", { api_key: key, lat: "24.5", long: "118.1" });
    expect(noCode.status).toBe(400);
    expect(noCode.body[0].description).toMatch(/service_code/);
  });

  it("resolves an Idempotency-Key used as a token to the request's id, and retries return the same id", async () => {
    const token = `tok-${Date.now()}`;
    const fields = { api_key: key, service_code: "0101", lat: String(at.lat), long: String(at.lng), description: "重复提交测试" };
    const first = await post("/open311/v2/requests.json", fields, { "idempotency-key": token });
    const again = await post("/open311/v2/requests.json", fields, { "idempotency-key": token });
    expect(again.body[0].service_request_id).toBe(first.body[0].service_request_id);
    const t = await get(`/open311/v2/tokens/${token}.json?api_key=${key}`);
    expect(t.body).toEqual([{ service_request_id: first.body[0].service_request_id, token }]);
    expect((await get(`/open311/v2/tokens/unknown-token.json?api_key=${key}`)).status).toBe(404);
  });

  it("answers 429 with Retry-After once the key's rate limit is used up", async () => {
    const slow = await apiKey(["cases:read"], { rateLimitPerMinute: 2 });
    const statuses: number[] = [];
    let last;
    for (let i = 0; i < 3; i++) {
      last = await get(`/open311/v2/requests.json?api_key=${slow}&status=closed`);
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 429]);
    expect(Number(last!.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(last!.body[0]).toMatchObject({ code: 429 });
  });
});

describe("Open311 service request updates", () => {
  it("lists public timeline events recorded by the events consumer hook, without notes", async () => {
    const c = (await report("worker1", { description: "更新流测试" })).case;
    const accepted = await call("POST", `/v1/cases/${c.id}/accept`, { token: await tokenFor("center"), body: { note: "内部备注：请城管处理" } });
    expect(accepted.status).toBe(200);
    for (const e of await timeline(c.id)) await recordPartnerUpdate(e); // what functions/events/consume.ts does for each event
    const r = await get(`/open311/v2/servicerequestupdates.json?api_key=${key}`);
    expect(r.status).toBe(200);
    const mine = r.body.filter((u: any) => u.service_request_id === c.id);
    expect(mine.map((u: any) => u.description)).toEqual(expect.arrayContaining(["事件已上报", "指挥中心已受理"]));
    expect(mine[0]).toMatchObject({ external_status_code: "reported", status: "open" });
    expect(mine.every((u: any) => u.status === "open" && /\+08:00$/.test(u.updated_datetime))).toBe(true);
    expect(JSON.stringify(mine)).not.toContain("内部备注");
    const x = await get(`/open311/v2/servicerequestupdates.xml?api_key=${key}`);
    expect(x.text).toContain("<service_request_updates>\n  <request_update>");
    const tooLong = await get(`/open311/v2/servicerequestupdates.json?api_key=${key}&start_date=2026-01-01T00:00:00Z&end_date=2026-02-01T00:00:00Z`);
    expect(tooLong.status).toBe(400);
  });
});
