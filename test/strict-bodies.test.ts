import { describe, it, expect, beforeAll } from "vitest";
import { call, useStackEnv } from "./client.ts";
import { adminToken, tokenFor } from "./fixtures.ts";
import { pointIn, report } from "./cases.ts";
import { routes } from "../functions/routes.ts";
import { rolePermissions, type RoleName } from "../core/auth/roles.ts";

/** Demo users and their one role (local/demo-county.ts): each route is called by one who holds its permission. */
const USERS: Array<[string, RoleName]> = [
  ["admin", "county_admin"],
  ["center", "dispatcher"],
  ["worker1", "grid_worker"],
  ["community1", "community_staff"],
  ["street1", "street_staff"],
  ["leader1", "grid_leader"],
  ["dept1", "department_staff"],
  ["supervisor", "supervisor"],
  ["auditor", "auditor"],
];
const userFor = (permission: string) =>
  permission === "public" || permission === "authenticated" ? "admin" : USERS.find(([, role]) => (rolePermissions[role] as readonly string[]).includes(permission))?.[0];

beforeAll(() => useStackEnv());

/**
 * Routes whose body is not a JSON object of our own schema. Open311 GeoReport v2 takes form
 * fields defined by that standard (clients send optional standard fields we do not use); the unit
 * import takes a GeoJSON FeatureCollection or CSV file, where RFC 7946 allows foreign members.
 */
const NOT_OUR_JSON = (path: string) => path.startsWith("/open311/") || path === "/v1/units/import";

const UNKNOWN = "zzUnknownField";

describe("strict bodies", () => {
  it("refuses an unknown field on every JSON-body route with 400 naming the field", async () => {
    const admin = await adminToken();
    const workerToken = await tokenFor("worker1");
    const me = await call("GET", "/v1/me", { token: workerToken });
    const worker = me.body;
    const kase = await report("worker1");
    const first = async (path: string, token = admin) => (await call("GET", path, { token })).body?.items?.[0];
    const key = await call("POST", "/v1/api-keys", { token: admin, body: { name: "strict", permissions: ["cases:read"] } });
    const ids: Record<string, string | undefined> = {
      units: worker.assignments[0].unitId,
      users: worker.id,
      "api-keys": key.body.id,
      departments: (await first("/v1/departments"))?.id,
      categories: "cat-env-garbage",
      cases: kase.case.id,
      households: (await first("/v1/registry/households", workerToken))?.id,
      people: (await first("/v1/registry/people", workerToken))?.id,
      places: (await first("/v1/registry/places", workerToken))?.id,
      "key-lists": (await first("/v1/registry/key-lists", workerToken))?.id,
      types: (await first("/v1/tasks/types"))?.id,
      tasks: (await first("/v1/tasks", workerToken))?.id,
      exports: (await first("/v1/exports"))?.id,
      webhooks: (await first("/v1/webhooks"))?.id,
      "indicator-definitions": "zz_not_builtin", // built-in indicators are refused (409) before their body is read
      points: worker.id,
      appraisals: "2026-10",
      patrols: "none",
      notifications: "none",
    };
    const fill = (path: string) =>
      path.replace(/\/([a-z-]+)\/\{(\w+)\}/g, (_, resource: string, param: string) => `/${resource}/${ids[resource] ?? `no-${param}`}`).replace("{action}", "comment").replace("{unitId}", worker.assignments[0].unitId).replace("{deliveryId}", "none");
    const outcomes: string[] = [];
    for (const route of routes) {
      if (!["POST", "PUT", "PATCH"].includes(route.method) || NOT_OUR_JSON(route.path)) continue;
      const path = fill(route.path);
      const user = userFor(route.permission);
      expect(user, `someone holds ${route.permission}`).toBeDefined();
      const r = await call(route.method, path, { token: await tokenFor(user!), body: { [UNKNOWN]: 1 } });
      const named = r.status === 400 && (r.body?.error?.details?.fields ?? []).some((f: { path: string }) => f.path === UNKNOWN);
      if (!named) outcomes.push(`${route.method} ${route.path} (${path}) → ${r.status} ${JSON.stringify(r.body).slice(0, 160)}`);
    }
    expect(outcomes).toEqual([]);
  });

  it("refuses an `action` field in a case action body (the path names the action)", async () => {
    const kase = await report("worker1");
    const r = await call("POST", `/v1/cases/${kase.case.id}/comment`, { token: await tokenFor("worker1"), body: { action: "comment", note: "带了 action" } });
    expect(r.status).toBe(400);
    expect(r.body.error.details.fields).toEqual([{ path: "action", message: "Unknown field", code: "unrecognized_keys" }]);
  });

  it("names nested unknown fields with their path", async () => {
    const kase = await report("center");
    const r = await call("POST", `/v1/cases/${kase.case.id}/dispatch`, { token: await tokenFor("center"), body: { to: { kind: "department", id: "dept-urban", via: "x" }, reason: "派遣" } });
    expect(r.status).toBe(400);
    expect(r.body.error.details.fields).toEqual([{ path: "to.via", message: "Unknown field", code: "unrecognized_keys" }]);
  });

  it("reports only under a category without sub-categories (400 naming categoryId)", async () => {
    const location = await pointIn("worker1");
    const r = await call("POST", "/v1/cases", { token: await tokenFor("worker1"), body: { categoryId: "cat-env", description: "分类不够具体", location } });
    expect(r.status).toBe(400);
    expect(r.body.error.details.fields).toEqual([{ path: "categoryId", message: "has sub-categories: choose one of them" }]);
    const leaf = await call("POST", "/v1/cases", { token: await tokenFor("worker1"), body: { categoryId: "cat-service", description: "无下级分类的一级分类", location } });
    expect(leaf.status).toBe(201);
  });
});

