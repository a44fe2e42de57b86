import { describe, it, expect, beforeAll } from "vitest";
import { call } from "../../test/client.ts";
import { adminToken, tokenFor } from "../../test/fixtures.ts";

/** Codes unique to this run (the stack's table is shared by every test file). */
const tag = Date.now().toString(36).toUpperCase().slice(-5);
const code = (s: string) => `${tag}.${s}`;

let admin: string;
let worker: string;
let streetIds: string[];
let communityId: string;
let deptA: string;
let deptB: string;
let deptStreet: string;
let deptOff: string;

async function auditOf(entity: string, entityId: string, month: string): Promise<any[]> {
  const found: any[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 20; i++) {
    const r: any = await call("GET", `/v1/audit?month=${month}&entity=${entity}&entityId=${entityId}&limit=200${cursor ? `&cursor=${cursor}` : ""}`, { token: admin });
    found.push(...r.body.items);
    cursor = r.body.nextCursor;
    if (!cursor) break;
  }
  return found;
}

const dept = async (c: string) =>
  (await call("POST", "/v1/departments", { token: admin, body: { name: `部门${c}`, code: `CATD-${tag}-${c}`, contact: { name: "联系人" } } })).body;
const create = (body: Record<string, unknown>) => call("POST", "/v1/categories", { token: admin, body });

beforeAll(async () => {
  admin = await adminToken();
  worker = await tokenFor("worker1");
  const me = await call("GET", "/v1/me", { token: admin });
  const rootId = me.body.assignments[0].unitId;
  streetIds = (await call("GET", `/v1/units?parentId=${rootId}`, { token: admin })).body.items.map((u: any) => u.id);
  communityId = (await call("GET", `/v1/units?parentId=${streetIds[0]}`, { token: admin })).body.items[0].id;
  [deptA, deptB, deptStreet, deptOff] = (await Promise.all(["A", "B", "S", "OFF"].map(dept))).map((d) => d.id);
  await call("PATCH", `/v1/departments/${deptOff}`, { token: admin, body: { version: 1, active: false } });
});

