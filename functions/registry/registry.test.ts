import { describe, it, expect, beforeAll } from "vitest";
import { as, auditOf, childrenOf, fieldPaths, newIdNumber, newMobile, ok, unitOf } from "./testing.ts";

let grid1: string; // worker1's grid
let grid2: string; // worker2's grid (another street)
let micro1: string; // a micro-grid under grid1

const household = (over: Record<string, unknown> = {}) => ({ unitId: grid1, address: "金山小区 3 栋 201", membersCount: 3, contactName: "王阿姨", contactPhone: newMobile(), class: "key", needs: ["助餐"], ...over });

beforeAll(async () => {
  grid1 = await unitOf("worker1");
  grid2 = await unitOf("worker2");
  micro1 = (await childrenOf("worker1", grid1))[0].id;
});

describe("households: CRUD inside the caller's grid subtree", () => {
  it("creates a household with the phone masked, readable by its worker and the community, not by another grid", async () => {
    const phone = newMobile();
    const h = ok(await as("worker1", "POST", "/v1/registry/households", household({ contactPhone: phone })));
    expect(h).toMatchObject({ unitId: grid1, class: "key", membersCount: 3, version: 1, contactPhone: `*******${phone.slice(-4)}` });
    expect(JSON.stringify(h)).not.toContain(phone);
    expect(ok(await as("worker1", "GET", `/v1/registry/households/${h.id}`)).id).toBe(h.id);
    expect(ok(await as("community1", "GET", `/v1/registry/households/${h.id}`)).id).toBe(h.id);
    expect((await as("worker2", "GET", `/v1/registry/households/${h.id}`)).status).toBe(404);
    expect((await as("dept1", "GET", `/v1/registry/households/${h.id}`)).status).toBe(403);
  });

  it("refuses writes outside the caller's grid (403) and writes by read-only roles (403)", async () => {
    expect((await as("worker2", "POST", "/v1/registry/households", household())).status).toBe(403);
    const h = ok(await as("worker1", "POST", "/v1/registry/households", household()));
    expect((await as("instructor1", "PATCH", `/v1/registry/households/${h.id}`, { version: 1, membersCount: 4 })).status).toBe(403);
    expect((await as("worker1", "POST", "/v1/registry/households", household({ unitId: grid2 }))).status).toBe(403);
  });

  it("lists a grid's households (default: the caller's scope) with class and address filters", async () => {
    const tag = `列表${Date.now()}`;
    const a = ok(await as("worker1", "POST", "/v1/registry/households", household({ address: `${tag} 1号`, class: "monitored" })));
    const b = ok(await as("worker1", "POST", "/v1/registry/households", household({ address: `${tag} 2号`, unitId: micro1, class: "general" })));
    const mine = ok(await as("worker1", "GET", `/v1/registry/households?q=${encodeURIComponent(tag)}&limit=200`));
    expect(mine.items.map((x: any) => x.id).sort()).toEqual([a.id, b.id].sort());
    const monitored = ok(await as("worker1", "GET", `/v1/registry/households?q=${encodeURIComponent(tag)}&class=monitored`));
    expect(monitored.items.map((x: any) => x.id)).toEqual([a.id]);
    const micro = ok(await as("worker1", "GET", `/v1/registry/households?unitId=${micro1}&q=${encodeURIComponent(tag)}`));
    expect(micro.items.map((x: any) => x.id)).toEqual([b.id]);
    expect(ok(await as("worker2", "GET", `/v1/registry/households?q=${encodeURIComponent(tag)}`)).items).toEqual([]);
    expect((await as("worker2", "GET", `/v1/registry/households?unitId=${grid1}`)).status).toBe(403);
    for (const x of mine.items) expect(Object.keys(x).some((k) => k.endsWith("Sealed") || k.endsWith("Hash"))).toBe(false);
  });

  it("updates with the version read; a stale version is 409 with the current record; every change is audited", async () => {
    const oldPhone = newMobile();
    const newPhone = newMobile();
    const h = ok(await as("worker1", "POST", "/v1/registry/households", household({ contactPhone: oldPhone })));
    const u = ok(await as("worker1", "PATCH", `/v1/registry/households/${h.id}`, { version: 1, membersCount: 5, contactPhone: newPhone, notes: null }));
    expect(u).toMatchObject({ membersCount: 5, version: 2, contactPhone: `*******${newPhone.slice(-4)}` });
    const stale = await as("worker1", "PATCH", `/v1/registry/households/${h.id}`, { version: 1, membersCount: 6 });
    expect(stale.status).toBe(409);
    expect(stale.body.error.details.current).toMatchObject({ version: 2, membersCount: 5 });
    const entries = await auditOf("household", h.id, h.createdAt.slice(0, 7));
    expect(entries.map((e) => e.action).sort()).toEqual(["household.create", "household.update"]);
    const update = entries.find((e) => e.action === "household.update");
    expect(update.changes.membersCount).toEqual({ from: 3, to: 5 });
    expect(update.actor).toMatchObject({ kind: "user", name: "worker1" });
    expect(JSON.stringify(entries)).not.toContain(oldPhone);
    expect(JSON.stringify(entries)).not.toContain(newPhone);
  });

  it("moves a household to a micro-grid together with its members; deletes only an empty household", async () => {
    const h = ok(await as("worker1", "POST", "/v1/registry/households", household()));
    const p = ok(await as("worker1", "POST", "/v1/registry/people", { householdId: h.id, name: "李大爷", idNumber: newIdNumber() }));
    ok(await as("worker1", "PATCH", `/v1/registry/households/${h.id}`, { version: 1, unitId: micro1 }));
    expect(ok(await as("worker1", "GET", `/v1/registry/people/${p.id}`))).toMatchObject({ unitId: micro1, householdId: h.id, version: 2 });
    const members = ok(await as("worker1", "GET", `/v1/registry/people?householdId=${h.id}`));
    expect(members.items.map((x: any) => x.id)).toEqual([p.id]);
    const busy = await as("worker1", "DELETE", `/v1/registry/households/${h.id}?version=2`);
    expect(busy.status).toBe(409);
    expect((await as("worker1", "DELETE", `/v1/registry/people/${p.id}?version=2`)).status).toBe(204);
    expect((await as("worker1", "DELETE", `/v1/registry/households/${h.id}?version=2`)).status).toBe(204);
    expect((await as("worker1", "GET", `/v1/registry/households/${h.id}`)).status).toBe(404);
    expect((await as("worker1", "DELETE", `/v1/registry/households/${h.id}`)).status).toBe(400);
  });
});

