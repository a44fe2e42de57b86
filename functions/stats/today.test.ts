import { describe, it, expect, beforeAll } from "vitest";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { call, queuesIdle, setClock } from "../../test/client.ts";
import { tokenFor } from "../../test/fixtures.ts";
import { report } from "../../test/cases.ts";
import { ownStack } from "../../test/own-stack.ts";
import { db, tableName } from "../../core/db/client.ts";
import { applyEvents } from "../../core/aggregate/apply.ts";
import { Story } from "../../core/case/fixtures.ts";
import { toDomainEvents } from "../../core/case/repo.ts";

/**
 * #16: a unit's counters of the county day are `dDD_` attributes of its month item, no `AGG#<day>`
 * item. "Today" on the dashboard must stay exact across a county-day boundary and when an event of
 * yesterday is counted late. Own stack: the clock starts at 23:00 on 4 December in the county.
 */
ownStack({ at: "2026-12-04T15:00:00Z", startTimeoutMs: 300_000 });

let center: string;
beforeAll(async () => {
  center = await tokenFor("center");
});

const overview = async () => {
  const r = await call("GET", "/v1/stats/overview", { token: center });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
};
const monthItem = async (unitId: string) =>
  (await db().send(new GetCommand({ TableName: tableName(), Key: { pk: "AGG#2026-12", sk: `unit#${unitId}` }, ConsistentRead: true }))).Item!;

describe("today's figures from the day attributes of the month item", () => {
  it("counts today exactly across a county-day boundary, and a late event of yesterday does not touch today", async () => {
    await queuesIdle();
    const start = await overview();
    expect(start.day).toBe("2026-12-04");
    const a = (await report("worker1")).case;
    await queuesIdle();
    const evening = await overview();
    expect((evening.totals.today.reports ?? 0) - (start.totals.today.reports ?? 0)).toBe(1);
    const rootId = a.unitPath.split("/").filter(Boolean)[0];
    expect((await monthItem(rootId)).d04_reports).toBe(evening.totals.today.reports);

    // 00:30 on 5 December in the county: a new day, nothing reported yet
    await setClock("2026-12-04T16:30:00Z");
    const midnight = await overview();
    expect(midnight.day).toBe("2026-12-05");
    expect(midnight.totals.today).toEqual({});
    expect(midnight.totals.month.reports).toBe(evening.totals.month.reports);

    await report("worker1");
    await report("worker1");
    await queuesIdle();
    const morning = await overview();
    expect(morning.totals.today.reports).toBe(2);
    // the first write of the 5th removed the 4th's attributes
    const item = await monthItem(rootId);
    expect(item.d05_reports).toBe(2);
    expect(item.d04_reports).toBeUndefined();

    // an event of 23:10 on the 4th reaches the counters only now (a redelivery from the dead-letter queue)
    const story = new Story();
    const late = { ...toDomainEvents(story.log[0].next, story.log[0].events)[0] };
    Object.assign(late, { id: `late-${a.id}:1:0`, caseId: `late-${a.id}`, unitId: a.unitId, unitPath: a.unitPath, at: "2026-12-04T15:10:00Z" });
    expect((await applyEvents([late])).get(late.id)).toBe("applied");
    expect((await applyEvents([late])).get(late.id)).toBe("duplicate");
    const after = await overview();
    expect(after.totals.today.reports).toBe(2);
    expect(after.totals.month.reports).toBe(morning.totals.month.reports + 1);
    const again = await monthItem(rootId);
    expect(again.d05_reports).toBe(2);
    expect(again.d04_reports).toBe(1); // a stale day: kept until a write of a later day, never read
  });
});
