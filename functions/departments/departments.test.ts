import { describe, it, expect, beforeAll } from "vitest";
import { call, login, useStackEnv } from "../../test/client.ts";
import { adminToken, tokenFor, DEMO_PASSWORD } from "../../test/fixtures.ts";

/** Codes unique to this run (the stack's table is shared by every test file). */
const tag = Date.now().toString(36).toUpperCase().slice(-5);
const code = (s: string) => `${s}-${tag}`;

let admin: string;
let worker: string;
let rootId: string;
let streetIds: string[];

/** The audit entries of one record, read page by page (other tests write audit rows too). */
async function auditOf(entity: string, entityId: string, month: string): Promise<any[]> {
  const found: any[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 20; i++) {
    const r: any = await call("GET", `/v1/audit?month=${month}&entity=${entity}&entityId=${entityId}&limit=200${cursor ? `&cursor=${cursor}` : ""}`, { token: admin });
    expect(r.status).toBe(200);
    found.push(...r.body.items);
    cursor = r.body.nextCursor;
    if (!cursor) break;
  }
  return found;
}

beforeAll(async () => {
  admin = await adminToken();
  worker = await tokenFor("worker1");
  const me = await call("GET", "/v1/me", { token: admin });
  rootId = me.body.assignments[0].unitId;
  streetIds = (await call("GET", `/v1/units?parentId=${rootId}`, { token: admin })).body.items.map((u: any) => u.id);
});

const body = (over: Record<string, unknown> = {}) => ({ name: "城市管理局", code: code("CG"), contact: { name: "王科长", phone: "0592-5551234" }, unitIds: [], ...over });

