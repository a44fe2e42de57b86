import { describe, it, expect, beforeAll } from "vitest";
import { ownStack } from "../../test/own-stack.ts";
import { DEMO_PASSWORD } from "../../test/fixtures.ts";
import { as, forgetLogins, ok } from "../registry/testing.ts";
import { clock } from "../../core/clock.ts";
import { getJob } from "../../core/job/repo.ts";
import { getUnit } from "../../core/unit/repo.ts";
import { moveSubtree } from "../../core/unit/move.ts";
import { startMove } from "../../core/unit/move-start.ts";
import { runUnitMove } from "../../core/unit/move-job.ts";

/**
 * A community with open cases and registry records moves from 湖里街道 to 殿前街道. The units move at
 * once; the unit-move job re-paths the records. Every role's visibility is checked before, with the
 * job cut short after its first page (cases re-pathed, households not yet), and after it resumed
 * (twice at once: a duplicate delivery). The move is driven in-process so the job can be paused;
 * the reads go over HTTP. Own stack: it moves demo-shaped units.
 */
ownStack();

const SYSTEM = { kind: "system" as const, id: "move-test" };
let community: any;
let street1Id: string;
let street2Id: string;
const cases: string[] = [];
const households: string[] = [];

beforeAll(async () => {
  forgetLogins();
  const byCode = async (code: string) => ok(await as("admin", "GET", `/v1/units?q=${code}&limit=5`)).items.find((u: any) => u.code === code);
  street1Id = (await byCode("350206001")).id;
  street2Id = (await byCode("350206002")).id;
  community = ok(await as("admin", "POST", "/v1/units", { parentId: street1Id, name: "迁移社区", code: "350206001080" }));
  const grid = ok(await as("admin", "POST", "/v1/units", { parentId: community.id, name: "迁移网格", code: "350206001080001" }));
  ok(await as("admin", "POST", "/v1/users", { username: "mover", displayName: "迁移网格员", password: DEMO_PASSWORD, assignments: [{ role: "grid_worker", unitId: grid.id }] }));
  ok(await as("admin", "POST", "/v1/users", { username: "moverleader", displayName: "迁移社区工作人员", password: DEMO_PASSWORD, assignments: [{ role: "community_staff", unitId: community.id }] }));
  ok(await as("admin", "POST", "/v1/users", { username: "street2", displayName: "殿前街道工作人员", password: DEMO_PASSWORD, assignments: [{ role: "street_staff", unitId: street2Id }] }));
  for (let i = 0; i < 3; i++) {
    const r = ok(await as("mover", "POST", "/v1/cases", { categoryId: "cat-env-garbage", unitId: grid.id, description: `迁移测试事件 ${i}`, location: { lng: 118.09, lat: 24.49 } }));
    cases.push((r.case ?? r).id);
  }
  for (let i = 0; i < 2; i++) households.push(ok(await as("mover", "POST", "/v1/registry/households", { unitId: grid.id, address: `迁移小区 ${i} 号`, membersCount: 2 })).id);
});

/** What a user sees: open cases listed, each case and household read one by one. */
async function sees(username: string) {
  const listed = new Set(ok(await as(username, "GET", "/v1/cases?limit=200")).items.map((v: any) => v.case.id));
  return {
    listed: cases.filter((id) => listed.has(id)).length,
    cases: (await Promise.all(cases.map((id) => as(username, "GET", `/v1/cases/${id}`)))).filter((r) => r.status === 200).length,
    households: (await Promise.all(households.map((id) => as(username, "GET", `/v1/registry/households/${id}`)))).filter((r) => r.status === 200).length,
  };
}

const all = { listed: 3, cases: 3, households: 2 };
const none = { listed: 0, cases: 0, households: 0 };

async function everyRole() {
  return {
    admin: await sees("center"), // the dispatch centre (county-wide cases and registry)
    oldStreet: await sees("street1"),
    newStreet: await sees("street2"),
    community: await sees("moverleader"),
    worker: await sees("mover"),
  };
}

describe("a unit move re-paths what lives under it, and reads stay right while it runs", () => {
  it("moves a community with open cases and households: every role sees the same before, mid-way and after", async () => {
    expect(await everyRole()).toEqual({ admin: all, oldStreet: all, newStreet: none, community: all, worker: all });

    // the move: registered, units moved, job cut short after its first page (the open cases)
    const root = (await getUnit(community.id, true))!;
    const parent = (await getUnit(street2Id, true))!;
    const started = await startMove(SYSTEM, root, `${parent.path}${root.id}/`, clock.now());
    await moveSubtree(root, parent, `${parent.code}080`, clock.now(), SYSTEM);
    await runUnitMove(started.jobId, clock, { maxPages: 1 });
    const mid = (await getJob(started.jobId, true))!;
    expect(mid).toMatchObject({ kind: "unit-move", status: "running", total: 5, done: 3 });
    const overHttp = ok(await as("admin", "GET", `/v1/jobs/${started.jobId}`));
    expect(overHttp).toMatchObject({ status: "running", total: 5, done: 3 });
    // tokens issued before the move still carry the old paths: they are read canonically
    expect(await everyRole()).toEqual({ admin: all, oldStreet: none, newStreet: all, community: all, worker: all });

    // resumed, and delivered twice at once: it finishes once
    await Promise.all([runUnitMove(started.jobId, clock), runUnitMove(started.jobId, clock)]);
    const done = (await getJob(started.jobId, true))!;
    expect(done).toMatchObject({ status: "succeeded", total: 5, done: 5 });
    expect(done.result).toMatchObject({ households: 2, users: 2 }); // what the resumed run re-pathed (the cases were done before the cut)
    forgetLogins(); // fresh tokens after the move
    expect(await everyRole()).toEqual({ admin: all, oldStreet: none, newStreet: all, community: all, worker: all });
    const c = ok(await as("mover", "GET", `/v1/cases/${cases[0]}`));
    expect((c.case ?? c).unitPath.startsWith(`${parent.path}${root.id}/`)).toBe(true);
    // a repeated delivery after it finished changes nothing
    await runUnitMove(started.jobId, clock);
    expect((await getJob(started.jobId, true))!.attempts).toBe(done.attempts);
  }, 120_000);
});
