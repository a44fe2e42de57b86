import { describe, it, expect, beforeAll } from "vitest";
import { apiUrl, call, useStackEnv } from "../../test/client.ts";
import { adminToken, tokenFor } from "../../test/fixtures.ts";
import { subdivide, syntheticGrid } from "../../core/geo/synthetic.ts";
import { centroid } from "../../core/geo/measure.ts";
import { toCsv, toGeoJson, type TreeRow } from "../../core/unit/export-format.ts";
import { parseCsv } from "../../core/job/csv.ts";
import { getSettings } from "../../core/settings/settings.ts";
import { readImportFile } from "../../core/unit/import-parse.ts";
import { codesToLookUp, planImport } from "../../core/unit/import-plan.ts";
import { lookUpRefs, writeRows } from "../../core/unit/import-store.ts";

/**
 * Bulk import / export of the unit tree over HTTP. Every test builds its own community with codes
 * the demo seed and the other unit tests do not use, far from the demo county's polygons (so locate
 * answers stay unambiguous): the first under the demo street 350206001 (community 350206001050),
 * the others under a street of their own, 350206009 (so the demo street's subtree stays small for
 * the other tests that page through it).
 */

const STREET = "350206001";
const TEST_STREET = "350206009";
let admin: string;
let streetId: string;

beforeAll(async () => {
  admin = await adminToken();
  const r = await call("GET", `/v1/units?q=${STREET}&limit=5`, { token: admin });
  streetId = r.body.items.find((u: any) => u.code === STREET).id;
  const root = (await call("GET", "/v1/units?q=350206&limit=1", { token: admin })).body.items[0];
  const made = await call("POST", "/v1/units", { token: admin, body: { parentId: root.id, name: "导入测试街道", code: TEST_STREET, type: "street" } });
  // one stack per test run (test/global-setup.ts) and no other test or the seed uses this code: always new
  expect(made.status).toBe(201);
});

/** A community with grids × micro-grids tiling a 600 m square at `origin`. */
function community(code: string, origin: [number, number], opts: { grids?: [number, number]; micro?: [number, number]; name?: string } = {}): TreeRow[] {
  const [cell] = syntheticGrid({ origin, cols: 1, rows: 1, cellMeters: 600 });
  const rows: TreeRow[] = [{ code, name: opts.name ?? `导入社区${code.slice(-3)}`, parentCode: code.slice(0, 9), level: "community", type: "community", boundary: cell.boundary }];
  const [gx, gy] = opts.grids ?? [2, 1];
  const [mx, my] = opts.micro ?? [2, 2];
  subdivide(cell, gx, gy).forEach((grid, g) => {
    const gcode = `${code}${String(g + 1).padStart(3, "0")}`;
    rows.push({ code: gcode, name: `第${g + 1}网格`, parentCode: code, level: "grid", type: g % 2 ? "mixed" : "residential", boundary: grid.boundary });
    subdivide(grid, mx, my).forEach((micro, m) => {
      rows.push({ code: `${gcode}${String(m + 1).padStart(2, "0")}`, name: `第${m + 1}微网格`, parentCode: gcode, level: "micro_grid", type: "residential", households: 8 + m, population: 20 + m, boundary: micro.boundary });
    });
  });
  return rows;
}

async function post(body: string, opts: { format?: "geojson" | "csv"; mode?: "all" | "partial"; token?: string; headers?: Record<string, string>; contentType?: string } = {}) {
  const format = opts.format ?? "geojson";
  const qs = new URLSearchParams({ format, ...(opts.mode ? { mode: opts.mode } : {}) });
  return call("POST", `/v1/units/import?${qs}`, {
    token: opts.token ?? admin,
    raw: body,
    headers: { "content-type": opts.contentType ?? (format === "csv" ? "text/csv" : "application/geo+json"), ...opts.headers },
  });
}

/** Poll the job until it finishes; returns it with every snapshot seen. */
async function waitJob(id: string, token = admin): Promise<{ job: any; seen: any[] }> {
  const seen: any[] = [];
  const until = Date.now() + 60_000;
  while (Date.now() < until) {
    const r = await call("GET", `/v1/jobs/${id}`, { token });
    expect(r.status).toBe(200);
    seen.push(r.body);
    if (r.body.status === "succeeded" || r.body.status === "failed") return { job: r.body, seen };
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`job ${id} did not finish: ${JSON.stringify(seen.at(-1))}`);
}

