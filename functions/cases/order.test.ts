import { describe, it, expect, beforeAll } from "vitest";
import { call, useStackEnv } from "../../test/client.ts";
import { adminToken, tokenFor } from "../../test/fixtures.ts";
import { pointIn } from "../../test/cases.ts";

beforeAll(() => useStackEnv());

type Item = { case: { id: string; createdAt: string; state: string } };
const newestFirst = (a: Item, b: Item) => (a.case.createdAt === b.case.createdAt ? (a.case.id < b.case.id ? 1 : -1) : a.case.createdAt < b.case.createdAt ? 1 : -1);

describe("order of the case list a partner reads", () => {
  it("lists open cases newest first by default, page after page, without repeats", async () => {
    const me = await call("GET", "/v1/me", { token: await tokenFor("worker1") });
    const gridId = me.body.assignments[0].unitId;
    const k = await call("POST", "/v1/api-keys", { token: await adminToken(), body: { name: "order", permissions: ["cases:report", "cases:read"], unitId: gridId } });
    expect(k.status).toBe(201);
    const headers = { "x-api-key": k.body.key };
    const location = await pointIn("worker1");
    const mine: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await call("POST", "/v1/cases", { headers, body: { categoryId: "cat-env-garbage", description: `顺序 ${i}`, location } });
      expect(r.status).toBe(201);
      mine.push(r.body.case.id);
    }
    const seen: Item[] = [];
    let cursor: string | null = null;
    // other files report in worker1's grid at the same time: page on until all three are seen (newer ones come first)
    const found = () => mine.every((id) => seen.some((x) => x.case.id === id));
    for (let page = 0; page < 200 && !found(); page++) {
      const r: { status: number; body: any } = await call("GET", `/v1/cases?limit=2${cursor ? `&cursor=${cursor}` : ""}`, { headers });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      seen.push(...r.body.items);
      cursor = r.body.nextCursor;
      if (!cursor) break;
    }
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect(new Set(seen.map((x) => x.case.id)).size).toBe(seen.length);
    expect(seen).toEqual([...seen].sort(newestFirst));
    expect(seen.every((x) => x.case.state !== "closed" && x.case.state !== "rejected")).toBe(true);
    // the three just reported, in reverse order of reporting (others' cases may sit between them)
    const positions = mine.map((id) => seen.findIndex((x) => x.case.id === id));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect(positions[2]).toBeLessThan(positions[1]);
    expect(positions[1]).toBeLessThan(positions[0]);
  });
});
