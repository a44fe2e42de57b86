import { describe, it, expect } from "vitest";
import { call } from "../../test/client.ts";
import { adminToken, tokenFor } from "../../test/fixtures.ts";
import { ownStack } from "../../test/own-stack.ts";

/** Own stack: it adds categories, which other files' category lists would see. */
ownStack();

type View = { classes: { code: string; exists: boolean; deadlines: Record<string, unknown>; children: { code: string; exists: boolean }[] }[] };
const byCode = async (code: string) => {
  const r = await call("GET", `/v1/categories?q=${code}&limit=50`, { token: await adminToken() });
  return (r.body.items as { id: string; code: string; name: string; parentId: string | null }[]).filter((c) => c.code === code);
};

describe("the standard category catalogue", () => {
  it("offers the catalogue with the codes the county already uses marked", async () => {
    const r = await call<View>("GET", "/v1/category-catalogue", { token: await adminToken() });
    expect(r.status).toBe(200);
    expect(r.body.classes.map((c) => c.code)).toEqual(["01", "02", "03", "04", "05", "21", "22", "23", "24", "25"]);
    const env = r.body.classes.find((c) => c.code === "01")!;
    expect(env.exists).toBe(true); // the demo county's 环境卫生 has code 01
    expect(env.children.find((c) => c.code === "0101")!.exists).toBe(true);
    expect(env.children.find((c) => c.code === "0103")!.exists).toBe(false);
    expect(r.body.classes.find((c) => c.code === "21")!.exists).toBe(false);
    expect((await call("GET", "/v1/category-catalogue", { token: await tokenFor("worker1") })).status).toBe(403);
  });

  it("creates picked classes and subclasses with their codes, renamed and adjusted, once", async () => {
    const admin = await adminToken();
    const body = {
      items: [{ code: "21" }, { code: "2101", name: "邻里矛盾" }, { code: "0103" }, { code: "22", deadlines: { handle: { amount: 3, unit: "working_days" } } }],
    };
    const r = await call("POST", "/v1/category-catalogue", { token: admin, body });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toEqual({ created: ["0103", "21", "2101", "22"], existing: ["01"] });

    const [dispute] = await byCode("21");
    const [neighbour] = await byCode("2101");
    expect(neighbour.name).toBe("邻里矛盾");
    expect(neighbour.parentId).toBe(dispute.id);
    const full = (await call("GET", `/v1/categories/${dispute.id}`, { token: admin })).body;
    expect(full.isDispute).toBe(true);
    const [safety] = await byCode("22");
    const safetyView = (await call("GET", `/v1/categories/${safety.id}`, { token: admin })).body;
    expect(safetyView.deadlines.handle).toEqual({ amount: 3, unit: "working_days" });
    const [rubble] = await byCode("0103");
    expect(rubble.parentId).toBe("cat-env"); // under the county's own class 01

    const again = await call("POST", "/v1/category-catalogue", { token: admin, body });
    expect(again.body).toEqual({ created: [], existing: ["01", "0103", "21", "2101", "22"] });
    expect(await byCode("2101")).toHaveLength(1);
  });

  it("creates a code once when two admins apply it at the same time", async () => {
    const admin = await adminToken();
    const body = { items: [{ code: "2301" }] };
    const [a, b] = await Promise.all([call("POST", "/v1/category-catalogue", { token: admin, body }), call("POST", "/v1/category-catalogue", { token: admin, body })]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect([...a.body.created, ...b.body.created].sort()).toEqual(["23", "2301"]);
    expect(await byCode("23")).toHaveLength(1);
    expect(await byCode("2301")).toHaveLength(1);
  });

  it("refuses codes outside the catalogue, deadlines on a subclass and unknown fields, naming the field", async () => {
    const admin = await adminToken();
    const outside = await call("POST", "/v1/category-catalogue", { token: admin, body: { items: [{ code: "99" }] } });
    expect(outside.status).toBe(400);
    expect(outside.body.error.details.fields).toEqual([{ path: "items.0.code", message: "not in the catalogue" }]);
    const sub = await call("POST", "/v1/category-catalogue", { token: admin, body: { items: [{ code: "2501", deadlines: { handle: { amount: 1, unit: "working_days" } } }] } });
    expect(sub.status).toBe(400);
    expect(sub.body.error.details.fields[0].path).toBe("items.0.deadlines");
    const extra = await call("POST", "/v1/category-catalogue", { token: admin, body: { items: [{ code: "25" }], dryRun: true } });
    expect(extra.status).toBe(400);
    expect(JSON.stringify(extra.body.error.details)).toContain("dryRun");
    expect(await byCode("25")).toHaveLength(0);
    expect((await call("POST", "/v1/category-catalogue", { token: await tokenFor("worker1"), body: { items: [{ code: "25" }] } })).status).toBe(403);
  });
});
