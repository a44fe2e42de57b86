import { describe, it, expect, beforeAll } from "vitest";
import { randomInt } from "node:crypto";
import { DEMO_PASSWORD } from "../../test/fixtures.ts";
import { call, login, useStackEnv } from "../../test/client.ts";
import { as, forgetLogins, ok } from "../registry/testing.ts";
import { clock } from "../../core/clock.ts";
import { runHandover, startHandover } from "../../core/user/handover.ts";

/**
 * Handover of a leaving grid worker's work (人走机留, #20) on the shared embedded stack: a community
 * of this file's own with three grids; the leaver works grid 1 (a household, a pending task grid, a
 * case handled by a department and waiting for the grid's check), the successor grid 2, the
 * community's grid leader sits above them all.
 */
const tag = Date.now().toString(36).slice(-5);
const name = (s: string) => `ho${tag}${s}`;
let streetId: string;
let community: any;
const grids: any[] = [];
const users: Record<string, any> = {};
let taskId: string;
let taskId2: string;
let caseId: string;
let typeId: string;

async function user(key: string, role: string, unitId: string, extra: Record<string, unknown> = {}) {
  users[key] = ok(await as("admin", "POST", "/v1/users", { username: name(key), displayName: `交接测试${key}`, password: DEMO_PASSWORD, assignments: [{ role, unitId, ...extra }] }));
  return users[key];
}

async function waitJob(id: string): Promise<any> {
  const until = Date.now() + 60_000;
  while (Date.now() < until) {
    const j = ok(await as("admin", "GET", `/v1/jobs/${id}`));
    if (j.status === "succeeded" || j.status === "failed") return j;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`job ${id} did not finish`);
}

const read = async (key: string) => ok(await as("admin", "GET", `/v1/users/${users[key].id}`));
const taskUnits = async (id: string) => ok(await as("center", "GET", `/v1/tasks/${id}`)).units as any[];

beforeAll(async () => {
  forgetLogins();
  streetId = ok(await as("admin", "GET", "/v1/units?q=350206001&limit=5")).items.find((u: any) => u.code === "350206001").id;
  for (let attempt = 0; !community; attempt++) {
    const r = await as("admin", "POST", "/v1/units", { parentId: streetId, name: `交接社区${tag}`, code: `350206001${randomInt(800, 1000)}` });
    if (r.status === 201) community = r.body;
    else if (attempt > 10) throw new Error(JSON.stringify(r.body));
  }
  for (let i = 1; i <= 3; i++) grids.push(ok(await as("admin", "POST", "/v1/units", { parentId: community.id, name: `交接网格${i}`, code: `${community.code}00${i}` })));
  await user("leaver", "grid_worker", grids[0].id);
  await user("succ", "grid_worker", grids[1].id);
  await user("leader", "grid_leader", community.id);
  await user("gone", "grid_worker", grids[1].id);
  ok(await as("admin", "PATCH", `/v1/users/${users.gone.id}`, { version: users.gone.version, active: false }));
  await user("leaver2", "grid_worker", grids[2].id);
  // the leaver's grid has a household (a visit schedule) and a pending task grid
  ok(await as(name("leaver"), "POST", "/v1/registry/households", { unitId: grids[0].id, address: "交接小区 1 号", membersCount: 2 }));
  const type = ok(await as("center", "POST", "/v1/tasks/types", { code: `ho-${tag}`, name: "交接核实", category: "verification", defaultDays: 5 }));
  typeId = type.id;
  taskId = ok(await as("dept1", "POST", "/v1/tasks", { typeId: type.id, unitIds: [grids[0].id] })).id;
  ok(await as("center", "POST", `/v1/tasks/${taskId}/approve`, { note: "同意" }));
  taskId2 = ok(await as("dept1", "POST", "/v1/tasks", { typeId: type.id, unitIds: [grids[2].id] })).id;
  ok(await as("center", "POST", `/v1/tasks/${taskId2}/approve`, { note: "同意" }));
  // a case of grid 1 handled by a department, waiting for the grid's on-site check
  const reported = ok(await as(name("leaver"), "POST", "/v1/cases", { categoryId: "cat-env-garbage", unitId: grids[0].id, description: "交接前的案件", location: { lng: 118.09, lat: 24.49 } }));
  caseId = reported.case.id;
  ok(await as("center", "POST", `/v1/cases/${caseId}/accept`, {}));
  ok(await as("center", "POST", `/v1/cases/${caseId}/dispatch`, { to: { kind: "department", id: "dept-urban" }, reason: "城管处理" }));
  ok(await as("dept1", "POST", `/v1/cases/${caseId}/start`, {}));
  ok(await as("dept1", "POST", `/v1/cases/${caseId}/handle`, { note: "已清运" }));
}, 120_000);

