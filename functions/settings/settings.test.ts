import { describe, it, expect, beforeAll } from "vitest";
import { call } from "../../test/client.ts";
import { adminToken, tokenFor } from "../../test/fixtures.ts";

let admin: string;
let worker: string;

beforeAll(async () => {
  admin = await adminToken();
  worker = await tokenFor("worker1");
});

const get = async () => (await call("GET", "/v1/settings", { token: admin })).body;
const put = (body: unknown, token = admin) => call("PUT", "/v1/settings", { token, body });

async function auditOf(month: string): Promise<any[]> {
  const found: any[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 20; i++) {
    const r: any = await call("GET", `/v1/audit?month=${month}&entity=settings&limit=200${cursor ? `&cursor=${cursor}` : ""}`, { token: admin });
    found.push(...r.body.items);
    cursor = r.body.nextCursor;
    if (!cursor) break;
  }
  return found;
}

describe("county settings", () => {
  it("serves the settings with their levels and version", async () => {
    const r = await call("GET", "/v1/settings", { token: worker });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ countyCode: "350206", levels: expect.any(Array), version: expect.any(Number) });
    expect(r.body.levels.map((l: any) => l.key)).toEqual(["street", "community", "grid", "micro_grid"]);
  });

  it("renames levels once units exist, with the version read, and audits the change", async () => {
    const s = await get();
    const renamed = s.levels.map((l: any, i: number) => (i === 3 ? { ...l, name: "楼栋微网格" } : l));
    const r = await put({ ...s, levels: renamed, countyName: "示范区（测试）" });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ version: s.version + 1, countyName: "示范区（测试）" });
    expect(r.body.levels[3].name).toBe("楼栋微网格");
    expect(await get()).toEqual(r.body);

    const month = r.body.updatedAt.slice(0, 7);
    const entry = (await auditOf(month)).find((e: any) => e.changes?.countyName?.to === "示范区（测试）");
    expect(entry).toMatchObject({ action: "settings.update", entityId: "county" });
    expect(entry.changes.levels.to[3].name).toBe("楼栋微网格");

    const back = await put({ ...r.body, levels: s.levels, countyName: s.countyName });
    expect(back.status).toBe(200);
  });

  it("refuses to change the shape of the levels once units below the county exist (409)", async () => {
    const s = await get();
    const wider = await put({ ...s, levels: s.levels.map((l: any, i: number) => (i === 0 ? { ...l, segmentDigits: 4 } : l)) });
    expect(wider.status).toBe(409);
    expect(wider.body.error.details.reason).toBe("units_exist");
    const fewer = await put({ ...s, levels: s.levels.slice(0, 3) });
    expect(fewer.status).toBe(409);
    const rekeyed = await put({ ...s, levels: s.levels.map((l: any, i: number) => (i === 1 ? { ...l, key: "village" } : l)) });
    expect(rekeyed.status).toBe(409);
    expect((await put({ ...s, countyCode: "350203" })).status).toBe(409);
    expect((await get()).version).toBe(s.version);
  });

  it("refuses a stale version with 409 and the current settings", async () => {
    const s = await get();
    const r = await put({ ...s, countyName: "过期", version: s.version - 1 });
    expect(r.status).toBe(409);
    expect(r.body.error.details.current.version).toBe(s.version);
  });

  it("refuses invalid settings with 400 and the offending fields", async () => {
    const s = await get();
    const r = await put({ ...s, countyCode: "35", timeZone: "Nowhere/City", levels: [s.levels[0], s.levels[0]], defaultEvaluation: "dissatisfied" });
    expect(r.status).toBe(400);
    const paths = r.body.error.details.fields.map((f: any) => f.path);
    expect(paths).toEqual(expect.arrayContaining(["countyCode", "timeZone", "defaultEvaluation"]));
    const dup = await put({ ...s, levels: [s.levels[0], s.levels[0]] });
    expect(dup.status).toBe(400);
    expect(dup.body.error.details.fields[0].path).toBe("levels.1.key");
  });

  it("forbids changes to staff without county-level unit management (403)", async () => {
    const s = await get();
    expect((await put(s, worker)).status).toBe(403);
    expect((await put(s, await tokenFor("street1"))).status).toBe(403);
  });
});
