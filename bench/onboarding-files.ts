/**
 * "A county in an hour" (#20): the files of a real-sized county and the onboarding steps a county IT
 * team takes, through the HTTP API only. Shared by test/onboarding/county-in-an-hour.test.ts (which
 * checks every count) and bench/onboarding.ts (which times each step); nothing here is copied there.
 *
 * - The county is a real one from the national divisions: 顺昌县 (350721, Fujian), 12 townships and
 *   exactly 150 villages/communities with their official codes, taken as the console's first-run guide
 *   takes them (admin/src/setup/divisionsModel.ts turns the county file into the unit import CSV).
 * - Its GIS file: 600 grids (4 per village) and 6,168 micro-grids (10 or 11 per grid) as a zipped
 *   Shapefile in CGCS2000 3° Gauss–Krüger zone 39 (central meridian 117°E, zone number in the false
 *   easting, as ArcGIS writes it), attribute text in GBK without a .cpg, attribute names as county GIS
 *   offices use them (WGBM 编码, WGMC 名称, SJBM 上级编码). Codes extend the official village codes.
 *   Coordinates are laid out in metres in the projection (2 km villages, 1 km grids, strips of micro-grids)
 *   and projected with proj4 from a PROJ string written here, not with the reader's .prj parsing.
 * - 30 departments and 600 staff (750 role rows) as .xlsx workbooks the way a clerk fills them (Chinese
 *   header row only), staff without initial passwords: each new account gets an activation code.
 */
import ExcelJS from "exceljs";
import proj4 from "proj4";
import { loadDivisions, type CountyFile } from "../admin/divisions/build.ts";
import { choicesOf, importCsv } from "../admin/src/setup/divisionsModel.ts";
import { CGCS2000_GK_39, shapefileZip, type ShapeRow } from "../test/shapefile-writer.ts";
import { DEFAULT_LEVELS } from "../core/settings/settings.ts";
import { ensureCounty } from "../core/unit/root.ts";
import { createStaff } from "../core/user/service.ts";

export const COUNTY_CODE = "350721";
export const GRIDS_PER_VILLAGE = 4;
export const MICRO_GRIDS = 6_168;
export const DEPARTMENTS = 30;
export const STAFF = 600;

/** CGCS2000 3° GK zone 39 as a PROJ string (CGCS2000's ellipsoid differs from GRS80 by 0.1 mm in b). */
const GK39 = "+proj=tmerc +lat_0=0 +lon_0=117 +k=1 +x_0=39500000 +y_0=0 +ellps=GRS80 +units=m +no_defs";
const toGk = proj4("WGS84", GK39);

export function county(): CountyFile {
  const c = loadDivisions().counties.get(COUNTY_CODE);
  if (!c) throw new Error(`${COUNTY_CODE} is not in the national divisions`);
  return c;
}

/**
 * What `npm run admin:create -- --county-code 350721` does on an empty table (the one step a county
 * runs on the command line): the county's settings and root unit under its official name, and the
 * first county admin. Everything after goes through the HTTP API.
 */
export async function createCountyAndAdmin(admin: { username: string; password: string }, now: Date): Promise<void> {
  const c = county();
  const root = await ensureCounty({ settings: { countyName: c.name, countyCode: COUNTY_CODE, timeZone: "Asia/Shanghai", levels: DEFAULT_LEVELS, anonymousReports: false, defaultEvaluation: "satisfied", version: 1 } }, now);
  await createStaff(undefined, { username: admin.username, displayName: "县级管理员", password: admin.password, assignments: [{ role: "county_admin", unitId: root.id }] }, now);
}

/** The divisions step: the CSV the first-run guide sends for every official unit of the county (working names). */
export function divisionsCsv(c = county()): { csv: string; rows: number } {
  return importCsv(choicesOf(c, new Map()));
}

export interface GridPlan {
  code: string;
  name: string;
  parentCode: string;
  level: "grid" | "micro_grid";
  /** the ring in GK metres (closed, clockwise) */
  ring: [number, number][];
  /** a point well inside, WGS84 / CGCS2000 lng-lat */
  inside: [number, number];
}

const rect = (x0: number, y0: number, x1: number, y1: number): [number, number][] => [
  [x0, y0],
  [x0, y1],
  [x1, y1],
  [x1, y0],
  [x0, y0],
];

