import { describe, it, expect, beforeAll } from "vitest";
import { advanceClock, runJob, setClock } from "../../test/client.ts";
import { ownStack } from "../../test/own-stack.ts";
import { DEMO_PASSWORD } from "../../test/fixtures.ts";
import { as, forgetLogins, ok, unitOf } from "../registry/testing.ts";

// duty rules (docs/registry.md "Duty rules"): its own stack, Monday 2026-03-02 09:00 in Shanghai
ownStack({ at: "2026-03-02T01:00:00Z" });

const DAY = 24 * 60;
const start = { lng: 118.09, lat: 24.49 };
let grid1: string;
let grid2: string;
let community1: string;
let typeId: string;

beforeAll(async () => {
  forgetLogins();
  grid1 = await unitOf("worker1");
  grid2 = await unitOf("worker2");
  community1 = await unitOf("community1");
  typeId = ok(await as("center", "POST", "/v1/tasks/types", { code: "COUNT-BIKES", name: "共享单车清点", category: "collection", defaultDays: 3 })).id;
});

const now = async () => new Date(await advanceClock(0));

/** A patrol of `minutes` along a straight track of about `meters` metres (east from the start point). */
async function patrol(username: string, minutes: number, meters: number) {
  const x = ok(await as(username, "POST", "/v1/duties/patrols", { point: start }));
  const dLng = meters / 101_200; // metres per degree of longitude at 24.49°N ≈ 101.2 km
  await advanceClock(minutes);
  const at = (await now()).toISOString();
  ok(await as(username, "POST", `/v1/duties/patrols/${x.id}/points`, { points: [{ lng: start.lng + dLng / 2, lat: start.lat, at }] }));
  return ok(await as(username, "POST", `/v1/duties/patrols/${x.id}/end`, { point: { lng: start.lng + dLng, lat: start.lat } }));
}

const missed = async (date: string) => ok(await as("center", "GET", `/v1/duties/patrols/missed?date=${date}`)).items as any[];

describe("the patrol requirement (一日双巡) counts only real patrols on days the worker held the grid", () => {
  it("lets the county admin read the duty configuration it writes, with the patrol rule", async () => {
    const cfg = ok(await as("admin", "GET", "/v1/duties/config"));
    expect(cfg.patrolRule).toEqual({ minMinutes: 20, minMeters: 500, minGapMinutes: 120 });
    expect(ok(await as("worker1", "GET", "/v1/duties/config")).patrolsPerDay).toBe(2);
  });

  it("does not count two patrols of a few seconds, nor a second patrol started too soon after the first", async () => {
    // Monday: two check-in/check-out pairs of no length at all
    const a = await patrol("worker1", 0, 0);
    const b = await patrol("worker1", 0, 0);
    const monday = a.date;
    expect(a.distanceMeters).toBe(0);
    const listed = ok(await as("worker1", "GET", `/v1/duties/patrols?date=${monday}`)).items;
    expect(listed.map((x: any) => [x.id, x.verdict.counts, x.verdict.reason])).toEqual(
      expect.arrayContaining([
        [a.id, false, "too_short"],
        [b.id, false, "too_short"],
      ]),
    );
    // Tuesday 09:00: a real round, one too soon after it, and one two hours after the first ended
    await setClock("2026-03-03T01:00:00Z");
    const first = await patrol("worker1", 25, 700);
    await advanceClock(30);
    const soon = await patrol("worker1", 25, 700);
    await advanceClock(120);
    const third = await patrol("worker1", 25, 700);
    const tuesday = first.date;
    expect(first.distanceMeters).toBeGreaterThanOrEqual(650);
    expect(first.durationMinutes).toBe(25);
    const verdicts = Object.fromEntries(ok(await as("worker1", "GET", `/v1/duties/patrols?date=${tuesday}`)).items.map((x: any) => [x.id, x.verdict.reason]));
    expect(verdicts).toEqual({ [first.id]: null, [soon.id]: "too_soon", [third.id]: null });
    // a short track does not count however long it lasted
    const shortWalk = await patrol("worker2", 40, 100);
    expect(ok(await as("worker2", "GET", `/v1/duties/patrols?date=${tuesday}`)).items.find((x: any) => x.id === shortWalk.id).verdict.reason).toBe("too_little_distance");

    await setClock("2026-03-04T01:00:00Z");
    await runJob("duty-patrols");
    expect((await missed(monday)).find((m) => m.username === "worker1")).toMatchObject({ done: 0, finished: 2, required: 2 });
    expect((await missed(tuesday)).map((m) => m.username)).not.toContain("worker1");
    expect((await missed(tuesday)).find((m) => m.username === "worker2")).toMatchObject({ done: 0, finished: 1 });
  });

  it("takes the patrol rule from the county's duty configuration", async () => {
    const cfg = ok(await as("admin", "GET", "/v1/duties/config"));
    const saved = ok(await as("admin", "PUT", "/v1/duties/config", { version: cfg.version, patrolRule: { minMinutes: 0, minMeters: 0, minGapMinutes: 0 } }));
    expect(saved.patrolRule).toEqual({ minMinutes: 0, minMeters: 0, minGapMinutes: 0 });
    expect((await missed("2026-03-02")).map((m) => m.username)).not.toContain("worker1");
    expect((await as("admin", "PUT", "/v1/duties/config", { version: saved.version, patrolRule: { minMinutes: -1 } })).status).toBe(400);
    ok(await as("admin", "PUT", "/v1/duties/config", { version: saved.version, patrolRule: { minMinutes: 20, minMeters: 500, minGapMinutes: 120 } }));
    expect((await missed("2026-03-02")).map((m) => m.username)).toContain("worker1");
  });

  it("does not flag a worker for days before they were given the grid", async () => {
    // Wednesday 22:30 in Shanghai: a new grid worker on grid 2; Wednesday was not theirs to patrol
    await setClock("2026-03-04T14:30:00Z");
    const u = ok(await as("admin", "POST", "/v1/users", { username: "newworker", displayName: "新网格员", password: DEMO_PASSWORD, assignments: [{ role: "grid_worker", unitId: grid2 }] }));
    const since = u.assignments[0].since;
    expect(since).toMatch(/^2026-03-04T14:3/);
    await setClock("2026-03-06T01:00:00Z");
    await runJob("duty-patrols");
    expect((await missed("2026-03-04")).map((m) => m.username)).not.toContain("newworker");
    expect((await missed("2026-03-05")).find((m) => m.username === "newworker")).toMatchObject({ done: 0, required: 2 });
    // changing other fields keeps when the grid was given
    const again = ok(await as("admin", "PATCH", `/v1/users/${u.id}`, { version: u.version, displayName: "新网格员甲", assignments: [{ role: "grid_worker", unitId: grid2 }] }));
    expect(again.assignments[0].since).toBe(since);
  });
});

