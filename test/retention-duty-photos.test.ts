import { describe, it, expect, beforeAll } from "vitest";
import { randomBytes } from "node:crypto";
import { HeadObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { runJob } from "./client.ts";
import { ownStack } from "./own-stack.ts";
import { as, forgetLogins, ok, unitOf } from "../functions/registry/testing.ts";

/**
 * Issue #19, retention (PIPL) of duty evidence photos, on an embedded stack of its own whose clock
 * the test moves (docs/security.md "Retention", core/duty/photo-retention.ts): the photos attached
 * to a home visit, a patrol's check-out and a task grid's completion are deleted by the daily
 * `retention` job privacy.dutyPhotoRetentionDays (default 730) after the record, each audited once
 * and counted in `retention.run`; the records keep their photo entries and a later download finds
 * the storage's 404.
 */
const START = "2026-05-04T02:00:00.000Z";
const stack = ownStack({ at: START });
const DAY = 86_400_000;
const point = { lng: 118.09, lat: 24.49 };

function setClock(days: number) {
  stack.get().clock.set(new Date(Date.parse(START) + days * DAY));
  forgetLogins();
}

let s3: S3Client;
let bucket: string;
/** 200 while the object is in the bucket, 404 once it is gone (read straight from the emulator). */
async function head(key: string): Promise<number> {
  try {
    await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return 200;
  } catch (e) {
    return (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? 0;
  }
}

async function upload(username: string): Promise<string> {
  const up = ok(await as(username, "POST", "/v1/uploads", { contentType: "image/png", size: 8, tag: "after" }));
  expect((await fetch(up.uploadUrl, { method: "PUT", headers: up.headers, body: new Uint8Array(randomBytes(8)) })).ok).toBe(true);
  return up.key;
}

beforeAll(() => {
  const env = stack.get().env;
  Object.assign(process.env, env);
  s3 = new S3Client({ forcePathStyle: true, endpoint: env.AWS_ENDPOINT_URL_S3, region: env.AWS_REGION ?? "cn-northwest-1" });
  bucket = env.WANGGE_BUCKET!;
});

describe("retention of duty evidence photos (#19)", () => {
  it("deletes the photos of visits, patrols and task completions privacy.dutyPhotoRetentionDays after the record, audits each once, and the records keep their entries", async () => {
    const grid1 = await unitOf("worker1");
    const grid2 = await unitOf("worker2");
    // a visit with a photo
    const h = ok(await as("worker1", "POST", "/v1/registry/households", { unitId: grid1, address: "保存期限测试 1 号", membersCount: 1, class: "key" }));
    const visitPhoto = await upload("worker1");
    const v = ok(await as("worker1", "POST", "/v1/duties/visits", { householdId: h.id, notes: "入户走访", photos: [{ key: visitPhoto }], location: point }));
    const visitPath = `/v1/duties/households/${h.id}/visits/${v.id}/photos/${visitPhoto}?at=${encodeURIComponent(v.at)}`;
    // a patrol with a photo at check-out
    const patrolPhoto = await upload("worker1");
    const started = ok(await as("worker1", "POST", "/v1/duties/patrols", { point }));
    ok(await as("worker1", "POST", `/v1/duties/patrols/${started.id}/end`, { point, note: "路灯损坏一处", photos: [{ key: patrolPhoto }] }));
    const patrolPath = `/v1/duties/patrols/${started.id}/photos/${patrolPhoto}`;
    // a task grid completed with a photo
    const type = ok(await as("center", "POST", "/v1/tasks/types", { code: "RET-PHOTO", name: "消防通道检查", category: "inspection", fields: [], defaultDays: 3 }));
    const t = ok(await as("dept1", "POST", "/v1/tasks", { typeId: type.id, unitIds: [grid1, grid2], description: "检查消防通道是否畅通" }));
    ok(await as("center", "POST", `/v1/tasks/${t.id}/approve`, {}));
    const taskPhoto = await upload("worker1");
    ok(await as("worker1", "POST", `/v1/tasks/${t.id}/units/${grid1}/complete`, { data: {}, photos: [{ key: taskPhoto }], note: "畅通" }));
    const taskPath = `/v1/tasks/${t.id}/units/${grid1}/photos/${taskPhoto}`;
    const photos = [visitPhoto, patrolPhoto, taskPhoto];
    const paths = [visitPath, patrolPath, taskPath];
    for (const key of photos) expect(await head(key), key).toBe(200);

    // 729 days on: nothing is due yet
    setClock(729);
    const early = (await runJob("retention")) as any;
    expect(early.dutyPhotos).toEqual({ deleted: 0, days: 730 });
    for (const key of photos) expect(await head(key), key).toBe(200);

    // 731 days on: the three photos are gone
    setClock(731);
    const due = (await runJob("retention")) as any;
    expect(due.dutyPhotos).toEqual({ deleted: 3, days: 730 });
    for (const key of photos) expect(await head(key), key).toBe(404);
    const expired = ok(await as("admin", "GET", `/v1/audit?action=duty_photo.expire&from=2028-05-01T00:00:00Z&limit=50`)).items as any[];
    expect(expired.map((e) => e.details.key).sort()).toEqual([...photos].sort());
    expect(expired.map((e) => `${e.entity}:${e.entityId}`).sort()).toEqual([`patrol:${started.id}`, `task:${t.id}`, `visit:${v.id}`]);
    expect(expired[0]).toMatchObject({ actor: { kind: "system", id: "retention" }, details: { retentionDays: 730 } });
    const runs = ok(await as("admin", "GET", `/v1/audit?action=retention.run&from=2028-05-01T00:00:00Z&limit=50`)).items as any[];
    expect(runs.map((r) => r.details.dutyPhotos)).toEqual([3]);

    // the records keep their photo entries; the link leads to the storage's 404
    for (const path of paths) {
      const r = await as("worker1", "GET", path);
      expect(r.status, path).toBe(200);
      expect((await fetch(r.body.url)).status, path).toBe(404);
    }

    // a second run deletes and audits nothing more
    const again = (await runJob("retention")) as any;
    expect(again.dutyPhotos).toEqual({ deleted: 0, days: 730 });
    expect((ok(await as("admin", "GET", `/v1/audit?action=duty_photo.expire&from=2028-05-01T00:00:00Z&limit=50`)).items as any[]).length).toBe(3);
  });

  it("refuses a duty-photo retention outside 30–3650 days", async () => {
    const { updatedAt: _u, ...current } = ok(await as("admin", "GET", "/v1/settings"));
    const save = (days: number) => as("admin", "PUT", "/v1/settings", { ...current, privacy: { ...current.privacy, dutyPhotoRetentionDays: days } });
    for (const bad of [29, 3651, 30.5]) {
      const r = await save(bad);
      expect(r.status, String(bad)).toBe(400);
      expect(JSON.stringify(r.body.error.details)).toContain("dutyPhotoRetentionDays");
    }
    expect((await save(30)).status).toBe(200);
    expect(ok(await as("admin", "GET", "/v1/settings")).privacy.dutyPhotoRetentionDays).toBe(30);
    expect(((await runJob("retention")) as any).dutyPhotos).toEqual({ deleted: 0, days: 30 });
  });
});