describe("people: ID numbers and phones sealed, masked, searchable by blind index", () => {
  it("registers a person with the ID masked, birth date and gender taken from the ID, and refuses a duplicate ID", async () => {
    const idNumber = newIdNumber({ birthDate: "1950-03-12", gender: "female" });
    const phone = newMobile();
    const p = ok(await as("worker1", "POST", "/v1/registry/people", { unitId: grid1, name: "张奶奶", idNumber, phone, tags: ["elderly_alone", "elderly_alone"] }));
    expect(p).toMatchObject({
      name: "张奶奶",
      idNumber: `**************${idNumber.slice(-4)}`,
      phone: `*******${phone.slice(-4)}`,
      birthDate: "1950-**-**",
      birthYear: 1950,
      gender: "female",
      tags: ["elderly_alone"],
      householdId: null,
    });
    expect(JSON.stringify(p)).not.toContain(idNumber);
    const dup = await as("community1", "POST", "/v1/registry/people", { unitId: grid1, name: "重复", idNumber: idNumber.toLowerCase() });
    expect(dup.status).toBe(409);
    expect(dup.body.error.details.fields[0].path).toBe("idNumber");
  });

  it("finds people by exact ID number and households, people and places by phone, within the caller's scope only", async () => {
    const idNumber = newIdNumber();
    const phone = newMobile();
    const h = ok(await as("worker1", "POST", "/v1/registry/households", household({ contactPhone: phone })));
    const p = ok(await as("worker1", "POST", "/v1/registry/people", { householdId: h.id, name: "赵先生", idNumber, phone: `+86 ${phone}` }));
    const place = ok(await as("worker1", "POST", "/v1/registry/places", { unitId: grid1, name: "赵记小吃", kind: "restaurant", address: "金山路 1 号", ownerName: "赵先生", ownerPhone: phone }));
    const byId = ok(await as("worker1", "POST", "/v1/registry/search", { idNumber, purpose: "identity_check", reason: "上门核实身份" }));
    expect(byId.items.map((x: any) => [x.entity, x.id])).toEqual([["person", p.id]]);
    const byPhone = ok(await as("worker1", "POST", "/v1/registry/search", { phone: phone.replace(/(\d{3})(\d{4})/, "$1-$2-"), purpose: "identity_check", reason: "上门核实身份" }));
    expect(byPhone.items.map((x: any) => `${x.entity}:${x.id}`).sort()).toEqual([`household:${h.id}`, `person:${p.id}`, `place:${place.id}`].sort());
    expect(ok(await as("worker2", "POST", "/v1/registry/search", { idNumber, purpose: "identity_check", reason: "上门核实身份" })).items).toEqual([]);
    expect(ok(await as("worker1", "POST", "/v1/registry/search", { idNumber: newIdNumber(), purpose: "identity_check", reason: "上门核实身份" })).items).toEqual([]);
    expect(fieldPaths(await as("worker1", "POST", "/v1/registry/search", { purpose: "identity_check", reason: "上门核实身份" }))).toContain("idNumber");
  });

  it("reveals only with registry:reveal over the record, with a reason, and audits every reveal", async () => {
    const idNumber = newIdNumber({ birthDate: "1948-11-02" });
    const phone = newMobile();
    const p = ok(await as("worker1", "POST", "/v1/registry/people", { unitId: grid1, name: "孙爷爷", idNumber, phone }));
    const denied = await as("worker1", "POST", `/v1/registry/people/${p.id}/reveal`, { purpose: "identity_check", reason: "上门核实身份" });
    expect(denied.status).toBe(403);
    expect(fieldPaths(await as("community1", "POST", `/v1/registry/people/${p.id}/reveal`, {}))).toEqual(["purpose", "reason"]);
    const r = await as("community1", "POST", `/v1/registry/people/${p.id}/reveal`, { purpose: "identity_check", reason: "办理高龄补贴核对身份" });
    expect(r.status).toBe(200);
    expect(r.headers.get("cache-control")).toBe("no-store");
    expect(r.body.fields).toEqual({ idNumber, phone, birthDate: "1948-11-02" });
    const only = ok(await as("center", "POST", `/v1/registry/people/${p.id}/reveal`, { purpose: "identity_check", reason: "指挥中心核查", fields: ["phone"] }));
    expect(only.fields).toEqual({ phone });
    const entries = (await auditOf("person", p.id, p.createdAt.slice(0, 7))).filter((e) => e.action === "registry.reveal");
    expect(entries).toHaveLength(2);
    const byCommunity = entries.find((e) => e.actor.name === "community1");
    expect(byCommunity).toMatchObject({ entity: "person", entityId: p.id, reason: "办理高龄补贴核对身份", summary: "revealed idNumber, phone, birthDate" });
    expect(byCommunity.at).toBeTruthy();
    expect(JSON.stringify(entries)).not.toContain(idNumber);
    // a grid worker of another street holds no registry:reveal at all
    expect((await as("worker2", "POST", `/v1/registry/people/${p.id}/reveal`, { purpose: "identity_check", reason: "不相关" })).status).toBe(403);
  });

  it("refuses bad input with 400 and one entry per field", async () => {
    const good = newIdNumber();
    const badCheck = good.slice(0, 17) + (good[17] === "0" ? "1" : "0");
    const r = await as("worker1", "POST", "/v1/registry/people", {
      unitId: grid1,
      name: "",
      idNumber: badCheck,
      phone: "12345",
      birthDate: "2023-02-30",
      gender: "unknown",
      tags: ["nope"],
      notes: "长".repeat(2001),
    });
    expect(fieldPaths(r)).toEqual(expect.arrayContaining(["name", "idNumber", "phone", "birthDate", "gender", "tags.0", "notes"]));
    expect(JSON.stringify(r.body)).not.toContain(badCheck);
    // consistent with the ID number, and not born in the future
    const id = newIdNumber({ birthDate: "1960-01-01", gender: "male" });
    expect(fieldPaths(await as("worker1", "POST", "/v1/registry/people", { unitId: grid1, name: "甲", idNumber: id, birthDate: "1960-01-02", gender: "female" }))).toEqual(["birthDate", "gender"]);
    const future = newIdNumber({ birthDate: "2099-01-01" });
    expect(fieldPaths(await as("worker1", "POST", "/v1/registry/people", { unitId: grid1, name: "乙", idNumber: future }))).toEqual(["idNumber"]);
    expect(fieldPaths(await as("worker1", "POST", "/v1/registry/people", { name: "丙", idNumber: newIdNumber() }))).toEqual(["unitId"]);
    expect(fieldPaths(await as("worker1", "POST", "/v1/registry/households", household({ contactPhone: "0592-123", membersCount: -1, notes: "x".repeat(3000) })))).toEqual(
      expect.arrayContaining(["contactPhone", "membersCount", "notes"]),
    );
  });
});

