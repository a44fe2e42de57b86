import { afterAll, beforeAll, describe, expect, it } from "vitest";
import ExcelJS from "exceljs";
import { startStack, type LocalStack } from "../../local/stack.ts";
import {
  createCountyAndAdmin,
  DEPARTMENTS,
  MICRO_GRIDS,
  STAFF,
  county,
  departmentsXlsx,
  divisionsCsv,
  gridPlan,
  gridShapefile,
  http,
  importDivisions,
  importShapefile,
  importXlsx,
  staffPlan,
  staffXlsx,
  waitJob,
  type Http,
} from "../../bench/onboarding-files.ts";

/**
 * "A county in an hour" (#20 Done when): from an empty stage, through the HTTP API only, a real
 * county of the national divisions (顺昌县 350721: 12 townships, 150 villages/communities) is set up
 * with the files it would bring: 6,168 micro-grids under 600 grids as a zipped CGCS2000 3° Gauss–Krüger
 * Shapefile with GBK attributes (checked first, then imported), 30 departments and 600 staff in .xlsx
 * (staff get one-time activation codes). Every count is checked, and locating a point inside a
 * generated micro-grid answers that micro-grid. The only step outside the API is the one a county
 * runs once on the command line (`npm run admin:create -- --county-code 350721`: the county and its
 * first admin). Slow by nature (minutes): the one full-size run; `npm run bench -- onboarding` times it.
 */
let stack: LocalStack;
let api: Http;
let token = "";
const ADMIN = { username: "county.admin", password: "first-admin-password-2026" };

