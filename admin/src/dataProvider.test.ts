import { describe, it, expect } from "vitest";
import { createDataProvider, filterQuery, patchBody } from "./dataProvider.ts";
import type { ApiOptions } from "./http.ts";

/** A fake API over `n` records paged by an opaque cursor (the next index). */
function fakeApi(n: number) {
  const calls: { path: string; opts: ApiOptions }[] = [];
  const records = Array.from({ length: n }, (_, i) => ({ id: `u${i}`, name: `Unit ${i}`, version: 1 }));
  const fetchJson = async <T,>(path: string, opts: ApiOptions = {}): Promise<{ json: T; status: number }> => {
    calls.push({ path, opts });
    const limit = Number(opts.query?.limit ?? 50);
    const start = opts.query?.cursor ? Number(String(opts.query.cursor).slice(1)) : 0;
    const items = records.slice(start, start + limit);
    const next = start + limit < n ? `c${start + limit}` : null;
    return { json: { items, nextCursor: next } as T, status: 200 };
  };
  return { calls, fetchJson };
}

const list = (page: number, perPage = 10, filter: Record<string, unknown> = {}) => ({
  pagination: { page, perPage },
  sort: { field: "id", order: "ASC" as const },
  filter,
});

describe("data provider lists", () => {
  it("reads page N with the cursor page N-1 returned and reports partial pagination", async () => {
    const api = fakeApi(25);
    const dp = createDataProvider(api.fetchJson);
    const p1 = await dp.getList("units", list(1));
    expect(p1.data.map((r) => r.id)).toEqual(["u0", "u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "u9"]);
    expect(p1.pageInfo).toEqual({ hasNextPage: true, hasPreviousPage: false });
    const p2 = await dp.getList("units", list(2));
    expect(api.calls[1].opts.query?.cursor).toBe("c10");
    expect(p2.data[0].id).toBe("u10");
    const p3 = await dp.getList("units", list(3));
    expect(p3.data.map((r) => r.id)).toEqual(["u20", "u21", "u22", "u23", "u24"]);
    expect(p3.pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: true });
    expect(api.calls).toHaveLength(3);
  });

  it("walks forward to a page whose cursor it never saw (a reloaded URL)", async () => {
    const api = fakeApi(25);
    const dp = createDataProvider(api.fetchJson);
    const p3 = await dp.getList("units", list(3));
    expect(p3.data[0].id).toBe("u20");
    expect(api.calls.map((c) => c.opts.query?.cursor)).toEqual([undefined, "c10", "c20"]);
  });

  it("keeps separate cursors per filter and page size", async () => {
    const api = fakeApi(25);
    const dp = createDataProvider(api.fetchJson);
    await dp.getList("units", list(1, 10, { q: "a" }));
    await dp.getList("units", list(2, 10, { q: "b" }));
    // the "b" list had no page 1 yet: it starts from the beginning rather than reuse "a"'s cursor
    expect(api.calls.map((c) => [c.opts.query?.q, c.opts.query?.cursor])).toEqual([
      ["a", undefined],
      ["b", undefined],
      ["b", "c10"],
    ]);
  });

  it("returns an empty last page when asked beyond the end", async () => {
    const api = fakeApi(5);
    const dp = createDataProvider(api.fetchJson);
    const p = await dp.getList("units", list(3));
    expect(p.data).toEqual([]);
    expect(p.pageInfo?.hasNextPage).toBe(false);
  });

  it("caps the page size at the API's limit of 200", async () => {
    const api = fakeApi(5);
    const dp = createDataProvider(api.fetchJson);
    await dp.getList("units", list(1, 1000));
    expect(api.calls[0].opts.query?.limit).toBe(200);
  });

  it("reads children through getManyReference as a filtered list", async () => {
    const api = fakeApi(3);
    const dp = createDataProvider(api.fetchJson);
    await dp.getManyReference("units", { target: "parentId", id: "root", pagination: { page: 1, perPage: 25 }, sort: { field: "id", order: "ASC" }, filter: {} });
    expect(api.calls[0]).toMatchObject({ path: "/v1/units", opts: { query: { parentId: "root", limit: 25 } } });
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
    const dp = createDataProvider(fakeApi(0).fetchJson);
    await expect(dp.delete("units", { id: "u1" })).rejects.toMatchObject({ message: "app.errors.delete_unsupported", status: 405 });
  });

  it("posts domain actions to /v1/<resource>/<id>/<action>", async () => {
    const calls: { path: string; opts: ApiOptions }[] = [];
    const dp = createDataProvider(async <T,>(path: string, opts: ApiOptions = {}) => {
      calls.push({ path, opts });
      return { json: { id: "u1" } as T, status: 200 };
    });
    await dp.act("units", "u1", "move", { parentId: "p2", version: 3 });
    expect(calls[0]).toMatchObject({ path: "/v1/units/u1/move", opts: { method: "POST", body: { parentId: "p2", version: 3 } } });
  });

  it("turns filters into query parameters, dropping empty ones", () => {
    expect(filterQuery({ q: " park ", parentId: "", state: ["closed", "rejected"], x: null })).toEqual({ q: "park", state: "closed,rejected" });
  });
});

describe("data provider for cases", () => {
  /** A fake case API: lists and reads return case views `{case, allowedActions, timeline?}`. */
  function caseApi() {
    const calls: { path: string; opts: ApiOptions }[] = [];
    const view = (id: string, extra: Record<string, unknown> = {}) => ({ case: { id, number: `2026-${id}`, state: "claimable" }, allowedActions: ["claim"], ...extra });
    const fetchJson = async <T,>(path: string, opts: ApiOptions = {}): Promise<{ json: T; status: number }> => {
      calls.push({ path, opts });
      if (path === "/v1/cases" && (opts.method ?? "GET") === "GET") return { json: { items: [view("A"), view("B")], nextCursor: null } as T, status: 200 };
      if (path === "/v1/cases") return { json: { ...view("NEW"), possibleDuplicates: [] } as T, status: 201 };
      if (path.endsWith("/claim")) return { json: { ...view("A"), allowedActions: ["start"] } as T, status: 200 };
      return { json: view(path.split("/").pop()!, { timeline: [{ type: "reported" }] }) as T, status: 200 };
    };
    return { calls, fetchJson };
  }

  it("lists a queue with its API filter and makes records whose id is the case id", async () => {
    const api = caseApi();
    const dp = createDataProvider(api.fetchJson);
    const r = await dp.getList("cases", list(1, 50, { queue: "claimable", categoryId: "cat-env-garbage" }));
    expect(api.calls[0].opts.query).toEqual({ state: "claimable", categoryId: "cat-env-garbage", limit: 50, cursor: undefined });
    expect(r.data.map((c) => [c.id, c.number, c.allowedActions])).toEqual([
      ["A", "2026-A", ["claim"]],
      ["B", "2026-B", ["claim"]],
    ]);
  });

  it("reads a case page with its timeline, acts and reports through the same records", async () => {
    const api = caseApi();
    const dp = createDataProvider(api.fetchJson);
    const one = await dp.getOne("cases", { id: "C7" });
    expect(one.data).toMatchObject({ id: "C7", allowedActions: ["claim"], timeline: [{ type: "reported" }] });
    const acted = await dp.act("cases", "A", "claim", {});
    expect(acted.data).toMatchObject({ id: "A", allowedActions: ["start"] });
    const created = await dp.create("cases", { data: { categoryId: "c", description: "d", location: { lng: 1, lat: 2 } } });
    expect(created.data).toMatchObject({ id: "NEW", possibleDuplicates: [] });
    expect(api.calls.at(-1)!.opts.body).toEqual({ categoryId: "c", description: "d", location: { lng: 1, lat: 2 } });
  });

  it("leaves other resources' records as the API returns them", async () => {
    const api = fakeApi(2);
    const dp = createDataProvider(api.fetchJson);
    const r = await dp.getList("units", list(1, 10, { queue: "claimable" }));
    expect(api.calls[0].opts.query?.queue).toBe("claimable");
    expect(r.data[0]).toEqual({ id: "u0", name: "Unit 0", version: 1 });
  });
});
