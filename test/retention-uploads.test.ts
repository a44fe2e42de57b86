import { describe, it, expect, beforeAll } from "vitest";
import { HeadObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { call, runJob } from "./client.ts";
import { ownStack } from "./own-stack.ts";
import { must, pointIn } from "./cases.ts";
import { as, forgetLogins, ok } from "../functions/registry/testing.ts";

/**
 * Issue #19, retention (PIPL) of uploads never attached, on an embedded stack of its own whose
 * clock the test moves (docs/security.md "Retention", core/attachment/pending.ts): the daily
 * `retention` job deletes a presigned upload that no report, case action, visit or patrol used
 * within privacy.unattachedUploadRetentionHours (default 168) — never an attached one — audited
 * and idempotent; an expired upload can no longer be attached.
 */
const START = "2026-05-04T02:00:00.000Z";
const stack = ownStack({ at: START });
const HOUR = 3_600_000;
const GRID = "350206001001001";

function setClock(hours: number) {
  stack.get().clock.set(new Date(Date.parse(START) + hours * HOUR));
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

async function put(up: { uploadUrl: string; headers: Record<string, string> }, bytes: number[]) {
  expect((await fetch(up.uploadUrl, { method: "PUT", headers: up.headers, body: new Uint8Array(bytes) })).ok).toBe(true);
}

const report = (token: string, description: string, key: string) =>
  pointIn("worker1").then((location) => call("POST", "/v1/cases", { token, body: { categoryId: "cat-env-garbage", description, location, attachments: [{ key, kind: "photo" }] } }));

beforeAll(() => {
  const env = stack.get().env;
  Object.assign(process.env, env);
  s3 = new S3Client({ forcePathStyle: true, endpoint: env.AWS_ENDPOINT_URL_S3, region: env.AWS_REGION ?? "cn-northwest-1" });
  bucket = env.WANGGE_BUCKET!;
});

describe("retention of uploads never attached (#19)", () => {
  it("deletes exactly the uploads not attached within privacy.unattachedUploadRetentionHours, never an attached one, audits each once, and a second run deletes nothing", async () => {
    const anon = await call("POST", "/v1/residents/anonymous", { body: { gridCode: GRID } });
    expect(anon.status).toBe(200);
    const resident = anon.body.accessToken as string;
    const upload = async () => {
      const up = await call("POST", "/v1/uploads", { token: resident, body: { contentType: "image/jpeg", size: 4, tag: "before" } });
      expect(up.status).toBe(201);
      await put(up.body, [1, 2, 3, 4]);
      return up.body.key as string;
    };
    // a resident uploads two photos and reports with one of them; the other is never used
    const attached = await upload();
    const orphan = await upload();
    const late = await upload(); // attached only after it expired: refused
    const reported = await report(resident, "保存期限：已附照片", attached);
    expect(reported.status, JSON.stringify(reported.body)).toBe(201);
    const caseId = reported.body.case.id as string;

    // staff: one photo presigned for the case and used by an action, one presigned and never used
    await must("center", caseId, "accept");
    await must("dept1", caseId, "claim");
    await must("dept1", caseId, "start");
    const staffUsed = ok(await as("dept1", "POST", `/v1/cases/${caseId}/attachments`, { contentType: "image/jpeg", size: 4, tag: "handling" }));
    await put(staffUsed, [5, 6, 7, 8]);
    const staffUnused = ok(await as("dept1", "POST", `/v1/cases/${caseId}/attachments`, { contentType: "image/jpeg", size: 4, tag: "handling" }));
    await put(staffUnused, [9, 9, 9, 9]);
    await must("dept1", caseId, "handle", { note: "已清运", attachments: [{ key: staffUsed.key, kind: "photo" }] });
    const all = [attached, orphan, late, staffUsed.key, staffUnused.key];
    for (const key of all) expect(await head(key), key).toBe(200);

    // 167 hours on: nothing is due yet
    setClock(167);
    const early = (await runJob("retention")) as any;
    expect(early.uploads).toEqual({ deleted: 0, skipped: 0, hours: 168 });
    for (const key of all) expect(await head(key), key).toBe(200);

    // 169 hours on: exactly the three never attached are gone, the two attached stay
    setClock(169);
    const due = (await runJob("retention")) as any;
    expect(due.uploads).toEqual({ deleted: 3, skipped: 0, hours: 168 });
    expect(await head(attached)).toBe(200);
    expect(await head(staffUsed.key)).toBe(200);
    for (const key of [orphan, late, staffUnused.key]) expect(await head(key), key).toBe(404);
    // each deletion audited once, by the retention job; the run's counts name them
    const expired = ok(await as("admin", "GET", `/v1/audit?action=upload.expire&from=2026-05-01T00:00:00Z&limit=50`)).items as any[];
    expect(expired.map((e) => e.entityId).sort()).toEqual([orphan, late, staffUnused.key].sort());
    expect(expired[0]).toMatchObject({ actor: { kind: "system", id: "retention" }, entity: "upload", details: { retentionHours: 168 } });
    const runs = ok(await as("admin", "GET", `/v1/audit?action=retention.run&from=2026-05-01T00:00:00Z&limit=50`)).items as any[];
    expect(runs.map((r) => r.details.unattachedUploads)).toEqual([3]);

    // an expired upload cannot be attached any more
    const renewed = await call("POST", "/v1/residents/refresh", { body: { refreshToken: anon.body.refreshToken } });
    expect(renewed.status).toBe(200);
    const tooLate = await report(renewed.body.accessToken, "保存期限：过期照片", late);
    expect(tooLate.status).toBe(400);
    expect(tooLate.body.error.details.fields[0].path).toBe("attachments.0.key");

    // a second run deletes and audits nothing more (idempotent); the attached photos are still there
    const again = (await runJob("retention")) as any;
    expect(again.uploads).toEqual({ deleted: 0, skipped: 0, hours: 168 });
    expect((ok(await as("admin", "GET", `/v1/audit?action=upload.expire&from=2026-05-01T00:00:00Z&limit=50`)).items as any[]).length).toBe(3);
    expect(await head(attached)).toBe(200);
    expect(await head(staffUsed.key)).toBe(200);
  });

  it("refuses an unattached-upload retention outside 24–2160 hours and keeps uploads for the hours a county sets", async () => {
    const { updatedAt: _u, ...current } = ok(await as("admin", "GET", "/v1/settings"));
    const save = (hours: number) => as("admin", "PUT", "/v1/settings", { ...current, privacy: { ...current.privacy, unattachedUploadRetentionHours: hours } });
    for (const bad of [23, 2161, 1.5]) {
      const r = await save(bad);
      expect(r.status, String(bad)).toBe(400);
      expect(JSON.stringify(r.body.error.details)).toContain("unattachedUploadRetentionHours");
    }
    expect((await save(48)).status).toBe(200);
    const worker = await as("worker1", "POST", "/v1/uploads", { contentType: "image/png", size: 4 });
    expect(worker.status).toBe(201);
    await put(worker.body, [1, 1, 1, 1]);
    const at = Date.parse((await call("GET", "/_local/clock")).body.now);
    stack.get().clock.set(new Date(at + 47 * HOUR));
    expect(((await runJob("retention")) as any).uploads).toMatchObject({ deleted: 0, hours: 48 });
    expect(await head(worker.body.key)).toBe(200);
    stack.get().clock.set(new Date(at + 49 * HOUR));
    expect(((await runJob("retention")) as any).uploads).toMatchObject({ deleted: 1, hours: 48 });
    expect(await head(worker.body.key)).toBe(404);
  });
});
