import { describe, expect, it } from "vitest";
import ExcelJS from "exceljs";
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { apiUrl, call } from "./client.ts";
import { adminToken } from "./fixtures.ts";
import { ownStack } from "./own-stack.ts";
import { http, importXlsx, staffXlsx, waitJob } from "../bench/onboarding-files.ts";
import { normalizeCode } from "../core/user/activation.ts";

/**
 * Activation codes (docs/security.md "Activation codes"): staff imported without a password get a
 * one-time code on a sheet only their importer downloads; the code sets the password once, expires
 * by the county's clock, and anything wrong with it answers like a wrong password. Own stack: the
 * test moves the clock.
 */
const stack = ownStack();

const BAD = { status: 401, message: "Wrong username or password" };
const answer = (r: { status: number; body: any }) => ({ status: r.status, message: r.body?.error?.message });

async function importStaff(rows: Parameters<typeof staffXlsx>[0]) {
  const admin = await adminToken();
  const api = http(apiUrl(), () => admin);
  const job = await waitJob(api, await importXlsx(api, "users", "staff.xlsx", await staffXlsx(rows)), undefined, 90_000);
  expect(job.status, JSON.stringify(job.errors)).toBe("succeeded");
  return { job, admin };
}

async function codesOf(jobId: string, token: string): Promise<Map<string, string>> {
  const r = await fetch(`${apiUrl()}/v1/jobs/${jobId}/activation-codes.xlsx`, { headers: { authorization: `Bearer ${token}` } });
  expect(r.status).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load((await r.arrayBuffer()) as ArrayBuffer);
  const ws = wb.worksheets[0];
  const out = new Map<string, string>();
  for (let i = 2; i <= ws.rowCount; i++) out.set(String(ws.getCell(i, 1).value), String(ws.getCell(i, 5).value));
  return out;
}

const activate = (username: string, code: string, password: string) => call("POST", "/v1/auth/activate", { body: { username, code, password } });
const login = (username: string, password: string) => call("POST", "/v1/auth/login", { body: { username, password } });

