import { describe, it, expect, beforeAll } from "vitest";
import { randomUUID } from "node:crypto";
import { call } from "../../test/client.ts";
import { adminToken } from "../../test/fixtures.ts";

let admin: string;
let adminId: string;

beforeAll(async () => {
  admin = await adminToken();
  adminId = (await call("GET", "/v1/me", { token: admin })).body.id;
});

const tag = randomUUID().slice(0, 6).toUpperCase();

/** Every page of an audit query (asserting no page is empty while a cursor says more exist). */
async function pages(query: string): Promise<any[][]> {
  const out: any[][] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 50; i++) {
    const r: any = await call("GET", `/v1/audit?${query}${cursor ? `&cursor=${cursor}` : ""}`, { token: admin });
    expect(r.status, `${query}: ${JSON.stringify(r.body)}`).toBe(200);
    out.push(r.body.items);
    cursor = r.body.nextCursor;
    if (!cursor) break;
    expect(r.body.items.length).toBeGreaterThan(0);
  }
  return out;
}

describe("audit trail filtered in the query", () => {
  it("filters by object, action, actor and time, newest first, pages never empty while more exist", async () => {
    const from = (await call("GET", "/_local/clock")).body.now;
    const created = await call("POST", "/v1/departments", { token: admin, body: { name: `审计测试局${tag}`, code: `AU${tag}`, unitIds: [], contact: { name: "审计", phone: "0592-5551234" } } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const d = created.body;
    const u1 = await call("PATCH", `/v1/departments/${d.id}`, { token: admin, body: { name: `审计测试局${tag}一`, version: 1 } });
    expect(u1.status).toBe(200);
    // many other entries in between: a filter applied after a Limit would return empty pages here
    for (let i = 0; i < 12; i++) await call("POST", "/v1/departments", { token: admin, body: { name: `填充局${tag}${i}`, code: `AF${tag}${i}`, unitIds: [], contact: { name: "审计", phone: "0592-5551234" } } });
    const u2 = await call("PATCH", `/v1/departments/${d.id}`, { token: admin, body: { name: `审计测试局${tag}二`, version: 2 } });
    expect(u2.status).toBe(200);

    // object + action, one per page: the two updates, newest first, then the end
    const updates = await pages(`entity=department&entityId=${d.id}&action=department.update&limit=1`);
    expect(updates.map((p) => p.length)).toEqual([1, 1]);
    expect(updates.flat().map((e) => e.changes.name.to)).toEqual([`审计测试局${tag}二`, `审计测试局${tag}一`]);
    // the object's whole history
    const history = (await pages(`entity=department&entityId=${d.id}&limit=200`)).flat();
    expect(history.map((e) => e.action)).toEqual(["department.update", "department.update", "department.create"]);
    expect(history.every((e) => e.actor.id === adminId)).toBe(true);

    // actor + action + time range (actor index, action filter): our updates among the admin's, in order
    const mine = (await pages(`actor=${adminId}&action=department.update&from=${encodeURIComponent(from)}&limit=1`)).flat();
    const ids = mine.filter((e) => e.entityId === d.id).map((e) => e.changes.name.to);
    expect(ids).toEqual([`审计测试局${tag}二`, `审计测试局${tag}一`]);
    expect(mine.every((e) => e.action === "department.update" && e.actor.id === adminId)).toBe(true);

    // action alone (action index): the 13 creates of this test are all there, none of another action
    const creates = (await pages(`action=department.create&from=${encodeURIComponent(from)}&limit=5`)).flat();
    expect(creates.every((e) => e.action === "department.create")).toBe(true);
    expect(creates.filter((e) => String(e.summary).includes(tag) || [d.id].includes(e.entityId)).length).toBeGreaterThanOrEqual(1);
    expect(new Set(creates.map((e) => e.id)).size).toBe(creates.length);

    // a time range that ends before the test began holds none of its entries
    const before = (await pages(`entity=department&entityId=${d.id}&to=${encodeURIComponent(new Date(Date.parse(from) - 1000).toISOString())}`)).flat();
    expect(before).toEqual([]);
  });

  it("refuses contradictory filters and foreign cursors with 400", async () => {
    expect((await call("GET", "/v1/audit?entityId=x", { token: admin })).status).toBe(400);
    expect((await call("GET", "/v1/audit?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", { token: admin })).status).toBe(400);
    expect((await call("GET", "/v1/audit?month=2026-01&from=2026-01-01T00:00:00Z", { token: admin })).status).toBe(400);
    const page = await call("GET", `/v1/audit?actor=${adminId}&action=department.create&limit=1`, { token: admin });
    expect(page.body.nextCursor).toEqual(expect.any(String));
    // the actor list's cursor used on the action list
    const foreign = await call("GET", `/v1/audit?action=department.create&limit=1&cursor=${page.body.nextCursor}`, { token: admin });
    expect(foreign.status).toBe(400);
    expect(foreign.body.error.details.fields[0].path).toBe("cursor");
  });
});
