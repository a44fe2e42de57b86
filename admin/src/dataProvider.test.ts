import { describe, it, expect } from "vitest";
import { apiClient } from "./api/client.ts";
import { createDataProvider, filterQuery, patchBody, resources } from "./dataProvider.ts";

/** What the fake API saw of a request. */
interface Call {
  path: string;
  method: string;
  query: Record<string, string>;
  body: unknown;
  headers: Headers;
}

/** The typed client over a fake API: `answer` gets each request as a Call and returns its JSON. */
function fakeClient(answer: (call: Call) => unknown, status = (call: Call) => (call.method === "POST" && call.path.split("/").length === 3 ? 201 : 200)) {
  const calls: Call[] = [];
  const fetch = async (request: Request) => {
    const url = new URL(request.url);
    const text = await request.text();
    const json = request.headers.get("content-type") === "application/json";
    const call: Call = { path: url.pathname, method: request.method, query: Object.fromEntries(url.searchParams), body: text && json ? JSON.parse(text) : text || undefined, headers: request.headers };
    calls.push(call);
    const out = answer(call);
    if (typeof out === "string") return new Response(out, { status: status(call), headers: { "content-type": "text/csv" } });
    return new Response(JSON.stringify(out), { status: status(call), headers: { "content-type": "application/json" } });
  };
  return { calls, client: apiClient({ fetch, baseUrl: "http://api.test" }) };
}

/** A fake API over `n` records paged by an opaque cursor (the next index). */
function fakeApi(n: number) {
  const records = Array.from({ length: n }, (_, i) => ({ id: `u${i}`, name: `Unit ${i}`, version: 1 }));
  return fakeClient(({ query }) => {
    const limit = Number(query.limit ?? 50);
    const start = query.cursor ? Number(query.cursor.slice(1)) : 0;
    return { items: records.slice(start, start + limit), nextCursor: start + limit < n ? `c${start + limit}` : null };
  });
}

const list = (page: number, perPage = 10, filter: Record<string, unknown> = {}) => ({
  pagination: { page, perPage },
  sort: { field: "id", order: "ASC" as const },
  filter,
});

