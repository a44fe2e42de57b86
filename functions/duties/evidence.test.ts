import { describe, it, expect, beforeAll } from "vitest";
import { randomBytes } from "node:crypto";
import { as, fieldPaths, ok, unitOf } from "../registry/testing.ts";

/**
 * Evidence photos of visits, patrols and task completions are stored as upload keys; these tests
 * open them through the download routes as each role would (shared stack, no clock moves).
 */
let grid1: string;
let grid2: string;
const point = { lng: 118.09, lat: 24.49 };

/** Upload a small photo as `username`; returns its key and bytes. */
async function upload(username: string): Promise<{ key: string; bytes: Uint8Array }> {
  const bytes = new Uint8Array(randomBytes(16));
  const up = ok(await as(username, "POST", "/v1/uploads", { contentType: "image/png", size: bytes.length, tag: "after" }));
  const put = await fetch(up.uploadUrl, { method: "PUT", headers: up.headers, body: bytes });
  expect(put.ok).toBe(true);
  return { key: up.key, bytes };
}

/** Follow a download answer to the bytes it points at. */
async function fetched(body: { url: string; expiresInSeconds: number }): Promise<Uint8Array> {
  expect(body.expiresInSeconds).toBe(300);
  const res = await fetch(body.url);
  expect(res.status).toBe(200);
  return new Uint8Array(await res.arrayBuffer());
}

beforeAll(async () => {
  grid1 = await unitOf("worker1");
  grid2 = await unitOf("worker2");
});

describe("evidence photos of duties", () => {
  it("opens a visit's photo for readers of the household, and for nobody else", async () => {
    const h = ok(await as("worker1", "POST", "/v1/registry/households", { unitId: grid1, address: `证据测试 ${Date.now()}`, membersCount: 1, class: "key" }));
    const photo = await upload("worker1");
    const v = ok(await as("worker1", "POST", "/v1/duties/visits", { householdId: h.id, notes: "入户走访", photos: [{ key: photo.key }], location: point }));
    const path = `/v1/duties/households/${h.id}/visits/${v.id}/photos/${photo.key}?at=${encodeURIComponent(v.at)}`;
    for (const who of ["worker1", "leader1", "community1", "center"]) {
      const r = await as(who, "GET", path);
      expect(r.status, who).toBe(200);
      expect(r.headers.get("cache-control")).toBe("no-store");
      expect(await fetched(r.body)).toEqual(photo.bytes);
    }
    expect((await as("worker2", "GET", path)).status).toBe(404); // another grid
    expect((await as("dept1", "GET", path)).status).toBe(403); // no registry:read
    expect((await as("worker1", "GET", `/v1/duties/households/${h.id}/visits/${v.id}/photos/uploads/user-x/other.png?at=${encodeURIComponent(v.at)}`)).status).toBe(404);
    expect((await as("worker1", "GET", `/v1/duties/households/${h.id}/visits/NOPE/photos/${photo.key}?at=${encodeURIComponent(v.at)}`)).status).toBe(404);
    expect(fieldPaths(await as("worker1", "GET", `/v1/duties/households/${h.id}/visits/${v.id}/photos/${photo.key}`))).toEqual(["at"]);
  });

  it("keeps photos given at a patrol's check-out, shown to the worker and their superiors only", async () => {
    // end a patrol left open by another test of the shared stack
    const open = ok(await as("worker1", "GET", "/v1/duties/patrols")).items.filter((x: any) => !x.endedAt);
    for (const x of open) ok(await as("worker1", "POST", `/v1/duties/patrols/${x.id}/end`, {}));
    const photo = await upload("worker1");
    const started = ok(await as("worker1", "POST", "/v1/duties/patrols", { point }));
    const foreign = await upload("worker2");
    expect(fieldPaths(await as("worker1", "POST", `/v1/duties/patrols/${started.id}/end`, { photos: [{ key: foreign.key }] }))).toEqual(["photos.0.key"]);
    const ended = ok(await as("worker1", "POST", `/v1/duties/patrols/${started.id}/end`, { point, note: "路灯损坏一处", photos: [{ key: photo.key }] }));
    expect(ended.photos).toEqual([{ key: photo.key }]);
    const path = `/v1/duties/patrols/${started.id}/photos/${photo.key}`;
    expect(await fetched(ok(await as("worker1", "GET", path)))).toEqual(photo.bytes);
    expect(await fetched(ok(await as("leader1", "GET", path)))).toEqual(photo.bytes);
    expect((await as("worker2", "GET", path)).status).toBe(404);
    expect((await as("worker1", "GET", `/v1/duties/patrols/${started.id}/photos/${foreign.key}`)).status).toBe(404);
  });

  it("shows a grid's completion photo to the center, the requesting department and that grid's people, not to other grids or departments", async () => {
    const type = ok(await as("center", "POST", "/v1/tasks/types", { code: `EVID-${randomBytes(3).toString("hex")}`, name: "消防通道检查", category: "inspection", fields: [], defaultDays: 3 }));
    const t = ok(await as("dept1", "POST", "/v1/tasks", { typeId: type.id, unitIds: [grid1, grid2], description: "检查消防通道是否畅通" }));
    ok(await as("center", "POST", `/v1/tasks/${t.id}/approve`, {}));
    const photo = await upload("worker1");
    ok(await as("worker1", "POST", `/v1/tasks/${t.id}/units/${grid1}/complete`, { data: {}, photos: [{ key: photo.key }], note: "畅通" }));
    const path = `/v1/tasks/${t.id}/units/${grid1}/photos/${photo.key}`;
    for (const who of ["worker1", "leader1", "center", "dept1"]) {
      const r = await as(who, "GET", path);
      expect(r.status, who).toBe(200);
      expect(await fetched(r.body)).toEqual(photo.bytes);
    }
    expect((await as("worker2", "GET", path)).status).toBe(404); // follows the task, but grid1 is not theirs
    expect((await as("dept2", "GET", path)).status).toBe(404); // another department
    expect((await as("worker2", "GET", `/v1/tasks/${t.id}/units/${grid2}/photos/${photo.key}`)).status).toBe(404); // not on that grid
  });
});
