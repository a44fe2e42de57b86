import { describe, it, expect } from "vitest";
import { call, runJob } from "./client.ts";
import { adminToken } from "./fixtures.ts";
import { ownStack } from "./own-stack.ts";
import { must, pointIn } from "./cases.ts";
import { as, forgetLogins, newIdNumber, ok } from "../functions/registry/testing.ts";

/**
 * Issue #19, retention (PIPL) of case attachments and of registry people who moved away, on an
 * embedded stack of its own whose clock the test moves (docs/security.md "Retention"): the daily
 * `retention` job deletes the photos of cases closed longer than
 * privacy.caseAttachmentRetentionDays (default 730) — never those of open cases — and people
 * marked as moved away longer than privacy.movedAwayRetentionDays (default 365), audited and
 * idempotent.
 */
const START = "2026-03-02T02:00:00.000Z";
const stack = ownStack({ at: START });
const DAY = 86_400_000;
const GRID = "350206001001001";

function setClock(days: number) {
  stack.get().clock.set(new Date(Date.parse(START) + days * DAY));
  forgetLogins();
}

/** A resident's upload (presigned PUT), as the resident page does before reporting. */
async function residentUpload(token: string): Promise<string> {
  const up = await call("POST", "/v1/uploads", { token, body: { contentType: "image/jpeg", size: 4, tag: "before" } });
  expect(up.status).toBe(201);
  expect((await fetch(up.body.uploadUrl, { method: "PUT", headers: up.body.headers, body: new Uint8Array([1, 2, 3, 4]) })).ok).toBe(true);
  return up.body.key;
}

async function staffUpload(username: string, caseId: string): Promise<string> {
  const up = ok(await as(username, "POST", `/v1/cases/${caseId}/attachments`, { contentType: "image/jpeg", size: 4, tag: "handling" }));
  expect((await fetch(up.uploadUrl, { method: "PUT", headers: up.headers, body: new Uint8Array([5, 6, 7, 8]) })).ok).toBe(true);
  return up.key;
}

/** Whether the attachment's object is still in the bucket (the presigned GET the console follows). */
async function stored(caseId: string, key: string): Promise<number> {
  const link = ok(await as("center", "GET", `/v1/cases/${caseId}/attachments/${key}`));
  return (await fetch(link.url)).status;
}

async function residentCase(description: string) {
  const anon = await call("POST", "/v1/residents/anonymous", { body: { gridCode: GRID } });
  expect(anon.status).toBe(200);
  const token = anon.body.accessToken as string;
  const photo = await residentUpload(token);
  const r = await call("POST", "/v1/cases", { token, body: { categoryId: "cat-env-garbage", description, location: await pointIn("worker1"), attachments: [{ key: photo, kind: "photo" }] } });
  expect(r.status).toBe(201);
  return { id: r.body.case.id as string, photo };
}

const auditOf = async (entity: string, id: string) => ok(await as("admin", "GET", `/v1/audit?entity=${entity}&entityId=${id}&from=2026-01-01T00:00:00Z&limit=200`)).items as any[];

