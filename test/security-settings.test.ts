import { describe, it, expect } from "vitest";
import { call, queuesIdle } from "./client.ts";
import { adminToken, tokenFor } from "./fixtures.ts";
import { ownStack } from "./own-stack.ts";
import { as, newIdNumber, newMobile, ok } from "../functions/registry/testing.ts";

/**
 * Issue #19: the county's privacy settings (`privacy.*`, docs/security.md) take effect when changed
 * over HTTP. Its own stack: changing county settings on the shared stack would change the quotas
 * every other file runs under.
 */
ownStack();

const why = { purpose: "identity_check", reason: "核实身份信息" };

async function putPrivacy(privacy: Record<string, unknown>) {
  const admin = await adminToken();
  const { updatedAt: _u, ...settings } = (await call("GET", "/v1/settings", { token: admin })).body;
  return call("PUT", "/v1/settings", { token: admin, body: { ...settings, privacy: { ...settings.privacy, ...privacy } } });
}

describe("privacy settings take effect (#19)", () => {
  it("shows the effective privacy controls, the built-in defaults, to a county that never saved them", async () => {
    const privacy = ok(await as("admin", "GET", "/v1/settings")).privacy;
    expect(privacy).toEqual({
      revealsPerUserDay: 50,
      searchesPerUserHour: 30,
      revealsPerUnitDay: 100,
      residentRetentionDays: 730,
      auditRetentionMonths: 36,
      caseAttachmentRetentionDays: 730,
      movedAwayRetentionDays: 365,
      unattachedUploadRetentionHours: 168,
      importFileRetentionDays: 30,
      dutyPhotoRetentionDays: 730,
      masks: { idNumber: { trailing: 4 }, phone: { leading: 0, trailing: 4 } },
    });
  });

  it("a county that lowers privacy.searchesPerUserHour to 2 refuses a user's third exact search in the hour with 429 naming the new limit, and alerts the county admin once", async () => {
    const saved = await putPrivacy({ searchesPerUserHour: 2 });
    expect(saved.status).toBe(200);
    expect(saved.body.privacy).toMatchObject({ searchesPerUserHour: 2, revealsPerUserDay: 50, residentRetentionDays: 730, auditRetentionMonths: 36 });
    const worker = await tokenFor("worker1");
    const statuses = [];
    for (let i = 0; i < 2; i++) statuses.push((await call("POST", "/v1/registry/search", { token: worker, body: { idNumber: newIdNumber(), ...why } })).status);
    expect(statuses).toEqual([200, 200]);
    const third = await call("POST", "/v1/registry/search", { token: worker, body: { idNumber: newIdNumber(), ...why } });
    expect(third.status).toBe(429);
    expect(third.body.error.details).toMatchObject({ reason: "search_quota", quota: "searchesPerUserHour", limit: 2 });
    expect((await call("POST", "/v1/registry/search", { token: worker, body: { idNumber: newIdNumber(), ...why } })).status).toBe(429);
    // the county admin is alerted once a day per user and quota, however many refusals follow
    const notices = ok(await as("admin", "GET", "/v1/me/notifications?limit=200")).items.filter((n: any) => n.type === "registry.quota_exceeded" && n.data.quota === "searchesPerUserHour");
    expect(notices).toHaveLength(1);
    expect(notices[0].data).toMatchObject({ limit: 2, userId: ok(await as("worker1", "GET", "/v1/me")).id });
    // raising it again lets the same user search on at once
    expect((await putPrivacy({ searchesPerUserHour: 5 })).status).toBe(200);
    expect((await call("POST", "/v1/registry/search", { token: worker, body: { idNumber: newIdNumber(), ...why } })).status).toBe(200);
  });

  it("saves the audit trail's retention within its bounds and refuses one below the legal minimum of 6 months", async () => {
    const saved = await putPrivacy({ auditRetentionMonths: 12 });
    expect(saved.status).toBe(200);
    expect(saved.body.privacy.auditRetentionMonths).toBe(12);
    const tooShort = await putPrivacy({ auditRetentionMonths: 3 });
    expect(tooShort.status).toBe(400);
    expect(tooShort.body.error.details.fields.map((f: { path: string }) => f.path)).toEqual(["privacy.auditRetentionMonths"]);
  });

  it("shows phones as first 3 + last 4 and ID numbers by their last 2 when the county sets privacy.masks so: create answer, read, list, search, audit diff and CSV export alike", async () => {
    expect((await putPrivacy({ masks: { idNumber: { trailing: 2 }, phone: { leading: 3, trailing: 4 } } })).status).toBe(200);
    const grid = ok(await as("worker1", "GET", "/v1/me")).assignments[0].unitId;
    const idNumber = newIdNumber();
    const [phone, phone2] = [newMobile(), newMobile()];
    const want = { idNumber: `${"*".repeat(16)}${idNumber.slice(-2)}`, phone: `${phone.slice(0, 3)}****${phone.slice(-4)}` };
    const created = ok(await as("worker1", "POST", "/v1/registry/people", { unitId: grid, name: "掩码样式", idNumber, phone }));
    expect(created).toMatchObject(want);
    expect(ok(await as("worker1", "GET", `/v1/registry/people/${created.id}`))).toMatchObject(want);
    const listed = ok(await as("worker1", "GET", `/v1/registry/people?unitId=${grid}&q=${encodeURIComponent("掩码样式")}`)).items;
    expect(listed.map((x: { id: string }) => x.id)).toEqual([created.id]);
    expect(listed[0]).toMatchObject(want);
    const found = ok(await as("worker1", "POST", "/v1/registry/search", { idNumber, ...why })).items;
    expect(found[0]).toMatchObject(want);
    // an update's audit diff shows the phones under the same style
    ok(await as("worker1", "PATCH", `/v1/registry/people/${created.id}`, { version: created.version, phone: phone2 }));
    const audit = ok(await as("admin", "GET", `/v1/audit?entity=person&entityId=${created.id}&action=person.update`)).items;
    expect(audit).toHaveLength(1);
    expect(audit[0].changes.phone).toEqual({ from: want.phone, to: `${phone2.slice(0, 3)}****${phone2.slice(-4)}` });
    expect(audit[0].summary).toBe(`person ${want.idNumber}`);
    // a masked CSV export, built by the exports consumer
    const e = ok(await as("dept1", "POST", "/v1/exports", { dataset: "people", unitId: grid, fields: ["name", "idNumber", "phone"], purpose: "掩码样式核对" }));
    ok(await as("center", "POST", `/v1/exports/${e.id}/approve`, {}));
    await queuesIdle();
    expect(ok(await as("dept1", "GET", `/v1/exports/${e.id}`)).state).toBe("ready");
    const csv = new TextDecoder().decode(await (await fetch(ok(await as("dept1", "GET", `/v1/exports/${e.id}/download`)).url)).arrayBuffer());
    expect(csv).toContain(`\r\n掩码样式,${want.idNumber},${phone2.slice(0, 3)}****${phone2.slice(-4)}\r\n`);
    expect(csv).not.toContain(idNumber.slice(-4));
    // back to the default: last 4 only
    expect((await putPrivacy({ masks: { idNumber: { trailing: 4 }, phone: { leading: 0, trailing: 4 } } })).status).toBe(200);
    expect(ok(await as("worker1", "GET", `/v1/registry/people/${created.id}`))).toMatchObject({ idNumber: `${"*".repeat(14)}${idNumber.slice(-4)}`, phone: `*******${phone2.slice(-4)}` });
  });

  it("refuses a mask style beyond the safe bounds: leading ID digits, more than 4 trailing, a phone prefix other than 3", async () => {
    for (const [masks, path] of [
      [{ idNumber: { trailing: 6 } }, "privacy.masks.idNumber.trailing"],
      [{ idNumber: { leading: 4, trailing: 4 } }, "privacy.masks.idNumber.leading"],
      [{ phone: { leading: 7, trailing: 4 } }, "privacy.masks.phone.leading"],
    ] as const) {
      const r = await putPrivacy({ masks });
      expect(r.status, JSON.stringify(masks)).toBe(400);
      expect(r.body.error.details.fields.map((f: { path: string }) => f.path)).toEqual([path]);
    }
    expect(ok(await as("admin", "GET", "/v1/settings")).privacy.masks).toEqual({ idNumber: { trailing: 4 }, phone: { leading: 0, trailing: 4 } });
  });

  it("stops reveals of one community at privacy.revealsPerUnitDay distinct records a day, whoever reveals: 429 naming the quota, audited, one notice to the county admin; a record already counted today reveals again", async () => {
    expect((await putPrivacy({ revealsPerUnitDay: 3 })).status).toBe(200);
    const grid = ok(await as("worker1", "GET", "/v1/me")).assignments[0].unitId;
    const people = [];
    for (let i = 0; i < 4; i++) people.push(ok(await as("worker1", "POST", "/v1/registry/people", { unitId: grid, name: `社区限额${i}`, idNumber: newIdNumber() })));
    const reveal = (user: string, id: string) => as(user, "POST", `/v1/registry/people/${id}/reveal`, { ...why, fields: ["idNumber"] });
    const statuses = [(await reveal("community1", people[0].id)).status, (await reveal("community1", people[1].id)).status, (await reveal("center", people[2].id)).status];
    expect(statuses).toEqual([200, 200, 200]);
    const refused = await reveal("center", people[3].id);
    expect(refused.status).toBe(429);
    expect(refused.body.error).toMatchObject({ code: "rate_limited", details: { reason: "unit_reveal_quota", quota: "revealsPerUnitDay", limit: 3 } });
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await reveal("community1", people[3].id)).status).toBe(429);
    // a record counted today is no new exposure: revealing it again is not refused
    expect((await reveal("center", people[0].id)).status).toBe(200);
    const community = people[0].unitPath.split("/").filter(Boolean).slice(0, 3);
    const alerts = ok(await as("admin", "GET", "/v1/audit?action=registry.quota_exceeded&limit=200")).items.filter((e: any) => e.entityId === "reveal-unit");
    expect(alerts).toHaveLength(2);
    expect(alerts[0]).toMatchObject({ entity: "registry", unitPath: `/${community.join("/")}/`, details: { quota: "revealsPerUnitDay", limit: 3, unitId: community[2] } });
    const notices = ok(await as("admin", "GET", "/v1/me/notifications?limit=200")).items.filter((n: any) => n.type === "registry.quota_exceeded" && n.data.quota === "revealsPerUnitDay");
    expect(notices).toHaveLength(1);
    expect(notices[0].data).toMatchObject({ quota: "revealsPerUnitDay", unitId: community[2], limit: 3 });
    // the plaintext never left for the refused record
    const revealed = ok(await as("admin", "GET", `/v1/audit?action=registry.reveal&entity=person&entityId=${people[3].id}`)).items;
    expect(revealed).toHaveLength(0);
  });

  it("counts a community's reveals atomically: 12 concurrent reveals of distinct records against a limit of 5 let exactly 5 through", async () => {
    expect((await putPrivacy({ revealsPerUnitDay: 5 })).status).toBe(200);
    const grid = ok(await as("worker2", "GET", "/v1/me")).assignments[0].unitId;
    const people = [];
    for (let i = 0; i < 12; i++) people.push(ok(await as("worker2", "POST", "/v1/registry/people", { unitId: grid, name: `并发限额${i}`, idNumber: newIdNumber() })));
    const results = await Promise.all(people.map((x) => as("center", "POST", `/v1/registry/people/${x.id}/reveal`, { ...why, fields: ["idNumber"] })));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([...Array(5).fill(200), ...Array(7).fill(429)]);
    for (const r of results.filter((x) => x.status === 429)) expect(r.body.error.details.reason).toBe("unit_reveal_quota");
  });
});
