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
import { GetCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { db, tableName } from "../../core/db/client.ts";
import * as keys from "../../core/db/keys.ts";
import { countyMonth } from "../../core/aggregate/apply.ts";
import { call } from "../../test/client.ts";
import { indexPatrolsByGrid } from "../../core/db/migrations.ts";

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
const places: string[] = [];
let closedCase: string;
let apiKeyId: string;
let residentId: string;
let patrolId: string;
let leaverPatrolId: string;
let taskId: string;
let gridId: string;
let gridCode: string;

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
  places.push(ok(await as("mover", "POST", "/v1/registry/places", { unitId: grid.id, name: "迁移小卖部", kind: "shop", address: "迁移小区门口", ownerName: "王店主", ownerPhone: "13900001111" })).id);
  gridCode = grid.code;
  // what else lives under the subtree: a rejected (closed) case, a key scoped to the community, a resident of the
  // grid, a patrol and a visit by its worker
  const rejected = ok(await as("mover", "POST", "/v1/cases", { categoryId: "cat-env-garbage", unitId: grid.id, description: "迁移测试已结事件", location: { lng: 118.09, lat: 24.49 } }));
  closedCase = (rejected.case ?? rejected).id;
  ok(await as("center", "POST", `/v1/cases/${closedCase}/reject`, { reason: "不属实" }));
  apiKeyId = ok(await as("admin", "POST", "/v1/api-keys", { name: "迁移社区合作方", permissions: ["cases:read"], unitId: community.id })).id;
  const phone = `139${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;
  const sent = await call("POST", "/v1/residents/code", { body: { phone } });
  expect(sent.status).toBe(201);
  const verified = await call("POST", "/v1/residents/verify", { body: { phone, code: sent.body.devCode, gridCode: grid.code } });
  expect(verified.status).toBe(200);
  residentId = verified.body.resident.id;
  patrolId = ok(await as("mover", "POST", "/v1/duties/patrols", { point: { lng: 118.09, lat: 24.49 } })).id;
  ok(await as("mover", "POST", "/v1/duties/visits", { householdId: households[0], notes: "迁移前走访" }));
  // the worker's patrol written before patrols were indexed by grid (no gsi3 until migration 0003): found through
  // the grid's current staff
  await db().send(new UpdateCommand({ TableName: tableName(), Key: keys.patrol(patrolId), UpdateExpression: "REMOVE gsi3pk, gsi3sk" }));
  // a worker who patrolled the grid and left it (to a grid outside the subtree) before the move: the patrol was
  // walked in the moved grid, so it follows the grid
  const stay = ok(await as("admin", "POST", "/v1/units", { parentId: street1Id, name: "留守社区", code: "350206001081" }));
  const stayGrid = ok(await as("admin", "POST", "/v1/units", { parentId: stay.id, name: "留守网格", code: "350206001081001" }));
  const leaver = ok(await as("admin", "POST", "/v1/users", { username: "moverleft", displayName: "已调离网格员", password: DEMO_PASSWORD, assignments: [{ role: "grid_worker", unitId: grid.id }] }));
  leaverPatrolId = ok(await as("moverleft", "POST", "/v1/duties/patrols", { point: { lng: 118.09, lat: 24.49 } })).id;
  ok(await as("admin", "PATCH", `/v1/users/${leaver.id}`, { version: leaver.version, assignments: [{ role: "grid_worker", unitId: stayGrid.id }] }));
  // a department task over the grid, approved: one task unit carrying the grid's path
  const type = ok(await as("center", "POST", "/v1/tasks/types", { code: "move-check", name: "迁移核实", category: "verification", defaultDays: 5 }));
  taskId = ok(await as("dept1", "POST", "/v1/tasks", { typeId: type.id, unitIds: [grid.id], description: "迁移前核实" })).id;
  ok(await as("center", "POST", `/v1/tasks/${taskId}/approve`, { note: "同意" }));
  gridId = grid.id;
});

/** The stored `unitPath` of everything else under the subtree (raw items: residents, keys, patrols and visits have no staff read of their path). */
async function storedPaths() {
  const get = async (key: Record<string, string>) => (await db().send(new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true }))).Item!;
  const key = (await db().send(new QueryCommand({ TableName: tableName(), IndexName: "gsi2", KeyConditionExpression: "gsi2pk = :pk", ExpressionAttributeValues: { ":pk": keys.apiKeyById(apiKeyId).gsi2pk } }))).Items![0];
  const visits = (await db().send(new QueryCommand({ TableName: tableName(), KeyConditionExpression: "pk = :pk AND begins_with(sk, :v)", ExpressionAttributeValues: { ":pk": keys.household(households[0]).pk, ":v": keys.visitPrefix }, ConsistentRead: true }))).Items!;
  expect(visits.length).toBe(1);
  return {
    closedCase: (await get(keys.case(closedCase))).unitPath,
    apiKey: (await get({ pk: key.pk, sk: key.sk })).unitPath,
    resident: (await get(keys.resident(residentId))).unitPath,
    patrol: (await get(keys.patrol(patrolId))).unitPath,
    leaverPatrol: (await get(keys.patrol(leaverPatrolId))).unitPath,
    taskUnit: (await get(keys.taskUnit(taskId, gridId))).unitPath,
    visit: visits[0].unitPath,
  };
}

/** Closed cases this month, households and places as a user's lists show them (ids of this file's records). */
async function lists(username: string) {
  const month = countyMonth(clock.now());
  const closed = new Set(ok(await as(username, "GET", `/v1/cases?closedMonth=${month}&limit=200`)).items.map((v: any) => v.case.id));
  const hh = new Set(ok(await as(username, "GET", "/v1/registry/households?limit=200")).items.map((h: any) => h.id));
  const pl = new Set(ok(await as(username, "GET", "/v1/registry/places?limit=200")).items.map((x: any) => x.id));
  return { closed: closed.has(closedCase) ? 1 : 0, households: households.filter((id) => hh.has(id)).length, places: places.filter((id) => pl.has(id)).length };
}
const listsAll = { closed: 1, households: 2, places: 1 };
const listsNone = { closed: 0, households: 0, places: 0 };

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
    expect(await lists("street1")).toEqual(listsAll);
    expect(await lists("street2")).toEqual(listsNone);
    const oldPath = (await getUnit(community.id, true))!.path;
    expect(Object.values(await storedPaths()).every((p) => p.startsWith(oldPath))).toBe(true);

    // the move: registered, units moved, job cut short after its first page (the open cases)
    const root = (await getUnit(community.id, true))!;
    const parent = (await getUnit(street2Id, true))!;
    const started = await startMove(SYSTEM, root, `${parent.path}${root.id}/`, clock.now());
    await moveSubtree(root, parent, `${parent.code}080`, clock.now(), SYSTEM);
    await runUnitMove(started.jobId, clock, { maxPages: 1 });
    const mid = (await getJob(started.jobId, true))!;
    // 3 open cases + 2 households + 1 place, then 1 closed case, 1 key, 1 resident, 1 visit, 2 patrols (the
    // worker's, the leaver's), 1 task unit
    expect(mid).toMatchObject({ kind: "unit-move", status: "running", total: 13, done: 3 });
    const overHttp = ok(await as("admin", "GET", `/v1/jobs/${started.jobId}`));
    expect(overHttp).toMatchObject({ status: "running", total: 13, done: 3 });
    // tokens issued before the move still carry the old paths: they are read canonically
    expect(await everyRole()).toEqual({ admin: all, oldStreet: none, newStreet: all, community: all, worker: all });
    // lists keyed by path read the old location too while the job runs (households and places not re-pathed yet)
    expect(await lists("street2")).toEqual(listsAll);
    expect(await lists("street1")).toEqual(listsNone);

    // resumed, and delivered twice at once: one run takes the job's lease, the other is refused while it is live
    // (JobLeaseHeld: its message comes back later, core/job/lease.ts), and the job finishes once
    const runs = await Promise.allSettled([runUnitMove(started.jobId, clock), runUnitMove(started.jobId, clock)]);
    expect(runs.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect((runs.find((r) => r.status === "rejected") as PromiseRejectedResult).reason.name).toBe("JobLeaseHeld");
    const done = (await getJob(started.jobId, true))!;
    expect(done).toMatchObject({ status: "succeeded", total: 13, done: 13 });
    // what the resumed run re-pathed (the open cases were done before the cut)
    expect(done.result).toMatchObject({ households: 2, places: 1, "closed-cases": 1, "api-keys": 1, residents: 1, visits: 1, patrols: 2, "task-units": 1, users: 2 });
    forgetLogins(); // fresh tokens after the move
    expect(await everyRole()).toEqual({ admin: all, oldStreet: none, newStreet: all, community: all, worker: all });
    const c = ok(await as("mover", "GET", `/v1/cases/${cases[0]}`));
    expect((c.case ?? c).unitPath.startsWith(`${parent.path}${root.id}/`)).toBe(true);
    // everything else under the subtree carries the new path
    const newPath = `${parent.path}${root.id}/`;
    const stored = await storedPaths();
    expect(Object.entries(stored).filter(([, p]) => !p.startsWith(newPath))).toEqual([]);
    // the task unit's path decides who may complete it: the community's staff (scoped to the new path) can
    const completed = ok(await as("moverleader", "POST", `/v1/tasks/${taskId}/units/${gridId}/complete`, { data: {}, note: "迁移后核实" }));
    expect(completed.unit).toMatchObject({ status: "done", unitPath: `${newPath}${gridId}/` });
    expect(await lists("street2")).toEqual(listsAll);
    expect(await lists("street1")).toEqual(listsNone);
    // migration 0003 indexes the patrol written without the by-grid index under its grid, once
    expect(await indexPatrolsByGrid()).toEqual({ indexed: 1 });
    const indexed = (await db().send(new GetCommand({ TableName: tableName(), Key: keys.patrol(patrolId), ConsistentRead: true }))).Item!;
    expect(indexed.gsi3pk).toBe(keys.patrolByUnit(gridId, "", "").gsi3pk);
    expect(await indexPatrolsByGrid()).toEqual({ indexed: 0 });
    // a repeated delivery after it finished changes nothing
    await runUnitMove(started.jobId, clock);
    expect((await getJob(started.jobId, true))!.attempts).toBe(done.attempts);
  }, 120_000);
});