describe("places and the three key lists", () => {
  it("keeps a venue's owner phone masked; a dispatcher may reveal it", async () => {
    const phone = newMobile();
    const place = ok(await as("worker1", "POST", "/v1/registry/places", { unitId: grid1, name: "金山小学", kind: "school", address: "金山路 8 号", ownerName: "陈校长", ownerPhone: phone }));
    expect(place.ownerPhone).toBe(`*******${phone.slice(-4)}`);
    const u = ok(await as("worker1", "PATCH", `/v1/registry/places/${place.id}`, { version: 1, kind: "school", licenseNo: "EDU-1" }));
    expect(u).toMatchObject({ version: 2, licenseNo: "EDU-1" });
    expect(ok(await as("center", "POST", `/v1/registry/places/${place.id}/reveal`, { purpose: "identity_check", reason: "消防检查联系负责人" })).fields).toEqual({ ownerPhone: phone });
  });

  it("lists key people, places and matters with reason, period and responsible worker", async () => {
    const p = ok(await as("worker1", "POST", "/v1/registry/people", { unitId: grid1, name: "周某", idNumber: newIdNumber(), tags: ["community_correction"] }));
    const worker1Id = ok(await as("worker1", "GET", "/v1/me")).id;
    const entry = ok(
      await as("worker1", "POST", "/v1/registry/key-lists", { list: "people", subjectId: p.id, reason: "社区矫正对象", tags: ["矫正"], startDate: "2025-01-01", endDate: "2025-12-31", responsibleUserId: worker1Id }),
    );
    expect(entry).toMatchObject({ list: "people", title: "周某", status: "active", unitId: grid1, responsibleUserId: worker1Id });
    const matter = ok(await as("worker1", "POST", "/v1/registry/key-lists", { list: "matters", unitId: grid1, title: "小区加装电梯协调", reason: "邻里意见分歧", startDate: "2025-03-01", responsibleUserId: worker1Id }));
    const people = ok(await as("worker1", "GET", `/v1/registry/key-lists?list=people&limit=200`));
    expect(people.items.map((x: any) => x.id)).toContain(entry.id);
    expect(people.items.map((x: any) => x.id)).not.toContain(matter.id);
    const mine = ok(await as("community1", "GET", `/v1/registry/key-lists?list=matters&responsibleUserId=${worker1Id}&limit=200`));
    expect(mine.items.map((x: any) => x.id)).toContain(matter.id);
    const about = ok(await as("worker1", "GET", `/v1/registry/key-lists?list=people&subjectId=${p.id}`));
    expect(about.items.map((x: any) => x.id)).toEqual([entry.id]);
    const closed = ok(await as("worker1", "PATCH", `/v1/registry/key-lists/${entry.id}`, { version: 1, status: "closed" }));
    expect(closed).toMatchObject({ status: "closed", version: 2 });
    expect(ok(await as("worker1", "GET", `/v1/registry/key-lists?list=people&status=active&subjectId=${p.id}`)).items).toEqual([]);
    expect((await as("worker2", "GET", `/v1/registry/key-lists/${entry.id}`)).status).toBe(404);
  });

  it("refuses a key list entry with a bad period, a missing subject or a worker not assigned to the unit", async () => {
    const worker1Id = ok(await as("worker1", "GET", "/v1/me")).id;
    const worker2Id = ok(await as("worker2", "GET", "/v1/me")).id;
    const base = { list: "matters", unitId: grid1, title: "事项", reason: "原因", startDate: "2025-03-01", responsibleUserId: worker1Id };
    expect(fieldPaths(await as("worker1", "POST", "/v1/registry/key-lists", { ...base, endDate: "2025-02-01" }))).toEqual(["endDate"]);
    expect(fieldPaths(await as("worker1", "POST", "/v1/registry/key-lists", { ...base, list: "people" }))).toEqual(["subjectId"]);
    expect(fieldPaths(await as("worker1", "POST", "/v1/registry/key-lists", { ...base, responsibleUserId: worker2Id }))).toEqual(["responsibleUserId"]);
    expect(fieldPaths(await as("worker1", "POST", "/v1/registry/key-lists", { ...base, startDate: "2025-02-30" }))).toEqual(["startDate"]);
  });
});