describe("activation codes of imported staff", () => {
  it("gives each new account without a password a code that sets its password once, answers like a wrong password after, and is audited", async () => {
    const { job, admin } = await importStaff([
      { username: "act.wang", displayName: "王一", role: "网格员", unitCode: "350206001001001" },
      { username: "act.li", displayName: "李二", role: "网格员", unitCode: "350206001001002" },
    ]);
    expect(job.result).toMatchObject({ created: 2, activationCodes: 2 });
    const codes = await codesOf(job.id, admin);
    expect([...codes.keys()]).toEqual(["act.li", "act.wang"]);
    const code = codes.get("act.wang")!;
    expect(code).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);

    // no password before activation: signing in answers like a wrong password
    expect(answer(await login("act.wang", "anything-at-all"))).toEqual(BAD);
    // a wrong code, another user's code, a right code for an unknown user: all like a wrong password
    const wrong = await activate("act.wang", "AAAA-BBBB-CCCC-DDDD", "my-own-password-1");
    expect(answer(wrong)).toEqual(BAD);
    expect(answer(await login("nobody.here", "my-own-password-1"))).toEqual(answer(wrong));
    expect(answer(await activate("act.wang", codes.get("act.li")!, "my-own-password-1"))).toEqual(BAD);
    expect(answer(await activate("nobody.here", code, "my-own-password-1"))).toEqual(BAD);
    // a weak password is refused before the code is looked at
    expect((await activate("act.wang", code, "short")).status).toBe(400);

    // typed loosely (lower case, no dashes) it works once
    expect((await activate("act.wang", code.toLowerCase().replace(/-/g, ""), "my-own-password-1")).status).toBe(204);
    expect((await login("act.wang", "my-own-password-1")).status).toBe(200);
    expect(answer(await activate("act.wang", code, "another-password-2"))).toEqual(BAD);
    expect(answer(await login("act.wang", "another-password-2"))).toEqual(BAD);

    const audit = await call("GET", "/v1/audit?action=user.activate&limit=10", { token: admin });
    expect(audit.status).toBe(200);
    expect(audit.body.items.filter((e: any) => e.summary.startsWith("act.wang:"))).toHaveLength(1);

    // the sheet is the importer's only: another admin's request is 404
    const countyId = (await call("GET", "/v1/me", { token: admin })).body.assignments[0].unitId;
    const made = await call("POST", "/v1/users", { token: admin, body: { username: "act.admin2", displayName: "另一管理员", password: "second-admin-pass", assignments: [{ role: "county_admin", unitId: countyId }] } });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const admin2 = (await login("act.admin2", "second-admin-pass")).body.accessToken;
    expect((await call("GET", `/v1/jobs/${job.id}/activation-codes.xlsx`, { token: admin2 })).status).toBe(404);

    // uploading the same file again creates nothing and issues no code
    const again = await importStaff([
      { username: "act.wang", displayName: "王一", role: "网格员", unitCode: "350206001001001" },
      { username: "act.li", displayName: "李二", role: "网格员", unitCode: "350206001001002" },
    ]);
    expect(again.job.result).toMatchObject({ created: 0, unchanged: 2, activationCodes: 0 });
    expect((await call("GET", `/v1/jobs/${again.job.id}/activation-codes.xlsx`, { token: admin })).status).toBe(404);
  });

  it("keeps the codes as data for the download, which renders the sheet; a sheet an import stored before that is given as it was", async () => {
    const { job, admin } = await importStaff([{ username: "act.sun", displayName: "孙四", role: "网格员", unitCode: "350206001001001" }]);
    const env = stack.get().env;
    const s3 = new S3Client({ forcePathStyle: true, endpoint: env.AWS_ENDPOINT_URL_S3, region: env.AWS_REGION ?? "cn-northwest-1" });
    const Bucket = env.WANGGE_BUCKET!;
    const stored = JSON.parse(await (await s3.send(new GetObjectCommand({ Bucket, Key: `imports/${job.id}.activation.json` }))).Body!.transformToString());
    const code = (await codesOf(job.id, admin)).get("act.sun")!;
    expect(stored).toEqual([expect.objectContaining({ username: "act.sun", displayName: "孙四", unitCodes: ["350206001001001"], code })]);

    // a job finished before the upgrade: only its sheet is stored, and the download gives those bytes
    const get = () => fetch(`${apiUrl()}/v1/jobs/${job.id}/activation-codes.xlsx`, { headers: { authorization: `Bearer ${admin}` } });
    const sheet = new Uint8Array(await (await get()).arrayBuffer());
    await s3.send(new DeleteObjectCommand({ Bucket, Key: `imports/${job.id}.activation.json` }));
    await s3.send(new PutObjectCommand({ Bucket, Key: `imports/${job.id}.activation.xlsx`, Body: sheet }));
    const old = await get();
    expect(old.status).toBe(200);
    expect(Buffer.from(await old.arrayBuffer()).equals(Buffer.from(sheet))).toBe(true);
    expect((await codesOf(job.id, admin)).get("act.sun")).toBe(code);
    // neither stored: gone (the retention deleted it)
    await s3.send(new DeleteObjectCommand({ Bucket, Key: `imports/${job.id}.activation.xlsx` }));
    expect((await call("GET", `/v1/jobs/${job.id}/activation-codes.xlsx`, { token: admin })).status).toBe(410);
  });

  it("expires by the county's clock; a re-issued code replaces the old one and is audited", async () => {
    const { job, admin } = await importStaff([{ username: "act.zhao", displayName: "赵三", role: "网格员", unitCode: "350206001001001" }]);
    const first = (await codesOf(job.id, admin)).get("act.zhao")!;
    stack.get().clock.advance(14 * 86_400_000 + 60_000);
    expect(answer(await activate("act.zhao", first, "my-own-password-1"))).toEqual(BAD);

    const id = (await call("GET", "/v1/users?q=act.zhao", { token: admin })).body.items[0].id;
    const before = stack.get().clock.now().getTime();
    const issued = await call("POST", `/v1/users/${id}/activation`, { token: admin });
    const after = stack.get().clock.now().getTime();
    expect(issued.status).toBe(201);
    expect(issued.body.code).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
    // 14 days from the stack's clock at the request (the local clock runs on from where it was set)
    const expires = new Date(issued.body.expiresAt).getTime() - 14 * 86_400_000;
    expect(expires >= before && expires <= after, `${expires} in [${before}, ${after}]`).toBe(true);
    const second = await call("POST", `/v1/users/${id}/activation`, { token: admin });
    // the first re-issued code was replaced by the second
    expect(answer(await activate("act.zhao", issued.body.code, "my-own-password-1"))).toEqual(BAD);
    stack.get().clock.advance(14 * 86_400_000 - 120_000);
    expect((await activate("act.zhao", second.body.code, "my-own-password-1")).status).toBe(204);
    expect((await login("act.zhao", "my-own-password-1")).status).toBe(200);
    const audit = await call("GET", "/v1/audit?action=user.activation&limit=10", { token: admin });
    expect(audit.body.items.filter((e: any) => e.summary.startsWith("act.zhao:"))).toHaveLength(2);
  });

  it("reads a code as typed: case, spaces and dashes ignored, O as 0 and I, L as 1", () => {
    expect(normalizeCode("ab0c-1DEF gh1j-KMNP")).toBe("AB0C1DEFGH1JKMNP");
    expect(normalizeCode("oOiIlL")).toBe("001111");
  });
});
