import { describe, it, expect, beforeAll } from "vitest";
import { apiUrl, call, login, queuesIdle, runJob } from "../../test/client.ts";
import { adminToken, forgetTokens, tokenFor, DEMO_PASSWORD } from "../../test/fixtures.ts";
import { must, report } from "../../test/cases.ts";
import { previousPeriod } from "../../core/appraisal/period.ts";

/**
 * A month of cases through the real HTTP pipeline, in a department, a grid and a grid worker this
 * file creates (the stack is shared: nobody else touches them), then the monthly run over HTTP,
 * compared with a recomputation from the cases' timelines written here, independently of
 * core/aggregate and core/indicator.
 */

const tag = Date.now().toString(36).toUpperCase().slice(-5);
const TZ_MS = 8 * 3600_000; // the demo county is Asia/Shanghai
const monthOf = (at: string) => new Date(Date.parse(at) + TZ_MS).toISOString().slice(0, 7);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const PUBLIC = new Set(["resident", "hotline", "partner", "police"]);
const H = (amount: number) => ({ amount, unit: "calendar_hours" });

let admin: string;
let dept: { id: string; code: string };
let grid: { id: string; path: string; code: string };
let staff: string; // username of the department's staff
let worker: { id: string; username: string };
let category: string;
let disputes: string;
const caseIds: string[] = [];

async function ok<T = any>(r: Promise<{ status: number; body: any }>, status = 201): Promise<T> {
  const res = await r;
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Run a month over HTTP and wait for its run to finish. */
async function runMonth(period: string): Promise<any> {
  let started: any;
  for (let i = 0; i < 60 && !started; i++) {
    const r = await call("POST", "/v1/appraisals/run", { token: admin, body: { period } });
    if (r.status === 202) started = r.body;
    else if (r.status === 409 && /running/.test(r.body.error.message)) await sleep(500);
    else throw new Error(`run ${period}: ${r.status} ${JSON.stringify(r.body)}`);
  }
  for (let i = 0; i < 240; i++) {
    // a wait, not an assertion: other files' work may keep the queues busy past its timeout; the run's status below decides
    await queuesIdle().catch(() => undefined);
    const s = await call("GET", `/v1/appraisals/${period}/run`, { token: admin });
    if (s.body.runId !== started.runId) throw new Error(`run of ${period} replaced by another`);
    if (s.body.status === "done") return s.body;
    await sleep(250);
  }
  throw new Error(`run of ${period} did not finish`);
}

const get = async (subject: string, id: string, period: string) => ok(call("GET", `/v1/appraisals/${subject}/${id}/${period}`, { token: admin }), 200);

async function photo(username: string): Promise<string> {
  const up = await ok(call("POST", "/v1/uploads", { token: await tokenFor(username), body: { contentType: "image/jpeg", size: 4, tag: "after" } }));
  const put = await fetch(up.uploadUrl, { method: "PUT", headers: up.headers, body: new Uint8Array([1, 2, 3, 4]) });
  if (!put.ok) throw new Error("upload failed");
  return up.key;
}

async function reportHere(by: string, body: Record<string, unknown> = {}): Promise<string> {
  const r = await report(by, { categoryId: category, unitId: grid.id, description: "考评测试事件", ...body });
  caseIds.push(r.case.id);
  return r.case.id;
}

beforeAll(async () => {
  admin = await adminToken();
  // the month starts on a working day: supervision reminders wait for the next working moment (core/case/decide.ts),
  // so a start on a weekend or holiday would leave the late case unsupervised inside the ~31 h this file moves the clock.
  // The clock goes (forward) to the next Wednesday 08:30 county time (the start of the working day) whose Wednesday and
  // Thursday are no holidays, in a month with room for those ~31 h: near a month end, look from the 2nd of the next month.
  // The late case then goes overdue about 11:30 and its supervision falls due Thursday about 11:30, in working time
  // (not in the 12:00–13:30 break), before the sweep 25 h after the overdue one
  const now = new Date((await call("GET", "/_local/clock")).body.now);
  const local = new Date(now.getTime() + TZ_MS);
  const cal = await ok<any>(call("GET", "/v1/calendar", { token: admin }), 200);
  const off = new Set<string>(cal.holidays);
  const dayOf = (t: number) => new Date(t).toISOString().slice(0, 10);
  let start = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() + 1, 8, 30); // county-local, as UTC fields
  for (;;) {
    const d = new Date(start);
    const days = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
    if (d.getUTCDate() > days - 3) start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 2, 8, 30);
    else if (d.getUTCDay() === 3 && !off.has(dayOf(start)) && !off.has(dayOf(start + 86_400_000))) break;
    else start += 86_400_000;
  }
  await ok(call("POST", "/_local/clock", { body: { set: new Date(start - TZ_MS).toISOString() } }), 200);
  // every cached token expired with the jump: log in afresh, so that `admin` is the one renewed when the clock moves again
  forgetTokens();
  admin = await adminToken();

  const me = await call("GET", "/v1/me", { token: await tokenFor("worker1") });
  const demoGrid = (await call("GET", `/v1/units/${me.body.assignments[0].unitId}`, { token: admin })).body;
  const community = (await call("GET", `/v1/units/${demoGrid.parentId}`, { token: admin })).body;
  const rootId = community.path.split("/").filter(Boolean)[0];
  // a grid of its own, far from the demo county, so no other test reports in it; under a community of its
  // own that is not drawn (a drawn parent must contain its children's boundaries: functions/units/boundaries.test.ts)
  // codes no other test or the seed uses (community 5xx of the demo street); one stack per test run, so always new (201)
  const own = await ok<any>(call("POST", "/v1/units", { token: admin, body: { parentId: community.parentId, name: `考评测试社区${tag}`, code: `${community.code.slice(0, -3)}500` } }));
  const [x, y] = [100 + Math.random() * 10, 30 + Math.random() * 5];
  grid = await ok<any>(
    call("POST", "/v1/units", {
      token: admin,
      body: {
        parentId: own.id,
        name: `考评测试网格${tag}`,
        code: `${own.code}001`,
        type: "residential",
        boundary: { type: "Polygon", coordinates: [[[x, y], [x + 0.002, y], [x + 0.002, y + 0.002], [x, y + 0.002], [x, y]]] },
      },
    }),
  );
  dept = await ok(call("POST", "/v1/departments", { token: admin, body: { name: `考评测试局${tag}`, code: `APR-${tag}`, contact: { name: "测试" } } }));
  const deadlines = { accept: H(2), claim: H(2), dispatch: H(2), handle: H(2), verify: H(2), evaluate: H(48) };
  category = (await ok<any>(call("POST", "/v1/categories", { token: admin, body: { code: `APR-${tag}`, name: `考评测试类${tag}`, departmentIds: [dept.id], claimWindow: true, deadlines } }))).id;
  disputes = (await ok<any>(call("POST", "/v1/categories", { token: admin, body: { code: `APRD-${tag}`, name: `考评纠纷类${tag}`, isDispute: true, claimWindow: false, departmentIds: [dept.id], deadlines } }))).id;
  staff = `apr-staff-${tag}`.toLowerCase();
  await ok(call("POST", "/v1/users", { token: admin, body: { username: staff, displayName: "考评测试部门人员", password: DEMO_PASSWORD, assignments: [{ role: "department_staff", unitId: rootId, departmentId: dept.id }] } }));
  const w = await ok<any>(call("POST", "/v1/users", { token: admin, body: { username: `apr-gw-${tag}`.toLowerCase(), displayName: "考评测试网格员", password: DEMO_PASSWORD, assignments: [{ role: "grid_worker", unitId: grid.id }] } }));
  worker = { id: w.id, username: w.username };
}, 120_000);