describe("data provider lists", () => {
  it("reads page N with the cursor page N-1 returned and reports partial pagination", async () => {
    const api = fakeApi(25);
    const dp = createDataProvider(api.client);
    const p1 = await dp.getList("units", list(1));
    expect(p1.data.map((r) => r.id)).toEqual(["u0", "u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "u9"]);
    expect(p1.pageInfo).toEqual({ hasNextPage: true, hasPreviousPage: false });
    const p2 = await dp.getList("units", list(2));
    expect(api.calls[1].query.cursor).toBe("c10");
    expect(p2.data[0].id).toBe("u10");
    const p3 = await dp.getList("units", list(3));
    expect(p3.data.map((r) => r.id)).toEqual(["u20", "u21", "u22", "u23", "u24"]);
    expect(p3.pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: true });
    expect(api.calls).toHaveLength(3);
  });

  it("walks forward to a page whose cursor it never saw (a reloaded URL)", async () => {
    const api = fakeApi(25);
    const dp = createDataProvider(api.client);
    const p3 = await dp.getList("units", list(3));
    expect(p3.data[0].id).toBe("u20");
    expect(api.calls.map((c) => c.query.cursor)).toEqual([undefined, "c10", "c20"]);
  });

  it("keeps separate cursors per filter and page size", async () => {
    const api = fakeApi(25);
    const dp = createDataProvider(api.client);
    await dp.getList("units", list(1, 10, { q: "a" }));
    await dp.getList("units", list(2, 10, { q: "b" }));
    // the "b" list had no page 1 yet: it starts from the beginning rather than reuse "a"'s cursor
    expect(api.calls.map((c) => [c.query.q, c.query.cursor])).toEqual([
      ["a", undefined],
      ["b", undefined],
      ["b", "c10"],
    ]);
  });

  it("returns an empty last page when asked beyond the end", async () => {
    const api = fakeApi(5);
    const dp = createDataProvider(api.client);
    const p = await dp.getList("units", list(3));
    expect(p.data).toEqual([]);
    expect(p.pageInfo?.hasNextPage).toBe(false);
  });

  it("caps the page size at the API's limit of 200", async () => {
    const api = fakeApi(5);
    const dp = createDataProvider(api.client);
    await dp.getList("units", list(1, 1000));
    expect(api.calls[0].query.limit).toBe("200");
  });

  it("reads children through getManyReference as a filtered list", async () => {
    const api = fakeApi(3);
    const dp = createDataProvider(api.client);
    await dp.getManyReference("units", { target: "parentId", id: "root", pagination: { page: 1, perPage: 25 }, sort: { field: "id", order: "ASC" }, filter: {} });
    expect(api.calls[0]).toMatchObject({ path: "/v1/units", method: "GET", query: { parentId: "root", limit: "25" } });
  });
});

describe("data provider writes", () => {
  it("sends only changed fields and the version read", () => {
    const prev = { id: "u1", name: "A", code: "123456", households: 10, version: 4, updatedAt: "x" };
    expect(patchBody("units", { ...prev, name: "B" }, prev)).toEqual({ name: "B", version: 4 });
  });

  it("sends a cleared field as null and ignores empty-to-empty", () => {
    const prev = { id: "u1", phone: "13800000000", note: undefined, version: 2 };
    expect(patchBody("users", { ...prev, phone: "", note: null }, prev)).toEqual({ phone: null, version: 2 });
  });

  it("compares user assignments without the server-derived unit path", () => {
    const prev = { id: "x", assignments: [{ role: "grid_worker", unitId: "g1", unitPath: "/c/g1/" }], version: 1 };
    expect(patchBody("users", { ...prev, assignments: [{ role: "grid_worker", unitId: "g1" }] }, prev)).toEqual({ version: 1 });
  });

  it("clears a category stage limit with null so that it is inherited again", () => {
    const prev = { id: "c1", deadlines: { accept: { amount: 2, unit: "working_hours" }, handle: { amount: 3, unit: "working_days" } }, version: 7 };
    const next = { ...prev, deadlines: { accept: { amount: 2, unit: "working_hours" }, handle: null } };
    expect(patchBody("categories", next, prev)).toEqual({ deadlines: { accept: { amount: 2, unit: "working_hours" }, handle: null }, version: 7 });
    expect(patchBody("categories", { ...prev, deadlines: { ...prev.deadlines, claim: null } }, prev)).toEqual({ version: 7 });
  });

  it("refuses to delete with a translated error", async () => {
    const dp = createDataProvider(fakeApi(0).client);
    await expect(dp.delete("units", { id: "u1" })).rejects.toMatchObject({ message: "app.errors.delete_unsupported", status: 405 });
  });

  it("posts domain actions to /v1/<resource>/<id>/<action>", async () => {
    const { calls, client } = fakeClient(() => ({ id: "u1" }));
    const dp = createDataProvider(client);
    await dp.act("units", "u1", "move", { parentId: "p2", version: 3 });
    expect(calls[0]).toMatchObject({ path: "/v1/units/u1/move", method: "POST", body: { parentId: "p2", version: 3 } });
    expect(calls[0].headers.get("idempotency-key")).toMatch(/.{16,}/);
  });

  it("turns filters into query parameters, dropping empty ones", () => {
    expect(filterQuery({ q: " park ", parentId: "", state: ["closed", "rejected"], x: null })).toEqual({ q: "park", state: "closed,rejected" });
  });
});

describe("data provider for cases", () => {
  /** A fake case API: lists and reads return case views `{case, allowedActions, timeline?}`. */
  function caseApi() {
    const view = (id: string, extra: Record<string, unknown> = {}) => ({ case: { id, number: `2026-${id}`, state: "claimable" }, allowedActions: ["claim"], ...extra });
    return fakeClient(({ path, method }) => {
      if (path === "/v1/cases" && method === "GET") return { items: [view("A"), view("B")], nextCursor: null };
      if (path === "/v1/cases") return { ...view("NEW"), possibleDuplicates: [] };
      if (path.endsWith("/claim")) return { ...view("A"), allowedActions: ["start"] };
      return view(path.split("/").pop()!, { timeline: [{ type: "reported" }] });
    });
  }

  it("lists a queue with its API filter and makes records whose id is the case id", async () => {
    const api = caseApi();
    const dp = createDataProvider(api.client);
    const r = await dp.getList("cases", list(1, 50, { queue: "claimable", categoryId: "cat-env-garbage" }));
    expect(api.calls[0].query).toEqual({ state: "claimable", categoryId: "cat-env-garbage", limit: "50" });
    expect(r.data.map((c) => [c.id, c.number, c.allowedActions])).toEqual([
      ["A", "2026-A", ["claim"]],
      ["B", "2026-B", ["claim"]],
    ]);
  });

  it("reads a case page with its timeline, acts and reports through the same records", async () => {
    const api = caseApi();
    const dp = createDataProvider(api.client);
    const one = await dp.getOne("cases", { id: "C7" });
    expect(one.data).toMatchObject({ id: "C7", allowedActions: ["claim"], timeline: [{ type: "reported" }] });
    const acted = await dp.act("cases", "A", "claim", {});
    expect(acted.data).toMatchObject({ id: "A", allowedActions: ["start"] });
    const created = await dp.create("cases", { data: { categoryId: "c", description: "d", location: { lng: 1, lat: 2 } } });
    expect(created.data).toMatchObject({ id: "NEW", possibleDuplicates: [] });
    expect(api.calls.at(-1)).toMatchObject({ path: "/v1/cases", method: "POST", body: { categoryId: "c", description: "d", location: { lng: 1, lat: 2 } } });
  });

  it("leaves other resources' records as the API returns them", async () => {
    const api = fakeApi(2);
    const dp = createDataProvider(api.client);
    const r = await dp.getList("units", list(1, 10, { queue: "claimable" }));
    expect(api.calls[0].query.queue).toBe("claimable");
    expect(r.data[0]).toEqual({ id: "u0", name: "Unit 0", version: 1 });
  });
});

describe("data provider paths are the OpenAPI document's", () => {
  it("refuses an action or an operation the API does not have, before any request", async () => {
    const api = fakeApi(1);
    const dp = createDataProvider(api.client);
    await expect(dp.act("units", "u1", "explode", {})).rejects.toMatchObject({ message: "app.errors.unsupported", status: 405 });
    await expect(dp.update("audit", { id: "a1", data: { x: 1 }, previousData: { id: "a1", version: 1 } })).rejects.toMatchObject({ message: "app.errors.unsupported", status: 405 });
    await expect(dp.getList("no-such-resource", list(1))).rejects.toMatchObject({ status: 405 });
    expect(api.calls).toEqual([]);
  });

  it("fills a record path's parameter whatever its name (points/{userId}/redeem)", async () => {
    const { calls, client } = fakeClient(() => ({ entry: {}, balance: 3 }));
    await createDataProvider(client).act("points", "user 1", "redeem", { points: 2, item: "毛巾" });
    expect(calls[0]).toMatchObject({ path: "/v1/points/user%201/redeem", method: "POST", body: { points: 2, item: "毛巾" } });
  });

  it("updates an indicator definition by its key (a record the API writes but does not read one by one)", async () => {
    const { calls, client } = fakeClient(() => ({ key: "police_alerts", active: false, version: 3 }));
    const dp = createDataProvider(client);
    await dp.update("indicator-definitions", { id: "police_alerts", data: { active: false, version: 2 }, previousData: { id: "police_alerts", active: true, version: 2 } });
    expect(calls[0]).toMatchObject({ path: "/v1/indicator-definitions/police_alerts", method: "PATCH", body: { active: false, version: 2 } });
    await expect(dp.getOne("indicator-definitions", { id: "police_alerts" })).rejects.toMatchObject({ message: "app.errors.unsupported", status: 405 });
    expect(calls).toHaveLength(1);
  });

  it("posts a file as it is with its content type, and reads text as text", async () => {
    const { calls, client } = fakeClient(({ method }) => (method === "POST" ? { jobId: "j1" } : "a,b\n1,2\n"));
    const dp = createDataProvider(client);
    await dp.postFile("/v1/units/import", "code,name\n", "text/csv", { mode: "upsert", format: "" });
    expect(calls[0]).toMatchObject({ path: "/v1/units/import", method: "POST", query: { mode: "upsert" }, body: "code,name\n" });
    expect(calls[0].headers.get("content-type")).toBe("text/csv");
    expect(await dp.getText("/v1/jobs/j1/errors.csv")).toBe("a,b\n1,2\n");
  });

  it("checks the resource table against the generated types (compile time)", () => {
    // each line below must stay a type error: `npm run typecheck` fails when one is accepted
    // @ts-expect-error a list path the API does not serve
    resources({ a: { list: "/v1/nowhere" } });
    // @ts-expect-error a path that is not a page ({items, nextCursor})
    resources({ a: { list: "/v1/settings" } });
    // @ts-expect-error an action the record path does not have
    resources({ a: { one: "/v1/units/{id}", actions: ["explode"] } });
    // @ts-expect-error the API has no GET of one indicator definition: only with noRead
    resources({ a: { one: "/v1/indicator-definitions/{key}" } });
    // @ts-expect-error API keys are not updated with PATCH
    resources({ a: { one: "/v1/api-keys/{id}", update: "/v1/api-keys/{id}" } });
    expect(resources({ a: { list: "/v1/units", one: "/v1/units/{id}", update: "/v1/units/{id}", actions: ["move"] } }).a.actions).toEqual(["move"]);
  });
});
