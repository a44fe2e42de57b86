import { describe, it, expect, beforeAll } from "vitest";
import { apiUrl, call } from "../../test/client.ts";
import { adminToken, tokenFor } from "../../test/fixtures.ts";
import { report } from "../../test/cases.ts";
import { newIdNumber, newMobile, unitOf } from "../../functions/registry/testing.ts";
import { validate } from "./jsonschema.ts";

/**
 * Contract: live responses of the running API validate against the OpenAPI document it serves
 * (`GET /v1/openapi.json`), for the response status and content type the document declares.
 */
let doc: Record<string, any>;

function schemaOf(method: string, path: string, status: number, type = "application/json"): Record<string, any> {
  const op = doc.paths[path]?.[method.toLowerCase()];
  if (!op) throw new Error(`${method} ${path} is not in the document`);
  let res = op.responses[String(status)];
  if (!res) throw new Error(`${method} ${path} does not declare ${status}`);
  if (res.$ref) res = doc.components.responses[res.$ref.split("/").pop()];
  const schema = res.content?.[type]?.schema;
  if (!schema) throw new Error(`${method} ${path} ${status} has no ${type} schema`);
  return schema;
}

/** Call, then check status and body against the document; returns the body. */
async function conforms(method: string, url: string, docPath: string, opts: { token?: string; body?: unknown; status?: number } = {}) {
  const r = await call(method, url, { token: opts.token, body: opts.body });
  const status = opts.status ?? (method === "POST" ? 201 : 200);
  expect(r.status, `${method} ${url}: ${JSON.stringify(r.body)}`).toBe(status);
  expect(validate(schemaOf(method, docPath, status), r.body, doc), `${method} ${url}`).toEqual([]);
  return r.body;
}

beforeAll(async () => {
  const r = await call("GET", "/v1/openapi.json");
  expect(r.status).toBe(200);
  doc = r.body;
});