describe("categories", () => {
  it("creates a top-level category with every rule stored (defaults filled in) and its effective rules", async () => {
    const r = await create({ code: code("01"), name: "市容环境", departmentIds: [deptA, deptB], deadlines: { handle: { amount: 3, unit: "working_days" } } });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      code: code("01"),
      parentId: null,
      isDispute: false,
      police: false,
      urgent: false,
      claimWindow: true,
      departmentIds: [deptA, deptB],
      byStreet: {},
      deadlines: { handle: { amount: 3, unit: "working_days" } },
      active: true,
      version: 1,
    });
    expect(r.body.effective.deadlines).toMatchObject({ handle: { amount: 3, unit: "working_days" }, accept: { amount: 2, unit: "working_hours" } });
  });

  it("lets a child inherit every rule it leaves unset, and follow later changes of its parent", async () => {
    const parent = (await create({ code: code("02"), name: "公共设施", departmentIds: [deptA], claimWindow: false, deadlines: { verify: { amount: 8, unit: "working_hours" } } })).body;
    const child = await create({ code: code("0201"), name: "井盖缺失", parentId: parent.id, urgent: true, deadlines: { handle: { amount: 4, unit: "working_hours" } } });
    expect(child.status).toBe(201);
    expect(child.body).not.toHaveProperty("departmentIds");
    expect(child.body.effective).toMatchObject({ urgent: true, claimWindow: false, departmentIds: [deptA], deadlines: { verify: { amount: 8, unit: "working_hours" }, handle: { amount: 4, unit: "working_hours" } } });
    await call("PATCH", `/v1/categories/${parent.id}`, { token: admin, body: { version: 1, departmentIds: [deptB], police: true } });
    const got = await call("GET", `/v1/categories/${child.body.id}`, { token: worker });
    expect(got.status).toBe(200);
    expect(got.body.effective).toMatchObject({ departmentIds: [deptB], police: true, urgent: true });
  });

  it("clears a child's override with null so that it inherits again", async () => {
    const parent = (await create({ code: code("03"), name: "环境卫生", departmentIds: [deptA] })).body;
    const child = (await create({ code: code("0301"), name: "暴露垃圾", parentId: parent.id, departmentIds: [deptB], deadlines: { claim: { amount: 30, unit: "calendar_hours" } } })).body;
    expect(child.effective.departmentIds).toEqual([deptB]);
    const r = await call("PATCH", `/v1/categories/${child.id}`, { token: admin, body: { version: 1, departmentIds: null, deadlines: { claim: null } } });
    expect(r.status).toBe(200);
    expect(r.body).not.toHaveProperty("departmentIds");
    expect(r.body.deadlines).toEqual({});
    expect(r.body.effective).toMatchObject({ departmentIds: [deptA], deadlines: { claim: { amount: 1, unit: "working_hours" } } });
  });

  it("keeps two levels: a child cannot have children", async () => {
    const parent = (await create({ code: code("04"), name: "矛盾纠纷", isDispute: true })).body;
    const child = (await create({ code: code("0401"), name: "邻里纠纷", parentId: parent.id })).body;
    expect(child.effective.isDispute).toBe(true);
    const r = await create({ code: code("040101"), name: "噪音纠纷", parentId: child.id });
    expect(r.status).toBe(400);
    expect(r.body.error.details.fields[0]).toMatchObject({ path: "parentId" });
    expect((await create({ code: code("0499"), name: "x", parentId: "no-such" })).status).toBe(400);
  });

  it("routes by street: a per-street override wins in its street", async () => {
    const r = await create({ code: code("05"), name: "占道经营", departmentIds: [deptA], byStreet: { [streetIds[0]]: [deptStreet] } });
    expect(r.status).toBe(201);
    expect(r.body.byStreet).toEqual({ [streetIds[0]]: [deptStreet] });
  });

  it("refuses unknown or inactive departments and overrides keyed by a unit that is not a street", async () => {
    const r = await create({ code: code("06"), name: "坏引用", departmentIds: [deptA, "no-such-dept", deptOff], byStreet: { [communityId]: [deptA] } });
    expect(r.status).toBe(400);
    expect(r.body.error.details.fields).toEqual(
      expect.arrayContaining([
        { path: "departmentIds.1", message: "unknown department" },
        { path: "departmentIds.2", message: "inactive department" },
        { path: `byStreet.${communityId}`, message: "not a street-level unit" },
      ]),
    );
  });

  it("refuses invalid input with 400 and one entry per field", async () => {
    const r = await create({ code: "", name: "x", urgent: "yes", deadlines: { handle: { amount: 1.5, unit: "working_days" }, someday: { amount: 1, unit: "working_days" } } });
    expect(r.status).toBe(400);
    const paths = r.body.error.details.fields.map((f: any) => f.path);
    expect(paths).toEqual(expect.arrayContaining(["code", "urgent", "deadlines.handle.amount"]));
  });

  it("refuses a duplicate code with 409", async () => {
    expect((await create({ code: code("07"), name: "甲" })).status).toBe(201);
    const r = await create({ code: code("07").toLowerCase(), name: "乙" });
    expect(r.status).toBe(409);
    expect(r.body.error.details.fields[0].path).toBe("code");
  });

  it("updates with the version read; a stale version gets 409 with the current record", async () => {
    const c = (await create({ code: code("08"), name: "改前" })).body;
    const ok = await call("PATCH", `/v1/categories/${c.id}`, { token: admin, body: { version: 1, name: "改后", code: code("08A") } });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ name: "改后", code: code("08A"), version: 2 });
    const stale = await call("PATCH", `/v1/categories/${c.id}`, { token: admin, body: { version: 1, name: "又改" } });
    expect(stale.status).toBe(409);
    expect(stale.body.error.details.current).toMatchObject({ name: "改后", version: 2 });
    expect((await create({ code: code("08"), name: "旧编码可复用" })).status).toBe(201);
  });

  it("lists all categories by code, or the children of one, or the top level", async () => {
    const p = (await create({ code: code("09"), name: "列表父" })).body;
    const kids = [(await create({ code: code("0902"), name: "子二", parentId: p.id })).body, (await create({ code: code("0901"), name: "子一", parentId: p.id })).body];
    const children = await call("GET", `/v1/categories?parentId=${p.id}`, { token: admin });
    expect(children.status).toBe(200);
    expect(children.body.items.map((c: any) => c.code)).toEqual([code("0901"), code("0902")]);
    const top = await call("GET", `/v1/categories?parentId=root&q=${code("09")}&limit=200`, { token: admin });
    expect(top.body.items.map((c: any) => c.id)).toEqual([p.id]);
    const all = await call("GET", `/v1/categories?q=${code("09")}`, { token: admin });
    expect(all.body.items.map((c: any) => c.code)).toEqual([code("09"), code("0901"), code("0902")]);
    expect(kids).toHaveLength(2);
  });

  it("answers 404 for an unknown category and forbids writes to a grid worker", async () => {
    expect((await call("GET", "/v1/categories/nope", { token: admin })).status).toBe(404);
    expect((await call("POST", "/v1/categories", { token: worker, body: { code: code("10"), name: "x" } })).status).toBe(403);
    expect((await call("GET", "/v1/categories", { token: worker })).status).toBe(200);
  });

  it("records creations and changes in the audit trail", async () => {
    const c = (await create({ code: code("11"), name: "审计", urgent: false })).body;
    await call("PATCH", `/v1/categories/${c.id}`, { token: admin, body: { version: 1, urgent: true, deadlines: { handle: { amount: 2, unit: "working_hours" } } } });
    const entries = await auditOf("category", c.id, c.createdAt.slice(0, 7));
    expect(entries.map((e) => e.action).sort()).toEqual(["category.create", "category.update"]);
    expect(entries.find((e) => e.action === "category.update").changes).toEqual({
      urgent: { from: false, to: true },
      deadlines: { from: {}, to: { handle: { amount: 2, unit: "working_hours" } } },
    });
  });
});
