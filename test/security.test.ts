import { describe, it, expect, beforeAll } from "vitest";
import { call, login, runJob, useStackEnv } from "./client.ts";
import { adminToken, tokenFor } from "./fixtures.ts";
import { requestCode, verifyCode } from "../core/resident/service.ts";
import { resetJwtKey } from "../core/auth/secret.ts";
import { phoneHash, phoneHashes } from "../core/resident/phone.ts";
import { residentIdByPhone, getResident, insertResident } from "../core/resident/repo.ts";
import { VisibleError } from "../core/errors.ts";
import { unknownFields } from "../core/validate.ts";
import { z } from "zod";
import { as, newIdNumber, newMobile, ok } from "../functions/registry/testing.ts";
import { must, pointIn } from "./cases.ts";
import { RESIDENT_CASE_FIELDS } from "../core/case/public.ts";

/**
 * Issue #19 (security of identities and residents' data): each test fails on the code before the fix.
 * Core functions are called in this process against the stack's emulators (useStackEnv), where a
 * test needs its own source addresses or keys; the rest goes over HTTP.
 */
beforeAll(() => useStackEnv());

const GRID = "350206001001001";
let seq = 0;
const newPhone = () => `137${String(Date.now() % 1e6).padStart(6, "0")}${String(seq++ % 100).padStart(2, "0")}`;
const ip = () => `10.19.${seq % 250}.${Math.floor(Math.random() * 250)}`;
const status = (p: Promise<unknown>) => p.then(() => 200, (e) => (e instanceof VisibleError ? e.status : 500));

describe("resident verification bucket (#19)", () => {
  it("charges the phone's bucket only for real attempts: eleven verifications with no live code leave the resident able to sign in", async () => {
    const phone = newPhone();
    const now = new Date();
    const junk = [];
    for (let i = 0; i < 11; i++) junk.push(await status(verifyCode({ phone, code: "000000", gridCode: GRID }, ip(), now)));
    expect(junk).toEqual(Array(11).fill(400));
    const sent = await requestCode({ phone }, ip(), now, { stage: "local" });
    const s = await verifyCode({ phone, code: sent.devCode, gridCode: GRID }, ip(), now);
    expect(s.resident.anonymous).toBe(false);
  });

  it("does not count a request for an unknown grid against the live code", async () => {
    const phone = newPhone();
    const now = new Date();
    const sent = await requestCode({ phone }, ip(), now, { stage: "local" });
    const junk = [];
    for (let i = 0; i < 6; i++) junk.push(await status(verifyCode({ phone, code: sent.devCode, gridCode: "350206999999999" }, ip(), now)));
    expect(junk).toEqual(Array(6).fill(404));
    const s = await verifyCode({ phone, code: sent.devCode, gridCode: GRID }, ip(), now);
    expect(s.resident.grid?.code).toBe(GRID);
  });
});

describe("resident key (#19)", () => {
  it("re-keys a resident registered under an earlier resident key at their next sign-in", async () => {
    const phone = newPhone();
    const now = new Date();
    const original = process.env.WANGGE_RESIDENT_KEY!;
    const first = await verifyCode({ phone, code: (await requestCode({ phone }, ip(), now, { stage: "local" })).devCode, gridCode: GRID }, ip(), now);
    const oldHash = await phoneHash(phone);
    process.env.WANGGE_RESIDENT_KEY = `rotated-resident-key-0123456789abcdefghij ${original}`;
    resetJwtKey();
    try {
      const [newHash, previous] = await phoneHashes(phone);
      expect(previous).toBe(oldHash);
      expect(newHash).not.toBe(oldHash);
      const later = new Date(now.getTime() + 120_000);
      const again = await verifyCode({ phone, code: (await requestCode({ phone }, ip(), later, { stage: "local" })).devCode, gridCode: GRID }, ip(), later);
      expect(again.resident.id).toBe(first.resident.id);
      expect(await residentIdByPhone(newHash)).toBe(first.resident.id);
      expect(await residentIdByPhone(oldHash)).toBeUndefined();
      expect((await getResident(first.resident.id))?.phoneHash).toBe(newHash);
    } finally {
      process.env.WANGGE_RESIDENT_KEY = original;
      resetJwtKey();
    }
  });

  it("stack tokens: a resident token is signed with the resident key, not the staff key", async () => {
    const { decodeProtectedHeader } = await import("jose");
    const anon = await call("POST", "/v1/residents/anonymous", { body: { gridCode: GRID } });
    expect(anon.status).toBe(200);
    expect(decodeProtectedHeader(anon.body.accessToken).kid).toBe("resident");
    expect((await call("GET", "/v1/residents/me", { token: anon.body.accessToken })).status).toBe(200);
    expect(decodeProtectedHeader(await adminToken()).kid).toBeUndefined();
  });
});

