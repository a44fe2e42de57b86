import { hashPassword } from "../core/auth/password.ts";
import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { db, tableName } from "../core/db/client.ts";
import * as keys from "../core/db/keys.ts";
import { item } from "../core/db/items.ts";
import type { Principal } from "../core/auth/principal.ts";
import { syntheticCounty } from "../core/geo/synthetic.ts";
import { DEFAULT_LEVELS } from "../core/settings/settings.ts";
import { ensureCounty } from "../core/unit/root.ts";
import { createUnit } from "../core/unit/service.ts";
import { unitIdByCode } from "../core/unit/repo.ts";
import type { UnitType } from "../core/unit/schema.ts";
import { createStaff, usernameTaken } from "../core/user/service.ts";
import { DEMO_CATEGORIES, DEMO_DEPARTMENTS, seedDemoConfig } from "./demo-config.ts";

export const DEMO_COUNTY_CODE = "350206";
const SYSTEM: Principal = { kind: "system", id: "seed" };

const STREETS = ["湖里街道", "殿前街道"];
const COMMUNITIES = [
  ["金山社区", "禾山社区"],
  ["高殿社区", "钟宅社区"],
];
const GRID_TYPES: UnitType[] = ["residential", "village_to_residential", "park", "mixed"];

export interface DemoUser {
  username: string;
  displayName: string;
  role: string;
  unitCode: string;
  departmentId?: string;
}

/** Demo staff, one per role (plus a second grid worker in another street). */
export const DEMO_USERS: DemoUser[] = [
  { username: "admin", displayName: "县级管理员", role: "county_admin", unitCode: "350206" },
  { username: "center", displayName: "指挥中心调度员", role: "dispatcher", unitCode: "350206" },
  { username: "supervisor", displayName: "效能办督办员", role: "supervisor", unitCode: "350206" },
  { username: "street1", displayName: "湖里街道工作人员", role: "street_staff", unitCode: "350206001" },
  { username: "community1", displayName: "金山社区工作人员", role: "community_staff", unitCode: "350206001001" },
  { username: "leader1", displayName: "金山社区第1网格长", role: "grid_leader", unitCode: "350206001001001" },
  { username: "instructor1", displayName: "金山社区第1网格指导员", role: "grid_instructor", unitCode: "350206001001001" },
  { username: "worker1", displayName: "金山社区第1网格员", role: "grid_worker", unitCode: "350206001001001" },
  { username: "worker2", displayName: "高殿社区第1网格员", role: "grid_worker", unitCode: "350206002001001" },
  { username: "dept1", displayName: "城市管理局", role: "department_staff", unitCode: "350206", departmentId: "dept-urban" },
  { username: "dept2", displayName: "住房和建设局", role: "department_staff", unitCode: "350206", departmentId: "dept-housing" },
  { username: "auditor", displayName: "审计员", role: "auditor", unitCode: "350206" },
];

/**
 * Seed the demo county, shaped after the reports (four levels below the county, polygons that
 * tile their parents, one user per role). Idempotent: a finished seed leaves a marker and is
 * skipped; an interrupted one resumes (every write is keyed by unit code or username).
 */
export async function seedDemoCounty(opts: { password: string; now: Date; log?: (m: string) => void }): Promise<{ seeded: boolean }> {
  const log = opts.log ?? (() => {});
  const marker = await db().send(new GetCommand({ TableName: tableName(), Key: keys.seed("demo"), ConsistentRead: true }));
  if (marker.Item) return { seeded: false };

  const shape = syntheticCounty({ origin: [118.08, 24.48], streets: [2, 1], streetMeters: 4000, communities: [2, 1], grids: [2, 2], microGrids: 64, jitter: 0.1, seed: 7 });
  const root = await ensureCounty(
    { settings: { countyName: "示范区", countyCode: DEMO_COUNTY_CODE, timeZone: "Asia/Shanghai", levels: DEFAULT_LEVELS, anonymousReports: true, defaultEvaluation: "satisfied", version: 1 }, boundary: shape[0].boundary },
    opts.now,
  );
  const idOf = new Map<string, string>([[shape[0].id, root.id]]);
  const codeOf = new Map<string, string>([[shape[0].id, root.code]]);
  const ordinal = new Map<string, number>();
  let done = 0;
  for (const u of shape.slice(1)) {
    const n = (ordinal.get(u.parentId!) ?? 0) + 1;
    ordinal.set(u.parentId!, n);
    const width = DEFAULT_LEVELS[u.depth - 1].segmentDigits;
    const code = codeOf.get(u.parentId!)! + String(n).padStart(width, "0");
    const [s, c] = u.id.split(".").slice(1).map((x) => Number(x.slice(1)) - 1);
    const name =
      u.level === "street" ? STREETS[s] : u.level === "community" ? COMMUNITIES[s][c] : u.level === "grid" ? `第${n}网格` : `第${n}微网格`;
    const existing = await unitIdByCode(code);
    const id =
      existing ??
      (
        await createUnit(SYSTEM, {
          parentId: idOf.get(u.parentId!)!,
          name,
          code,
          type: u.level === "grid" || u.level === "micro" ? GRID_TYPES[(n - 1) % GRID_TYPES.length] : "other",
          boundary: u.boundary,
          households: u.level === "micro" ? 8 + ((n * 7) % 5) : undefined,
          population: u.level === "micro" ? 20 + ((n * 13) % 17) : undefined,
        }, opts.now)
      ).id;
    idOf.set(u.id, id);
    codeOf.set(u.id, code);
    if (++done % 20 === 0) log(`  units ${done}/${shape.length - 1}`);
  }
  log(`  units ${shape.length - 1}/${shape.length - 1}`);
  await seedDemoConfig(opts.now);
  log(`  departments ${DEMO_DEPARTMENTS.length}, categories ${DEMO_CATEGORIES.length}`);
  // the demo users share one published password: hash it once (scrypt at OWASP cost takes a while)
  let shared: string | undefined;
  for (const du of DEMO_USERS) {
    if (await usernameTaken(du.username)) continue;
    const unitId = await unitIdByCode(du.unitCode);
    shared ??= await hashPassword(opts.password);
    await createStaff(undefined, { username: du.username, displayName: du.displayName, password: opts.password, assignments: [{ role: du.role, unitId, departmentId: du.departmentId }] }, opts.now, shared);
  }
  log(`  users ${DEMO_USERS.length}`);
  await db().send(new PutCommand({ TableName: tableName(), Item: item("Seed", keys.seed("demo"), { at: opts.now.toISOString() }) }));
  return { seeded: true };
}