describe("departments", () => {
  it("creates a department serving existing units and reads it back", async () => {
    const r = await call("POST", "/v1/departments", { token: admin, body: body({ code: code("cg1").toLowerCase(), unitIds: [streetIds[0], streetIds[0], streetIds[1]] }) });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ name: "城市管理局", code: code("CG1"), contact: { name: "王科长", phone: "0592-5551234" }, unitIds: [streetIds[0], streetIds[1]], active: true, version: 1 });
    const got = await call("GET", `/v1/departments/${r.body.id}`, { token: worker });
    expect(got.status).toBe(200);
    expect(got.body).toEqual(r.body);
  });

  it("lists departments by code, filtered by name, code prefix, served unit and activity", async () => {
    const a = (await call("POST", "/v1/departments", { token: admin, body: body({ name: `住建局${tag}`, code: code("ZJ"), unitIds: [streetIds[1]] }) })).body;
    const b = (await call("POST", "/v1/departments", { token: admin, body: body({ name: `水务局${tag}`, code: code("SW") }) })).body;
    const byName = await call("GET", `/v1/departments?q=${encodeURIComponent(`水务局${tag}`)}`, { token: admin });
    expect(byName.status).toBe(200);
    expect(byName.body.items.map((d: any) => d.id)).toEqual([b.id]);
    const byCode = await call("GET", `/v1/departments?q=${code("zj").toLowerCase()}`, { token: admin });
    expect(byCode.body.items.map((d: any) => d.id)).toEqual([a.id]);
    const byUnit = await call("GET", `/v1/departments?unitId=${streetIds[1]}&limit=200`, { token: admin });
    expect(byUnit.body.items.map((d: any) => d.id)).toContain(a.id);
    expect(byUnit.body.items.map((d: any) => d.id)).not.toContain(b.id);
    const all = await call("GET", "/v1/departments?limit=200", { token: admin });
    const codes = all.body.items.map((d: any) => d.code);
    expect(codes).toEqual([...codes].sort());
    await call("PATCH", `/v1/departments/${b.id}`, { token: admin, body: { version: 1, active: false } });
    const inactive = await call("GET", `/v1/departments?active=false&q=${code("SW")}`, { token: admin });
    expect(inactive.body.items.map((d: any) => d.id)).toEqual([b.id]);
    expect((await call("GET", `/v1/departments?active=true&q=${code("SW")}`, { token: admin })).body.items).toEqual([]);
  });

  it("pages through the list with an opaque cursor and refuses a forged one", async () => {
    for (const n of [1, 2, 3]) await call("POST", "/v1/departments", { token: admin, body: body({ code: `${code("PG")}-${n}` }) });
    const first = await call("GET", `/v1/departments?q=${code("PG")}&limit=2`, { token: admin });
    expect(first.body.items).toHaveLength(2);
    const second = await call("GET", `/v1/departments?q=${code("PG")}&limit=2&cursor=${first.body.nextCursor}`, { token: admin });
    expect(second.body.items.map((d: any) => d.code)).toEqual([`${code("PG")}-3`]);
    const forged = await call("GET", `/v1/departments?cursor=${Buffer.from('{"x":"y"}').toString("base64url")}`, { token: admin });
    expect(forged.status).toBe(400);
  });

  it("refuses invalid input with 400 and one entry per field", async () => {
    const r = await call("POST", "/v1/departments", { token: admin, body: { name: "", code: "坏 code", contact: { phone: "abc" } } });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe("invalid");
    const paths = r.body.error.details.fields.map((f: any) => f.path);
    expect(paths).toEqual(expect.arrayContaining(["name", "code", "contact.name", "contact.phone"]));
  });

  it("refuses units that do not exist", async () => {
    const r = await call("POST", "/v1/departments", { token: admin, body: body({ code: code("NOU"), unitIds: [streetIds[0], "no-such-unit"] }) });
    expect(r.status).toBe(400);
    expect(r.body.error.details.fields).toEqual([{ path: "unitIds.1", message: "unknown unit" }]);
  });

  it("refuses a duplicate code with 409, whatever its letter case", async () => {
    expect((await call("POST", "/v1/departments", { token: admin, body: body({ code: code("DUP") }) })).status).toBe(201);
    const r = await call("POST", "/v1/departments", { token: admin, body: body({ code: code("dup").toLowerCase() }) });
    expect(r.status).toBe(409);
    expect(r.body.error.details.fields[0].path).toBe("code");
  });

  it("updates with the version read; a stale version gets 409 with the current record", async () => {
    const d = (await call("POST", "/v1/departments", { token: admin, body: body({ code: code("UPD") }) })).body;
    const ok = await call("PATCH", `/v1/departments/${d.id}`, { token: admin, body: { version: 1, name: "城管执法局", unitIds: [streetIds[0]] } });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ name: "城管执法局", unitIds: [streetIds[0]], version: 2 });
    const stale = await call("PATCH", `/v1/departments/${d.id}`, { token: admin, body: { version: 1, name: "又改" } });
    expect(stale.status).toBe(409);
    expect(stale.body.error.details.current).toMatchObject({ name: "城管执法局", version: 2 });
    const unknown = await call("PATCH", `/v1/departments/${d.id}`, { token: admin, body: { version: 2, colour: "red" } });
    expect(unknown.status).toBe(400);
  });

  it("lets exactly one of concurrent edits with the same version win", async () => {
    const d = (await call("POST", "/v1/departments", { token: admin, body: body({ code: code("RACE") }) })).body;
    const results = await Promise.all(["甲", "乙", "丙"].map((name) => call("PATCH", `/v1/departments/${d.id}`, { token: admin, body: { version: 1, name } })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409]);
  });

  it("moves the unique code on a code change: the old code is free again, a taken one is refused", async () => {
    const d = (await call("POST", "/v1/departments", { token: admin, body: body({ code: code("OLD") }) })).body;
    const taken = (await call("POST", "/v1/departments", { token: admin, body: body({ code: code("TAKEN") }) })).body;
    const refused = await call("PATCH", `/v1/departments/${d.id}`, { token: admin, body: { version: 1, code: taken.code } });
    expect(refused.status).toBe(409);
    expect(refused.body.error.details.fields[0].path).toBe("code");
    const moved = await call("PATCH", `/v1/departments/${d.id}`, { token: admin, body: { version: 1, code: code("NEW") } });
    expect(moved.status).toBe(200);
    expect(moved.body.code).toBe(code("NEW"));
    expect((await call("POST", "/v1/departments", { token: admin, body: body({ code: code("OLD") }) })).status).toBe(201);
    expect((await call("POST", "/v1/departments", { token: admin, body: body({ code: code("NEW") }) })).status).toBe(409);
  });

  it("answers 404 for an unknown department", async () => {
    const r = await call("GET", "/v1/departments/nope", { token: admin });
    expect(r.status).toBe(404);
    expect((await call("PATCH", "/v1/departments/nope", { token: admin, body: { version: 1, name: "x" } })).status).toBe(404);
  });

  it("forbids writes to a grid worker (403) but lets them read", async () => {
    expect((await call("POST", "/v1/departments", { token: worker, body: body({ code: code("W") }) })).status).toBe(403);
    expect((await call("GET", "/v1/departments", { token: worker })).status).toBe(200);
    expect((await call("GET", "/v1/departments")).status).toBe(401);
  });

  it("forbids writes to a county admin scoped below the county (403)", async () => {
    useStackEnv();
    const { createUser } = await import("../../core/user/repo.ts");
    const { hashPassword } = await import("../../core/auth/password.ts");
    const { getUnit } = await import("../../core/unit/repo.ts");
    const street = (await getUnit(streetIds[0]))!;
    const username = `street-admin-${tag.toLowerCase()}`;
    await createUser({ username, displayName: "街道管理员", passwordHash: await hashPassword(DEMO_PASSWORD), assignments: [{ role: "county_admin", unitId: street.id, unitPath: street.path }] }, new Date());
    const token = await login(username, DEMO_PASSWORD);
    const r = await call("POST", "/v1/departments", { token, body: body({ code: code("SCOPED") }) });
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe("forbidden");
  });

  it("records every change in the audit trail with the changed fields", async () => {
    const d = (await call("POST", "/v1/departments", { token: admin, body: body({ code: code("AUD") }) })).body;
    await call("PATCH", `/v1/departments/${d.id}`, { token: admin, body: { version: 1, contact: { name: "李主任" } } });
    const entries = await auditOf("department", d.id, d.createdAt.slice(0, 7));
    expect(entries.map((e) => e.action).sort()).toEqual(["department.create", "department.update"]);
    const update = entries.find((e) => e.action === "department.update");
    expect(update.changes).toEqual({ contact: { from: { name: "王科长", phone: "0592-5551234" }, to: { name: "李主任" } } });
    expect(update.actor).toMatchObject({ kind: "user", name: "admin" });
  });
});