/** Grids and micro-grids of every village, laid out on a 15 × 10 board of 2 km villages south-west of 顺昌. */
export function gridPlan(c = county()): GridPlan[] {
  const villages = c.streets.flatMap((s) => s.villages.map(([code, name]) => ({ code, name: name.replace(/(社区居民委员会|社区居委会|居民委员会|居委会|村民委员会|村委会)$/, (m) => (m.includes("村") ? "村" : "社区")) })));
  const [e0, n0] = toGk.forward([117.62, 26.62]) as [number, number];
  const toLngLat = (x: number, y: number) => toGk.inverse([x, y]) as [number, number];
  const out: GridPlan[] = [];
  const grids = villages.length * GRIDS_PER_VILLAGE;
  const extra = MICRO_GRIDS - grids * Math.floor(MICRO_GRIDS / grids); // the first `extra` grids get one more
  const base = Math.floor(MICRO_GRIDS / grids);
  let g = 0;
  villages.forEach((v, i) => {
    const vx = e0 + (i % 15) * 2000;
    const vy = n0 + Math.floor(i / 15) * 2000;
    for (let k = 0; k < GRIDS_PER_VILLAGE; k++) {
      const gx = vx + (k % 2) * 1000;
      const gy = vy + Math.floor(k / 2) * 1000;
      const code = `${v.code}${String(k + 1).padStart(3, "0")}`;
      out.push({ code, name: `${v.name}第${k + 1}网格`, parentCode: v.code, level: "grid", ring: rect(gx, gy, gx + 1000, gy + 1000), inside: toLngLat(gx + 500, gy + 500) });
      const n = base + (g++ < extra ? 1 : 0);
      const w = 1000 / n;
      for (let m = 0; m < n; m++) {
        const x0 = gx + m * w;
        const x1 = m === n - 1 ? gx + 1000 : gx + (m + 1) * w;
        out.push({ code: `${code}${String(m + 1).padStart(2, "0")}`, name: `${v.name}第${k + 1}网格第${m + 1}微网格`, parentCode: code, level: "micro_grid", ring: rect(x0, gy, x1, gy + 1000), inside: toLngLat((x0 + x1) / 2, gy + 500) });
      }
    }
  });
  return out;
}

/** The zipped Shapefile (.shp/.shx/.dbf/.prj, GBK attributes, no .cpg) of the grids and micro-grids. */
export function gridShapefile(plan = gridPlan()): Uint8Array {
  const rows: ShapeRow[] = plan.map((u) => ({ attributes: { WGBM: u.code, WGMC: u.name, SJBM: u.parentCode }, rings: [u.ring] }));
  return shapefileZip(rows, { prj: CGCS2000_GK_39, encoding: "gbk", name: "顺昌县网格" });
}

export interface DepartmentRow {
  code: string;
  name: string;
  contactName: string;
  contactPhone: string;
}

const DEPARTMENT_NAMES = [
  "城市管理局", "住房和城乡建设局", "生态环境局", "自然资源局", "交通运输局", "水利局", "农业农村局", "卫生健康局", "应急管理局", "市场监督管理局",
  "公安局", "民政局", "人力资源和社会保障局", "教育局", "文化体育和旅游局", "司法局", "林业局", "商务局", "退役军人事务局", "医疗保障局",
  "信访局", "消防救援大队", "供电公司", "自来水公司", "燃气公司", "电信公司", "公路分局", "气象局", "残疾人联合会", "妇女联合会",
];

export function departmentRows(): DepartmentRow[] {
  return DEPARTMENT_NAMES.slice(0, DEPARTMENTS).map((name, i) => ({ code: `D${String(i + 1).padStart(2, "0")}`, name, contactName: `联系人${i + 1}`, contactPhone: `0599-78${String(i + 1).padStart(5, "0")}` }));
}

export interface StaffRow {
  username: string;
  displayName: string;
  phone?: string;
  role: string;
  unitCode: string;
  departmentCode?: string;
}

/** Role names as the template's validation list shows them. */
const ROLE = { street: "街道/乡镇工作人员", community: "社区/村工作人员", leader: "网格长", worker: "网格员", dept: "职能部门人员", dispatcher: "指挥中心调度员", supervisor: "效能督办员" };

export interface StaffPlan {
  rows: StaffRow[];
  accounts: number;
  /** role assignments by role key of the API */
  roles: Record<string, number>;
}

/**
 * 600 accounts, 750 role rows: 12 township staff, 150 village staff who also lead the village's first
 * grid (two rows each), 30 department staff, 2 dispatchers, 1 supervisor and 405 grid workers on the
 * first 405 grids.
 */
