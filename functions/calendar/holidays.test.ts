import { describe, it, expect, beforeAll } from "vitest";
import { call, useStackEnv } from "../../test/client.ts";
import { adminToken, tokenFor } from "../../test/fixtures.ts";

beforeAll(() => useStackEnv());

// a far year, so no other test's deadlines move; importing the same notice again changes nothing
const YEAR = 2031;

describe("importing a year's official holiday notice", () => {
  it("takes one JSON file: the year's holidays and make-up days replace the calendar's, other years stay", async () => {
    const token = await adminToken();
    const before = await call("GET", "/v1/calendar", { token });
    expect(before.status).toBe(200);
    expect(Array.isArray(before.body.warnings)).toBe(true);
    const r = await call("POST", "/v1/calendar/holidays", { token, body: { year: YEAR, holidays: [`${YEAR}-01-01`, `${YEAR}-10-01`], workdays: [`${YEAR}-09-28`] } });
    expect(r.status).toBe(200);
    expect(r.body.imported).toEqual({ year: YEAR, holidays: 2, workdays: 1 });
    expect(r.body.holidays).toEqual(expect.arrayContaining([`${YEAR}-01-01`, `${YEAR}-10-01`, ...before.body.holidays]));
    expect(r.body.workdays).toContain(`${YEAR}-09-28`);
    expect(r.body.version).toBeGreaterThan(before.body.version);
    const after = await call("GET", "/v1/calendar", { token });
    expect(after.body.holidays.filter((d: string) => d.startsWith(`${YEAR}-`))).toEqual([`${YEAR}-01-01`, `${YEAR}-10-01`]);
  });

  it("takes the same notice as CSV (date,type with 休/班)", async () => {
    const token = await adminToken();
    const csv = `date,type\n${YEAR}-01-01,休\n${YEAR}-10-01,休\n${YEAR}-09-28,班\n`;
    const r = await call("POST", "/v1/calendar/holidays", { token, raw: csv, headers: { "content-type": "text/csv" } });
    expect(r.status).toBe(200);
    expect(r.body.imported).toEqual({ year: YEAR, holidays: 2, workdays: 1 });
  });

  it("refuses a bad file naming the line or field, and callers without calendar:write", async () => {
    const token = await adminToken();
    const wrongYear = await call("POST", "/v1/calendar/holidays", { token, body: { year: YEAR, holidays: [`${YEAR + 1}-01-01`] } });
    expect(wrongYear.status).toBe(400);
    expect(wrongYear.body.error.details.fields).toEqual([{ path: "holidays.0", message: `not in ${YEAR}`, code: "custom" }]);
    const badCsv = await call("POST", "/v1/calendar/holidays", { token, raw: `date,type\n${YEAR}-01-01,maybe\n`, headers: { "content-type": "text/csv" } });
    expect(badCsv.status).toBe(400);
    expect(badCsv.body.error.details.fields[0].path).toBe("line 2");
    const worker = await call("POST", "/v1/calendar/holidays", { token: await tokenFor("worker1"), body: { year: YEAR, holidays: [`${YEAR}-01-01`] } });
    expect(worker.status).toBe(403);
  });
});
