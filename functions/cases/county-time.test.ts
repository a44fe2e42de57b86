import { describe, it, expect } from "vitest";
import { call, queuesIdle, setClock } from "../../test/client.ts";
import { tokenFor } from "../../test/fixtures.ts";
import { must, report } from "../../test/cases.ts";
import { ownStack } from "../../test/own-stack.ts";
import { as, newIdNumber, unitOf } from "../registry/testing.ts";
import { GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { db, tableName } from "../../core/db/client.ts";
import { clock } from "../../core/clock.ts";
import { refileClosedCases } from "../../core/db/migrations.ts";

/**
 * Issue 14, county time everywhere: at 23:30 UTC on 30 November it is already 07:30 on 1 December
 * in the county (Asia/Shanghai, the county setting). A case closed or rejected then is filed under
 * the county's December, and a child born on 1 December can be registered. Own stack: its injected
 * clock is set to that instant.
 */
ownStack({ at: "2026-11-30T23:30:00Z" });

async function closedIn(month: string): Promise<string[]> {
  const r = await call("GET", `/v1/cases?closedMonth=${month}&limit=200`, { token: await tokenFor("center") });
  expect(r.status).toBe(200);
  return r.body.items.map((v: any) => v.case.id);
}

async function photo(username: string): Promise<string> {
  const up = await call("POST", "/v1/uploads", { token: await tokenFor(username), body: { contentType: "image/jpeg", size: 4, tag: "after" } });
  expect(up.status).toBe(201);
  const put = await fetch(up.body.uploadUrl, { method: "PUT", headers: up.body.headers, body: new Uint8Array([1, 2, 3, 4]) });
  expect(put.ok).toBe(true);
  return up.body.key;
}

describe("county day and month at a UTC-crossing instant", () => {
  it("files a case closed or rejected at 23:30 UTC on 30 November under the county's December", async () => {
    const now = (await call("GET", "/_local/clock")).body.now as string;
    expect(now.slice(0, 16)).toBe("2026-11-30T23:30");
    const rejected = (await report("worker1")).case.id;
    await must("center", rejected, "reject", { reason: "不属实" });
    const resolved = (await report("worker1")).case.id;
    const closed = await must("worker1", resolved, "resolve", { note: "已当场处理", attachments: [{ key: await photo("worker1") }] });
    expect((closed.case ?? closed).state).toBe("closed");
    expect((await closedIn("2026-12")).sort()).toEqual([rejected, resolved].sort());
    expect(await closedIn("2026-11")).toEqual([]);

    // a case filed the old way (under its UTC month) is re-filed by migration 0002, once
    await db().send(new UpdateCommand({ TableName: tableName(), Key: { pk: `CASE#${rejected}`, sk: "META" }, UpdateExpression: "SET gsi1pk = :pk", ExpressionAttributeValues: { ":pk": "CASES#CLOSED#2026-11" } }));
    expect(await closedIn("2026-11")).toEqual([rejected]);
    expect((await refileClosedCases(clock.now())).refiled).toBe(1);
    expect(await closedIn("2026-11")).toEqual([]);
    expect((await closedIn("2026-12")).sort()).toEqual([rejected, resolved].sort());
    expect(await refileClosedCases(clock.now())).toEqual({ checked: 2, refiled: 0 });
  });

  it("takes the county's day for the birth date in an ID number", async () => {
    const unitId = await unitOf("worker1");
    // born "today" in the county (1 December), still 30 November in UTC: accepted
    const today = await as("worker1", "POST", "/v1/registry/people", { unitId, name: "新生儿", idNumber: newIdNumber({ birthDate: "2026-12-01" }) });
    expect(today.status).toBe(201);
    // tomorrow in the county is in the future
    const tomorrow = await as("worker1", "POST", "/v1/registry/people", { unitId, name: "未出生", idNumber: newIdNumber({ birthDate: "2026-12-02" }) });
    expect(tomorrow.status).toBe(400);
    expect(tomorrow.body.error.details.fields).toEqual([{ path: "idNumber", message: "birth date in the ID number is in the future" }]);
  });

  it("files a patrol walked at 23:30 UTC on 30 November under the county's 1 December, and that day is not over yet", async () => {
    const patrol = (await as("worker1", "POST", "/v1/duties/patrols", { point: { lng: 118.09, lat: 24.49 } })).body;
    expect(patrol.date).toBe("2026-12-01");
    const listed = await as("worker1", "GET", "/v1/duties/patrols?date=2026-12-01");
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((x: any) => x.id)).toEqual([patrol.id]);
    expect((await as("worker1", "GET", "/v1/duties/patrols?date=2026-11-30")).body.items).toEqual([]);
    // missed patrols are judged only for a county day that is over: 30 November is, 1 December is not
    expect((await as("center", "GET", "/v1/duties/patrols/missed?date=2026-11-30")).status).toBe(200);
    const today = await as("center", "GET", "/v1/duties/patrols/missed?date=2026-12-01");
    expect(today.status).toBe(400);
    expect(today.body.error.details.fields.map((f: any) => f.path)).toEqual(["date"]);
  });

  it("counts the month's figures in the time zone of the county setting, as the appraisal reads them", async () => {
    // a county on Asia/Urumqi (UTC+6): at 17:00 UTC on 31 December it is 23:00 on 31 December there (01:00 on 1 January in Shanghai)
    const admin = await tokenFor("admin");
    const { updatedAt: _u, ...settings } = (await call("GET", "/v1/settings", { token: admin })).body;
    expect((await call("PUT", "/v1/settings", { token: admin, body: { ...settings, timeZone: "Asia/Urumqi" } })).status).toBe(200);
    await setClock("2026-12-31T17:00:00Z");
    const c = (await report("worker1")).case;
    await queuesIdle();
    const rootId = c.unitPath.split("/").filter(Boolean)[0];
    const agg = async (month: string) => (await db().send(new GetCommand({ TableName: tableName(), Key: { pk: `AGG#${month}`, sk: `unit#${rootId}` }, ConsistentRead: true }))).Item;
    // the two reports of 1 December 07:30 (Shanghai, the setting then) and this one of 31 December 23:00 (Urumqi)
    expect((await agg("2026-12"))?.reports).toBe(3);
    expect(await agg("2027-01")).toBeUndefined();
  });
});