describe("allow-lists use own properties only (#19)", () => {
  const inherited = ["toString", "constructor", "__proto__", "hasOwnProperty"];

  it("refuses inherited names as an upload content type", async () => {
    for (const contentType of inherited) {
      const r = await as("worker1", "POST", "/v1/uploads", { contentType, size: 100 });
      expect(r.status, contentType).toBe(400);
      expect(r.body.error.details.fields.map((f: { path: string }) => f.path)).toEqual(["contentType"]);
    }
  });

  it("refuses inherited names as an import upload content type", async () => {
    const r = await as("admin", "POST", "/v1/units/import-uploads", { contentType: "toString", size: 100 });
    expect(r.status).toBe(400);
    expect(r.body.error.details.fields.map((f: { path: string }) => f.path)).toEqual(["contentType"]);
  });

  it("refuses inherited names as fields to reveal (400 naming the field, before any record is read)", async () => {
    for (const f of inherited) {
      const r = await as("community1", "POST", "/v1/registry/people/01NOSUCHPERSON000000000000/reveal", { reason: "核对身份信息", purpose: "identity_check", fields: [f] });
      expect(r.status, f).toBe(400);
      expect(r.body.error.details.fields.map((x: { path: string }) => x.path)).toEqual(["fields.0"]);
    }
  });

  it("refuses inherited names as export fields", async () => {
    const me = await as("dept1", "GET", "/v1/me");
    const r = await as("dept1", "POST", "/v1/exports", { dataset: "people", unitId: me.body.assignments[0].unitId, fields: ["name", "constructor"], purpose: "核对数据用途测试" });
    expect(r.status).toBe(400);
    expect(r.body.error.details.fields).toContainEqual({ path: "fields.1", message: "not a field of people" });
  });

  it("reports __proto__ and constructor keys of a body as unknown fields (not as the schema's own)", () => {
    const body = JSON.parse('{"a":"x","constructor":{"b":1},"__proto__":{"polluted":true}}');
    expect(unknownFields(z.object({ a: z.string() }), body).map((f) => f.path)).toEqual(["constructor", "__proto__"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

/** A fresh staff user with one role (quotas are per user: a fresh user starts with none used). */
async function staff(role: string, unitOfUser: string): Promise<{ id: string; token: string; username: string }> {
  const unitId = (await as(unitOfUser, "GET", "/v1/me")).body.assignments[0].unitId;
  const username = `sec${Date.now().toString(36)}${seq++}`;
  const password = "security-test-password-19";
  const u = ok(await as("admin", "POST", "/v1/users", { username, displayName: "安全测试", password, assignments: [{ role, unitId }] }));
  return { id: u.id, username, token: await login(username, password) };
}

const why = { purpose: "identity_check", reason: "核实身份信息" };

describe("registry search is no oracle (#19)", () => {
  it("needs a purpose and a reason, and audits the purpose, the value's blind index (never the value) and what matched", async () => {
    const worker = await staff("grid_worker", "worker1");
    const idNumber = newIdNumber();
    const grid = (await as("worker1", "GET", "/v1/me")).body.assignments[0].unitId;
    const person = ok(await as("worker1", "POST", "/v1/registry/people", { unitId: grid, name: "钱女士", idNumber }));
    const bare = await call("POST", "/v1/registry/search", { token: worker.token, body: { idNumber } });
    expect(bare.status).toBe(400);
    expect(bare.body.error.details.fields.map((f: { path: string }) => f.path)).toEqual(["purpose", "reason"]);
    const found = await call("POST", "/v1/registry/search", { token: worker.token, body: { idNumber, ...why, reference: "AJ-2026-001" } });
    expect(found.status).toBe(200);
    expect(found.body.items.map((i: { id: string }) => i.id)).toEqual([person.id]);
    const audit = ok(await as("admin", "GET", `/v1/audit?actor=${worker.id}&action=registry.search`));
    expect(audit.items).toHaveLength(1);
    const e = audit.items[0];
    expect(e).toMatchObject({ purpose: "identity_check", reason: "核实身份信息", reference: "AJ-2026-001", details: { by: "idNumber", matched: [{ entity: "person", id: person.id }] } });
    expect(e.details.queryHash).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(JSON.stringify(e)).not.toContain(idNumber);
    expect(JSON.stringify(e)).not.toContain(idNumber.slice(0, 14));
  });

  it("matches exact values only: a prefix of an ID number or a phone is refused, not searched", async () => {
    const worker = await staff("grid_worker", "worker1");
    for (const body of [{ idNumber: newIdNumber().slice(0, 14) }, { phone: newMobile().slice(0, 7) }, { idNumber: "3502*" }]) {
      const r = await call("POST", "/v1/registry/search", { token: worker.token, body: { ...body, ...why } });
      expect(r.status, JSON.stringify(body)).toBe(400);
    }
  });

  it("limits each user to the county's searches per rolling hour (default 30): the 31st is a 429 naming the quota, audited", async () => {
    const worker = await staff("grid_worker", "worker1");
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) statuses.push((await call("POST", "/v1/registry/search", { token: worker.token, body: { idNumber: newIdNumber(), ...why } })).status);
    expect(statuses).toEqual([...Array(30).fill(200), 429]);
    const refused = await call("POST", "/v1/registry/search", { token: worker.token, body: { idNumber: newIdNumber(), ...why } });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(refused.body.error).toMatchObject({ code: "rate_limited", details: { reason: "search_quota", quota: "searchesPerUserHour", limit: 30 } });
    expect(refused.body.error.message).toContain("at most 30 exact registry searches per user in an hour");
    const alerts = ok(await as("admin", "GET", `/v1/audit?actor=${worker.id}&action=registry.quota_exceeded`));
    expect(alerts.items).toHaveLength(2);
    expect(alerts.items[0]).toMatchObject({ entity: "registry", entityId: "search", details: { quota: "searchesPerUserHour", limit: 30 } });
    // other users are not affected
    expect((await as("worker1", "POST", "/v1/registry/search", { idNumber: newIdNumber(), ...why })).status).toBe(200);
  });
});

describe("masks and duplicate IDs tell nothing more (#19)", () => {
  it("shows ID numbers and phones by their last four characters only, the same in the create answer, the read, the list and the search", async () => {
    const worker = await staff("grid_worker", "worker1");
    const grid = (await as("worker1", "GET", "/v1/me")).body.assignments[0].unitId;
    const idNumber = newIdNumber();
    const phone = newMobile();
    const created = ok(await call("POST", "/v1/registry/people", { token: worker.token, body: { unitId: grid, name: "孙先生", idNumber, phone } }));
    const want = { idNumber: `**************${idNumber.slice(-4)}`, phone: `*******${phone.slice(-4)}` };
    expect(created).toMatchObject(want);
    expect(ok(await call("GET", `/v1/registry/people/${created.id}`, { token: worker.token }))).toMatchObject(want);
    const listed = ok(await call("GET", `/v1/registry/people?unitId=${grid}&q=${encodeURIComponent("孙先生")}&limit=200`, { token: worker.token })).items.find((x: { id: string }) => x.id === created.id);
    expect(listed).toMatchObject(want);
    const found = ok(await call("POST", "/v1/registry/search", { token: worker.token, body: { idNumber, ...why } })).items[0];
    expect(found).toMatchObject(want);
    // every field but ids, paths and times, whose random digits may hold the same three or four by chance (CI28: a
    // "139" among them)
    const fields = (x: object) => JSON.stringify(x, (k, v) => (/^id$|Id$|Path$|At$/.test(k) ? undefined : v));
    for (const shown of [created, listed, found]) {
      expect(fields(shown)).not.toContain(idNumber.slice(0, 4));
      expect(fields(shown)).not.toContain(phone.slice(0, 3));
    }
  });

  it("answers a duplicate ID number the same whether the existing record is inside the caller's scope or not, charged and audited like a search", async () => {
    const idNumber = newIdNumber();
    const grid1 = (await as("worker1", "GET", "/v1/me")).body.assignments[0].unitId;
    const grid2 = (await as("worker2", "GET", "/v1/me")).body.assignments[0].unitId;
    const person = ok(await as("worker1", "POST", "/v1/registry/people", { unitId: grid1, name: "周女士", idNumber }));
    const inside = await staff("grid_worker", "worker1");
    const outside = await staff("grid_worker", "worker2");
    const here = await call("POST", "/v1/registry/people", { token: inside.token, body: { unitId: grid1, name: "重复", idNumber } });
    const there = await call("POST", "/v1/registry/people", { token: outside.token, body: { unitId: grid2, name: "重复", idNumber } });
    expect(here.status).toBe(409);
    expect(there.status).toBe(409);
    expect(there.body.error).toEqual(here.body.error);
    expect(there.body.error.details).toEqual({ reason: "id_unavailable", fields: [{ path: "idNumber", message: "cannot be registered here" }] });
    expect(JSON.stringify(there.body)).not.toMatch(/registered\b(?! here)|already/);
    expect(JSON.stringify(there.body)).not.toContain(person.id);
    const audited = async (u: { id: string }) => ok(await as("admin", "GET", `/v1/audit?actor=${u.id}&action=registry.search`)).items;
    const [a1, a2] = [await audited(inside), await audited(outside)];
    expect(a1.map((e: { details: unknown }) => e.details)).toEqual([{ by: "create", queryHash: expect.any(String), matched: [{ entity: "person", id: person.id }] }]);
    expect(a2.map((e: { details: unknown }) => e.details)).toEqual([{ by: "create", queryHash: a1[0].details.queryHash, matched: [] }]);
    expect(JSON.stringify(a2)).not.toContain(idNumber);
  });

  it("stops probing IDs by creating at the search quota: the 31st duplicate create in an hour is a 429 naming the search quota", async () => {
    const idNumber = newIdNumber();
    const grid1 = (await as("worker1", "GET", "/v1/me")).body.assignments[0].unitId;
    const grid2 = (await as("worker2", "GET", "/v1/me")).body.assignments[0].unitId;
    ok(await as("worker1", "POST", "/v1/registry/people", { unitId: grid1, name: "吴先生", idNumber }));
    const prober = await staff("grid_worker", "worker2");
    const statuses = [];
    for (let i = 0; i < 30; i++) statuses.push((await call("POST", "/v1/registry/people", { token: prober.token, body: { unitId: grid2, name: "试探", idNumber } })).status);
    expect(statuses).toEqual(Array(30).fill(409));
    const stopped = await call("POST", "/v1/registry/people", { token: prober.token, body: { unitId: grid2, name: "试探", idNumber } });
    expect(stopped.status).toBe(429);
    expect(stopped.body.error.details).toMatchObject({ reason: "search_quota", quota: "searchesPerUserHour", limit: 30 });
  });
});

describe("reveal quotas and structured reasons (#19)", () => {
  it("refuses a reveal without a purpose from the list, and audits purpose, reason and reference", async () => {
    const grid = (await as("worker1", "GET", "/v1/me")).body.assignments[0].unitId;
    const person = ok(await as("worker1", "POST", "/v1/registry/people", { unitId: grid, name: "周先生", idNumber: newIdNumber() }));
    const revealer = await staff("community_staff", "community1");
    const path = `/v1/registry/people/${person.id}/reveal`;
    const noPurpose = await call("POST", path, { token: revealer.token, body: { reason: "核实身份信息" } });
    expect(noPurpose.status).toBe(400);
    expect(noPurpose.body.error.details.fields.map((f: { path: string }) => f.path)).toEqual(["purpose"]);
    const unknownPurpose = await call("POST", path, { token: revealer.token, body: { reason: "核实身份信息", purpose: "curiosity" } });
    expect(unknownPurpose.status).toBe(400);
    const r = await call("POST", path, { token: revealer.token, body: { purpose: "service_delivery", reason: "高龄补贴核对", reference: "BT-7", fields: ["idNumber"] } });
    expect(r.status).toBe(200);
    const audit = ok(await as("admin", "GET", `/v1/audit?actor=${revealer.id}&action=registry.reveal`));
    expect(audit.items).toHaveLength(1);
    expect(audit.items[0]).toMatchObject({ entity: "person", entityId: person.id, purpose: "service_delivery", reason: "高龄补贴核对", reference: "BT-7" });
  });

  it("stops a scripted reveal at the per-user daily quota (default 50): the 51st is a 429 naming the quota, and the refusal is audited", async () => {
    const grid = (await as("worker1", "GET", "/v1/me")).body.assignments[0].unitId;
    const person = ok(await as("worker1", "POST", "/v1/registry/people", { unitId: grid, name: "吴女士", idNumber: newIdNumber() }));
    const revealer = await staff("community_staff", "community1");
    const path = `/v1/registry/people/${person.id}/reveal`;
    const statuses: number[] = [];
    for (let i = 0; i < 51; i++) statuses.push((await call("POST", path, { token: revealer.token, body: { ...why, fields: ["idNumber"] } })).status);
    expect(statuses).toEqual([...Array(50).fill(200), 429]);
    const refused = await call("POST", path, { token: revealer.token, body: { ...why, fields: ["idNumber"] } });
    expect(refused.status).toBe(429);
    expect(refused.body.error).toMatchObject({ code: "rate_limited", details: { reason: "reveal_quota", quota: "revealsPerUserDay", limit: 50 } });
    expect(refused.body.error.details).not.toHaveProperty("fields");
    const reveals = ok(await as("admin", "GET", `/v1/audit?actor=${revealer.id}&action=registry.reveal&limit=200`));
    expect(reveals.items).toHaveLength(50);
    const alerts = ok(await as("admin", "GET", `/v1/audit?actor=${revealer.id}&action=registry.quota_exceeded`));
    expect(alerts.items).toHaveLength(2);
    expect(alerts.items[0]).toMatchObject({ entityId: "reveal", unitPath: person.unitPath });
  });
});

/** Audit entries of one object, newest first (as the county admin). */
const auditFor = async (entity: string, id: string) => ok(await as("admin", "GET", `/v1/audit?entity=${entity}&entityId=${id}&limit=200`)).items as any[];

describe("every privilege change is audited (#19)", () => {
  it("audits creating a user, changing their roles, deactivating them and setting their password, never with the password hash", async () => {
    // a community of its own, without households: leaving it is no open work (a grid worker who is the only one of a
    // grid with households must hand it over first, #20)
    const street = (await as("community1", "GET", "/v1/me")).body.assignments[0];
    const streetId = street.unitPath.split("/").filter(Boolean).slice(-2)[0];
    const made = ok(await as("admin", "POST", "/v1/units", { parentId: streetId, name: "审计测试社区", code: `3502060017${String(Date.now() % 100).padStart(2, "0")}` }));
    const community = { unitId: made.id, unitPath: made.path };
    const username = `aud${Date.now().toString(36)}${seq++}`;
    const u = ok(await as("admin", "POST", "/v1/users", { username, displayName: "审计测试", password: "audit-test-password-1", assignments: [{ role: "grid_worker", unitId: community.unitId }] }));
    const created = (await auditFor("user", u.id)).filter((e) => e.action === "user.create");
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ actor: { kind: "user", name: "admin" }, unitPath: community.unitPath, summary: `${username}: grid_worker` });
    expect(created[0].changes.assignments.to).toEqual([expect.objectContaining({ role: "grid_worker", unitId: community.unitId })]);
    const roles = ok(await as("admin", "PATCH", `/v1/users/${u.id}`, { version: u.version, assignments: [{ role: "community_staff", unitId: community.unitId }] }));
    ok(await as("admin", "POST", `/v1/users/${u.id}/password`, { password: "another-password-19" }));
    const current = ok(await as("admin", "GET", `/v1/users/${u.id}`));
    ok(await as("admin", "PATCH", `/v1/users/${u.id}`, { version: current.version, active: false }));
    const entries = await auditFor("user", u.id);
    expect(entries.map((e) => e.action)).toEqual(["user.update", "user.password", "user.update", "user.create"]);
    expect(entries[2].changes.assignments.to[0].role).toBe("community_staff");
    expect(entries[0].changes.active).toEqual({ from: true, to: false });
    expect(roles.assignments[0].role).toBe("community_staff");
    expect(JSON.stringify(entries)).not.toMatch(/passwordHash|scrypt|another-password-19|audit-test-password-1/);
  });

  it("audits creating and revoking an API key with the permissions, channels and unit it grants", async () => {
    const k = ok(await as("admin", "POST", "/v1/api-keys", { name: `aud-${seq++}`, permissions: ["cases:report", "cases:read"], channels: ["hotline"] }));
    ok(await as("admin", "POST", `/v1/api-keys/${k.id}/revoke`));
    const entries = await auditFor("api-key", k.id);
    expect(entries.map((e) => e.action)).toEqual(["apikey.revoke", "apikey.create"]);
    expect(entries[1].details).toEqual({ permissions: ["cases:report", "cases:read"], channels: ["hotline"], unitPath: "/", rateLimitPerMinute: 600 });
    expect(JSON.stringify(entries)).not.toContain(k.key);
  });
});

describe("audit log scoped to the reader's part of the hierarchy (#19)", () => {
  it("shows an auditor of one street only entries of that street, and nothing county-wide", async () => {
    const street = (await as("street1", "GET", "/v1/me")).body.assignments[0];
    const auditor = await staff("auditor", "street1");
    const grid1 = (await as("worker1", "GET", "/v1/me")).body.assignments[0].unitId;
    const grid2 = (await as("worker2", "GET", "/v1/me")).body.assignments[0].unitId;
    const inside = ok(await as("worker1", "POST", "/v1/registry/people", { unitId: grid1, name: "郑先生", idNumber: newIdNumber() }));
    const outside = ok(await as("worker2", "POST", "/v1/registry/people", { unitId: grid2, name: "王女士", idNumber: newIdNumber() }));
    const read = (q: string) => call("GET", `/v1/audit?${q}`, { token: auditor.token });
    const mine = await read(`entity=person&entityId=${inside.id}`);
    expect(mine.status).toBe(200);
    expect(mine.body.items.map((e: any) => e.action)).toEqual(["person.create"]);
    expect((await read(`entity=person&entityId=${outside.id}`)).body.items).toEqual([]);
    expect((await auditFor("person", outside.id)).map((e) => e.action)).toEqual(["person.create"]); // the county sees it
    const all = await read("action=person.create&limit=200");
    expect(all.body.items.length).toBeGreaterThan(0);
    expect(all.body.items.every((e: any) => e.unitPath.startsWith(street.unitPath))).toBe(true);
    expect(all.body.items.some((e: any) => e.entityId === inside.id)).toBe(true);
    // county-wide entries (settings, county-wide keys) carry no unit path: county-level readers only
    const key = ok(await as("admin", "POST", "/v1/api-keys", { name: `scope-${seq++}`, permissions: ["cases:read"] }));
    expect((await read(`entity=api-key&entityId=${key.id}`)).body.items).toEqual([]);
    expect((await auditFor("api-key", key.id)).map((e) => e.action)).toEqual(["apikey.create"]);
  });
});

describe("API keys scoped like the admin who manages them (#19)", () => {
  it("lets a street-level admin see, read and revoke only keys of their street, and grant no channel", async () => {
    const streetAdmin = await staff("county_admin", "street1");
    const street = (await as("street1", "GET", "/v1/me")).body.assignments[0];
    const otherStreet = (await as("admin", "GET", `/v1/units/${(await as("worker2", "GET", "/v1/me")).body.assignments[0].unitId}`)).body.path.split("/").filter(Boolean)[1];
    const countyKey = ok(await as("admin", "POST", "/v1/api-keys", { name: `county-${seq++}`, permissions: ["cases:read"] }));
    const otherKey = ok(await as("admin", "POST", "/v1/api-keys", { name: `other-${seq++}`, permissions: ["cases:read"], unitId: otherStreet }));
    const t = streetAdmin.token;
    const own = await call("POST", "/v1/api-keys", { token: t, body: { name: `own-${seq++}`, permissions: ["cases:read", "cases:report"], unitId: street.unitId } });
    expect(own.status).toBe(201);
    const listed = await call("GET", "/v1/api-keys?limit=200", { token: t });
    expect(listed.status).toBe(200);
    const ids = listed.body.items.map((k: { id: string }) => k.id);
    expect(ids).toContain(own.body.id);
    expect(ids).not.toContain(countyKey.id);
    expect(ids).not.toContain(otherKey.id);
    expect(listed.body.items.every((k: { unitPath?: string }) => k.unitPath?.startsWith(street.unitPath))).toBe(true);
    for (const k of [countyKey, otherKey]) {
      expect((await call("GET", `/v1/api-keys/${k.id}`, { token: t })).status).toBe(404);
      expect((await call("POST", `/v1/api-keys/${k.id}/revoke`, { token: t })).status).toBe(404);
    }
    expect(ok(await as("admin", "GET", `/v1/api-keys/${countyKey.id}`)).revokedAt).toBeUndefined();
    const police = await call("POST", "/v1/api-keys", { token: t, body: { name: `police-${seq++}`, permissions: ["cases:report"], unitId: street.unitId, channels: ["police"] } });
    expect(police.status).toBe(403);
    expect(police.body.error.details.field).toBe("channels");
    expect((await call("POST", `/v1/api-keys/${own.body.id}/revoke`, { token: t })).status).toBe(200);
  });
});

describe("residents see only public fields of their cases (#19)", () => {
  async function upload(username: string, caseId: string): Promise<string> {
    const up = ok(await as(username, "POST", `/v1/cases/${caseId}/attachments`, { contentType: "image/jpeg", size: 4, tag: "handling" }));
    expect((await fetch(up.uploadUrl, { method: "PUT", headers: up.headers, body: new Uint8Array([1, 2, 3, 4]) })).ok).toBe(true);
    return up.key;
  }

  it("shows a resident an allow-list of case fields and events: no staff ids, flags, departments, owner, notes or staff photos, and refuses downloading staff photos", async () => {
    const anon = await call("POST", "/v1/residents/anonymous", { body: { gridCode: GRID } });
    expect(anon.status).toBe(200);
    const s = anon.body as { accessToken: string };
    const location = await pointIn("worker1");
    const reported = await call("POST", "/v1/cases", { token: s.accessToken, body: { categoryId: "cat-env-garbage", description: "公共字段测试", location } });
    expect(reported.status).toBe(201);
    const id = reported.body.case.id;
    await must("center", id, "accept", { note: "内部备注" });
    await must("dept1", id, "claim");
    await must("dept1", id, "start");
    const staffPhoto = await upload("dept1", id);
    await must("dept1", id, "handle", { note: "处置完毕", attachments: [{ key: staffPhoto, kind: "photo" }] });
    const staffView = ok(await as("center", "GET", `/v1/cases/${id}`));
    expect(staffView.case.owner).toBeDefined();
    expect(JSON.stringify(staffView.timeline)).toContain(staffPhoto);

    const seen = await call("GET", `/v1/cases/${id}`, { token: s.accessToken });
    expect(seen.status).toBe(200);
    expect(Object.keys(seen.body.case).every((k) => (RESIDENT_CASE_FIELDS as readonly string[]).includes(k) || k === "rejection" || k === "reopenUntil")).toBe(true);
    for (const k of ["owner", "handler", "flags", "candidateDepartments", "responsibleDepartmentId", "unitPath", "timer", "counters", "deadlines", "pendingExtension", "origin"]) expect(seen.body.case, k).not.toHaveProperty(k);
    const staffIds: string[] = staffView.timeline.filter((e: any) => e.actor.kind === "user").map((e: any) => e.actor.id);
    expect(staffIds.length).toBeGreaterThan(2);
    const text = JSON.stringify(seen.body);
    for (const sid of staffIds) expect(text).not.toContain(sid);
    expect(text).not.toContain(staffPhoto);
    expect(text).not.toContain("内部备注");
    expect(seen.body.timeline.every((e: any) => Object.keys(e).every((k) => ["type", "action", "from", "to", "at", "seq", "actor", "attachments"].includes(k)))).toBe(true);
    // the staff photo is not downloadable by the resident (it is not shown to them); staff can
    expect((await call("GET", `/v1/cases/${id}/attachments/${staffPhoto}`, { token: s.accessToken })).status).toBe(404);
    expect((await as("center", "GET", `/v1/cases/${id}/attachments/${staffPhoto}`)).status).toBe(200);
    // the list shows the same public fields
    const listed = await call("GET", "/v1/cases?limit=200", { token: s.accessToken });
    const mine = listed.body.items.find((v: any) => v.case.id === id);
    expect(mine.case).not.toHaveProperty("owner");
    expect(mine.case).not.toHaveProperty("flags");
  });
});

describe("retention of residents' personal data (#19)", () => {
  it("the daily retention job deletes resident accounts unseen longer than the county's retention, with their phone reference, audited; recent ones stay", async () => {
    const grid = ok(await as("worker1", "GET", `/v1/units/${(await as("worker1", "GET", "/v1/me")).body.assignments[0].unitId}`));
    const make = async (seen: string) => {
      const id = `01RETENTION${Date.now().toString(36).toUpperCase()}${seq++}`;
      const hash = await phoneHash(newPhone());
      expect(await insertResident({ id, phoneHash: hash, phoneMasked: "137****0000", unitId: grid.id, unitPath: grid.path, gridCode: grid.code, version: 1, createdAt: seen, updatedAt: seen, lastSeenAt: seen })).toBe(true);
      return { id, hash };
    };
    const old = await make("2019-03-01T00:00:00.000Z");
    const recent = await make(new Date().toISOString());
    const result = (await runJob("retention")) as { deleted: number };
    expect(result.deleted).toBeGreaterThanOrEqual(1);
    expect(await getResident(old.id)).toBeUndefined();
    expect(await residentIdByPhone(old.hash)).toBeUndefined();
    expect((await getResident(recent.id))?.id).toBe(recent.id);
    expect(await residentIdByPhone(recent.hash)).toBe(recent.id);
    const audit = await auditFor("resident", old.id);
    expect(audit.map((e) => e.action)).toEqual(["resident.delete"]);
    expect(audit[0]).toMatchObject({ actor: { kind: "system", id: "retention" }, unitPath: grid.path });
    expect(JSON.stringify(audit)).not.toContain(old.hash);
    // a second run finds nothing more of it (idempotent)
    await runJob("retention");
    expect(await auditFor("resident", old.id)).toHaveLength(1);
  });
});

describe("retention of the audit trail (#19)", () => {
  it("the daily retention job deletes audit months older than privacy.auditRetentionMonths (default 36) and audits that it did; younger months stay", async () => {
    const { PutCommand, GetCommand } = await import("@aws-sdk/lib-dynamodb");
    const { db, tableName } = await import("../core/db/client.ts");
    const { auditPut } = await import("../core/audit/entry.ts");
    const put = async (at: Date) => {
      const row = auditPut({ actor: { kind: "system", id: "retention-test" }, action: "test.retention", entity: "test", entityId: `r${seq++}`, summary: "retention test row" }, at).Put;
      await db().send(new PutCommand(row));
      const item = row.Item as unknown as { pk: string; sk: string };
      return { pk: item.pk, sk: item.sk };
    };
    const now = new Date();
    const old = await put(new Date(Date.UTC(now.getUTCFullYear() - 4, now.getUTCMonth(), 10)));
    const young = await put(new Date(Date.UTC(now.getUTCFullYear() - 2, now.getUTCMonth(), 10)));
    const result = (await runJob("retention")) as { audit: { deleted: number; months: string[] } };
    const oldMonth = old.pk.slice("AUDIT#".length);
    expect(result.audit.months).toContain(oldMonth);
    expect((await db().send(new GetCommand({ TableName: tableName(), Key: old }))).Item).toBeUndefined();
    expect((await db().send(new GetCommand({ TableName: tableName(), Key: young }))).Item?.sk).toBe(young.sk);
    const expired = await auditFor("audit", oldMonth);
    expect(expired.map((e) => e.action)).toEqual(["audit.expire"]);
    expect(expired[0]).toMatchObject({ actor: { kind: "system", id: "retention" }, details: { month: oldMonth, retentionMonths: 36 } });
    expect(expired[0].details.rows).toBeGreaterThanOrEqual(1);
  });
});

describe("resident refresh token in an HttpOnly cookie, resident page under its own CSP (#19)", () => {
  const cookieOf = (h: Headers) => h.get("set-cookie") ?? "";
  const tokenIn = (setCookie: string) => /wg_rrt=([^;]+)/.exec(setCookie)?.[1];

  it("puts the refresh token only in an HttpOnly, Secure, SameSite=Strict cookie when the page asks, and renews from the cookie without ever showing it to script", async () => {
    const opened = await call("POST", "/v1/residents/anonymous", { body: { gridCode: GRID }, headers: { "x-wangge-session": "cookie" } });
    expect(opened.status).toBe(200);
    expect(opened.body).not.toHaveProperty("refreshToken");
    expect(opened.body.accessToken).toBeTruthy();
    const set = cookieOf(opened.headers);
    expect(set).toMatch(/^wg_rrt=wr_[A-Za-z0-9_-]+; Path=\/v1\/residents; Max-Age=2592000; HttpOnly; Secure; SameSite=Strict$/);
    const first = tokenIn(set)!;
    const renewed = await call("POST", "/v1/residents/refresh", { headers: { cookie: `other=1; wg_rrt=${first}` } });
    expect(renewed.status).toBe(200);
    expect(renewed.body).not.toHaveProperty("refreshToken");
    expect(renewed.body.resident.id).toBe(opened.body.resident.id);
    const second = tokenIn(cookieOf(renewed.headers));
    expect(second).toBeTruthy();
    expect(second).not.toBe(first);
    // the cookie's token is single-use like any refresh token
    expect((await call("POST", "/v1/residents/refresh", { headers: { cookie: `wg_rrt=${first}` } })).status).toBe(401);
    // a token that came from the cookie is never answered in the body, even if the caller does not ask for cookie mode
    const again = await call("POST", "/v1/residents/refresh", { body: {}, headers: { cookie: `wg_rrt=${second}` } });
    expect(again.status).toBe(200);
    expect(again.body).not.toHaveProperty("refreshToken");
    expect(cookieOf(again.headers)).toContain("HttpOnly");
  });

  it("signs a resident out: the cookie is cleared with the same attributes and Max-Age=0, and its refresh token no longer renews", async () => {
    const opened = await call("POST", "/v1/residents/anonymous", { body: { gridCode: GRID }, headers: { "x-wangge-session": "cookie" } });
    const token = tokenIn(cookieOf(opened.headers))!;
    const out = await call("POST", "/v1/residents/logout", { headers: { cookie: `wg_rrt=${token}` } });
    expect(out.status).toBe(204);
    expect(cookieOf(out.headers)).toBe("wg_rrt=; Path=/v1/residents; Max-Age=0; HttpOnly; Secure; SameSite=Strict");
    expect((await call("POST", "/v1/residents/refresh", { headers: { cookie: `wg_rrt=${token}` } })).status).toBe(401);
    // idempotent: signing out again (the token already revoked) answers the same and clears again
    const again = await call("POST", "/v1/residents/logout", { headers: { cookie: `wg_rrt=${token}` } });
    expect(again.status).toBe(204);
    expect(cookieOf(again.headers)).toContain("Max-Age=0");
    // an app revokes its body token the same way
    const app = await call("POST", "/v1/residents/anonymous", { body: { gridCode: GRID } });
    expect((await call("POST", "/v1/residents/logout", { body: { refreshToken: app.body.refreshToken } })).status).toBe(204);
    expect((await call("POST", "/v1/residents/refresh", { body: { refreshToken: app.body.refreshToken } })).status).toBe(401);
  });

  it("documents the refresh body as optional (the cookie may carry the token)", async () => {
    const doc = await call("GET", "/v1/openapi.json");
    expect(doc.body.paths["/v1/residents/refresh"].post.requestBody.required).toBe(false);
    expect(doc.body.paths["/v1/residents/logout"].post.requestBody.required).toBe(false);
  });

  it("keeps answering the body token to clients that do not ask for the cookie (apps)", async () => {
    const opened = await call("POST", "/v1/residents/anonymous", { body: { gridCode: GRID } });
    expect(opened.body.refreshToken).toMatch(/^wr_/);
    expect(opened.headers.get("set-cookie")).toBeNull();
    const renewed = await call("POST", "/v1/residents/refresh", { body: { refreshToken: opened.body.refreshToken } });
    expect(renewed.status).toBe(200);
    expect(renewed.body.refreshToken).toMatch(/^wr_/);
  });

  it("serves the resident page with its own strict CSP, separate from the console's", async () => {
    const { mkdtempSync, mkdirSync, writeFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const { startApiServer } = await import("../local/api-server.ts");
    const { consoleHeaders, residentHeaders, residentCsp } = await import("../core/web/console-headers.ts");
    const dir = mkdtempSync(join(tmpdir(), "wg-csp-"));
    mkdirSync(join(dir, "resident"));
    writeFileSync(join(dir, "index.html"), "<!doctype html>console");
    writeFileSync(join(dir, "resident", "index.html"), "<!doctype html>resident");
    const files = ["http://files.example"];
    const server = await startApiServer({ port: 0, staticDir: dir, control: {}, staticHeaders: consoleHeaders({ files }), residentHeaders: residentHeaders({ files }) });
    try {
      const { port } = server.address() as import("node:net").AddressInfo;
      const page = await fetch(`http://127.0.0.1:${port}/resident/`);
      const csp = page.headers.get("content-security-policy") ?? "";
      expect(csp).toBe(residentCsp({ files }));
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("style-src 'self';");
      expect(csp).not.toContain("unsafe-inline");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(page.headers.get("referrer-policy")).toBe("no-referrer");
      const consolePage = await fetch(`http://127.0.0.1:${port}/`);
      expect(consolePage.headers.get("content-security-policy")).toBe(consoleHeaders({ files })["content-security-policy"]);
      expect(consolePage.headers.get("content-security-policy")).not.toBe(csp);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