beforeAll(async () => {
  stack = await startStack({ autoSchedule: false });
  // what `npm run admin:create -- --county-code 350721` does on an empty table
  await createCountyAndAdmin(ADMIN, stack.clock.now());
  api = http(stack.url, () => token);
  const login = await api("POST", "/v1/auth/login", ADMIN);
  expect(login.status).toBe(200);
  token = login.body.accessToken;
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

/** Staff access tokens last 15 minutes: renew before a long step. */
async function renew() {
  const login = await api("POST", "/v1/auth/login", ADMIN);
  expect(login.status).toBe(200);
  token = login.body.accessToken;
}

/** The whole unit tree as the county exports it (CSV), counted by level. */
async function unitsByLevel(): Promise<{ levels: Record<string, number>; codes: Set<string> }> {
  const r = await fetch(`${stack.url}/v1/units/export?format=csv`, { headers: { authorization: `Bearer ${token}` } });
  expect(r.status).toBe(200);
  const lines = (await r.text()).replace(/^\uFEFF/, "").trim().split(/\r?\n/);
  const header = lines[0].split(",");
  const at = (k: string) => header.indexOf(k);
  const levels: Record<string, number> = {};
  const codes = new Set<string>();
  for (const line of lines.slice(1)) {
    const cells = line.split(",");
    levels[cells[at("level")]] = (levels[cells[at("level")]] ?? 0) + 1;
    codes.add(cells[at("code")]);
  }
  return { levels, codes };
}

describe("a county in an hour", () => {
  const c = county();
  const villages = c.streets.reduce((a, s) => a + s.villages.length, 0);
  const plan = gridPlan(c);
  const staff = staffPlan(c, plan);

  it("the chosen county is a real one of the national divisions with 150 villages/communities", () => {
    expect([c.code, c.name, c.streets.length, villages]).toEqual(["350721", "顺昌县", 12, 150]);
    expect(plan.filter((u) => u.level === "micro_grid")).toHaveLength(MICRO_GRIDS);
    expect(plan.filter((u) => u.level === "grid")).toHaveLength(600);
    // every generated code extends its parent's, down to the official village codes
    const official = new Set(c.streets.flatMap((s) => s.villages.map(([code]) => code)));
    expect(plan.every((u) => u.code.startsWith(u.parentCode) && (u.level === "micro_grid" || official.has(u.parentCode)))).toBe(true);
  });

  it(
    "imports the official divisions, checks then imports the grids' Shapefile, then departments and staff from Excel, and every count matches",
    async () => {
      // 1. townships and villages with their official codes, as the first-run guide sends them
      const divisions = divisionsCsv(c);
      expect(divisions.rows).toBe(12 + 150);
      const d = await waitJob(api, await importDivisions(api, divisions.csv));
      expect([d.status, d.result.created, d.result.rejected], JSON.stringify(d.errors)).toEqual(["succeeded", 162, 0]);

      // 2. the GIS file: the topology report first (nothing written), then the import
      const zip = gridShapefile(plan);
      const check = await waitJob(api, await importShapefile(api, zip, "check"));
      expect(check.status, JSON.stringify(check.errors.slice(0, 3))).toBe("succeeded");
      expect(check.result).toMatchObject({ written: false, rows: plan.length, rejected: 0, topologyCount: 0 });
      expect(check.result.topology).toEqual([]);
      expect((await unitsByLevel()).levels.micro_grid).toBeUndefined();
      await renew();
      const imported = await waitJob(api, await importShapefile(api, zip, "all"));
      expect([imported.status, imported.result.created, imported.result.rejected], JSON.stringify(imported.errors.slice(0, 3))).toEqual(["succeeded", plan.length, 0]);

      // 3. departments, then staff (their roles name units and departments)
      await renew();
      const deps = await waitJob(api, await importXlsx(api, "departments", "职能部门.xlsx", await departmentsXlsx()));
      expect([deps.status, deps.result.created, deps.result.rejected], JSON.stringify(deps.errors)).toEqual(["succeeded", DEPARTMENTS, 0]);
      const people = await waitJob(api, await importXlsx(api, "users", "人员.xlsx", await staffXlsx(staff.rows)));
      expect([people.status, people.result.rows, people.result.created, people.result.rejected, people.result.activationCodes], JSON.stringify(people.errors.slice(0, 3))).toEqual(["succeeded", 750, STAFF, 0, STAFF]);

      // every count, read back through the API
      await renew();
      const { levels, codes } = await unitsByLevel();
      expect(levels).toEqual({ county: 1, street: 12, community: 150, grid: 600, micro_grid: MICRO_GRIDS });
      expect(plan.every((u) => codes.has(u.code))).toBe(true);
      const departments = await api("GET", "/v1/departments?limit=200");
      expect(departments.body.items).toHaveLength(DEPARTMENTS);
      const users: any[] = [];
      for (let cursor: string | undefined; ; ) {
        const page = await api("GET", `/v1/users?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
        expect(page.status).toBe(200);
        users.push(...page.body.items);
        cursor = page.body.nextCursor ?? undefined;
        if (!cursor) break;
      }
      expect(users).toHaveLength(STAFF + 1);
      const roles: Record<string, number> = {};
      for (const u of users) for (const a of u.assignments) roles[a.role] = (roles[a.role] ?? 0) + 1;
      expect(roles).toEqual({ ...staff.roles, county_admin: 1 });
      expect(Object.values(staff.roles).reduce((a, b) => a + b, 0)).toBe(750);

      // the activation codes: one per new account, distinct, and one of them works once
      const wb = new ExcelJS.Workbook();
      const sheet = await fetch(`${stack.url}/v1/jobs/${people.id}/activation-codes.xlsx`, { headers: { authorization: `Bearer ${token}` } });
      expect(sheet.status).toBe(200);
      await wb.xlsx.load((await sheet.arrayBuffer()) as ArrayBuffer);
      const ws = wb.worksheets[0];
      const codes2 = new Map<string, string>();
      for (let r = 2; r <= ws.rowCount; r++) codes2.set(String(ws.getCell(r, 1).value), String(ws.getCell(r, 5).value));
      expect(codes2.size).toBe(STAFF);
      expect(new Set(codes2.values()).size).toBe(STAFF);
      const worker = staff.rows.find((r) => r.username.startsWith("wg"))!.username;
      const anon = http(stack.url, () => "");
      expect((await anon("POST", "/v1/auth/activate", { username: worker, code: codes2.get(worker), password: "my-own-password-1" })).status).toBe(204);
      expect((await anon("POST", "/v1/auth/login", { username: worker, password: "my-own-password-1" })).status).toBe(200);

      // locate: a point inside a generated micro-grid answers that micro-grid (the index rebuilds within seconds)
      const target = plan.filter((u) => u.level === "micro_grid")[4321];
      const [lng, lat] = target.inside;
      let found: string | undefined;
      for (const until = Date.now() + 30_000; Date.now() < until; ) {
        const r = await api("GET", `/v1/units/locate?lng=${lng}&lat=${lat}`);
        found = r.status === 200 ? r.body.unit.code : undefined;
        if (found === target.code) break;
        await new Promise((res) => setTimeout(res, 500));
      }
      expect(found).toBe(target.code);
    },
    1_800_000,
  );
});
