import { describe, it, expect, beforeAll } from "vitest";
import { DeleteCommand } from "@aws-sdk/lib-dynamodb";
import { call, queuesIdle } from "../../test/client.ts";
import { tokenFor } from "../../test/fixtures.ts";
import { must, report } from "../../test/cases.ts";
import { ownStack } from "../../test/own-stack.ts";
import { db, tableName } from "../db/client.ts";
import { addMonths, foldOpenCounts, forgetFoldMarker, openNow, putFoldMarker } from "./fold.ts";
import { FOLD_KEY, foldMarker } from "./repo-fold.ts";
import { aggregateKey, countyMonth } from "./apply.ts";
import { aggregateItemsByKey } from "./repo.ts";

/**
 * The open count's fold (#16 B, core/aggregate/fold.ts) on a table without the fold marker (before
 * migration 0006): the events consumer writes every open change to the base (`AGG#live`) as before
 * the monthly delta, readers read the base only, the daily fold does nothing; a marker written later
 * (the migration) keeps the count exact and sends new changes to the month items. This file's own
 * stack: it deletes the marker, which every other file's stack relies on.
 */
const stack = ownStack();

let center: string;
let path: string[];
beforeAll(async () => {
  center = await tokenFor("center");
});

const now = () => stack.get().clock.now();
const bases = async () => {
  const got = await aggregateItemsByKey(path.map((id) => aggregateKey("live", `unit#${id}`)));
  return path.map((id) => Number(got.get(`AGG#live|unit#${id}`)?.open ?? 0));
};
const deltas = async (month: string) => {
  const got = await aggregateItemsByKey(path.map((id) => aggregateKey(month, `unit#${id}`)));
  return path.map((id) => Number(got.get(`AGG#${month}|unit#${id}`)?.openDelta ?? 0));
};
const open = async () => [...(await openNow(path, now())).values()];
const overviewOpen = async () => {
  const r = await call("GET", "/v1/stats/overview", { token: center });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.totals.open as number;
};
const plus = (xs: number[], k: number) => xs.map((x) => x + k);

describe("the open count with no fold marker (a table before migration 0006)", () => {
  it("goes to the base and is read from the base only; the fold does nothing; the marker written later keeps it exact", async () => {
    await queuesIdle();
    // the table as before migration 0006, in the consumers and readers of this process too
    await db().send(new DeleteCommand({ TableName: tableName(), Key: FOLD_KEY }));
    forgetFoldMarker();
    expect(await foldMarker()).toBeUndefined();
    path = (await report("worker1")).case.unitPath.split("/").filter(Boolean);
    await queuesIdle();
    const m0 = countyMonth(now());
    const [base0, delta0, open0, overview0] = [await bases(), await deltas(m0), await open(), await overviewOpen()];
    // nothing in the month's delta (as on a table that never had the marker); readers read the base alone
    expect(delta0).toEqual(path.map(() => 0));
    expect(open0).toEqual(base0);
    expect(Math.min(...base0)).toBeGreaterThanOrEqual(1);

    // two reports, one of them rejected (it ends): +1 open, all of it in the base
    const a = await report("worker1");
    await report("worker1");
    await must("center", a.case.id, "reject", { reason: "重复上报" });
    await queuesIdle();
    expect(await bases()).toEqual(plus(base0, 1));
    expect(await deltas(m0)).toEqual(delta0);
    expect(await open()).toEqual(plus(open0, 1));
    expect(await overviewOpen()).toBe(overview0 + 1);

    // the daily fold, months later: nothing to fold from, nothing written
    expect(await foldOpenCounts(new Date(`${addMonths(m0, 4)}-02T04:00:00Z`))).toEqual({ units: 0, done: false, skipped: "no fold marker (migration 0006)" });
    expect(await foldMarker()).toBeUndefined();
    expect(await bases()).toEqual(plus(base0, 1));

    // migration 0006 writes the marker (through = the month before): the same count, and new changes go to the month's delta
    expect(await putFoldMarker(addMonths(m0, -1))).toBe(true);
    forgetFoldMarker();
    expect(await open()).toEqual(plus(open0, 1));
    await report("worker1");
    await queuesIdle();
    expect(await bases()).toEqual(plus(base0, 1));
    expect(await deltas(m0)).toEqual(plus(delta0, 1));
    expect(await open()).toEqual(plus(open0, 2));
    expect(await overviewOpen()).toBe(overview0 + 2);
  });
});