describe("tasks keep their lateness and never push a grid to nobody silently", () => {
  it("keeps a grid completed after the due time late, per grid and for the whole task", async () => {
    const t = ok(await as("dept1", "POST", "/v1/tasks", { typeId, unitIds: [grid1] }));
    ok(await as("center", "POST", `/v1/tasks/${t.id}/approve`, {}));
    await advanceClock(5 * DAY);
    expect(ok(await as("center", "GET", `/v1/tasks/${t.id}`))).toMatchObject({ overdue: true, late: true, lateUnits: 0 });
    const done = ok(await as("worker1", "POST", `/v1/tasks/${t.id}/units/${grid1}/complete`, { data: {} }));
    expect(done.unit.late).toBe(true);
    const after = ok(await as("dept1", "GET", `/v1/tasks/${t.id}`));
    expect(after).toMatchObject({ state: "done", overdue: false, late: true, lateUnits: 1 });
    expect(after.units.map((x: any) => x.late)).toEqual([true]);
    expect(ok(await as("center", "GET", "/v1/tasks?late=true&limit=200")).items.map((x: any) => x.id)).toContain(t.id);

    const onTime = ok(await as("dept1", "POST", `/v1/tasks`, { typeId, unitIds: [grid1] }));
    ok(await as("center", "POST", `/v1/tasks/${onTime.id}/approve`, {}));
    ok(await as("worker1", "POST", `/v1/tasks/${onTime.id}/units/${grid1}/complete`, { data: {} }));
    expect(ok(await as("dept1", "GET", `/v1/tasks/${onTime.id}`))).toMatchObject({ state: "done", late: false, lateUnits: 0 });
    expect(ok(await as("center", "GET", "/v1/tasks?late=true&limit=200")).items.map((x: any) => x.id)).not.toContain(onTime.id);
  });

  it("refuses to approve a task over grids without a grid worker until the approver chooses", async () => {
    const t = ok(await as("dept1", "POST", "/v1/tasks", { typeId, unitIds: [community1] }));
    const r = await as("center", "POST", `/v1/tasks/${t.id}/approve`, {});
    expect(r.status).toBe(409);
    expect(r.body.error.details.reason).toBe("unassigned_grids");
    expect(r.body.error.details.choices).toEqual(["leaders", "skip", "keep"]);
    const nobody = r.body.error.details.grids.map((g: any) => g.unitId);
    expect(nobody.length).toBeGreaterThanOrEqual(1);
    expect(nobody).not.toContain(grid1);
    expect(ok(await as("center", "GET", `/v1/tasks/${t.id}`)).state).toBe("requested");
    expect((await as("center", "POST", `/v1/tasks/${t.id}/approve`, { unassigned: "everyone" })).status).toBe(400);

    // skip: the grids without a worker are left out
    const skipped = ok(await as("center", "POST", `/v1/tasks/${t.id}/approve`, { unassigned: "skip" }));
    expect(skipped).toMatchObject({ state: "active", progress: { total: 1 }, unassigned: { choice: "skip", unitIds: nobody } });
    expect(ok(await as("center", "GET", `/v1/tasks/${t.id}`)).units.map((u: any) => u.unitId)).toEqual([grid1]);

    // leaders: the grid leaders and community staff above those grids get them
    const t2 = ok(await as("dept1", "POST", "/v1/tasks", { typeId, unitIds: [community1] }));
    ok(await as("center", "POST", `/v1/tasks/${t2.id}/approve`, { unassigned: "leaders" }));
    const communityId = ok(await as("community1", "GET", "/v1/me")).id;
    const units = ok(await as("center", "GET", `/v1/tasks/${t2.id}`)).units;
    expect(units.filter((u: any) => u.unitId !== grid1).every((u: any) => u.assignees.length === 1 && u.assignees[0] === communityId)).toBe(true);
    expect(units.every((u: any) => u.assignees.length > 0)).toBe(true);

    // keep: explicitly kept unassigned, and recorded so
    const t3 = ok(await as("dept1", "POST", "/v1/tasks", { typeId, unitIds: [community1] }));
    const kept = ok(await as("center", "POST", `/v1/tasks/${t3.id}/approve`, { unassigned: "keep" }));
    expect(kept.unassigned).toEqual({ choice: "keep", unitIds: nobody });
    expect(ok(await as("center", "GET", `/v1/tasks/${t3.id}`)).units.filter((u: any) => u.assignees.length === 0).map((u: any) => u.unitId).sort()).toEqual([...nobody].sort());
  });
});