export function staffPlan(c = county(), plan = gridPlan(c)): StaffPlan {
  const rows: StaffRow[] = [];
  const phone = (n: number) => `139${String(n).padStart(8, "0")}`;
  let n = 0;
  const person = (prefix: string) => ({ username: `${prefix}${String(++n).padStart(4, "0")}`, displayName: `员工${n}`, phone: phone(n) });
  for (const s of c.streets) rows.push({ ...person("jd"), role: ROLE.street, unitCode: s.code });
  for (const s of c.streets) {
    for (const [code] of s.villages) {
      const p = person("sq");
      rows.push({ ...p, role: ROLE.community, unitCode: code });
      rows.push({ username: p.username, displayName: "", role: ROLE.leader, unitCode: `${code}001` });
    }
  }
  for (const d of departmentRows()) rows.push({ ...person("bm"), role: ROLE.dept, unitCode: COUNTY_CODE, departmentCode: d.code });
  for (let i = 0; i < 2; i++) rows.push({ ...person("dd"), role: ROLE.dispatcher, unitCode: COUNTY_CODE });
  rows.push({ ...person("db"), role: ROLE.supervisor, unitCode: COUNTY_CODE });
  const grids = plan.filter((u) => u.level === "grid");
  for (let i = 0; n < STAFF; i++) rows.push({ ...person("wg"), role: ROLE.worker, unitCode: grids[i].code });
  const villages = c.streets.reduce((a, s) => a + s.villages.length, 0);
  return {
    rows,
    accounts: n,
    roles: { street_staff: c.streets.length, community_staff: villages, grid_leader: villages, department_staff: DEPARTMENTS, dispatcher: 2, supervisor: 1, grid_worker: STAFF - c.streets.length - villages - DEPARTMENTS - 3 },
  };
}

/** A workbook as a clerk fills one: the sheet named as the template's, one row of Chinese column names, data below. */
async function workbook(sheet: string, header: string[], rows: string[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(sheet);
  ws.addRow(header);
  for (const r of rows) ws.addRow(r);
  // codes and phone numbers as text, as the template formats them
  ws.columns.forEach((col) => (col.numFmt = "@"));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export const departmentsXlsx = (rows = departmentRows()) =>
  workbook("职能部门", ["部门编码", "部门名称", "联系人", "联系电话", "服务单位编码", "状态"], rows.map((d) => [d.code, d.name, d.contactName, d.contactPhone, COUNTY_CODE, "启用"]));

export const staffXlsx = (rows = staffPlan().rows) =>
  workbook("人员", ["用户名", "姓名", "手机号", "角色", "单位编码", "部门编码", "状态"], rows.map((s) => [s.username, s.displayName, s.phone ?? "", s.role, s.unitCode, s.departmentCode ?? "", s.displayName ? "启用" : ""]));

// ---- the steps, over HTTP ------------------------------------------------------------------------

export interface Http {
  (method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
}

/** A JSON client of one stack and token. */
export function http(baseUrl: string, token: () => string): Http {
  return async (method, path, body, headers = {}) => {
    const isJson = body !== undefined && typeof body !== "string" && !(body instanceof Uint8Array);
    const r = await fetch(baseUrl + path, {
      method,
      headers: { ...(token() ? { authorization: `Bearer ${token()}` } : {}), ...(isJson ? { "content-type": "application/json" } : {}), ...headers },
      body: body === undefined ? undefined : isJson ? JSON.stringify(body) : (body as string),
    });
    const text = await r.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON */
    }
    return { status: r.status, body: parsed };
  };
}

/** Wait for a job to end (polling as the console does); `onProgress` with done/total. */
export async function waitJob(api: Http, jobId: string, onProgress?: (done: number, total: number) => void, timeoutMs = 900_000): Promise<any> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const j = await api("GET", `/v1/jobs/${jobId}`);
    if (j.status !== 200) throw new Error(`job ${jobId}: ${j.status} ${JSON.stringify(j.body)}`);
    onProgress?.(j.body.done ?? 0, j.body.total ?? 0);
    if (j.body.status === "succeeded" || j.body.status === "failed") return j.body;
    if (Date.now() > until) throw new Error(`job ${jobId} did not finish (${j.body.status} ${j.body.done}/${j.body.total})`);
    await new Promise((res) => setTimeout(res, 250));
  }
}

function accepted(what: string, r: { status: number; body: any }): string {
  if (r.status !== 202) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body).slice(0, 500)}`);
  return r.body.jobId as string;
}

export const importDivisions = async (api: Http, csv: string) =>
  accepted("divisions", await api("POST", "/v1/units/import?format=csv&mode=partial", csv, { "content-type": "text/csv; charset=utf-8" }));

/** The zip through the presigned upload, then an import job (`mode=check` writes nothing). */
export async function importShapefile(api: Http, zip: Uint8Array, mode: "check" | "all"): Promise<string> {
  const up = await api("POST", "/v1/units/import-uploads", { contentType: "application/zip", size: zip.byteLength });
  if (up.status !== 201) throw new Error(`upload: ${up.status} ${JSON.stringify(up.body)}`);
  const put = await fetch(up.body.uploadUrl, { method: "PUT", headers: up.body.headers, body: new Uint8Array(zip) });
  if (!put.ok) throw new Error(`PUT upload: ${put.status}`);
  return accepted(`shapefile ${mode}`, await api("POST", "/v1/units/import", { uploadKey: up.body.uploadKey, format: "shapefile", mode }));
}

export const importXlsx = async (api: Http, list: "users" | "departments", fileName: string, bytes: Buffer) =>
  accepted(`${list}.xlsx`, await api("POST", `/v1/${list}/import.xlsx`, { fileName, content: bytes.toString("base64") }));
