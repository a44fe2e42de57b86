import { describe, it, expect, beforeAll } from "vitest";
import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { call, useStackEnv } from "../../test/client.ts";
import { adminToken, tokenFor } from "../../test/fixtures.ts";
import { must, report } from "../../test/cases.ts";
import { db, tableName } from "../../core/db/client.ts";
import * as keys from "../../core/db/keys.ts";

/** Issue 14, repair: cases stranded by the old bugs (written straight into the table) go back to the dispatch center. */

beforeAll(() => useStackEnv());

/** What the old dispatch and merge bugs left behind, written as they were stored. */
async function strand(id: string, set: Record<string, unknown>) {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const parts = Object.entries(set).map(([k, v], i) => ((names[`#k${i}`] = k), (values[`:v${i}`] = v), `#k${i} = :v${i}`));
  await db().send(new UpdateCommand({ TableName: tableName(), Key: keys.case(id), UpdateExpression: `SET ${parts.join(", ")}`, ExpressionAttributeNames: names, ExpressionAttributeValues: values }));
}

describe("repairing stranded cases", () => {
  it("hands a case owned by a missing department and a case merged into a missing case back to the center, audited", async () => {
    const { case: a } = await report("worker1");
    await must("center", a.id, "accept");
    await strand(a.id, { state: "dispatched", owner: { kind: "department", id: "dept-nope" }, handler: { kind: "department", id: "dept-nope" }, gsi3pk: "CASES#OWNER#department#dept-nope" });
    const { case: b } = await report("worker1");
    const rejected = await must("center", b.id, "reject", { reason: "重复" });
    await strand(b.id, { rejection: { reason: "duplicate", mergedInto: "nonexistent-id" }, gsi2pk: "CASES#STATE#rejected" });
    const admin = await adminToken();

    expect((await call("POST", "/v1/ops/repair-stranded-cases", { token: await tokenFor("center"), body: { dryRun: false } })).status).toBe(403);
    const dry = await call("POST", "/v1/ops/repair-stranded-cases", { token: admin, body: { dryRun: true } });
    expect(dry.status).toBe(200);
    expect(dry.body.repaired).toEqual(expect.arrayContaining([
      expect.objectContaining({ id: a.id, reason: "unknown_department", from: { kind: "department", id: "dept-nope" } }),
      expect.objectContaining({ id: b.id, reason: "merged_into_unknown_case" }),
    ]));
    expect((await call("GET", `/v1/cases/${a.id}`, { token: admin })).body.case.state).toBe("dispatched");

    expect((await call("POST", "/v1/ops/repair-stranded-cases", { token: admin, body: {} })).status).toBe(400); // dryRun must be said
    const run = await call("POST", "/v1/ops/repair-stranded-cases", { token: admin, body: { dryRun: false } });
    expect(run.status).toBe(200);
    expect(run.body.repaired.map((r: any) => r.id)).toEqual(expect.arrayContaining([a.id, b.id]));
    const root = a.unitPath.split("/").filter(Boolean)[0];
    for (const id of [a.id, b.id]) {
      const read = await call("GET", `/v1/cases/${id}`, { token: await tokenFor("center") });
      expect(read.body.case).toMatchObject({ state: "accepted", owner: { kind: "unit", id: root }, timer: { stage: "dispatch" } });
      expect(read.body.timeline.at(-1)).toMatchObject({ type: "returned", data: { repair: true } });
      expect(read.body.allowedActions).toContain("dispatch");
    }
    expect(rejected.case.state).toBe("rejected");
    const audit = await call("GET", `/v1/audit?entity=case&entityId=${a.id}&limit=50`, { token: admin });
    expect(audit.status).toBe(200);
    expect(audit.body.items.map((e: any) => e.action)).toContain("case.repair");

    // idempotent: nothing left to repair for these two
    const again = await call("POST", "/v1/ops/repair-stranded-cases", { token: admin, body: { dryRun: false } });
    expect(again.body.repaired.map((r: any) => r.id)).not.toContain(a.id);
    // and the center can finish the case now
    await must("center", a.id, "dispatch", { to: { kind: "department", id: "dept-urban" }, reason: "修复后改派" });
  });
});