describe("handover of a leaving staff member's work (人走机留)", () => {
  it("refuses to deactivate a grid worker who still holds work, naming it and pointing to the handover", async () => {
    const current = await read("leaver");
    const r = await as("admin", "PATCH", `/v1/users/${users.leaver.id}`, { version: current.version, active: false });
    expect(r.status).toBe(409);
    expect(r.body.error.details).toMatchObject({ field: "active", reason: "open_work", open: { assignments: 1, taskUnits: 1, cases: 0, unitIds: [grids[0].id] }, handover: `/v1/users/${users.leaver.id}/handover` });
    // giving up the grid by a change of roles is refused the same way
    const roles = await as("admin", "PATCH", `/v1/users/${users.leaver.id}`, { version: current.version, assignments: [{ role: "grid_worker", unitId: grids[2].id }] });
    expect(roles.status).toBe(409);
    expect(roles.body.error.details).toMatchObject({ field: "assignments", reason: "open_work" });
    expect((await read("leaver")).active).toBe(true);
  });

  it("shows what the user holds and only eligible successors", async () => {
    const p = ok(await as("admin", "GET", `/v1/users/${users.leaver.id}/handover`));
    expect(p.counts).toEqual({ assignments: 1, taskUnits: 1, cases: 1, households: 1 });
    expect(p.taskUnits).toEqual([expect.objectContaining({ taskId, unitId: grids[0].id })]);
    expect(p.open).toEqual({ assignments: 1, taskUnits: 1, cases: 0 });
    const ids = p.successors.map((s: any) => s.id);
    expect(ids).toContain(users.succ.id);
    expect(ids).toContain(users.leader.id);
    expect(ids).not.toContain(users.leaver.id);
    expect(ids).not.toContain(users.gone.id);
    expect(p.defaults).toEqual([{ unitId: grids[0].id, userId: users.leader.id, displayName: "交接测试leader" }]);
    expect(p.handover).toBeNull();
    // a grid worker may not look (users:write)
    expect((await as(name("succ"), "GET", `/v1/users/${users.leaver.id}/handover`)).status).toBe(403);
  });

  it("refuses a successor who cannot take the work, naming successorId and the reason", async () => {
    const dept = ok(await as("admin", "GET", "/v1/users?q=dept1&limit=5")).items.find((u: any) => u.username === "dept1");
    const cases: Array<[string, number, string]> = [
      ["no-such-user", 400, "unknown_user"],
      [users.leaver.id, 400, "same_user"],
      [users.gone.id, 409, "inactive_user"],
      [dept.id, 400, "not_grid_staff"],
    ];
    for (const [successorId, status, reason] of cases) {
      const r = await as("admin", "POST", `/v1/users/${users.leaver.id}/handover`, { successorId });
      expect(r.status, reason).toBe(status);
      expect(r.body.error.details).toMatchObject({ field: "successorId", reason });
    }
    expect(ok(await as("admin", "GET", `/v1/users/${users.leaver.id}/handover`)).handover).toBeNull();
    const bad = await as("admin", "POST", `/v1/users/${users.leaver.id}/handover`, { successorId: users.succ.id, extra: 1 });
    expect(bad.status).toBe(400);
  });

  it("moves the grid and its pending task grid to the successor, who then checks the grid's case; audited", async () => {
    const key = `ho-${tag}-1`;
    const started = await call("POST", `/v1/users/${users.leaver.id}/handover`, { token: await login("admin", DEMO_PASSWORD), body: { successorId: users.succ.id }, headers: { "idempotency-key": key } });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    expect(started.body).toMatchObject({ userId: users.leaver.id, successorId: users.succ.id, job: { kind: "user-handover", total: 2 } });
    const job = await waitJob(started.body.jobId);
    expect(job).toMatchObject({ status: "succeeded", done: 2, total: 2, errorCount: 0, result: { assignments: 1, taskUnits: 1 } });

    const leaver = await read("leaver");
    const succ = await read("succ");
    expect(leaver.assignments).toEqual([]);
    expect(succ.assignments.map((a: any) => `${a.role}@${a.unitId}`).sort()).toEqual([`grid_worker@${grids[0].id}`, `grid_worker@${grids[1].id}`].sort());
    expect((await taskUnits(taskId)).map((u: any) => [u.unitId, u.assignees, u.status])).toEqual([[grids[0].id, [users.succ.id], "pending"]]);
    forgetLogins();
    expect(ok(await as(name("succ"), "GET", "/v1/tasks?view=mine")).items.map((t: any) => t.id)).toContain(taskId);
    expect(ok(await as(name("leaver"), "GET", "/v1/tasks?view=mine")).items.map((t: any) => t.id)).not.toContain(taskId);
    // the grid's case waiting for the on-site check: the leaver can no longer check it, the successor can
    expect((await as(name("leaver"), "POST", `/v1/cases/${caseId}/verify`, { pass: true })).status).toBe(403);
    expect(ok(await as(name("succ"), "POST", `/v1/cases/${caseId}/verify`, { pass: true, note: "现场已清理" })).case.state).toBe("verified");
    // and completes the task grid that was the leaver's
    expect(ok(await as(name("succ"), "POST", `/v1/tasks/${taskId}/units/${grids[0].id}/complete`, { data: {} })).unit.completedBy.id).toBe(users.succ.id);

    const audit = ok(await as("admin", "GET", `/v1/audit?entity=user&entityId=${users.leaver.id}&limit=50`)).items.filter((e: any) => e.action === "user.handover");
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: { kind: "user", name: "admin" }, summary: `${name("leaver")} → ${name("succ")}: 1 assignments, 1 task grids`, changes: { successor: { from: users.leaver.id, to: users.succ.id } } });
    expect(ok(await as("admin", "GET", `/v1/users/${users.leaver.id}/handover`)).handover).toMatchObject({ jobId: job.id, successorId: users.succ.id, state: "done" });

    // a repeated request with the same key answers the same job and moves nothing twice
    const again = await call("POST", `/v1/users/${users.leaver.id}/handover`, { token: await login("admin", DEMO_PASSWORD), body: { successorId: users.succ.id }, headers: { "idempotency-key": key } });
    expect(again.status).toBe(200);
    expect(again.body.jobId).toBe(job.id);
    expect((await read("succ")).assignments).toHaveLength(2);
    // without the key: nothing is left to hand over
    const none = await as("admin", "POST", `/v1/users/${users.leaver.id}/handover`, { successorId: users.succ.id });
    expect(none.status).toBe(409);
    expect(none.body.error.details).toMatchObject({ field: "id", reason: "nothing_to_hand_over" });
  });

  it("allows the deactivation once the work is handed over", async () => {
    const current = await read("leaver");
    const r = await as("admin", "PATCH", `/v1/users/${users.leaver.id}`, { version: current.version, active: false });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.active).toBe(false);
  });

  it("without a successor gives the pending task grid to the grid's leader and drops the grid role", async () => {
    const r = await as("admin", "POST", `/v1/users/${users.leaver2.id}/handover`, {});
    expect(r.status, JSON.stringify(r.body)).toBe(202);
    expect(r.body.successorId).toBeNull();
    const job = await waitJob(r.body.jobId);
    expect(job).toMatchObject({ status: "succeeded", result: { assignments: 1, taskUnits: 1 } });
    expect((await taskUnits(taskId2)).map((u: any) => u.assignees)).toEqual([[users.leader.id]]);
    expect((await read("leaver2")).assignments).toEqual([]);
    expect((await read("leader")).assignments.map((a: any) => a.unitId)).toEqual([community.id]);
    forgetLogins();
    expect(ok(await as(name("leader"), "GET", "/v1/tasks?view=mine")).items.map((t: any) => t.id)).toContain(taskId2);
  });

  it("completes a handover whose run stopped half-way when it is asked for again, moving nothing twice", async () => {
    useStackEnv();
    const grid4 = ok(await as("admin", "POST", "/v1/units", { parentId: community.id, name: "交接网格4", code: `${community.code}004` }));
    const leaver3 = await user("leaver3", "grid_worker", grid4.id);
    const task3 = ok(await as("dept1", "POST", "/v1/tasks", { typeId, unitIds: [grid4.id] })).id;
    ok(await as("center", "POST", `/v1/tasks/${task3}/approve`, {}));
    // started in-process without queueing its job; the run stops after the first move, as a crash would
    const me = ok(await as("admin", "GET", "/v1/me"));
    const admin = { kind: "user" as const, id: me.id, username: "admin", assignments: me.assignments };
    const started = await startHandover(admin, leaver3.id, { successorId: users.succ.id }, clock.now(), undefined, { enqueue: false });
    expect(started.replayed).toBe(false);
    await runHandover(started.job.id, clock, { stopAfter: 1 });
    expect(ok(await as("admin", "GET", `/v1/jobs/${started.job.id}`))).toMatchObject({ status: "running", done: 1, total: 2 });
    expect((await read("leaver3")).assignments).toEqual([]);
    expect((await taskUnits(task3)).map((u: any) => u.assignees)).toEqual([[leaver3.id]]);
    // deactivation still refused: the task grid is open
    const refused = await as("admin", "PATCH", `/v1/users/${leaver3.id}`, { version: (await read("leaver3")).version, active: false });
    expect(refused.body.error.details).toMatchObject({ reason: "open_work", open: { taskUnits: 1 } });

    // asked for again: the same job, queued once more, finishes what is left
    const again = await as("admin", "POST", `/v1/users/${leaver3.id}/handover`, { successorId: users.succ.id });
    expect(again.status).toBe(200);
    expect(again.body.jobId).toBe(started.job.id);
    const job = await waitJob(started.job.id);
    expect(job).toMatchObject({ status: "succeeded", done: 2, total: 2, result: { assignments: 1, taskUnits: 1 } });
    expect((await taskUnits(task3)).map((u: any) => u.assignees)).toEqual([[users.succ.id]]);
    expect((await read("succ")).assignments.filter((a: any) => a.unitId === grid4.id)).toHaveLength(1);
    const audit = ok(await as("admin", "GET", `/v1/audit?entity=user&entityId=${leaver3.id}&limit=50`)).items.filter((e: any) => e.action === "user.handover");
    expect(audit).toHaveLength(1);
  });

  it("lets an admin of one street see and hand over only the staff of that street", async () => {
    // a street of this file's own (nothing else lives there), its admin and two grid workers
    const county = ok(await as("admin", "GET", "/v1/units?q=350206&limit=5")).items.find((u: any) => u.code === "350206");
    let street: any;
    for (let attempt = 0; !street; attempt++) {
      const r = await as("admin", "POST", "/v1/units", { parentId: county.id, name: `交接街道${tag}`, code: `350206${randomInt(600, 700)}` });
      if (r.status === 201) street = r.body;
      else if (attempt > 10) throw new Error(JSON.stringify(r.body));
    }
    const village = ok(await as("admin", "POST", "/v1/units", { parentId: street.id, name: "交接村", code: `${street.code}001` }));
    const g1 = ok(await as("admin", "POST", "/v1/units", { parentId: village.id, name: "交接村一网格", code: `${village.code}001` }));
    const g2 = ok(await as("admin", "POST", "/v1/units", { parentId: village.id, name: "交接村二网格", code: `${village.code}002` }));
    await user("streetadmin", "county_admin", street.id);
    const mine = await user("s3worker", "grid_worker", g1.id);
    const other = await user("s3other", "grid_worker", g2.id);
    // a user of another street does not exist for this admin
    expect((await as(name("streetadmin"), "GET", `/v1/users/${users.succ.id}/handover`)).status).toBe(404);
    expect((await as(name("streetadmin"), "POST", `/v1/users/${users.succ.id}/handover`, {})).status).toBe(404);
    // their own street's worker: only that street's staff are offered, and one from elsewhere is refused
    const p = ok(await as(name("streetadmin"), "GET", `/v1/users/${mine.id}/handover`));
    expect(p.successors.map((x: any) => x.id)).toEqual([other.id]);
    const refused = await as(name("streetadmin"), "POST", `/v1/users/${mine.id}/handover`, { successorId: users.succ.id });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details).toMatchObject({ field: "successorId", reason: "unknown_user" });
  });
});
