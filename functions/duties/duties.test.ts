import { describe, it, expect, beforeAll } from "vitest";
import { advanceClock, runJob } from "../../test/client.ts";
import { ownStack } from "../../test/own-stack.ts";
import { as, fieldPaths, forgetLogins, ok, unitOf } from "../registry/testing.ts";

// this file moves its clock by days: its own stack, starting Monday 2026-03-02 09:00 in Shanghai
ownStack({ at: "2026-03-02T01:00:00Z" });

let grid1: string;
let grid2: string;
let community1: string;
const point = { lng: 118.09, lat: 24.49 };
const DAY = 24 * 60;

beforeAll(async () => {
  forgetLogins();
  grid1 = await unitOf("worker1");
  grid2 = await unitOf("worker2");
  community1 = await unitOf("community1");
});

const newHousehold = async (cls: string, unitId = grid1) =>
  ok(await as("worker1", "POST", "/v1/registry/households", { unitId, address: `金山小区 ${cls} ${Math.random().toString(36).slice(2, 6)}`, membersCount: 2, class: cls }));

async function notifications(username: string, type: string): Promise<any[]> {
  return ok(await as(username, "GET", "/v1/me/notifications?limit=200")).items.filter((n: any) => n.type === type);
}

const overdueIds = async (username: string) => ok(await as(username, "GET", "/v1/duties/visits/overdue")).items.map((o: any) => o.householdId);

describe("household visits and the daily overdue duty", () => {
  it("flags key households not visited for a week, notifies the worker and the grid leader, and clears on a visit", async () => {
    const key = await newHousehold("key");
    const visitedKey = await newHousehold("key");
    const monitored = await newHousehold("monitored");
    const general = await newHousehold("general");
    const v = ok(await as("worker1", "POST", "/v1/duties/visits", { householdId: visitedKey.id, notes: "老人身体尚可", location: point }));
    expect(v).toMatchObject({ householdId: visitedKey.id, unitId: grid1, location: point, photos: [] });
    expect(await overdueIds("worker1")).not.toContain(key.id);

    await advanceClock(5 * DAY);
    ok(await as("worker1", "POST", "/v1/duties/visits", { householdId: visitedKey.id, notes: "复访" }));
    await advanceClock(3 * DAY);
    const overdue = await overdueIds("worker1");
    expect(overdue).toContain(key.id);
    expect(overdue).not.toContain(visitedKey.id); // visited 3 days ago
    expect(overdue).not.toContain(monitored.id); // monthly
    expect(overdue).not.toContain(general.id); // as needed
    expect(await overdueIds("worker2")).not.toContain(key.id);
    expect(await overdueIds("leader1")).toContain(key.id);

    const result: any = await runJob("duty-visits");
    expect(result.overdue).toBeGreaterThanOrEqual(1);
    const [mine] = await notifications("worker1", "visits.overdue");
    expect(mine).toMatchObject({ reason: "grid_worker", read: false });
    expect(mine.data.households.map((h: any) => h.householdId)).toContain(key.id);
    const [lead] = await notifications("leader1", "visits.overdue");
    expect(lead.reason).toBe("grid_leader");
    expect(lead.data.count).toBeGreaterThanOrEqual(1);
    // running it again the same day rewrites the same notice
    await runJob("duty-visits");
    expect(await notifications("worker1", "visits.overdue")).toHaveLength(1);

    ok(await as("worker1", "POST", "/v1/duties/visits", { householdId: key.id, notes: "已走访" }));
    expect(await overdueIds("worker1")).not.toContain(key.id);
    const visits = ok(await as("worker1", "GET", `/v1/duties/visits?householdId=${visitedKey.id}`));
    expect(visits.items.map((x: any) => x.notes)).toEqual(["复访", "老人身体尚可"]);
  });

  it("follows the configured frequency per class", async () => {
    const monitored = await newHousehold("monitored");
    await advanceClock(8 * DAY);
    expect(await overdueIds("worker1")).not.toContain(monitored.id);
    const cfg = ok(await as("worker1", "GET", "/v1/duties/config"));
    expect(cfg.visitEveryDays).toMatchObject({ key: 7, monitored: 30, general: null });
    expect((await as("worker1", "PUT", "/v1/duties/config", { version: cfg.version, visitEveryDays: { monitored: 7 } })).status).toBe(403);
    const saved = ok(await as("admin", "PUT", "/v1/duties/config", { version: cfg.version, visitEveryDays: { monitored: 7 } }));
    expect(saved.visitEveryDays).toEqual({ key: 7, monitored: 7, general: null });
    expect((await as("admin", "PUT", "/v1/duties/config", { version: cfg.version, patrolsPerDay: 3 })).status).toBe(409);
    expect(await overdueIds("worker1")).toContain(monitored.id);
    ok(await as("admin", "PUT", "/v1/duties/config", { version: saved.version, visitEveryDays: { monitored: 30 } }));
  });

  it("refuses visits in the future, oversized notes, and households outside the grid", async () => {
    const h = await newHousehold("key");
    const r = await as("worker1", "POST", "/v1/duties/visits", { householdId: h.id, notes: "长".repeat(2001), location: { lng: 200, lat: 0 } });
    expect(fieldPaths(r)).toEqual(expect.arrayContaining(["notes", "location.lng"]));
    const future = new Date(Date.now() + 400 * DAY * 60_000).toISOString();
    expect(fieldPaths(await as("worker1", "POST", "/v1/duties/visits", { householdId: h.id, at: future }))).toEqual(["at"]);
    expect((await as("worker2", "POST", "/v1/duties/visits", { householdId: h.id })).status).toBe(404);
    expect(fieldPaths(await as("worker1", "POST", "/v1/duties/visits", { householdId: h.id, photos: [{ key: "uploads/user-someone-else/x.jpg" }] }))).toEqual(["photos.0.key"]);
  });
});