describe("retention of case attachments and of people who moved away (#19)", () => {
  it("deletes the photos of a case closed longer than privacy.caseAttachmentRetentionDays, keeps those of an open case, audits once; people moved away go after privacy.movedAwayRetentionDays", async () => {
    // a closed case with a resident's photo and a staff photo, and an open case with a resident's photo
    const closed = await residentCase("保存期限：已办结");
    await must("center", closed.id, "accept");
    await must("dept1", closed.id, "claim");
    await must("dept1", closed.id, "start");
    const staffPhoto = await staffUpload("dept1", closed.id);
    await must("dept1", closed.id, "handle", { note: "已清运", attachments: [{ key: staffPhoto, kind: "photo" }] });
    await must("worker1", closed.id, "verify", { pass: true, note: "现场已清理" });
    expect((await must("center", closed.id, "evaluate", { level: "satisfied" })).case.state).toBe("closed");
    const open = await residentCase("保存期限：未办结");
    for (const key of [closed.photo, staffPhoto]) expect(await stored(closed.id, key)).toBe(200);

    // registry: one person moved away now, one moved away and back, one moved away later
    const grid = ok(await as("worker1", "GET", "/v1/me")).assignments[0].unitId;
    const mk = async (name: string) => {
      const idNumber = newIdNumber();
      return { ...ok(await as("worker1", "POST", "/v1/registry/people", { unitId: grid, name, idNumber })), idNumber };
    };
    const gone = await mk("迁出甲");
    const back = await mk("迁出乙");
    const later = await mk("迁出丙");
    const marked = ok(await as("worker1", "PATCH", `/v1/registry/people/${gone.id}`, { version: gone.version, movedAway: true }));
    // the clock runs on from where the test set it
    expect(Date.parse(marked.movedAwayAt) - Date.parse(START)).toBeLessThan(10 * 60_000);
    const b1 = ok(await as("worker1", "PATCH", `/v1/registry/people/${back.id}`, { version: back.version, movedAway: true }));
    ok(await as("worker1", "PATCH", `/v1/registry/people/${back.id}`, { version: b1.version, movedAway: false }));
    setClock(200);
    const l1 = ok(await as("worker1", "PATCH", `/v1/registry/people/${later.id}`, { version: later.version, movedAway: true }));
    expect(Date.parse(l1.movedAwayAt) - Date.parse(START) - 200 * DAY).toBeLessThan(10 * 60_000);

    // day 366: the first moved-away person is due, nothing else
    setClock(366);
    const first = (await runJob("retention")) as any;
    expect(first.movedAway).toEqual({ deleted: 1, skipped: 0 });
    expect(first.attachments).toMatchObject({ cases: 0, objects: 0 });
    expect((await as("worker1", "GET", `/v1/registry/people/${gone.id}`)).status).toBe(404);
    expect((await as("worker1", "GET", `/v1/registry/people/${back.id}`)).status).toBe(200);
    expect((await as("worker1", "GET", `/v1/registry/people/${later.id}`)).status).toBe(200);
    const expired = await auditOf("person", gone.id);
    expect(expired.map((e) => e.action)[0]).toBe("person.expire");
    expect(expired[0]).toMatchObject({ actor: { kind: "system", id: "retention" }, unitPath: gone.unitPath, details: { movedAwayAt: marked.movedAwayAt, retentionDays: 365 } });
    // its ID number can be registered again (the unique reference went with it)
    expect((await as("worker1", "POST", "/v1/registry/people", { unitId: grid, name: "迁回", idNumber: gone.idNumber })).status).toBe(201);
    for (const key of [closed.photo, staffPhoto]) expect(await stored(closed.id, key)).toBe(200);

    // day 729 after closing: still kept; day 731: the closed case's photos are deleted, the open case's stay
    setClock(729);
    expect(((await runJob("retention")) as any).attachments).toMatchObject({ cases: 0, objects: 0 });
    expect(await stored(closed.id, closed.photo)).toBe(200);
    setClock(731);
    const due = (await runJob("retention")) as any;
    expect(due.attachments).toMatchObject({ cases: 1, objects: 2 });
    expect(await stored(closed.id, closed.photo)).toBe(404);
    expect(await stored(closed.id, staffPhoto)).toBe(404);
    expect(await stored(open.id, open.photo)).toBe(200);
    const caseAudit = (await auditOf("case", closed.id)).filter((e) => e.action === "case.attachments_expire");
    expect(caseAudit).toHaveLength(1);
    expect(caseAudit[0]).toMatchObject({ actor: { kind: "system", id: "retention" }, details: { objects: 2, retentionDays: 730 } });
    expect((await auditOf("case", open.id)).filter((e) => e.action === "case.attachments_expire")).toHaveLength(0);
    // the person moved away on day 200 went at day 565 (in one of these runs), the one marked back stays
    expect((await as("worker1", "GET", `/v1/registry/people/${later.id}`)).status).toBe(404);
    expect((await as("worker1", "GET", `/v1/registry/people/${back.id}`)).status).toBe(200);
    const runs = ok(await as("admin", "GET", `/v1/audit?action=retention.run&from=2026-01-01T00:00:00Z&limit=50`)).items;
    expect(runs.find((r: any) => r.details.caseAttachments.objects === 2)).toMatchObject({ details: { caseAttachments: { cases: 1, objects: 2 } } });

    // a second run the same day deletes and audits nothing more (idempotent)
    const again = (await runJob("retention")) as any;
    expect(again.attachments).toMatchObject({ cases: 0, objects: 0 });
    expect(again.movedAway).toEqual({ deleted: 0, skipped: 0 });
    expect((await auditOf("case", closed.id)).filter((e) => e.action === "case.attachments_expire")).toHaveLength(1);
    expect(await adminToken()).toBeTruthy();
  });
});
