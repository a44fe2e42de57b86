import { describe, it, expect, beforeAll } from "vitest";
import { call, queuesIdle } from "../../test/client.ts";
import { tokenFor } from "../../test/fixtures.ts";
import { must, report } from "../../test/cases.ts";
import { ownStack } from "../../test/own-stack.ts";
import { addMonths, foldOpenCounts, openNow } from "./fold.ts";
import { foldMarker } from "./repo-fold.ts";
import { aggregateKey, countyMonth } from "./apply.ts";
import { aggregateItemsByKey, writeCountersOnce } from "./repo.ts";
import { as, ok } from "../../functions/registry/testing.ts";
import { DEMO_PASSWORD } from "../../test/fixtures.ts";
import { getUnit } from "../unit/repo.ts";
import { moveSubtree } from "../unit/move.ts";
import { startMove } from "../unit/move-start.ts";
import { runUnitMove } from "../unit/move-job.ts";

// exact counts and a moved clock: this file's own stack (its start writes the fold marker: month before its first start)
const stack = ownStack();

let center: string;
let path: string[];
let m0: string;
beforeAll(async () => {
  center = await tokenFor("center");
  m0 = countyMonth(stack.get().clock.now());
});

const bases = async (ids: string[]) => {
  const got = await aggregateItemsByKey(ids.map((id) => aggregateKey("live", `unit#${id}`)));
  return ids.map((id) => got.get(`AGG#live|unit#${id}`) ?? null);
};
const open = async () => [...(await openNow(path, stack.get().clock.now())).values()];
const overviewOpen = async () => {
  const r = await call("GET", "/v1/stats/overview", { token: center });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.totals.open as number;
};
/** Report a case in county month `month` (day 10) with the events consumer paused: its events wait in the queue. */
const reportHeld = async (month: string) => {
  stack.get().clock.set(new Date(`${month}-10T02:00:00Z`));
  stack.get().poller!.pause("events", true);
  const r = await report("worker1");
  return r;
};
const release = async (month: string) => {
  stack.get().clock.set(new Date(`${month}-02T04:00:00Z`));
  stack.get().poller!.pause("events", false);
  await queuesIdle();
};

