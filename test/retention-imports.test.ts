import { describe, it, expect, beforeAll } from "vitest";
import { ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { apiUrl, call, runJob } from "./client.ts";
import { ownStack } from "./own-stack.ts";
import { http, importXlsx, staffXlsx, waitJob } from "../bench/onboarding-files.ts";
import { as, forgetLogins, ok } from "../functions/registry/testing.ts";
import { adminToken } from "./fixtures.ts";

/**
 * Issue #19, retention (PIPL) of import files, on an embedded stack of its own whose clock the test
 * moves (docs/security.md "Retention", core/job/retention.ts): the daily `retention` job deletes
 * every object under `imports/` (the uploaded workbook, its error report, problem list and
 * activation-code sheet) older than privacy.importFileRetentionDays (default 30) by the injected
 * clock, audits each deletion once, counts them in `retention.run`, and a second run deletes
 * nothing; the job's downloads then answer 410 `gone`, never a 5xx.
 */
const START = "2026-05-04T02:00:00.000Z";
const stack = ownStack({ at: START });
const DAY = 86_400_000;

function setClock(days: number) {
  stack.get().clock.set(new Date(Date.parse(START) + days * DAY));
  forgetLogins();
}

let s3: S3Client;
let bucket: string;
/** The keys under `imports/`, read straight from the emulator. */
async function importKeys(): Promise<string[]> {
  const out = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: "imports/" }));
  return (out.Contents ?? []).map((o) => o.Key!).sort();
}

beforeAll(() => {
  const env = stack.get().env;
  Object.assign(process.env, env);
  s3 = new S3Client({ forcePathStyle: true, endpoint: env.AWS_ENDPOINT_URL_S3, region: env.AWS_REGION ?? "cn-northwest-1" });
  bucket = env.WANGGE_BUCKET!;
});

describe("retention of import files (#19)", () => {
  it("deletes every file under imports/ older than privacy.importFileRetentionDays, audits each once, and the job's downloads then answer 410 gone", async () => {
    const admin = await adminToken();
    const api = http(apiUrl(), () => admin);
    const job = await waitJob(
      api,
      await importXlsx(
        api,
        "users",
        "staff.xlsx",
        await staffXlsx([
          { username: "ret.wang", displayName: "王保存", role: "网格员", unitCode: "350206001001001" },
          { username: "ret.bad", displayName: "李错误", role: "网格员", unitCode: "350206999999999" },
        ]),
      ),
      undefined,
      90_000,
    );
    expect(job.status, JSON.stringify(job.errors)).toBe("succeeded");
    expect(job.result).toMatchObject({ created: 1, rejected: 1, activationCodes: 1 });
    const files = [`imports/${job.id}.activation.json`, `imports/${job.id}.errors.csv`, `imports/${job.id}.problems.json`, `imports/${job.id}.xlsx`];
    expect(await importKeys()).toEqual(files);
    const downloads = [`/v1/jobs/${job.id}/errors.csv`, `/v1/jobs/${job.id}/corrected.xlsx`, `/v1/jobs/${job.id}/activation-codes.xlsx`];
    for (const path of downloads) expect((await as("admin", "GET", path)).status, path).toBe(200);

    // 29 days on: nothing is due yet
    setClock(29);
    const early = (await runJob("retention")) as any;
    expect(early.imports).toEqual({ deleted: 0, days: 30 });
    expect(await importKeys()).toEqual(files);

    // 31 days on: all four files of the import are gone
    setClock(31);
    const due = (await runJob("retention")) as any;
    expect(due.imports).toEqual({ deleted: 4, days: 30 });
    expect(await importKeys()).toEqual([]);
    const expired = ok(await as("admin", "GET", `/v1/audit?action=import_file.expire&from=2026-05-01T00:00:00Z&limit=50`)).items as any[];
    expect(expired.map((e) => e.entityId).sort()).toEqual(files);
    expect(expired[0]).toMatchObject({ actor: { kind: "system", id: "retention" }, entity: "import_file", details: { retentionDays: 30 } });
    const runs = ok(await as("admin", "GET", `/v1/audit?action=retention.run&from=2026-05-01T00:00:00Z&limit=50`)).items as any[];
    expect(runs.map((r) => r.details.importFiles)).toEqual([4]);

    // the job and its entry stay; its downloads answer 410 gone, naming the retention
    expect(ok(await as("admin", "GET", `/v1/jobs/${job.id}`)).status).toBe("succeeded");
    for (const path of downloads) {
      const r = await as("admin", "GET", path);
      expect(r.status, path).toBe(410);
      expect(r.body.error.code, path).toBe("gone");
      expect(r.body.error.message, path).toContain("deleted 30 days after the import");
    }

    // a second run deletes and audits nothing more
    const again = (await runJob("retention")) as any;
    expect(again.imports).toEqual({ deleted: 0, days: 30 });
    expect((ok(await as("admin", "GET", `/v1/audit?action=import_file.expire&from=2026-05-01T00:00:00Z&limit=50`)).items as any[]).length).toBe(4);
  });

  it("refuses an import-file retention outside 1–90 days and keeps import files for the days a county sets", async () => {
    const { updatedAt: _u, ...current } = ok(await as("admin", "GET", "/v1/settings"));
    const save = (days: number) => as("admin", "PUT", "/v1/settings", { ...current, privacy: { ...current.privacy, importFileRetentionDays: days } });
    for (const bad of [0, 91, 1.5]) {
      const r = await save(bad);
      expect(r.status, String(bad)).toBe(400);
      expect(JSON.stringify(r.body.error.details)).toContain("importFileRetentionDays");
    }
    expect((await save(2)).status).toBe(200);
    const up = ok(await as("admin", "POST", "/v1/units/import-uploads", { contentType: "text/csv", size: 4 }));
    expect((await fetch(up.uploadUrl, { method: "PUT", headers: up.headers, body: "a,b\n" })).ok).toBe(true);
    const at = Date.parse((await call("GET", "/_local/clock")).body.now);
    stack.get().clock.set(new Date(at + 1.9 * DAY));
    expect(((await runJob("retention")) as any).imports).toEqual({ deleted: 0, days: 2 });
    expect(await importKeys()).toEqual([up.uploadKey]);
    stack.get().clock.set(new Date(at + 2.1 * DAY));
    expect(((await runJob("retention")) as any).imports).toEqual({ deleted: 1, days: 2 });
    expect(await importKeys()).toEqual([]);
  });
});