async function importAndWait(body: string, opts: Parameters<typeof post>[1] = {}) {
  const r = await post(body, opts);
  expect(r.status, JSON.stringify(r.body)).toBe(202);
  return (await waitJob(r.body.jobId)).job;
}

async function unitsWithPrefix(prefix: string): Promise<any[]> {
  const r = await call("GET", `/v1/units?q=${prefix}&limit=200`, { token: admin });
  expect(r.status).toBe(200);
  return r.body.items;
}

async function exportFile(query: string, token = admin): Promise<{ status: number; bytes: Uint8Array; text: string; type: string | null }> {
  const r = await fetch(`${apiUrl()}/v1/units/export?${query}`, { headers: { authorization: `Bearer ${token}` } });
  const bytes = new Uint8Array(await r.arrayBuffer());
  return { status: r.status, bytes, text: new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes), type: r.headers.get("content-type") };
}

const fc = (rows: TreeRow[]) => toGeoJson(rows);
const byCode = (units: any[]) => new Map(units.map((u) => [u.code, u]));

describe("unit import", () => {
  it("imports a GeoJSON community subtree under a demo street, parents before children, and locate finds the new micro-grids", async () => {
    const rows = community("350206001050", [118.5, 24.6]);
    // far from the demo street: the community itself is not drawn (a drawn one would have to lie within the street, boundaries.test.ts)
    delete rows[0].boundary;
    const job = await importAndWait(fc(rows));
    expect(job).toMatchObject({ kind: "unit-import", status: "succeeded", total: rows.length, done: rows.length, errors: [], result: { created: rows.length, updated: 0, unchanged: 0, rejected: 0 } });
    expect(job.createdBy).toMatchObject({ kind: "user", name: "admin" });
    expect(job).not.toHaveProperty("scopes");

    const units = byCode(await unitsWithPrefix("350206001050"));
    expect(units.size).toBe(rows.length);
    const c = units.get("350206001050");
    expect(c).toMatchObject({ parentId: streetId, depth: 2, level: "community", type: "community", version: 1, active: true });
    const micro = units.get("35020600105000203");
    const grid = units.get("350206001050002");
    expect(micro).toMatchObject({ parentId: grid.id, depth: 4, level: "micro_grid", households: 10, population: 22 });
    expect(micro.path).toBe(`${grid.path}${micro.id}/`);
    expect(micro.boundary).toEqual(rows.find((r) => r.code === micro.code)!.boundary);

    // the tree version moved: locate sees the new micro-grid (the API rechecks it every 5 s)
    const [lng, lat] = centroid(micro.boundary);
    let found: any;
    for (const until = Date.now() + 10_000; Date.now() < until; await new Promise((r) => setTimeout(r, 250))) {
      found = await call("GET", `/v1/units/locate?lng=${lng}&lat=${lat}`, { token: admin });
      if (found.status === 200 && found.body.unit.id === micro.id) break;
    }
    expect(found.body.unit.id).toBe(micro.id);
    expect(found.body.ancestors.map((a: any) => a.code)).toEqual(["350206", STREET, "350206001050", "350206001050002"]);

    const audit = await call("GET", `/v1/audit?entity=job&entityId=${job.id}`, { token: admin });
    expect(audit.body.items).toHaveLength(1);
    expect(audit.body.items[0]).toMatchObject({ action: "unit.import", summary: expect.stringContaining(`${rows.length} created`) });
  });

  it("re-running the same file changes nothing: no duplicates, every row unchanged; a changed file updates in place", async () => {
    const rows = community("350206009051", [118.52, 24.6]);
    const first = await importAndWait(fc(rows));
    expect(first.result.created).toBe(rows.length);
    const before = byCode(await unitsWithPrefix("350206009051"));

    const again = await importAndWait(fc(rows));
    expect(again.result).toEqual({ created: 0, updated: 0, unchanged: rows.length, rejected: 0 });
    const after = byCode(await unitsWithPrefix("350206009051"));
    expect(after.size).toBe(rows.length);
    for (const [code, u] of after) expect({ id: u.id, version: u.version }).toEqual({ id: before.get(code).id, version: before.get(code).version });

    const changed = rows.map((r) => (r.code === "35020600905100101" ? { ...r, name: "改名微网格", households: 99 } : r));
    const third = await importAndWait(fc(changed));
    expect(third.result).toEqual({ created: 0, updated: 1, unchanged: rows.length - 1, rejected: 0 });
    const u = (await unitsWithPrefix("35020600905100101"))[0];
    expect(u).toMatchObject({ id: before.get("35020600905100101").id, name: "改名微网格", households: 99, version: 2 });
  });

  it("returns the same job for the same Idempotency-Key", async () => {
    const body = fc(community("350206009052", [118.54, 24.6], { grids: [1, 1], micro: [1, 2] }));
    const key = `import-${Date.now()}`;
    const a = await post(body, { headers: { "idempotency-key": key } });
    // the replay once the job ended: a replay while it is still queued queues it again (its message may have been
    // lost), and that second message, meeting the first one's run, would wait out the jobs queue's 15-minute
    // visibility timeout on the shared stack (docs/async.md "Job leases"), keeping every other test's queues busy
    const { job } = await waitJob(a.body.jobId);
    const b = await post(body, { headers: { "idempotency-key": key } });
    expect([a.status, b.status]).toEqual([202, 202]);
    expect(b.body.jobId).toBe(a.body.jobId);
    expect(b.headers.get("idempotent-replayed")).toBe("true");
    expect(job.result.created).toBe(4);
    expect(await unitsWithPrefix("350206009052")).toHaveLength(4);
  });

  it("imports CSV with WKT boundaries, quoted names, a BOM and CRLF line ends", async () => {
    const rows = community("350206009053", [118.56, 24.6], { name: '金山,"东"社区' });
    const csv = toCsv(rows);
    expect(csv.startsWith("\uFEFF")).toBe(true);
    expect(csv).toContain("POLYGON ((");
    const job = await importAndWait(csv, { format: "csv" });
    expect(job.status).toBe("succeeded");
    expect(job.result.created).toBe(rows.length);
    const units = byCode(await unitsWithPrefix("350206009053"));
    expect(units.get("350206009053").name).toBe('金山,"东"社区');
    expect(units.get("350206009053001").boundary).toEqual(rows[1].boundary);
  });

  const badCsv = (c: string) =>
    "code,name,parent_code,level,type,households,population,boundary\n" +
    `${c},坏行测试社区,${TEST_STREET},community,community,,,\n` + // 2 ok
    `${c}001,好网格,${c},grid,,,,\n` + // 3 ok
    `${c}00101,好微网格,${c}001,micro_grid,,5,12,\n` + // 4 ok
    `${c}002,层级不符,${c},micro_grid,,,,\n` + // 5 level mismatch
    `${c}00201,其子,${c}002,,,,,\n` + // 6 parent row rejected
    `${c}0031,位数不对,${c},,,,,\n` + // 7 code width
    `${c}004,开环边界,${c},,,,,"POLYGON ((118.6 24.6, 118.601 24.6, 118.601 24.601, 118.6 24.601))"\n` + // 8 open ring
    `${c}005,类型错误,${c},,castle,,,\n` + // 9 type enum
    `${c}006,甲,${c},,,,,\n` + // 10 duplicate
    `${c}006,乙,${c},,,,,\n` + // 11 duplicate
    `${c}007001,无上级,${c}007,,,,,\n`; // 12 parent unknown

  it("mode=all: bad rows fail the job with line numbers and reasons, and nothing is written", async () => {
    const c = "350206009054";
    const job = await importAndWait(badCsv(c), { format: "csv", mode: "all" });
    expect(job.status).toBe("failed");
    expect(job.errors.map((e: any) => e.line)).toEqual([5, 6, 7, 8, 9, 10, 11, 12]);
    expect(job.errorCount).toBe(8);
    const reason = (line: number) => job.errors.find((e: any) => e.line === line).reason;
    expect(reason(5)).toMatch(/level "micro_grid" does not match/);
    expect(reason(6)).toMatch(/line 5/);
    expect(reason(7)).toMatch(/followed by 3 digits/);
    expect(reason(8)).toMatch(/closed/);
    expect(reason(9)).toMatch(/^type:/);
    expect(reason(10)).toMatch(/duplicate code/);
    expect(reason(12)).toMatch(/not found/);
    expect(job.result).toMatchObject({ created: 0, written: false });
    expect(await unitsWithPrefix(c)).toEqual([]);
  });

  it("mode=partial: imports the good rows, reports the bad ones (and their descendants); errors.csv lists them", async () => {
    const c = "350206009055";
    const job = await importAndWait(badCsv(c), { format: "csv", mode: "partial" });
    expect(job.status).toBe("succeeded");
    expect(job.result).toEqual({ created: 3, updated: 0, unchanged: 0, rejected: 8 });
    expect(job.done).toBe(job.total);
    expect(job.total).toBe(11);
    expect((await unitsWithPrefix(c)).map((u) => u.code).sort()).toEqual([c, `${c}001`, `${c}00101`]);

    const report = await fetch(`${apiUrl()}/v1/jobs/${job.id}/errors.csv`, { headers: { authorization: `Bearer ${admin}` } });
    expect(report.status).toBe(200);
    expect(report.headers.get("content-type")).toMatch(/text\/csv/);
    const records = parseCsv(await report.text());
    expect(records[0].fields).toEqual(["line", "reason"]);
    expect(records.slice(1).map((r) => Number(r.fields[0]))).toEqual([5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it("shows progress while running: done only grows and reaches total", async () => {
    const rows = community("350206009056", [118.58, 24.6], { grids: [4, 4], micro: [3, 3] }); // 1 + 16 + 144 rows
    const r = await post(fc(rows));
    expect(r.status).toBe(202);
    const { job, seen } = await waitJob(r.body.jobId);
    expect(job).toMatchObject({ status: "succeeded", total: rows.length, done: rows.length });
    const statuses = [...new Set(seen.map((s) => s.status))];
    expect(statuses.every((s) => ["queued", "validating", "importing", "succeeded"].includes(s))).toBe(true);
    const running = seen.filter((s) => s.status === "importing");
    for (const s of running) expect(s.total).toBe(rows.length);
    const dones = running.map((s) => s.done);
    expect(dones).toEqual([...dones].sort((a, b) => a - b));
  });

  it("refuses a grid worker (403); a job is visible to its creator, county admins and auditors only", async () => {
    const body = fc(community("350206009057", [118.6, 24.6], { grids: [1, 1], micro: [1, 1] }));
    const worker = await post(body, { token: await tokenFor("worker1") });
    expect(worker.status).toBe(403);
    expect(await unitsWithPrefix("350206009057")).toEqual([]);

    const job = await importAndWait(body);
    expect((await call("GET", `/v1/jobs/${job.id}`, { token: await tokenFor("auditor") })).status).toBe(200);
    expect((await call("GET", `/v1/jobs/${job.id}`, { token: await tokenFor("center") })).status).toBe(404);
    // grid workers hold jobs:read for their own registry imports (core/auth/roles.ts): another's job is not found
    expect((await call("GET", `/v1/jobs/${job.id}`, { token: await tokenFor("worker1") })).status).toBe(404);
    const mine = await call("GET", "/v1/jobs?limit=200", { token: await tokenFor("center") });
    expect(mine.body.items.some((j: any) => j.id === job.id)).toBe(false);
  });

  it("lists jobs newest first", async () => {
    const r = await call("GET", "/v1/jobs?kind=unit-import&limit=50", { token: admin });
    expect(r.status).toBe(200);
    const created = r.body.items.map((j: any) => `${j.createdAt}#${j.id}`);
    expect(created.length).toBeGreaterThan(1);
    expect(created).toEqual([...created].sort().reverse());
  });

  it("refuses a body over 8 MiB with 413", async () => {
    const big = `{"type":"FeatureCollection","features":[]${" ".repeat(8 * 1024 * 1024)}}`;
    const r = await post(big);
    expect(r.status).toBe(413);
  });

  it("refuses a body that is not a FeatureCollection (400), and fails a job whose features are broken, with reasons", async () => {
    expect((await post("{not json")).status).toBe(400);
    const notFc = await post(JSON.stringify({ type: "Feature", properties: {}, geometry: null }));
    expect(notFc.status).toBe(400);
    expect(notFc.body.error.message).toMatch(/FeatureCollection/);
    expect((await post("id,title\n1,x\n", { format: "csv" })).status).toBe(400);

    const broken = JSON.stringify({
      type: "FeatureCollection",
      features: [
        { type: "Feature", properties: { code: "350206009058", name: "社区", parentCode: TEST_STREET }, geometry: { type: "Point", coordinates: [118.6, 24.6] } },
        { type: "Feature", properties: { code: "350206009058001", name: "自交", parentCode: "350206009058" }, geometry: { type: "Polygon", coordinates: [[[118, 24], [118.1, 24.1], [118.1, 24], [118, 24.1], [118, 24]]] } },
        { type: "Nonsense" },
      ],
    });
    const job = await importAndWait(broken);
    expect(job.status).toBe("failed");
    expect(job.errors.map((e: any) => e.line)).toEqual([1, 2, 3]);
    expect(job.errors[0].reason).toMatch(/boundary/);
    expect(job.errors[1].reason).toMatch(/self-intersects/);
    expect(job.errors[2].reason).toMatch(/not a GeoJSON Feature/);
  });

  it("imports a file uploaded with a presigned PUT (for files over the body limit)", async () => {
    const text = fc(community("350206009059", [118.62, 24.6], { grids: [1, 1], micro: [2, 1] }));
    const up = await call("POST", "/v1/units/import-uploads", { token: admin, body: { contentType: "application/geo+json", size: Buffer.byteLength(text) } });
    expect(up.status).toBe(201);
    const put = await fetch(up.body.uploadUrl, { method: "PUT", headers: up.body.headers, body: text });
    expect(put.ok).toBe(true);
    const r = await call("POST", "/v1/units/import", { token: admin, body: { uploadKey: up.body.uploadKey, mode: "partial" } });
    expect(r.status).toBe(202);
    const { job } = await waitJob(r.body.jobId);
    expect(job).toMatchObject({ status: "succeeded", input: { format: "geojson", mode: "partial" }, result: { created: 4 } });

    const foreign = await call("POST", "/v1/units/import", { token: admin, body: { uploadKey: "imports/uploads/user-someone-else/x.geojson" } });
    expect(foreign.status).toBe(400);
  });
});

describe("unit import writes (in process, against the stack's table)", () => {
  async function plan(rows: TreeRow[]) {
    useStackEnv();
    const read = await readImportFile("geojson", fc(rows));
    const { rowCodes, parentCodes } = codesToLookUp(read.rows);
    const refs = await lookUpRefs(rowCodes, parentCodes);
    return { plan: planImport(read.rows, { settings: await getSettings(true), existing: refs, scopes: ["/"] }), refs };
  }

  it("a crash halfway, a re-run and two concurrent runs converge: one unit per code, every parent present", async () => {
    const rows = community("350206009063", [118.68, 24.6], { grids: [2, 2], micro: [3, 3] }); // 41 rows
    const first = await plan(rows);
    expect(first.plan.errors).toEqual([]);
    let chunks = 0;
    const crash = writeRows(first.plan.rows, first.refs, {
      now: () => new Date(),
      concurrency: 1,
      chunkRows: 5,
      onChunk: async () => {
        if (++chunks === 3) throw new Error("simulated crash");
      },
    });
    await expect(crash).rejects.toThrow("simulated crash");
    const halfway = await unitsWithPrefix("350206009063");
    expect(halfway.length).toBeGreaterThan(0);
    expect(halfway.length).toBeLessThan(rows.length);

    // two runs of the same file at once, each planned from what it saw
    const [a, b] = await Promise.all([plan(rows), plan(rows)]);
    const [ra, rb] = await Promise.all([
      writeRows(a.plan.rows, a.refs, { now: () => new Date(), concurrency: 4, chunkRows: 4 }),
      writeRows(b.plan.rows, b.refs, { now: () => new Date(), concurrency: 4, chunkRows: 4 }),
    ]);
    expect([...ra.errors, ...rb.errors]).toEqual([]);
    expect(ra.created + rb.created).toBe(rows.length - halfway.length);

    const units = await unitsWithPrefix("350206009063");
    expect(units.map((u) => u.code).sort()).toEqual(rows.map((r) => r.code).sort());
    const ids = new Set(units.map((u) => u.id));
    const test = (await unitsWithPrefix(TEST_STREET)).find((u) => u.code === TEST_STREET);
    for (const u of units) {
      expect(ids.has(u.parentId) || u.parentId === test.id).toBe(true);
      expect(u.path.endsWith(`/${u.parentId}/${u.id}/`)).toBe(true);
    }
  });
});

describe("unit export", () => {
  it("exports a subtree as GeoJSON that matches the imported file and re-imports with nothing created", async () => {
    const rows = community("350206009060", [118.64, 24.6]);
    await importAndWait(fc(rows));
    const c = (await unitsWithPrefix("350206009060")).find((u) => u.code === "350206009060");
    const out = await exportFile(`format=geojson&subtreeOf=${c.id}`);
    expect(out.status).toBe(200);
    expect(out.type).toMatch(/geo\+json/);
    const doc = JSON.parse(out.text);
    expect(doc.type).toBe("FeatureCollection");
    const exported = doc.features.map((f: any) => ({ ...f.properties, boundary: f.geometry }));
    const parentsFirst = [...rows].sort((a, b) => a.code.length - b.code.length || (a.code < b.code ? -1 : 1));
    expect(exported).toEqual(parentsFirst);

    const again = await importAndWait(out.text);
    expect(again.result).toEqual({ created: 0, updated: 0, unchanged: rows.length, rejected: 0 });
  });

  it("round-trips through CSV (UTF-8 with BOM) into a fresh code range with the same names, levels, types and boundaries", async () => {
    const rows = community("350206009061", [118.66, 24.6], { name: "往返社区" });
    await importAndWait(fc(rows));
    const c = (await unitsWithPrefix("350206009061")).find((u) => u.code === "350206009061");
    const out = await exportFile(`format=csv&subtreeOf=${c.id}`);
    expect(out.status).toBe(200);
    expect([...out.bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(out.text).toContain("往返社区");

    // the same file with every code moved to the fresh community code 350206009062
    // (and 0.1° east: the same boundaries under the same street would overlap their sibling 350206009061)
    const moved = out.text.replaceAll("350206009061", "350206009062").replaceAll("118.66", "118.76");
    const job = await importAndWait(moved, { format: "csv" });
    expect(job.result).toMatchObject({ created: rows.length, rejected: 0 });
    const c2 = (await unitsWithPrefix("350206009062")).find((u) => u.code === "350206009062");
    const back = await exportFile(`format=csv&subtreeOf=${c2.id}`);
    // the same text, up to the last digit of shifted coordinates (118.76148364163297 reads back as …296)
    const digits = (t: string) => t.replace(/\d+\.\d{10,}/g, (n) => Number(n).toFixed(10));
    expect(digits(back.text)).toBe(digits(moved));

    const same = await importAndWait(out.text, { format: "csv" });
    expect(same.result).toMatchObject({ created: 0, unchanged: rows.length });
  });

  it("limits the export to the caller's scope", async () => {
    const worker = await tokenFor("worker2");
    const own = await exportFile("format=csv", worker);
    expect(own.status).toBe(200);
    const codes = parseCsv(own.text).slice(1).map((r) => r.fields[0]);
    expect(codes.length).toBeGreaterThan(0);
    expect(codes.every((code) => code.startsWith("350206002001001"))).toBe(true);
    const street = await exportFile(`format=csv&subtreeOf=${streetId}`, worker);
    // another street is not among worker2's units nor their ancestors: it does not exist for them
    expect(street.status).toBe(404);
    // worker2's own street is visible to them (an ancestor) but its subtree is outside their scope
    const ownStreetId = (await call("GET", "/v1/units?q=350206002&limit=5", { token: admin })).body.items.find((u: any) => u.code === "350206002").id;
    expect((await exportFile(`format=csv&subtreeOf=${ownStreetId}`, worker)).status).toBe(403);
  });
});
