import { describe, it, expect } from "vitest";
import { routes, routeKey } from "./routes.ts";
import { Permission, RoleName, rolePermissions } from "../core/auth/roles.ts";
import { call } from "../test/client.ts";
import { tokenFor } from "../test/fixtures.ts";

/** Demo user holding each role (test/global-setup seeds them). */
const USER_OF: Record<string, string> = {
  county_admin: "admin",
  dispatcher: "center",
  supervisor: "supervisor",
  street_staff: "street1",
  community_staff: "community1",
  grid_leader: "leader1",
  grid_instructor: "instructor1",
  grid_worker: "worker1",
  department_staff: "dept1",
  auditor: "auditor",
};

// Path parameters: values that exist nowhere, so allowed calls end in 400/404 — never in a change.
const concrete = (path: string) => path.replace(/\{[^}]+\+?\}/g, "zz-no-such-id");

describe("the route table", () => {
  it("declares a known permission for every route, and every route key once", () => {
    const keys = routes.map(routeKey);
    expect(new Set(keys).size).toBe(keys.length);
    for (const r of routes) expect(Permission.options, routeKey(r)).toContain(r.permission);
  });

  it("gives every role a user in the demo county", () => {
    expect(Object.keys(USER_OF).sort()).toEqual([...RoleName.options].sort());
  });
});

describe("authorization matrix: every route × every role, and anonymous", () => {
  const guarded = routes.filter((r) => r.permission !== "public" && r.permission !== "authenticated");

  it("refuses anonymous callers on every non-public route with 401", async () => {
    for (const r of routes.filter((x) => x.permission !== "public")) {
      const res = await call(r.method, concrete(r.path), { body: r.method === "GET" ? undefined : {} });
      expect(res.status, routeKey(r)).toBe(401);
      expect(res.body.error.code).toBe("unauthorized");
    }
  });

  it("refuses a tampered token with 401", async () => {
    const token = await tokenFor("admin");
    const tampered = token.slice(0, -3) + (token.endsWith("A") ? "BBB" : "AAA");
    expect((await call("GET", "/v1/me", { token: tampered })).status).toBe(401);
    const none = Buffer.from(JSON.stringify({ alg: "none", typ: "JWT" })).toString("base64url");
    const [, payload] = token.split(".");
    expect((await call("GET", "/v1/me", { token: `${none}.${payload}.` })).status).toBe(401);
  });

  for (const role of RoleName.options) {
    it(`${role}: 403 exactly on the routes whose permission the role lacks`, async () => {
      const token = await tokenFor(USER_OF[role]);
      const mismatches: string[] = [];
      for (const r of guarded) {
        const allowed = rolePermissions[role].includes(r.permission);
        const res = await call(r.method, concrete(r.path), { token, body: r.method === "GET" ? undefined : {} });
        if (res.status >= 500) mismatches.push(`${routeKey(r)} → ${res.status}`);
        else if (!allowed && res.status !== 403) mismatches.push(`${routeKey(r)}: expected 403, got ${res.status}`);
        else if (allowed && res.status === 403 && res.body?.error?.message === "You do not have permission to do this") {
          mismatches.push(`${routeKey(r)}: permission ${r.permission} held but refused`);
        }
      }
      expect(mismatches).toEqual([]);
    });
  }
});