describe("contract: live responses match the served OpenAPI document", () => {
  it("serves OpenAPI 3.1 publicly, and the HTML reference at /docs", async () => {
    expect(doc.openapi).toBe("3.1.0");
    const page = await fetch(`${apiUrl()}/docs`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(await page.text()).toContain("<h1>Wangge grid governance API");
  });

  it("health, units, settings and categories", async () => {
    await conforms("GET", "/v1/health", "/v1/health");
    const admin = await adminToken();
    const me = await call("GET", "/v1/me", { token: admin });
    await conforms("GET", "/v1/me", "/v1/me", { token: admin });
    await conforms("GET", `/v1/units/${me.body.assignments[0].unitId}`, "/v1/units/{id}", { token: admin });
    await conforms("GET", "/v1/units?limit=5", "/v1/units", { token: admin });
    await conforms("GET", "/v1/settings", "/v1/settings", { token: admin });
    await conforms("GET", "/v1/categories/cat-env-garbage", "/v1/categories/{id}", { token: admin });
  });

  it("cases: report, read with timeline, list", async () => {
    const worker = await tokenFor("worker1");
    const me = await call("GET", "/v1/me", { token: worker });
    const unit = await call("GET", `/v1/units/${me.body.assignments[0].unitId}`, { token: worker });
    const [lng, lat] = unit.body.centroid;
    const view = await conforms("POST", "/v1/cases", "/v1/cases", { token: worker, body: { categoryId: "cat-env-garbage", description: "契约测试", location: { lng, lat } } });
    await conforms("GET", `/v1/cases/${view.case.id}`, "/v1/cases/{id}", { token: await tokenFor("center") });
    await conforms("GET", "/v1/cases?limit=5", "/v1/cases", { token: await tokenFor("center") });
  });

  it("resident channel: grid page, code, verification", async () => {
    const grid = await conforms("GET", "/v1/residents/grids/350206001001001", "/v1/residents/grids/{code}");
    const phone = `137${String(Date.now() % 1e8).padStart(8, "0")}`;
    const sent = await conforms("POST", "/v1/residents/code", "/v1/residents/code", { body: { phone } });
    await conforms("POST", "/v1/residents/verify", "/v1/residents/verify", { body: { phone, code: sent.devCode, gridCode: grid.grid.code }, status: 200 });
  });

  it("Open311 JSON responses", async () => {
    const key = await call("POST", "/v1/api-keys", { token: await adminToken(), body: { name: "contract", permissions: ["cases:read"] } });
    const c = (await report("worker1", { description: "契约测试 Open311" })).case;
    await conforms("GET", "/open311/v2/discovery.json", "/open311/v2/discovery.json");
    await conforms("GET", "/open311/v2/services.json", "/open311/v2/services.json");
    await conforms("GET", "/open311/v2/services/0101.json", "/open311/v2/services/{file}");
    await conforms("GET", `/open311/v2/requests/${c.id}.json?api_key=${key.body.key}`, "/open311/v2/requests/{file}");
    await conforms("GET", `/open311/v2/requests.json?api_key=${key.body.key}&page_size=20`, "/open311/v2/requests.json");
  });

  it("registry: a person as created, and a reveal as answered", async () => {
    const [worker, community] = [await tokenFor("worker1"), await tokenFor("community1")];
    const person = await conforms("POST", "/v1/registry/people", "/v1/registry/people", { token: worker, body: { unitId: await unitOf("worker1"), name: "契约测试", idNumber: newIdNumber(), phone: newMobile() } });
    const revealed = await conforms("POST", `/v1/registry/people/${person.id}/reveal`, "/v1/registry/people/{id}/reveal", {
      token: community,
      body: { purpose: "identity_check", reason: "契约测试核对" },
      status: 200,
    });
    expect(Object.keys(revealed.fields).sort()).toEqual(["birthDate", "idNumber", "phone"]);
  });

  it("tasks: requested, approved, read with its grids, completed in one grid; exports: requested and read", async () => {
    const [center, dept, worker] = [await tokenFor("center"), await tokenFor("dept1"), await tokenFor("worker1")];
    const [grid1, grid2] = [await unitOf("worker1"), await unitOf("worker2")];
    const type = await conforms("POST", "/v1/tasks/types", "/v1/tasks/types", { token: center, body: { code: `CT-${Date.now().toString(36)}`, name: "契约测试检查", category: "inspection", fields: [], defaultDays: 3 } });
    const task = await conforms("POST", "/v1/tasks", "/v1/tasks", { token: dept, body: { typeId: type.id, unitIds: [grid1, grid2], description: "契约测试" } });
    await conforms("POST", `/v1/tasks/${task.id}/approve`, "/v1/tasks/{id}/approve", { token: center, body: {}, status: 200 });
    const read = await conforms("GET", `/v1/tasks/${task.id}`, "/v1/tasks/{id}", { token: center });
    expect(read.units.map((u: { unitId: string }) => u.unitId).sort()).toEqual([grid1, grid2].sort());
    const done = await conforms("POST", `/v1/tasks/${task.id}/units/${grid1}/complete`, "/v1/tasks/{id}/units/{unitId}/complete", { token: worker, body: { data: {}, note: "契约" }, status: 200 });
    expect(done).toMatchObject({ task: { id: task.id, progress: { done: 1, total: 2 } }, unit: { unitId: grid1, status: "done" } });
    const exp = await conforms("POST", "/v1/exports", "/v1/exports", { token: dept, body: { dataset: "people", unitId: grid1, fields: ["name", "unitCode"], purpose: "契约测试" } });
    await conforms("GET", `/v1/exports/${exp.id}`, "/v1/exports/{id}", { token: dept });
    await conforms("GET", "/v1/exports?limit=5", "/v1/exports", { token: center });
  });

  it("operations: queue depths and background jobs, as the console's 运行状况 reads them", async () => {
    const admin = await adminToken();
    const queues = await conforms("GET", "/v1/ops/queues", "/v1/ops/queues", { token: admin });
    expect(queues.items.length).toBeGreaterThan(0);
    await conforms("GET", "/v1/jobs?limit=20", "/v1/jobs", { token: admin });
    await conforms("GET", "/v1/appraisals/runs?limit=20", "/v1/appraisals/runs", { token: admin });
  });

  it("error bodies of both models", async () => {
    const admin = await adminToken();
    await conforms("GET", "/v1/units/no-such-unit", "/v1/units/{id}", { token: admin, status: 404 });
    await conforms("POST", "/v1/units", "/v1/units", { token: admin, body: { name: "" }, status: 400 });
    await conforms("GET", "/open311/v2/services/nope.json", "/open311/v2/services/{file}", { status: 404 });
  });
});