describe("the open count as a monthly delta, folded once a month (#16 B)", () => {
  let afterReports: number[];
  let overviewAfter: number;

  it("counts open cases exactly from the base and the months' openDelta, with no AGG#live write", async () => {
    await queuesIdle();
    expect(await foldMarker()).toEqual({ through: addMonths(m0, -1), state: "done" });
    const first = await report("worker1");
    path = first.case.unitPath.split("/").filter(Boolean);
    await queuesIdle();
    const before = await open();
    const basesBefore = await bases(path);
    const overviewBefore = await overviewOpen();
    const a = await report("worker1");
    await report("worker1");
    await report("worker1");
    await must("center", a.case.id, "reject", { reason: "重复上报" });
    await queuesIdle();
    afterReports = await open();
    expect(afterReports).toEqual(before.map((n) => n + 2));
    expect(await bases(path)).toEqual(basesBefore);
    overviewAfter = await overviewOpen();
    expect(overviewAfter - overviewBefore).toBe(2);
    // the month items carry the change (every unit of the path)
    const months = await aggregateItemsByKey(path.map((id) => aggregateKey(m0, `unit#${id}`)));
    for (const id of path) expect(months.get(`AGG#${m0}|unit#${id}`)?.openDelta).toBeGreaterThanOrEqual(3);
  });

  it("stays exact while a fold is half way, for a late event met during it, and after it; a second run changes nothing", async () => {
    const m2 = addMonths(m0, 2);
    // a case of m0 whose events are consumed only two months later, while m0 is being folded
    await reportHeld(m0);
    stack.get().clock.set(new Date(`${m2}-02T04:00:00Z`));
    expect(await foldOpenCounts(stack.get().clock.now(), { maxUnits: 1 })).toEqual({ month: m0, units: 1, done: false });
    expect(await foldMarker()).toEqual({ through: m0, state: "folding" });
    expect(await open()).toEqual(afterReports);
    expect(await overviewOpen()).toBe(overviewAfter);

    await release(m2);
    const withLate = afterReports.map((n) => n + 1);
    expect(await open()).toEqual(withLate);

    const rest = await foldOpenCounts(stack.get().clock.now());
    expect(rest.done).toBe(true);
    expect(rest.month).toBe(m0);
    expect(await foldMarker()).toEqual({ through: m0, state: "done" });
    expect(await open()).toEqual(withLate);
    expect(await overviewOpen()).toBe(overviewAfter + 1);
    for (const b of await bases(path)) expect(b?.foldedThrough).toBe(m0);

    const basesDone = await bases(path);
    const again = await foldOpenCounts(stack.get().clock.now());
    expect(again).toEqual({ units: 0, done: false, skipped: `${addMonths(m0, 1)} is not two months past yet` });
    expect(await bases(path)).toEqual(basesDone);
    expect(await open()).toEqual(withLate);
    afterReports = withLate;
  });

  it("counts a late event of an already folded month once, in the base", async () => {
    const m2 = addMonths(m0, 2);
    const basesBefore = await bases(path);
    await reportHeld(m0);
    await release(m2);
    expect(await open()).toEqual(afterReports.map((n) => n + 1));
    expect((await bases(path)).map((b) => b?.open)).toEqual(basesBefore.map((b) => Number(b?.open) + 1));
    afterReports = afterReports.map((n) => n + 1);
  });

  it("refuses a transaction routed by a marker that moved since it was read (counted once, after routing again)", async () => {
    const marker = await foldMarker();
    const mark = { id: `fold-test-${Date.now()}` };
    const expiresAt = Math.floor(Date.now() / 1000) + 3600;
    const writes = [{ period: addMonths(m0, 1), subject: `unit#${path[0]}`, counters: new Map([["openDelta", 1]]) }];
    expect(await writeCountersOnce([mark], writes, expiresAt, { through: addMonths(marker!.through, -1) })).toEqual({ duplicates: [] });
    expect(await open()).toEqual(afterReports);
    expect(await writeCountersOnce([mark], writes, expiresAt, { through: marker!.through })).toBe("applied");
    expect((await open())[0]).toBe(afterReports[0] + 1);
  });

  it("keeps subtree counts through a unit move after a fold (the move shifts the base)", async () => {
    const m2 = addMonths(m0, 2);
    const m4 = addMonths(m0, 4);
    const SYSTEM = { kind: "system" as const, id: "fold-test" };
    const byCode = async (code: string) => ok(await as("admin", "GET", `/v1/units?q=${code}&limit=5`)).items.find((u: any) => u.code === code);
    const street1 = (await byCode("350206001")).id as string;
    const street2 = (await byCode("350206002")).id as string;
    const community = ok(await as("admin", "POST", "/v1/units", { parentId: street1, name: "折叠社区", code: "350206001081" }));
    const grid = ok(await as("admin", "POST", "/v1/units", { parentId: community.id, name: "折叠网格", code: "350206001081001" }));
    ok(await as("admin", "POST", "/v1/users", { username: "folder", displayName: "折叠网格员", password: DEMO_PASSWORD, assignments: [{ role: "grid_worker", unitId: grid.id }] }));
    const reportIn = async () => ok(await as("folder", "POST", "/v1/cases", { categoryId: "cat-env-garbage", unitId: grid.id, description: "折叠测试事件", location: { lng: 118.09, lat: 24.49 } }));
    // two cases of m2, folded; one of m4, not folded
    await reportIn();
    await reportIn();
    await queuesIdle();
    const units = [street1, street2, community.id as string, grid.id as string];
    const before = await openNow(units, stack.get().clock.now());
    stack.get().clock.set(new Date(`${m4}-02T04:00:00Z`));
    expect((await foldOpenCounts(stack.get().clock.now())).month).toBe(addMonths(m0, 1));
    expect(await foldOpenCounts(stack.get().clock.now())).toMatchObject({ month: m2, done: true });
    expect(await openNow(units, stack.get().clock.now())).toEqual(before);
    await reportIn();
    await queuesIdle();
    const withThird = await openNow(units, stack.get().clock.now());
    expect([...withThird.values()]).toEqual([before.get(street1)! + 1, before.get(street2)!, 3, 3]);

    const root = (await getUnit(community.id))!;
    const parent = (await getUnit(street2))!;
    const started = await startMove(SYSTEM, root, `${parent.path}${root.id}/`, stack.get().clock.now());
    await moveSubtree(root, parent, `${parent.code}081`, stack.get().clock.now(), SYSTEM);
    await runUnitMove(started.jobId, stack.get().clock);
    await queuesIdle();
    const after = await openNow(units, stack.get().clock.now());
    expect([...after.values()]).toEqual([withThird.get(street1)! - 3, withThird.get(street2)! + 3, 3, 3]);
  });
});
