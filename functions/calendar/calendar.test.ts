import { describe, it, expect, beforeAll } from "vitest";
import { call } from "../../test/client.ts";
import { adminToken, tokenFor } from "../../test/fixtures.ts";
import { defaultCalendar } from "../../core/calendar/schema.ts";

let admin: string;
let worker: string;

beforeAll(async () => {
  admin = await adminToken();
  worker = await tokenFor("worker1");
});

/** The calendar as a PUT body: every field and the version read. */
/** What a client PUTs back of what it read: not the read-only `updatedAt` and `warnings`. */
const asBody = ({ updatedAt: _u, warnings: _w, ...cal }: any) => cal;

async function auditOf(month: string): Promise<any[]> {
  const found: any[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 20; i++) {
    const r: any = await call("GET", `/v1/audit?month=${month}&entity=calendar&limit=200${cursor ? `&cursor=${cursor}` : ""}`, { token: admin });
    found.push(...r.body.items);
    cursor = r.body.nextCursor;
    if (!cursor) break;
  }
  return found;
}

describe("working calendar", () => {
  it("serves the county calendar with its version to every staff member", async () => {
    const r = await call("GET", "/v1/calendar", { token: worker });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ timeZone: "Asia/Shanghai", weekdays: expect.any(Array), periods: expect.any(Array), version: expect.any(Number) });
    // other files may have saved a calendar already: the one served is the bundled default (version 0) or the saved version it names
    const saved = (await call("GET", "/v1/calendar/versions?limit=200", { token: worker })).body.items;
    const source = r.body.version === 0 ? defaultCalendar() : saved.find((v: any) => v.version === r.body.version).calendar;
    expect(r.body).toMatchObject({ holidays: source.holidays, workdays: source.workdays });
    expect(defaultCalendar().holidays).toContain("2026-10-01");
  });

  it("replaces the calendar with the version read, keeps each version, and audits the change", async () => {
    const before = (await call("GET", "/v1/calendar", { token: admin })).body;
    const put = await call("PUT", "/v1/calendar", {
      token: admin,
      body: { ...asBody(before), holidays: ["2030-01-02", ...before.holidays, "2030-01-02"], workdays: [...before.workdays, "2030-01-05"] },
    });
    expect(put.status).toBe(200);
    expect(put.body.version).toBe(before.version + 1);
    expect(put.body.holidays.filter((d: string) => d === "2030-01-02")).toHaveLength(1);
    expect(put.body.holidays).toEqual([...put.body.holidays].sort());
    expect((await call("GET", "/v1/calendar", { token: worker })).body).toEqual(put.body);

    const versions = await call("GET", "/v1/calendar/versions?limit=2", { token: worker });
    expect(versions.status).toBe(200);
    expect(versions.body.items[0]).toMatchObject({ version: put.body.version, savedBy: { kind: "user", name: "admin" } });
    expect(versions.body.items[0].calendar.holidays).toContain("2030-01-02");

    const entry = (await auditOf(put.body.updatedAt.slice(0, 7))).find((e) => e.summary === `calendar version ${put.body.version}`);
    expect(entry).toMatchObject({ action: "calendar.update", entity: "calendar", actor: { name: "admin" } });
    expect(entry.changes.holidays.to).toContain("2030-01-02");
    expect(entry.changes.workdays.to).toContain("2030-01-05");

    // put the previous days back (a new version; the old ones stay listed)
    const back = await call("PUT", "/v1/calendar", { token: admin, body: { ...asBody(put.body), holidays: before.holidays, workdays: before.workdays } });
    expect(back.status).toBe(200);
    const all = (await call("GET", `/v1/calendar/versions?limit=200`, { token: admin })).body.items.map((v: any) => v.version);
    expect(all.slice(0, 2)).toEqual([back.body.version, put.body.version]);
  });

  it("refuses a stale version with 409 and the current calendar", async () => {
    const now = (await call("GET", "/v1/calendar", { token: admin })).body;
    const r = await call("PUT", "/v1/calendar", { token: admin, body: { ...asBody(now), version: now.version + 5 } });
    expect(r.status).toBe(409);
    expect(r.body.error.details.current.version).toBe(now.version);
  });

  it("refuses an invalid calendar with 400 and the offending fields", async () => {
    const now = (await call("GET", "/v1/calendar", { token: admin })).body;
    const r = await call("PUT", "/v1/calendar", {
      token: admin,
      body: { ...asBody(now), timeZone: "Mars/Olympus", periods: [{ start: "13:00", end: "12:00" }], weekdays: [1, 1], holidays: ["2026-02-30"] },
    });
    expect(r.status).toBe(400);
    const paths = r.body.error.details.fields.map((f: any) => f.path);
    expect(paths).toEqual(expect.arrayContaining(["timeZone", "periods.0.end", "weekdays", "holidays.0"]));
    const both = await call("PUT", "/v1/calendar", { token: admin, body: { ...asBody(now), holidays: ["2030-03-01"], workdays: ["2030-03-01"] } });
    expect(both.status).toBe(400);
    expect(both.body.error.details.fields[0].path).toBe("workdays.0");
    expect((await call("PUT", "/v1/calendar", { token: admin, body: { ...asBody(now), version: undefined } })).status).toBe(400);
  });

  it("forbids changes to a grid worker (403)", async () => {
    const now = (await call("GET", "/v1/calendar", { token: worker })).body;
    expect((await call("PUT", "/v1/calendar", { token: worker, body: asBody(now) })).status).toBe(403);
  });
});
