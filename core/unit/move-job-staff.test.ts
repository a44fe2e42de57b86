import { describe, it, expect } from "vitest";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { ownStack } from "../../test/own-stack.ts";
import { DEMO_PASSWORD } from "../../test/fixtures.ts";
import { as, ok } from "../../functions/registry/testing.ts";
import { db, tableName } from "../db/client.ts";
import * as keys from "../db/keys.ts";
import { getJob } from "../job/repo.ts";
import { getUnit } from "./repo.ts";
import { moveSubtree } from "./move.ts";
import { startMove } from "./move-start.ts";
import { runUnitMove } from "./move-job.ts";

/**
 * The unit move job re-paths the role rows of the staff under the moved subtree, then bumps the staff
 * version (CONFIG / VERSION#staff, #16 D) at its own run time, so the events consumer reads role rows
 * again instead of answering "who is on this unit" from rows cached under the old path
 * (core/config/staff-version.ts). This file's own stack: no other file bumps its staff version meanwhile.
 */
const stack = ownStack();
const SYSTEM = { kind: "system" as const, id: "move-job-staff-test" };

const staffVersion = async () => {
  const item = (await db().send(new GetCommand({ TableName: tableName(), Key: keys.configVersion("staff"), ConsistentRead: true }))).Item;
  return { n: Number(item?.n ?? 0), at: item?.at as string | undefined };
};

describe("the unit move job and the staff version", () => {
  it("bumps the staff version when it has re-pathed the role rows, at the time it runs", async () => {
    const byCode = async (code: string) => ok(await as("admin", "GET", `/v1/units?q=${code}&limit=5`)).items.find((u: any) => u.code === code);
    const street1 = (await byCode("350206001")).id as string;
    const street2 = (await byCode("350206002")).id as string;
    const community = ok(await as("admin", "POST", "/v1/units", { parentId: street1, name: "迁移版本社区", code: "350206001083" }));
    const grid = ok(await as("admin", "POST", "/v1/units", { parentId: community.id, name: "迁移版本网格", code: "350206001083001" }));
    ok(await as("admin", "POST", "/v1/users", { username: "moverstaff", displayName: "迁移网格员", password: DEMO_PASSWORD, assignments: [{ role: "grid_worker", unitId: grid.id }] }));

    const root = (await getUnit(community.id))!;
    const parent = (await getUnit(street2))!;
    const started = await startMove(SYSTEM, root, `${parent.path}${root.id}/`, stack.get().clock.now());
    await moveSubtree(root, parent, `${parent.code}083`, stack.get().clock.now(), SYSTEM);
    const before = await staffVersion();

    // the job runs an hour after the move: the bump carries the job's time, not the move's
    stack.get().clock.advance(3_600_000);
    const runAt = stack.get().clock.now().toISOString();
    await runUnitMove(started.jobId, stack.get().clock);
    const after = stack.get().clock.now().toISOString();
    expect(await getJob(started.jobId, true)).toMatchObject({ status: "succeeded", result: { users: 1 } });
    const bumped = await staffVersion();
    expect(bumped.n).toBe(before.n + 1);
    expect(bumped.at! >= runAt && bumped.at! <= after, `${bumped.at} within ${runAt} – ${after}`).toBe(true);
  });
});