// ------------------------------------------------------------------ the independent recomputation

type Counts = Record<string, number>;
const add = (c: Counts, k: string, by = 1) => (c[k] = (c[k] ?? 0) + by);
const deptOf = (o: any) => (o?.kind === "department" ? o.id : undefined);
const HANDLING = new Set(["dispatched", "in_progress"]); // the states of the handle stage (docs/case-lifecycle.md "Who owns each stage")

/** Counts of one month for the grid, the department and the worker, straight from the timelines. */
function recount(timelines: any[][], period: string) {
  const g: Counts = {};
  const d: Counts = {};
  const w: Counts = {};
  for (const events of timelines) {
    // the department that owns the handle stage, followed through the timeline (claimed, dispatched, returned, transferred to it)
    let assigned: string | undefined;
    for (const e of [...events].sort((a, b) => a.version - b.version || a.seq - b.seq)) {
      const was = assigned;
      if (e.type === "claimed") assigned = e.data?.departmentId;
      if (["dispatched", "returned", "transferred"].includes(e.type)) assigned = deptOf(e.data?.to);
      if (monthOf(e.at) !== period) continue;
      const data = e.data ?? {};
      const handler = deptOf(e.handler ?? e.owner);
      const mine = handler === dept.id;
      const byWorker = e.actor.kind === "user" && e.actor.id === worker.id;
      const fromWorker = e.reporter.kind === "user" && e.reporter.id === worker.id;
      if (e.seq === 0 && e.to === "closed" && e.from !== "closed") {
        const late = e.flags.supervised;
        add(g, "closed");
        add(g, late ? "closedLate" : "closedOnTime");
        if (mine) {
          add(d, "closed");
          add(d, late ? "closedLate" : "closedOnTime");
        }
      }
      switch (e.type) {
        case "reported":
          add(g, "reports");
          if (PUBLIC.has(data.channel)) add(g, "reportsPublic");
          if (fromWorker) add(w, "reports");
          break;
        case "accepted":
          add(g, "registered");
          add(g, "validReports");
          if (fromWorker) add(w, "validReports");
          break;
        case "rejected":
          add(g, "invalid");
          break;
        case "resolved":
          add(g, "resolvedOnSpot");
          if (byWorker) add(w, "resolvedOnSpot");
          if (e.from === "reported") {
            add(g, "validReports");
            if (fromWorker) add(w, "validReports");
          }
          break;
        case "claimed":
          if (data.departmentId === dept.id) {
            add(d, "claims");
            add(d, "claimPoints", data.points);
          }
          break;
        case "dispatched":
          if (data.to?.kind === "department" && data.to.id === dept.id) add(d, "dispatched");
          break;
        case "handled":
        case "mediated": {
          if (e.type === "mediated") add(g, `mediation_${data.level}_${data.outcome}`);
          if (e.type === "mediated" && data.outcome !== "resolved") break;
          const onTime = !e.deadlines.handle || e.at <= e.deadlines.handle;
          add(g, "handled");
          add(g, onTime ? "handledOnTime" : "handledLate");
          if (mine) {
            add(d, "handled");
            add(d, onTime ? "handledOnTime" : "handledLate");
          }
          break;
        }
        case "verified":
        case "verify_failed": {
          const onTime = !e.deadlines.verify || e.at <= e.deadlines.verify;
          const name = e.type === "verified" ? "verified" : "verifyFailed";
          for (const c of byWorker ? [g, w] : [g]) {
            add(c, name);
            add(c, `${name}${onTime ? "OnTime" : "Late"}`);
          }
          break;
        }
        case "evaluated":
          add(g, `eval_${data.level}`);
          if (mine) add(d, `eval_${data.level}`);
          if (fromWorker) {
            add(w, `eval_${data.level}`);
            add(w, "reportChecks");
            if (byWorker) add(w, "reportChecksOnTime");
          }
          break;
        case "returned":
          add(g, "rework");
          if (deptOf(data.to) === dept.id) add(d, "rework");
          break;
        // a delay or a supervision counts against the owner of the stage at the time (docs/appraisal.md): the
        // department only in the handle stage (states dispatched, in_progress) it was assigned; the center for
        // accept/dispatch and the grid for verify are unit counters only
        case "supervised":
          add(g, "supervised");
          if (HANDLING.has(e.from) && was === dept.id) add(d, "supervised");
          break;
        case "overdue":
          add(g, `overdue_${data.stage}`);
          if (data.stage === "handle" && was === dept.id) add(d, `overdue_${data.stage}`);
          break;
      }
    }
  }
  return { g, d, w };
}

