import { describe, it, expect, beforeAll } from "vitest";
import { ulid } from "ulid";
import { useStackEnv } from "../../test/client.ts";
import { requestCounts } from "../db/metrics.ts";
import type { Principal } from "../auth/principal.ts";
import { unitIdByCode } from "../unit/repo.ts";
import { getUserByUsername } from "../user/repo.ts";
import { createStaffWithActivation, createStaffWithActivations } from "../user/service.ts";
import { applyStaff } from "./apply-staff.ts";
import type { StaffIn } from "./lists.ts";

/**
 * The staff import's account writes (core/xlsx/apply-staff.ts) on the shared stack's DynamoDB
 * Local: new accounts with activation codes are created together (core/user/service.ts
 * createStaffWithActivations: one transaction, not one each), and those of a transaction refused
 * because a username was taken meanwhile are made one by one as before.
 */

const GRID = "350206001001001";
const system: Principal = { kind: "system", id: "apply-staff-test" };
const now = () => new Date();
let gridId: string;

beforeAll(async () => {
  useStackEnv();
  gridId = (await unitIdByCode(GRID))!;
  expect(gridId).toBeTruthy();
});

const transactions = () => requestCounts.get("dynamodb:TransactWriteItemsCommand") ?? 0;
const username = (name: string) => `as.${name}.${ulid().slice(-8).toLowerCase()}`;
const input = (name: string, unitId = gridId) => ({ username: name, displayName: `测试${name.slice(-4)}`, assignments: [{ role: "grid_worker", unitId }] });

describe("accounts with activation codes, created together", () => {
  it("are written in one transaction, each with its code; one whose check fails is refused alone", async () => {
    const names = [username("a"), username("b"), username("c")];
    const before = transactions();
    const out = await createStaffWithActivations(system, [...names.map((n) => input(n)), input(username("x"), "no-such-unit")], now(), "job-test");
    expect(transactions() - before).toBe(1);
    expect(out.slice(0, 3).map((o) => o && "user" in o && [o.user.username, /^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/.test(o.code)])).toEqual(names.map((n) => [n, true]));
    expect(out[3]).toEqual({ error: expect.objectContaining({ message: "Unknown or inactive unit in a role assignment" }) });
    for (const n of names) expect(await getUserByUsername(n)).toMatchObject({ username: n, active: true, activationJob: "job-test", assignments: [{ role: "grid_worker", unitId: gridId }] });
  });

  it("are none of them written when one's username is taken: each comes back undefined, for the caller to make one by one", async () => {
    const taken = username("t");
    await createStaffWithActivation(system, input(taken), now());
    const others = [username("d"), username("e")];
    const out = await createStaffWithActivations(system, [input(others[0]), input(taken), input(others[1])], now());
    expect(out).toEqual([undefined, undefined, undefined]);
    for (const n of others) expect(await getUserByUsername(n)).toBeUndefined();
  });
});

describe("the staff import's account writes", () => {
  it("create new accounts in one transaction; when a username is taken after the import read it, that account is updated and the others created", async () => {
    const names = [username("f"), username("g"), username("h")];
    const account = (n: string, line: number): StaffIn => ({ lines: [line], username: n, displayName: `导入${n.slice(-4)}`, assignments: [{ line, role: "grid_worker", unitCode: GRID }] });
    const ctx = { principal: system, now, progress: async () => undefined, jobId: `job-${ulid()}` };

    const before = transactions();
    const out = await applyStaff([account(names[0], 3), account(names[1], 4)], ctx, Promise.resolve());
    expect(out).toMatchObject({ created: 2, updated: 0, unchanged: 0, problems: [] });
    expect(out.activations!.map((a) => a.username)).toEqual(names.slice(0, 2));
    expect(transactions() - before).toBe(1);

    // the third account is made by someone else once the import has read the accounts (its reads go
    // beside `started`): the transaction of the new ones is refused, then each is made alone
    const meanwhile = new Promise((r) => setTimeout(r, 300)).then(() => createStaffWithActivation(system, { ...input(names[2]), displayName: "别人建的" }, now()));
    const again = await applyStaff([account(names[2], 3), account(username("i"), 4)], ctx, meanwhile);
    expect(again).toMatchObject({ created: 1, updated: 1, unchanged: 0, problems: [] });
    expect((await getUserByUsername(names[2]))?.displayName).toBe(`导入${names[2].slice(-4)}`);
  });
});