describe("patrols: check-in, GPS track, check-out, missed patrols flagged daily", () => {
  it("records patrols and flags the worker who did fewer than two on a day", async () => {
    const p1 = ok(await as("worker1", "POST", "/v1/duties/patrols", { point }));
    expect(p1).toMatchObject({ endedAt: null, unitId: grid1, pointsCount: 1 });
    expect((await as("worker1", "POST", "/v1/duties/patrols", { point })).status).toBe(409);
    const pts = ok(await as("worker1", "POST", `/v1/duties/patrols/${p1.id}/points`, { points: [{ ...point, at: new Date().toISOString() }, { lng: 118.091, lat: 24.491, at: new Date().toISOString() }] }));
    expect(pts.pointsCount).toBe(3);
    expect((await as("worker2", "POST", `/v1/duties/patrols/${p1.id}/end`, {})).status).toBe(404);
    const ended = ok(await as("worker1", "POST", `/v1/duties/patrols/${p1.id}/end`, { point, note: "无异常" }));
    expect(ended).toMatchObject({ note: "无异常", pointsCount: 4 });
    expect(ended.endedAt).toBeTruthy();
    expect((await as("worker1", "POST", `/v1/duties/patrols/${p1.id}/end`, {})).status).toBe(409);
    const p2 = ok(await as("worker1", "POST", "/v1/duties/patrols", { point }));
    ok(await as("worker1", "POST", `/v1/duties/patrols/${p2.id}/end`, {}));
    const w2 = ok(await as("worker2", "POST", "/v1/duties/patrols", { point }));
    ok(await as("worker2", "POST", `/v1/duties/patrols/${w2.id}/end`, {}));
    const date = p1.date;
    expect(ok(await as("worker1", "GET", `/v1/duties/patrols?date=${date}`)).items).toHaveLength(2);
    expect(fieldPaths(await as("center", "GET", `/v1/duties/patrols/missed?date=${date}`))).toEqual(["date"]); // the day is not over

    await advanceClock(DAY);
    const result: any = await runJob("duty-patrols");
    expect(result.dates).toContain(date);
    const missed = ok(await as("center", "GET", `/v1/duties/patrols/missed?date=${date}`)).items;
    const names = missed.map((m: any) => m.username);
    expect(names).toContain("worker2");
    // worker1's two check-in/check-out pairs of no length do not count (patrol rule, rules.test.ts)
    expect(missed.find((m: any) => m.username === "worker1")).toMatchObject({ done: 0, finished: 2, required: 2, date });
    expect(missed.find((m: any) => m.username === "worker2")).toMatchObject({ done: 0, finished: 1, required: 2, date });
    expect(ok(await as("community1", "GET", `/v1/duties/patrols/missed?date=${date}`)).items.map((m: any) => m.username)).not.toContain("worker2");
    const [notice] = (await notifications("worker2", "patrols.missed")).filter((n) => n.data.date === date);
    expect(notice.data).toMatchObject({ done: 0, finished: 1, required: 2 });
    expect((await notifications("leader1", "patrols.missed")).some((n) => n.data.username === "worker2")).toBe(false);
  });

  it("requires a GPS point to check in, and keeps each worker's track private to their superiors", async () => {
    expect(fieldPaths(await as("worker1", "POST", "/v1/duties/patrols", {}))).toEqual(["point"]);
    const worker1Id = ok(await as("worker1", "GET", "/v1/me")).id;
    expect((await as("worker2", "GET", `/v1/duties/patrols?userId=${worker1Id}`)).status).toBe(403);
    expect((await as("leader1", "GET", `/v1/duties/patrols?userId=${worker1Id}`)).status).toBe(200);
  });
});

