import { describe, it, expect, beforeAll } from "vitest";
import { call, useStackEnv } from "./client.ts";
import { adminToken, tokenFor } from "./fixtures.ts";
import { requestCode, verifyCode } from "../core/resident/service.ts";
import { resetJwtKey } from "../core/auth/secret.ts";
import { phoneHash, phoneHashes } from "../core/resident/phone.ts";
import { residentIdByPhone, getResident } from "../core/resident/repo.ts";
import { VisibleError } from "../core/errors.ts";

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
