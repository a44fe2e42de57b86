import { describe, it, expect, beforeAll } from "vitest";
import { call, queuesIdle } from "../../test/client.ts";
import { adminToken, tokenFor } from "../../test/fixtures.ts";

const tag = Date.now().toString(36).toLowerCase().slice(-5);
const key = `police_incidents_${tag}`;
const csvType = { "content-type": "text/csv; charset=utf-8" };

let admin: string;
let grid: { id: string; code: string; path: string };
let otherGrid: { id: string; code: string };

beforeAll(async () => {
  admin = await adminToken();
  const me1 = await call("GET", "/v1/me", { token: await tokenFor("worker1") });
  const me2 = await call("GET", "/v1/me", { token: await tokenFor("worker2") });
  grid = (await call("GET", `/v1/units/${me1.body.assignments[0].unitId}`, { token: admin })).body;
  otherGrid = (await call("GET", `/v1/units/${me2.body.assignments[0].unitId}`, { token: admin })).body;
});

describe("indicator definitions", () => {
  it("lists the built-in indicators with their direction and range", async () => {
    const r = await call("GET", "/v1/indicator-definitions?builtin=true&subject=department", { token: admin });
    expect(r.status).toBe(200);
    const close = r.body.items.find((d: any) => d.key === "closeRate");
    expect(close).toMatchObject({ builtin: true, unit: "%", direction: "higher_better", min: 0, max: 100 });
    expect(r.body.items.find((d: any) => d.key === "reworkRate")).toMatchObject({ direction: "lower_better" });
    expect(r.body.items.some((d: any) => d.key === "missedReportScore")).toBe(false);
  });

  it("defines an external indicator, refuses duplicates, built-in keys and bad ranges, and versions changes", async () => {
    const created = await call("POST", "/v1/indicator-definitions", { token: admin, body: { key, name: "治安警情", unit: "起", direction: "lower_better", min: 0, max: 50 } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ key, builtin: false, active: true, version: 1 });
    expect((await call("POST", "/v1/indicator-definitions", { token: admin, body: { key, name: "x", unit: "起", direction: "lower_better" } })).status).toBe(409);
    expect((await call("POST", "/v1/indicator-definitions", { token: admin, body: { key: "reports", name: "x", unit: "件", direction: "higher_better" } })).status).toBe(409);
    const badRange = await call("POST", "/v1/indicator-definitions", { token: admin, body: { key: `x_${tag}`, name: "x", unit: "件", direction: "higher_better", min: 5, max: 1 } });
    expect(badRange.status).toBe(400);
    expect(badRange.body.error.details.fields[0].path).toBe("max");
    expect((await call("POST", "/v1/indicator-definitions", { token: admin, body: { key: "Bad Key", name: "x", unit: "件", direction: "higher_better" } })).status).toBe(400);
    expect((await call("POST", "/v1/indicator-definitions", { token: await tokenFor("community1"), body: { key: `y_${tag}`, name: "x", unit: "件", direction: "higher_better" } })).status).toBe(403);

    const patched = await call("PATCH", `/v1/indicator-definitions/${key}`, { token: admin, body: { version: 1, max: 40, description: "公安推送的月度警情数" } });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ version: 2, max: 40 });
    expect((await call("PATCH", `/v1/indicator-definitions/${key}`, { token: admin, body: { version: 1, name: "旧版本" } })).status).toBe(409);
    expect((await call("PATCH", "/v1/indicator-definitions/closeRate", { token: admin, body: { version: 1, name: "x" } })).status).toBe(409);
    const listed = await call("GET", "/v1/indicator-definitions?builtin=false", { token: admin });
    expect(listed.body.items.find((d: any) => d.key === key)).toMatchObject({ version: 2, max: 40 });
  });
});