describe("tasks: department request → center approval → grid workers → done", () => {
  let typeId: string;
  beforeAll(async () => {
    const t = ok(
      await as("center", "POST", "/v1/tasks/types", {
        code: "verify-elderly",
        name: "高龄老人信息核实",
        category: "verification",
        fields: [
          { key: "residents", label: "在住人数", type: "number", required: true },
          { key: "status", label: "状态", type: "choice", options: ["在住", "外出"], required: true },
        ],
        defaultDays: 5,
      }),
    );
    expect(t.code).toBe("VERIFY-ELDERLY");
    typeId = t.id;
  });

  it("keeps a configurable catalog of task types (center only, unique codes)", async () => {
    expect((await as("dept1", "POST", "/v1/tasks/types", { code: "X1", name: "x", category: "c" })).status).toBe(403);
    expect((await as("center", "POST", "/v1/tasks/types", { code: "VERIFY-ELDERLY", name: "重复", category: "c" })).status).toBe(409);
    expect(fieldPaths(await as("center", "POST", "/v1/tasks/types", { code: "BAD", name: "x", category: "c", fields: [{ key: "s", label: "s", type: "choice" }] }))).toEqual(["fields.0.options"]);
    const list = ok(await as("worker1", "GET", "/v1/tasks/types?category=verification"));
    expect(list.items.map((t: any) => t.id)).toContain(typeId);
  });

  it("flows from a department's request through approval to grid workers until every grid is done", async () => {
    const t = ok(await as("dept1", "POST", "/v1/tasks", { typeId, unitIds: [community1], description: "核实 80 岁以上老人在住情况" }));
    expect(t).toMatchObject({ state: "requested", departmentId: "dept-urban", title: "高龄老人信息核实", progress: { done: 0, total: 0 } });
    expect(ok(await as("worker1", "GET", "/v1/tasks")).items.map((x: any) => x.id)).not.toContain(t.id);
    expect((await as("dept1", "POST", `/v1/tasks/${t.id}/approve`, {})).status).toBe(403);
    expect(ok(await as("center", "GET", "/v1/tasks?state=requested")).items.map((x: any) => x.id)).toContain(t.id);

    // the community's other grids have no grid worker: the approver keeps them for the community to do
    expect((await as("center", "POST", `/v1/tasks/${t.id}/approve`, { note: "同意" })).status).toBe(409);
    const approved = ok(await as("center", "POST", `/v1/tasks/${t.id}/approve`, { note: "同意", unassigned: "keep" }));
    expect(approved.state).toBe("active");
    expect(approved.progress.total).toBeGreaterThanOrEqual(2); // the community's grids
    const detail = ok(await as("worker1", "GET", `/v1/tasks/${t.id}`));
    const mine = detail.units.find((u: any) => u.unitId === grid1);
    expect(mine.assignees).toContain(ok(await as("worker1", "GET", "/v1/me")).id);
    expect(detail.units.map((u: any) => u.unitId)).not.toContain(grid2);
    expect(ok(await as("worker1", "GET", "/v1/tasks")).items.map((x: any) => x.id)).toContain(t.id);
    expect((await notifications("worker1", "task.assigned")).some((n) => n.data.taskId === t.id)).toBe(true);
    expect((await as("worker2", "GET", `/v1/tasks/${t.id}`)).status).toBe(404);

    const bad = await as("worker1", "POST", `/v1/tasks/${t.id}/units/${grid1}/complete`, { data: { residents: "three", status: "不知道", extra: 1 } });
    expect(fieldPaths(bad)).toEqual(expect.arrayContaining(["data.residents", "data.status", "data.extra"]));
    const one = ok(await as("worker1", "POST", `/v1/tasks/${t.id}/units/${grid1}/complete`, { data: { residents: 3, status: "在住" }, note: "已核实" }));
    expect(one.unit).toMatchObject({ status: "done", data: { residents: 3, status: "在住" } });
    expect(one.task.progress.done).toBe(1);
    expect((await as("worker1", "POST", `/v1/tasks/${t.id}/units/${grid1}/complete`, { data: { residents: 3, status: "在住" } })).status).toBe(409);
    // the other grids have no worker of their own: the community completes them
    for (const u of detail.units.filter((x: any) => x.unitId !== grid1)) {
      expect((await as("worker1", "POST", `/v1/tasks/${t.id}/units/${u.unitId}/complete`, { data: { residents: 1, status: "外出" } })).status).toBe(404);
      ok(await as("community1", "POST", `/v1/tasks/${t.id}/units/${u.unitId}/complete`, { data: { residents: 1, status: "外出" } }));
    }
    const done = ok(await as("dept1", "GET", `/v1/tasks/${t.id}`));
    expect(done).toMatchObject({ state: "done", progress: { done: detail.units.length, total: detail.units.length, percent: 100 }, overdue: false });
    expect((await notifications("dept1", "task.done")).some((n) => n.data.taskId === t.id)).toBe(true);
    expect(ok(await as("dept2", "GET", "/v1/tasks")).items.map((x: any) => x.id)).not.toContain(t.id);
  });

  it("shows overdue active tasks, and a refused task cannot be approved", async () => {
    const late = ok(await as("dept1", "POST", "/v1/tasks", { typeId, unitIds: [grid1], dueDate: "2026-12-31" }));
    ok(await as("center", "POST", `/v1/tasks/${late.id}/approve`, {}));
    const soon = ok(await as("dept1", "POST", "/v1/tasks", { typeId, unitIds: [grid1] }));
    ok(await as("center", "POST", `/v1/tasks/${soon.id}/approve`, {}));
    await advanceClock(6 * DAY);
    const overdue = ok(await as("center", "GET", "/v1/tasks?overdue=true&limit=200")).items.map((x: any) => x.id);
    expect(overdue).toContain(soon.id);
    expect(overdue).not.toContain(late.id);
    expect(ok(await as("worker1", "GET", `/v1/tasks/${soon.id}`)).overdue).toBe(true);
    expect(ok(await as("dept1", "GET", "/v1/tasks?overdue=true")).items.map((x: any) => x.id)).toContain(soon.id);

    const refused = ok(await as("dept1", "POST", "/v1/tasks", { typeId, unitIds: [grid1] }));
    expect(fieldPaths(await as("center", "POST", `/v1/tasks/${refused.id}/refuse`, {}))).toEqual(["reason"]);
    expect(ok(await as("center", "POST", `/v1/tasks/${refused.id}/refuse`, { reason: "与已有任务重复" })).state).toBe("refused");
    expect((await as("center", "POST", `/v1/tasks/${refused.id}/approve`, {})).status).toBe(409);
    expect(fieldPaths(await as("dept1", "POST", "/v1/tasks", { typeId, unitIds: [grid1], dueDate: "2020-01-01" }))).toEqual(["dueDate"]);
    expect(fieldPaths(await as("dept1", "POST", "/v1/tasks", { typeId: "nope", unitIds: ["nope"] }))).toEqual(["typeId"]);
  });
});
