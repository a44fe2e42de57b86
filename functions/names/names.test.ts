import { describe, it, expect, beforeAll } from "vitest";
import { call, useStackEnv } from "../../test/client.ts";
import { adminToken, tokenFor } from "../../test/fixtures.ts";
import { names } from "../../core/names/service.ts";
import { requestCounts, resetRequestCounts } from "../../core/db/metrics.ts";

const tag = Date.now().toString(36).toUpperCase().slice(-5);

let admin: string;
let worker: string;
let resident: string | undefined;
/** worker1's grid and the units above it, county first */
let chain: Array<{ id: string; name: string; code: string; level: string }>;
let staff: { id: string; displayName: string };
let department: { id: string; name: string };

beforeAll(async () => {
  useStackEnv();
  admin = await adminToken();
  worker = await tokenFor("worker1");
  const me = await call("GET", "/v1/me", { token: worker });
  const grid = (await call("GET", `/v1/units/${me.body.assignments[0].unitId}`, { token: admin })).body;
  const ids: string[] = grid.path.split("/").filter(Boolean);
  chain = await Promise.all(ids.map(async (id) => (await call("GET", `/v1/units/${id}`, { token: admin })).body));
  department = (await call("POST", "/v1/departments", { token: admin, body: { name: `名称测试局${tag}`, code: `NM-${tag}`, contact: { name: "李科长", phone: "0592-5550000" }, unitIds: [] } })).body;
  expect(department.id).toBeTruthy();
  const created = await call("POST", "/v1/users", {
    token: admin,
    body: {
      username: `names.${tag.toLowerCase()}`,
      displayName: `王晓明${tag}`,
      phone: "13912345678",
      password: "a-long-password-1",
      assignments: [{ role: "department_staff", unitId: ids[0], departmentId: department.id }],
    },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  staff = created.body;
});

describe("POST /v1/names", () => {
  it("gives a grid worker the names of a person, a department and a unit path it may not open", async () => {
    expect((await call("GET", `/v1/users/${staff.id}`, { token: worker })).status).toBe(403);
    const grid = chain[chain.length - 1];
    const r = await call("POST", "/v1/names", { token: worker, body: { users: [staff.id], departments: [department.id], units: [grid.id, chain[0].id] } });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toEqual({
      users: { [staff.id]: { id: staff.id, displayName: `王晓明${tag}` } },
      departments: { [department.id]: { id: department.id, name: `名称测试局${tag}` } },
      units: {
        [grid.id]: { id: grid.id, name: grid.name, code: grid.code, level: grid.level, path: chain.map((u) => u.name) },
        [chain[0].id]: { id: chain[0].id, name: chain[0].name, code: chain[0].code, level: chain[0].level, path: [chain[0].name] },
      },
    });
  });

  it("leaks nothing but the label: no username, phone, roles, boundary or counts", async () => {
    const grid = chain[chain.length - 1];
    const r = await call("POST", "/v1/names", { token: worker, body: { users: [staff.id], units: [grid.id] } });
    const text = JSON.stringify(r.body);
    expect(text).not.toContain("13912345678");
    expect(text).not.toContain(`names.${tag.toLowerCase()}`);
    expect(text).not.toContain("department_staff");
    expect(text).not.toContain("assignments");
    expect(text).not.toContain("passwordHash");
    expect(Object.keys(r.body.users[staff.id]).sort()).toEqual(["displayName", "id"]);
    expect(Object.keys(r.body.units[grid.id]).sort()).toEqual(["code", "id", "level", "name", "path"]);
  });

  it("leaves out ids that do not exist, and refuses empty, oversized and unknown requests with 400", async () => {
    const r = await call("POST", "/v1/names", { token: worker, body: { users: ["no-such-user"], units: ["no-such-unit"], departments: ["no-such-dept"] } });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ users: {}, units: {}, departments: {} });
    const empty = await call("POST", "/v1/names", { token: worker, body: {} });
    expect(empty.status).toBe(400);
    expect(empty.body.error.code).toBe("invalid");
    const many = await call("POST", "/v1/names", { token: worker, body: { users: Array.from({ length: 101 }, (_, i) => `u${i}`) } });
    expect(many.status).toBe(400);
    expect(many.body.error.details.fields[0].path).toBe("users");
    const extra = await call("POST", "/v1/names", { token: worker, body: { users: [staff.id], phones: ["x"] } });
    expect(extra.status).toBe(400);
  });

  it("says where a request body is not valid JSON (line and column)", async () => {
    const r = await call("POST", "/v1/names", { token: worker, raw: '{\n  "users": ["a",]\n}', headers: { "content-type": "application/json" } });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: "invalid", details: { problem: "invalid_json", syntax: "ValueExpected", line: 2, column: 17 } });
    expect(r.body.error.message).toBe("Request body is not valid JSON: a value expected at line 2, column 17");
  });

  it("needs a signed-in caller", async () => {
    const r = await call("POST", "/v1/names", { body: { users: [staff.id] } });
    expect(r.status).toBe(401);
  });

  it("reads in batches: one BatchGet per kind plus one for the ancestors, whatever the number of ids", async () => {
    const grid = chain[chain.length - 1];
    const children = (await call("GET", `/v1/units?parentId=${chain[chain.length - 2].id}&limit=100`, { token: admin })).body.items.map((u: { id: string }) => u.id);
    expect(children.length).toBeGreaterThan(1);
    resetRequestCounts();
    const out = await names({ units: [grid.id, ...children], users: [staff.id], departments: [department.id] });
    expect(Object.keys(out.units).length).toBe(new Set([grid.id, ...children]).size);
    expect(requestCounts.get("dynamodb:BatchGetItemCommand")).toBe(4);
    expect([...requestCounts.keys()].filter((k) => k.startsWith("dynamodb:"))).toEqual(["dynamodb:BatchGetItemCommand"]);
  });
});