describe("external indicator values", () => {
  it("takes JSON for one unit and a CSV with a byte-order mark for several, keeping other indicators' values", async () => {
    const one = await call("POST", "/v1/indicators", { token: await tokenFor("center"), body: { period: "2026-01", unitId: grid.id, values: { [key]: 3 } } });
    expect(one.status).toBe(200);
    expect(one.body).toEqual({ periods: ["2026-01"], units: 1, values: 1 });
    const key2 = `criminal_cases_${tag}`;
    await call("POST", "/v1/indicator-definitions", { token: admin, body: { key: key2, name: "刑事案件", unit: "起", direction: "lower_better", min: 0 } });
    const csv = `\uFEFFperiod,unit,key,value\r\n2026-01,${grid.code},${key2},1\r\n2026-01,${otherGrid.code},${key},7\r\n"2026-01","${otherGrid.id}",${key2},0\r\n`;
    const bulk = await call("POST", "/v1/indicators", { token: admin, raw: csv, headers: csvType });
    expect(bulk.status).toBe(200);
    expect(bulk.body).toEqual({ periods: ["2026-01"], units: 2, values: 3 });
    const listed = await call("GET", `/v1/indicators?period=2026-01&unitId=${grid.id}`, { token: admin });
    expect(listed.body.items).toHaveLength(1);
    expect(listed.body.items[0]).toMatchObject({ unitId: grid.id, unitCode: grid.code, values: { [key]: 3, [key2]: 1 } });
    const all = await call("GET", "/v1/indicators?period=2026-01&limit=200", { token: admin });
    expect(all.body.items.find((v: any) => v.unitId === otherGrid.id).values).toEqual({ [key]: 7, [key2]: 0 });
  });

  it("checks every row in one pass before writing anything: 400 with every bad row by line, nothing stored", async () => {
    const csv = `period,unit,key,value\n2026-02,${grid.code},${key},3\n2026-02,${grid.code},${key},99\n2026-02,999999999999999,${key},1\n2026-02,${grid.code},closeRate,50\n2026-02,${grid.code},nope_${tag},1\n2026-13,${grid.code},${key},1\n2026-02,${grid.code},${key},abc\n2026-02,,${key},2\n`;
    const r = await call("POST", "/v1/indicators", { token: admin, raw: csv, headers: csvType });
    expect(r.status).toBe(400);
    expect(r.body.error.details.fields.map((f: any) => `${f.path}: ${f.message}`)).toEqual([
      `rows.3.key: ${key}: above the maximum 40`,
      "rows.4.unit: unknown or inactive unit 999999999999999",
      "rows.5.key: closeRate: built-in indicators are computed, not entered",
      `rows.6.key: nope_${tag}: unknown indicator`,
      'rows.7.period: a month YYYY-MM, not "2026-13"',
      "rows.8.value: not a number",
      "rows.9.unit: required",
    ]);
    // the month being imported: a row of another month is an error too
    const other = await call("POST", "/v1/indicators?period=2026-02", { token: admin, raw: `period,unit,key,value\n2026-02,${grid.code},${key},3\n2026-03,${grid.code},${key},4\n`, headers: csvType });
    expect(other.status).toBe(400);
    expect(other.body.error.details.fields).toEqual([{ path: "rows.3.period", message: "2026-03 is not the month being imported (2026-02)" }]);
    expect((await call("POST", "/v1/indicators?period=2026-1", { token: admin, raw: `period,unit,key,value\n2026-02,${grid.code},${key},3\n`, headers: csvType })).status).toBe(400);
    const stored = await call("GET", `/v1/indicators?period=2026-02&unitId=${grid.id}`, { token: admin });
    expect(stored.body.items).toEqual([]);
    const json = await call("POST", "/v1/indicators", { token: admin, body: { period: "2026-02", items: [{ unitId: grid.id, values: { [key]: -1 } }] } });
    expect(json.status).toBe(400);
    expect(json.body.error.details.fields[0].path).toBe(`items.0.values.${key}`);
  });

  it("refuses values outside the caller's part of the hierarchy and from roles without indicators:write", async () => {
    expect((await call("POST", "/v1/indicators", { token: await tokenFor("community1"), body: { period: "2026-01", unitId: grid.id, values: { [key]: 1 } } })).status).toBe(403);
  });

  it("refuses values for a locked month with 409", async () => {
    const period = "2001-03";
    const run = await call("POST", "/v1/appraisals/run", { token: admin, body: { period } });
    expect(run.status).toBe(202);
    for (let i = 0; i < 120; i++) {
      await queuesIdle().catch(() => undefined); // a wait: other files' work may keep the queues busy; the run's status decides
      if ((await call("GET", `/v1/appraisals/${period}/run`, { token: admin })).body.status === "done") break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect((await call("POST", `/v1/appraisals/${period}/lock`, { token: admin })).status).toBe(200);
    const r = await call("POST", "/v1/indicators", { token: admin, body: { period, unitId: grid.id, values: { [key]: 1 } } });
    expect(r.status).toBe(409);
  }, 120_000);
});