const n = (c: Counts, k: string) => c[k] ?? 0;
const rate = (num: number, den: number) => (den > 0 ? Math.round(Math.min(100, Math.max(0, (100 * num) / den)) * 100) / 100 : null);
const weightedScore = (parts: [number | null, number][]) => {
  const used = parts.filter(([v, wt]) => v !== null && wt > 0);
  const basis = used.reduce((s, [, wt]) => s + wt, 0);
  return basis ? used.reduce((s, [v, wt]) => s + v! * wt, 0) / basis : null;
};

// ------------------------------------------------------------------ the month

describe("monthly appraisal over the real pipeline", () => {
  let timelines: any[][];
  let periods: string[];

  it("generates a month of cases: on time, reworked, late, on the spot, invalid, a dispute, a public report", async () => {
    const W = worker.username;
    const started: string = (await call("GET", "/_local/clock")).body.now;
    // three claimed and closed on time
    for (const level of ["very_satisfied", "satisfied", "average"]) {
      const id = await reportHere(W);
      await must("center", id, "accept");
      await must(staff, id, "claim");
      await must(staff, id, "handle", { note: "已处理" });
      await must(W, id, "verify", { pass: true });
      await must(W, id, "evaluate", { level });
    }
    // rework after a poor evaluation (the center evaluates the redo on the worker's behalf)
    const poor = await reportHere(W);
    await must("center", poor, "accept");
    await must(staff, poor, "claim");
    await must(staff, poor, "handle", { note: "已处理" });
    await must(W, poor, "verify", { pass: true });
    await must(W, poor, "evaluate", { level: "dissatisfied" });
    await must(staff, poor, "handle", { note: "返工完成" });
    await must(W, poor, "verify", { pass: true });
    await must("center", poor, "evaluate", { level: "satisfied" });
    // rework after a failed verification, closed by the center without evaluation
    const failed = await reportHere(W);
    await must("center", failed, "accept");
    await must(staff, failed, "claim");
    await must(staff, failed, "handle", { note: "已处理" });
    await must(W, failed, "verify", { pass: false, note: "未清理干净" });
    await must(staff, failed, "handle", { note: "再次处理" });
    await must(W, failed, "verify", { pass: true });
    await must("center", failed, "close");
    // resolved on the spot
    const spot = await reportHere(W);
    await must(W, spot, "resolve", { note: "已当场处理", attachments: [{ key: await photo(W) }] });
    // invalid
    await must("center", await reportHere(W), "reject", { reason: "不属实" });
    // a public report (hotline) in the grid: a missed report of the worker
    await must("center", await reportHere("center", { channel: "hotline" }), "reject", { reason: "重复" });
    // a dispute mediated in the grid
    const dispute = await reportHere(W, { categoryId: disputes, description: "邻里纠纷" });
    await must("center", dispute, "accept");
    await must(W, dispute, "mediate", { outcome: "failed", note: "未达成一致" });
    await must(W, dispute, "mediate", { outcome: "resolved", note: "已调解" });
    await must(W, dispute, "verify", { pass: true });
    await must(W, dispute, "evaluate", { level: "satisfied" });

    // late: handle deadline passes (overdue), left hanging a day (supervised), verified late
    const late = await reportHere(W);
    await must("center", late, "accept");
    await must(staff, late, "claim");
    await call("POST", "/_local/clock", { body: { advanceMinutes: 3 * 60 } });
    await runJob("timer-sweep");
    await queuesIdle();
    await call("POST", "/_local/clock", { body: { advanceMinutes: 25 * 60 } });
    await runJob("timer-sweep");
    await queuesIdle();
    await must(staff, late, "handle", { note: "迟到的处理" });
    await call("POST", "/_local/clock", { body: { advanceMinutes: 3 * 60 } });
    await runJob("timer-sweep");
    await queuesIdle();
    await must(W, late, "verify", { pass: true });
    await must(W, late, "evaluate", { level: "satisfied" });
    await queuesIdle();

    // the raw cases: listed by category (closed and rejected cases by county month of closing), then read with their timelines
    const ended: string = (await call("GET", "/_local/clock")).body.now;
    const countyMonths = new Set([monthOf(started), monthOf(ended)]);
    const listed = new Set<string>();
    for (const cat of [category, disputes]) {
      for (const m of countyMonths) {
        let cursor: string | null = null;
        do {
          const page: any = await ok(call("GET", `/v1/cases?categoryId=${cat}&closedMonth=${m}&limit=200${cursor ? `&cursor=${cursor}` : ""}`, { token: admin }), 200);
          for (const v of page.items) listed.add(v.case.id);
          cursor = page.nextCursor;
        } while (cursor);
      }
    }
    expect([...listed].sort()).toEqual([...caseIds].sort());
    timelines = await Promise.all([...listed].map(async (id) => (await ok<any>(call("GET", `/v1/cases/${id}`, { token: admin }), 200)).timeline));
    expect(timelines.flat().filter((e) => e.type === "overdue").length).toBeGreaterThanOrEqual(2);
    expect(timelines.flat().some((e) => e.type === "supervised")).toBe(true);
    periods = [...new Set(timelines.flat().map((e) => monthOf(e.at)))].sort();
  }, 240_000);

  it("matches a recomputation from the cases for the department, the worker and the grid", async () => {
    for (const period of periods) {
      const run = await runMonth(period);
      expect(run).toMatchObject({ status: "done", locked: false });
      expect(run.done).toBe(run.total);
      const { g, d, w } = recount(timelines, period);

      // department
      const da = await get("department", dept.id, period);
      const toHandle = n(d, "handled") + Math.max(0, n(d, "overdue_handle") - n(d, "handledLate"));
      const evals = ["very_satisfied", "satisfied", "average", "dissatisfied", "very_dissatisfied"].reduce((s, l) => s + n(d, `eval_${l}`), 0);
      expect(da.indicators).toMatchObject({
        assigned: n(d, "dispatched") + n(d, "claims"),
        claims: n(d, "claims"),
        claimPoints: n(d, "claimPoints"),
        handled: n(d, "handled"),
        toHandle,
        onTimeHandleRate: rate(n(d, "handledOnTime"), toHandle),
        dueToClose: toHandle,
        closed: n(d, "closed"),
        closeRate: rate(n(d, "closed"), toHandle),
        onTimeCloseRate: rate(n(d, "closedOnTime"), toHandle),
        rework: n(d, "rework"),
        reworkRate: rate(n(d, "rework"), toHandle),
        supervised: n(d, "supervised"),
        satisfactionRate: rate(n(d, "eval_very_satisfied") + n(d, "eval_satisfied"), evals),
      });
      const rd = da.rules.department;
      const volume = toHandle > 0 ? Math.min(100, (100 * (n(d, "dispatched") + n(d, "claims"))) / rd.volumeFullAt) : null;
      const base = toHandle > 0 ? weightedScore([[volume, rd.weights.volume], [rate(n(d, "closed"), toHandle), rd.weights.closeRate], [rate(n(d, "handledOnTime"), toHandle), rd.weights.onTimeHandleRate], [100 - rate(n(d, "rework"), toHandle)!, rd.weights.reworkComplement]]) : null;
      const expected = base === null ? null : Math.min(100, Math.max(0, base + Math.min(rd.claimBonusMax, n(d, "claimPoints") * rd.claimPointValue) - Math.min(rd.supervisionPenaltyMax, n(d, "supervised") * rd.supervisionPenalty)));
      if (expected === null) expect(da.score).toBeNull();
      else expect(da.score).toBeCloseTo(expected, 1);
      expect(da.inputs.counters).toMatchObject(d);
      // delays and supervision charged to the department exactly as recounted (none it did not own the stage for)
      const charged = (c: Counts) => Object.fromEntries(Object.entries(c).filter(([k, v]) => (k === "supervised" || k.startsWith("overdue_")) && v !== 0));
      expect(charged(da.inputs.counters)).toEqual(charged(d));

      // worker
      const wa = await get("worker", worker.id, period);
      const checks = n(w, "verified") + n(w, "verifyFailed");
      const missed = rate(n(g, "reportsPublic"), n(g, "reports"));
      const exp = {
        reports: n(w, "reports"),
        validReports: n(w, "validReports"),
        validReportRate: rate(n(w, "validReports"), n(w, "reports")),
        resolvedOnSpot: n(w, "resolvedOnSpot"),
        checks,
        onTimeVerifyRate: rate(n(w, "verifiedOnTime") + n(w, "verifyFailedOnTime"), checks),
        reportChecks: n(w, "reportChecks"),
        onTimeCheckRate: rate(n(w, "reportChecksOnTime"), n(w, "reportChecks")),
        gridReports: n(g, "reports"),
        gridReportsPublic: n(g, "reportsPublic"),
        missedReportScore: missed === null ? null : Math.round((100 - missed) * 100) / 100,
      };
      expect(wa.indicators).toMatchObject(exp);
      const rw = wa.rules.worker.weights;
      const ws = weightedScore([[exp.validReportRate, rw.validReportRate], [exp.missedReportScore, rw.missedReportScore], [exp.onTimeVerifyRate, rw.onTimeVerifyRate], [exp.onTimeCheckRate, rw.onTimeCheckRate]]);
      if (ws === null) expect(wa.score).toBeNull();
      else expect(wa.score).toBeCloseTo(ws, 1);
      const rp = wa.rules.points;
      expect(wa.points.points).toBeCloseTo(
        n(w, "validReports") * rp.validReport + n(w, "resolvedOnSpot") * rp.resolvedOnSpot + (n(w, "verifiedOnTime") + n(w, "verifyFailedOnTime")) * rp.onTimeVerification + (n(w, "eval_very_satisfied") + n(w, "eval_satisfied")) * rp.satisfied,
        2,
      );

      // grid
      const ga = await get("unit", grid.id, period);
      const gToHandle = n(g, "handled") + Math.max(0, n(g, "overdue_handle") - n(g, "handledLate"));
      const due = gToHandle + n(g, "resolvedOnSpot");
      const gEvals = ["very_satisfied", "satisfied", "average", "dissatisfied", "very_dissatisfied"].reduce((s, l) => s + n(g, `eval_${l}`), 0);
      const resolved = ["grid", "village_group", "community", "township_center", "county_center"].reduce((s, l) => s + n(g, `mediation_${l}_resolved`), 0);
      const gi = {
        reports: n(g, "reports"),
        reportsPublic: n(g, "reportsPublic"),
        validReports: n(g, "validReports"),
        validReportRate: rate(n(g, "validReports"), n(g, "reports")),
        registered: n(g, "registered"),
        invalid: n(g, "invalid"),
        handled: n(g, "handled"),
        dueToClose: due,
        closed: n(g, "closed"),
        closeRate: rate(n(g, "closed"), due),
        onTimeCloseRate: rate(n(g, "closedOnTime"), due),
        reworkRate: rate(n(g, "rework"), due),
        satisfactionRate: rate(n(g, "eval_very_satisfied") + n(g, "eval_satisfied"), gEvals),
        disputesResolved: resolved,
        inGridShare: rate(n(g, "mediation_grid_resolved"), resolved),
      };
      expect(ga.indicators).toMatchObject(gi);
      const lowerBetter = new Set(["reworkRate", "missedReportRate", "invalid", "supervised", "rework"]);
      const fc = ga.rules.fiveColor;
      // the run's rule may also name a county indicator another test added (test/browser/appraisals.test.ts): this grid has
      // no value for it this month, so it counts as n/a
      const outside = fc.indicators.map((r: any) => r.key).filter((k: string) => !(k in gi));
      expect(outside.map((k: string) => [k, ga.indicators[k] ?? null])).toEqual(outside.map((k: string) => [k, null]));
      const value = (k: string) => (k in gi ? gi[k as keyof typeof gi] : null) as number | null;
      const gs = weightedScore(fc.indicators.map((r: any) => [value(r.key) === null ? null : lowerBetter.has(r.key) ? 100 - value(r.key)! : value(r.key), r.weight]));
      expect(gs).not.toBeNull();
      expect(ga.score).toBeCloseTo(gs!, 1);
      const band = [...fc.bands].reverse().find((b: any) => ga.score >= b.min);
      expect(ga.band).toMatchObject({ color: band.color, label: band.label });
      expect(ga.breakdown.lines.length).toBe(fc.indicators.length);
    }
    // the month had work in it: the comparison above was not vacuous
    const all = periods.map((p) => recount(timelines, p));
    expect(all.reduce((s, x) => s + n(x.d, "handled"), 0)).toBeGreaterThanOrEqual(8);
    expect(all.reduce((s, x) => s + n(x.d, "rework"), 0)).toBe(2);
    expect(all.reduce((s, x) => s + n(x.d, "handledLate"), 0)).toBeGreaterThanOrEqual(1);
    expect(all.reduce((s, x) => s + n(x.w, "verifiedLate"), 0)).toBeGreaterThanOrEqual(1);
    expect(all.reduce((s, x) => s + n(x.d, "closedLate"), 0)).toBeGreaterThanOrEqual(1);
    // the late case: overdue in handling and supervised while the department owned it, overdue in verification at the grid
    expect(all.reduce((s, x) => s + n(x.d, "overdue_handle"), 0)).toBe(1);
    expect(all.reduce((s, x) => s + n(x.d, "supervised"), 0)).toBe(1);
    expect(all.reduce((s, x) => s + n(x.g, "overdue_verify"), 0)).toBe(1);
    expect(all.reduce((s, x) => s + n(x.d, "overdue_verify"), 0)).toBe(0);
  }, 240_000);

  it("reproduces the month exactly when it is run again", async () => {
    const period = periods.at(-1)!;
    const strip = (a: any) => {
      const { runId, computedAt, rank, ...rest } = a;
      return rest;
    };
    const before = await Promise.all([get("department", dept.id, period), get("worker", worker.id, period), get("unit", grid.id, period)]);
    const points = (await ok<any>(call("GET", `/v1/points/${worker.id}`, { token: admin }), 200)).balance;
    const run = await runMonth(period);
    expect(run.runs).toBeGreaterThanOrEqual(2);
    const after = await Promise.all([get("department", dept.id, period), get("worker", worker.id, period), get("unit", grid.id, period)]);
    expect(after.map(strip)).toEqual(before.map(strip));
    expect(after[0].runId).toBe(run.runId);
    expect((await ok<any>(call("GET", `/v1/points/${worker.id}`, { token: admin }), 200)).balance).toBe(points);
  }, 120_000);

  it("lists a month by score, best first, across pages, and within a unit's subtree", async () => {
    const period = periods.at(-1)!;
    const scores: (number | null)[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: any = await ok(call("GET", `/v1/appraisals?period=${period}&subject=department&sort=score&limit=3${cursor ? `&cursor=${cursor}` : ""}`, { token: admin }), 200);
      scores.push(...page.items.map((i: any) => i.score));
      expect(page.items.every((i: any) => i.breakdown === undefined && i.inputs === undefined)).toBe(true);
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBeGreaterThan(1);
    const rated = scores.filter((s) => s !== null) as number[];
    expect(rated).toEqual([...rated].sort((a, b) => b - a));
    expect(scores.slice(rated.length).every((s) => s === null)).toBe(true);
    const worst = await ok<any>(call("GET", `/v1/appraisals?period=${period}&subject=department&sort=-score&limit=200`, { token: admin }), 200);
    expect(worst.items.map((i: any) => i.score)).toEqual([...rated].sort((a, b) => a - b));

    const community = grid.path.split("/").filter(Boolean).at(-2);
    const units = await ok<any>(call("GET", `/v1/appraisals?period=${period}&subject=unit&unit=${community}&limit=200`, { token: admin }), 200);
    expect(units.items.some((u: any) => u.id === grid.id)).toBe(true);
    const communityPath = grid.path.split("/").slice(0, -2).join("/") + "/";
    expect(units.items.every((u: any) => u.unitPath.startsWith(communityPath))).toBe(true);
    const d = (await ok<any>(call("GET", `/v1/appraisals?period=${period}&subject=department&limit=200`, { token: admin }), 200)).items.find((x: any) => x.id === dept.id);
    expect(d.rank).toBeGreaterThanOrEqual(1);
  }, 60_000);

  it("exports the month as CSV with a UTF-8 byte-order mark", async () => {
    const period = periods.at(-1)!;
    const r = await fetch(`${apiUrl()}/v1/appraisals/${period}/export.csv`, { headers: { authorization: `Bearer ${await login("admin", DEMO_PASSWORD)}` } }); // a fresh token: the clock moved
    if (r.status !== 200) throw new Error(`${r.status} ${await r.text()}`);
    expect(r.headers.get("content-type")).toMatch(/text\/csv/);
    const bytes = new Uint8Array(await r.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes.slice(3));
    const [header, ...rows] = text.trim().split("\r\n");
    expect(header.split(",").slice(0, 4)).toEqual(["subject", "id", "code", "name"]);
    expect(rows.some((l) => l.startsWith(`department,${dept.id},`))).toBe(true);
    expect(rows.some((l) => l.startsWith(`unit,${grid.id},`) && l.includes("考评测试网格"))).toBe(true);
  }, 60_000);

  it("keeps the worker's points: quarterly totals, redemptions that never go below zero", async () => {
    const W = await tokenFor(worker.username);
    const mine = await ok<any>(call("GET", `/v1/points/${worker.id}`, { token: W }), 200);
    expect(mine.balance).toBeGreaterThan(0);
    const earns = mine.entries.filter((e: any) => e.kind === "earn");
    expect(earns.length).toBeGreaterThanOrEqual(1);
    expect(earns.every((e: any) => periods.includes(e.period))).toBe(true);
    expect(mine.quarters.reduce((s: number, q: any) => s + q.earned, 0)).toBeCloseTo(mine.earned, 2);
    expect((await call("GET", `/v1/points/${worker.id}`, { token: await tokenFor("worker2") })).status).toBe(404);

    const tooMuch = await call("POST", `/v1/points/${worker.id}/redeem`, { token: admin, body: { points: Math.floor(mine.balance) + 1, item: "洗衣液" } });
    expect(tooMuch.status).toBe(409);
    // concurrent redemptions of 1 point each: exactly floor(balance) succeed, the balance never goes below 0
    const tries = Math.floor(mine.balance) + 3;
    const results = await Promise.all(Array.from({ length: tries }, () => call("POST", `/v1/points/${worker.id}/redeem`, { token: admin, body: { points: 1, item: "毛巾" } })));
    expect(results.filter((r) => r.status === 201).length).toBe(Math.floor(mine.balance));
    expect(results.filter((r) => r.status !== 201).every((r) => r.status === 409)).toBe(true);
    const after = await ok<any>(call("GET", `/v1/points/${worker.id}`, { token: admin }), 200);
    expect(after.balance).toBeGreaterThanOrEqual(0);
    expect(after.balance).toBeCloseTo(mine.balance - Math.floor(mine.balance), 2);
    expect(after.redeemed).toBe(Math.floor(mine.balance));
    expect((await call("POST", `/v1/points/${worker.id}/redeem`, { token: W, body: { points: 1, item: "x" } })).status).toBe(403);
  }, 60_000);

  it("explains a grid's color: indicators with formula, weight, range, sub-score and points lost, the bands used, the change against last month", async () => {
    const period = periods[0];
    const before = previousPeriod(period);
    await runMonth(before);
    const x = await ok<any>(call("GET", `/v1/appraisals/unit/${grid.id}/${period}/explain`, { token: admin }), 200);
    const stored = await get("unit", grid.id, period);
    expect(x.result.score).toBe(stored.score);
    expect(x.result.pathName).toMatch(new RegExp(` › 考评测试网格${tag}$`));
    expect(x.rulesVersion).toBe(stored.rules.version);
    expect(x.lines.map((l: any) => l.key)).toEqual(stored.rules.fiveColor.indicators.map((i: any) => i.key));
    const close = x.lines.find((l: any) => l.key === "onTimeCloseRate");
    expect(close).toMatchObject({ name: "按期结案率", unit: "%", formula: "closedOnTime / dueToClose", range: [0, 100] });
    const counted = x.lines.filter((l: any) => l.subScore !== null);
    expect(counted.length).toBeGreaterThan(0);
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    expect(sum(counted.map((l: any) => l.contribution))).toBeCloseTo(stored.score, 1);
    expect(sum(counted.map((l: any) => l.lost))).toBeCloseTo(100 - stored.score, 1);
    expect(sum(counted.map((l: any) => l.share))).toBeCloseTo(1, 3);
    expect(x.bands.map((b: any) => [b.min, b.max, b.color])).toEqual(stored.rules.fiveColor.bands.map((b: any, i: number, all: any[]) => [b.min, all[i + 1]?.min ?? 100, b.color]));
    expect(x.bands.filter((b: any) => b.current).map((b: any) => b.color)).toEqual([stored.band.color]);
    const next = stored.rules.fiveColor.bands[stored.band.rank];
    expect(x.nextBand).toEqual(next ? { color: next.color, label: next.label, name: next.name, min: next.min, gap: Math.round((next.min - stored.score) * 100) / 100 } : null);
    // last month: nothing happened in this grid, so every count of this month is its change
    expect(x.previous).toMatchObject({ period: before, score: null });
    const reports = x.indicators.find((i: any) => i.key === "reports");
    expect(reports).toMatchObject({ name: "上报数", value: stored.indicators.reports, previous: 0, delta: stored.indicators.reports });
    expect(stored.indicators.reports).toBeGreaterThan(0);
  }, 120_000);

  it("draws the month's grids on a map with their band and boundary, and names unit paths in lists and exports", async () => {
    const period = periods[0];
    const community = grid.path.split("/").filter(Boolean).at(-2);
    const m = await ok<any>(call("GET", `/v1/appraisals/${period}/map?level=grid&unit=${community}`, { token: admin }), 200);
    const stored = await get("unit", grid.id, period);
    const mine = m.items.find((i: any) => i.id === grid.id);
    expect(mine).toMatchObject({ name: `考评测试网格${tag}`, level: "grid", score: stored.score, band: stored.band, boundary: { type: "Polygon" } });
    expect(m.items.every((i: any) => i.level === "grid")).toBe(true);
    expect(m.bands.map((b: any) => b.color)).toEqual(stored.rules.fiveColor.bands.map((b: any) => b.color));
    const list = await ok<any>(call("GET", `/v1/appraisals?period=${period}&subject=unit&unit=${community}&limit=200`, { token: admin }), 200);
    expect(list.items.find((i: any) => i.id === grid.id).pathName).toBe(mine.pathName);
    expect(mine.pathName.split(" › ")).toHaveLength(3);
    const workers = await ok<any>(call("GET", `/v1/appraisals?period=${period}&subject=worker&unit=${community}&limit=200`, { token: admin }), 200);
    expect(workers.items.find((i: any) => i.id === worker.id).pathName).toBe(mine.pathName);
    expect((await call("GET", `/v1/appraisals/${period}/map?level=grid&unit=${community}`, { token: await tokenFor("worker2") })).status).toBe(403);
    // community staff see their own community's map, not this file's community (a sibling under the same street)
    const c1 = await tokenFor("community1");
    const c1Community = (await ok<any>(call("GET", "/v1/me", { token: c1 }), 200)).assignments[0].unitId;
    expect((await call("GET", `/v1/appraisals/${period}/map?level=grid&unit=${community}`, { token: c1 })).status).toBe(403);
    const theirs = await ok<any>(call("GET", `/v1/appraisals/${period}/map?level=grid&unit=${c1Community}`, { token: c1 }), 200);
    expect(theirs.items.length).toBeGreaterThan(0);
    expect(theirs.items.some((i: any) => i.id === grid.id)).toBe(false);
  }, 60_000);

  it("lists departments with their score broken down by part when asked", async () => {
    const period = periods.at(-1)!;
    const page = await ok<any>(call("GET", `/v1/appraisals?period=${period}&subject=department&sort=score&detail=breakdown&limit=200`, { token: admin }), 200);
    const d = page.items.find((i: any) => i.id === dept.id);
    const stored = await get("department", dept.id, period);
    expect(d.breakdown).toEqual(stored.breakdown);
    expect(d.breakdown.lines.map((l: any) => l.key)).toEqual(["volume", "closeRate", "onTimeHandleRate", "reworkComplement"]);
    expect(d.breakdown.adjustments.map((a: any) => a.key)).toEqual(["claimPoints", "supervised"]);
    expect(d.inputs).toBeUndefined();
  }, 60_000);

  it("refuses appraisal runs and reads to a grid worker", async () => {
    const W = await tokenFor(worker.username);
    expect((await call("POST", "/v1/appraisals/run", { token: W, body: { period: periods[0] } })).status).toBe(403);
    expect((await call("GET", `/v1/appraisals?period=${periods[0]}`, { token: W })).status).toBe(403);
    expect((await call("GET", `/v1/appraisals/unit/${grid.id}/${periods[0]}/explain`, { token: W })).status).toBe(403);
  });
});

describe("locking a month", () => {
  it("rates an empty month n/a, then locks it: runs and external values are refused with 409", async () => {
    const period = "2001-01";
    const run = await runMonth(period);
    expect(run.status).toBe("done");
    const d = await get("department", "dept-urban", period);
    expect(d).toMatchObject({ score: null, grade: null, indicators: { closeRate: null, onTimeHandleRate: null } });
    const u = await get("unit", grid.id, period);
    expect(u).toMatchObject({ score: null, band: null });
    const locked = await ok<any>(call("POST", `/v1/appraisals/${period}/lock`, { token: admin }), 200);
    expect(locked).toMatchObject({ locked: true, lockedBy: { kind: "user" } });
    const again = await call("POST", "/v1/appraisals/run", { token: admin, body: { period } });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toMatch(/locked/);
    expect((await call("POST", `/v1/appraisals/${period}/lock`, { token: admin })).status).toBe(200);
    expect((await call("POST", `/v1/appraisals/2001-02/lock`, { token: admin })).status).toBe(409);
    expect((await call("POST", `/v1/appraisals/${period}/lock`, { token: await tokenFor("center") })).status).toBe(403);
  }, 120_000);

  it("applies a rules change from the next run, never to a locked month", async () => {
    const period = "2001-01"; // locked by the test above
    const before = await get("unit", grid.id, period);
    const current = await ok<any>(call("GET", "/v1/scoring-rules", { token: admin }), 200);
    const { presets: _p, updatedAt: _u, updatedBy: _b, version, ...rules } = current;
    const saved = await ok<any>(call("PUT", "/v1/scoring-rules", { token: admin, body: { ...rules, version, note: "锁定月份不受影响" } }), 200);
    expect(saved.version).toBe(version + 1);
    const rerun = await call("POST", "/v1/appraisals/run", { token: admin, body: { period } });
    expect(rerun.status).toBe(409);
    const after = await get("unit", grid.id, period);
    expect(after.rules.version).toBe(before.rules.version);
    expect(after.runId).toBe(before.runId);
    const x = await ok<any>(call("GET", `/v1/appraisals/unit/${grid.id}/${period}/explain`, { token: admin }), 200);
    expect(x).toMatchObject({ locked: true, rulesVersion: before.rules.version, currentRulesVersion: version + 1 });
    // an unlocked month takes the new rules at its next run
    const open = await runMonth("2001-04");
    expect(open.rulesVersion).toBe(version + 1);
    expect((await get("unit", grid.id, "2001-04")).rules.version).toBe(version + 1);
  }, 120_000);

  it("refuses a month in the future", async () => {
    const r = await call("POST", "/v1/appraisals/run", { token: admin, body: { period: "2999-01" } });
    expect(r.status).toBe(400);
  });

  it("runs the month that just ended on schedule", async () => {
    const out: any = await runJob("appraisal-monthly");
    expect(out.period).toMatch(/^\d{4}-\d{2}$/);
    expect(typeof out.started).toBe("boolean");
    await queuesIdle();
  }, 60_000);
});

describe("scoring rules and external indicators in the five colors", () => {
  it("saves versioned, audited rules, refuses a stale version and invalid bands, and scores with an external indicator", async () => {
    const key = `apr_police_${tag.toLowerCase()}`;
    await ok(call("POST", "/v1/indicator-definitions", { token: admin, body: { key, name: "治安警情", unit: "起", direction: "lower_better", min: 0, max: 20 } }));
    const current = await ok<any>(call("GET", "/v1/scoring-rules", { token: admin }), 200);
    const { presets, updatedAt, updatedBy, version, ...rules } = current;
    const bad = await call("PUT", "/v1/scoring-rules", { token: admin, body: { ...rules, version, fiveColor: { ...rules.fiveColor, bands: [...rules.fiveColor.bands].reverse() } } });
    expect(bad.status).toBe(400);
    const stale = await call("PUT", "/v1/scoring-rules", { token: admin, body: { ...rules, version: version + 7 } });
    expect(stale.status).toBe(409);
    const unknown = await call("PUT", "/v1/scoring-rules", { token: admin, body: { ...rules, version, fiveColor: { ...rules.fiveColor, indicators: [{ key: "no_such_thing", weight: 1 }] } } });
    expect(unknown.status).toBe(400);
    const next = { ...rules, version, note: "加入治安警情", fiveColor: { ...rules.fiveColor, indicators: [...rules.fiveColor.indicators.filter((i: any) => i.key !== key), { key, weight: 20 }] } };
    const saved = await ok<any>(call("PUT", "/v1/scoring-rules", { token: admin, body: next }), 200);
    expect(saved.version).toBe(version + 1);
    const versions = await ok<any>(call("GET", "/v1/scoring-rules/versions?limit=5", { token: admin }), 200);
    expect(versions.items[0]).toMatchObject({ version: version + 1, note: "加入治安警情" });

    const now = (await call("GET", "/_local/clock")).body.now;
    const period = monthOf(now);
    await ok(call("POST", "/v1/indicators", { token: admin, body: { period, unitId: grid.id, values: { [key]: 5 } } }), 200);
    const run = await runMonth(period);
    expect(run.rulesVersion).toBe(version + 1);
    const g = await get("unit", grid.id, period);
    expect(g.indicators[key]).toBe(5);
    expect(g.inputs.external).toEqual({ [key]: 5 });
    expect(g.rules.version).toBe(version + 1);
    expect(g.breakdown.lines.find((l: any) => l.key === key)).toMatchObject({ value: 5, direction: "lower_better", subScore: 75, range: [0, 20] });
  }, 120_000);
});
