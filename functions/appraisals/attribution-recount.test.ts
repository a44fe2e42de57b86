import { describe, it, expect, beforeAll } from "vitest";
import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import { call, advanceClock, runJob, queuesIdle } from "../../test/client.ts";
import { tokenFor } from "../../test/fixtures.ts";
import { must, report } from "../../test/cases.ts";
import { ownStack } from "../../test/own-stack.ts";
import { db, tableName } from "../../core/db/client.ts";

/**
 * Issue 14, appraisal attribution by stage owner, recounted independently: cases are delayed,
 * left hanging and supervised in every stage (accept, dispatch after a transfer back, handle by two
 * departments around a reassignment, verify after the handling), the monthly run goes over HTTP,
 * and its results are compared with a recount made here from the raw timeline items in the table
 * (Query `CASE#<id>` / `EV#`) — no import of core/aggregate, core/appraisal or core/indicator:
 * the owner of the stage is the case's owner *before* the event, its stage the state before it
 * (reported/accepted/claimable → the centre, dispatched/in_progress → that department, handled → the
 * grid). Own stack: its whole table is this file's cases, so the county root's counters are exactly them.
 */
ownStack({ at: "2026-11-16T01:00:00Z" }); // Monday 09:00 in the county, mid-month: one county month

const PERIOD = "2026-11";
const H = (amount: number) => ({ amount, unit: "calendar_hours" });
const A = "dept-urban"; // dept1
const B = "dept-housing"; // dept2
const ids: string[] = [];
let category: string;
let gridId: string;
let rootId: string;

async function ok(p: Promise<{ status: number; body: any }>, status: number): Promise<any> {
  const r = await p;
  if (r.status !== status) throw new Error(`expected ${status}, got ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body;
}

async function fire(minutes: number) {
  await advanceClock(minutes);
  await runJob("timer-sweep");
  await queuesIdle();
}

async function newCase(): Promise<string> {
  const id = (await report("worker1", { categoryId: category, description: "考评归属复算" })).case.id;
  ids.push(id);
  return id;
}

/** The raw timeline items of a case, straight from the table. */
async function rawTimeline(id: string): Promise<any[]> {
  const out: any[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const r = await db().send(new QueryCommand({ TableName: tableName(), KeyConditionExpression: "pk = :pk AND begins_with(sk, :ev)", ExpressionAttributeValues: { ":pk": `CASE#${id}`, ":ev": "EV#" }, ExclusiveStartKey: start }));
    out.push(...(r.Items ?? []));
    start = r.LastEvaluatedKey;
  } while (start);
  return out.sort((a, b) => a.version - b.version || a.seq - b.seq);
}

type Charge = { who: string; counter: string };

/** Who owned the stage of each overdue and supervision, from the raw timeline alone. */
function charges(events: any[]): Charge[] {
  const out: Charge[] = [];
  let owner: any; // the case's owner before the event being read
  for (const e of events) {
    if (e.type === "overdue" || e.type === "supervised") {
      const stage = ["reported", "accepted", "claimable"].includes(e.from) ? "centre" : ["dispatched", "in_progress"].includes(e.from) ? "handler" : e.from === "handled" ? "grid" : "?";
      const who = stage === "handler" ? (owner.kind === "department" ? `department:${owner.id}` : `unit:${owner.id}`) : stage;
      out.push({ who, counter: e.type === "overdue" ? `overdue_${e.data.stage}` : "supervised" });
    }
    owner = e.owner; // each item carries the case's owner after its decision
  }
  return out;
}

const tally = (list: Charge[], keep: (c: Charge) => boolean) => {
  const t: Record<string, number> = {};
  for (const c of list.filter(keep)) t[c.counter] = (t[c.counter] ?? 0) + 1;
  return t;
};
const charged = (counters: Record<string, number>) => Object.fromEntries(Object.entries(counters).filter(([k]) => k === "supervised" || k.startsWith("overdue_")));

beforeAll(async () => {
  const admin = await tokenFor("admin");
  const deadlines = { accept: H(2), claim: H(2), dispatch: H(2), handle: H(2), verify: H(2), evaluate: H(48) };
  category = (await ok(call("POST", "/v1/categories", { token: admin, body: { code: "ATTR-1", name: "归属复算类", departmentIds: [A, B], claimWindow: true, deadlines } }), 201)).id;
  const me = await ok(call("GET", "/v1/me", { token: await tokenFor("worker1") }), 200);
  gridId = me.assignments[0].unitId;
  rootId = me.assignments[0].unitPath.split("/").filter(Boolean)[0];
}, 120_000);

describe("appraisal attribution recounted from the raw timelines", () => {
  it("charges every delay and supervision to the owner of its stage: centre, department or grid", async () => {
    // t0: one case per stage and owner
    const waiting = await newCase(); // accept stage: the centre
    const recalled = await newCase(); // claimed by A, sent back: dispatch stage, the centre (not A)
    await must("center", recalled, "accept");
    await must("dept1", recalled, "claim");
    await must("dept1", recalled, "transfer", { reason: "不属于本局" });
    const handling = await newCase(); // handle stage: A, then B after a reassignment, then the grid verifies late
    await must("center", handling, "accept");
    await must("center", handling, "dispatch", { to: { kind: "department", id: A }, reason: "派城管" });
    const handled = await newCase(); // A handled on time: the verification delay is the grid's, not A's
    await must("center", handled, "accept");
    await must("dept1", handled, "claim");
    await must("dept1", handled, "handle", { note: "已处理" });
    const supervisedB = await newCase(); // supervised by the office while B handles it
    await must("center", supervisedB, "accept");
    await must("dept2", supervisedB, "claim");
    await must("supervisor", supervisedB, "supervise", { reason: "群众反映强烈" });
    const supervisedGrid = await newCase(); // supervised while the grid verifies, after A handled it
    await must("center", supervisedGrid, "accept");
    await must("dept1", supervisedGrid, "claim");
    await must("dept1", supervisedGrid, "handle", { note: "已处理" });
    await must("supervisor", supervisedGrid, "supervise", { reason: "核查拖延" });
    const supervisedCentre = await newCase(); // supervised while still with the centre
    await must("supervisor", supervisedCentre, "supervise", { reason: "受理拖延" });

    await fire(3 * 60); // every stage deadline (2 h) passed: overdue
    await fire(26 * 60); // left hanging: supervised (or reminded, when already supervised)
    // the centre takes the handling case from A and gives it to B (改派): B's own handle deadline, then its delay
    await must("center", handling, "dispatch", { to: { kind: "department", id: B }, reason: "改派住建" });
    await fire(3 * 60);
    await must("dept2", handling, "handle", { note: "迟到的处理" });
    await fire(3 * 60); // the grid's verification is late

    // the month's run over HTTP
    const admin = await tokenFor("admin");
    const run = await ok(call("POST", "/v1/appraisals/run", { token: admin, body: { period: PERIOD } }), 202);
    let status: any;
    for (let i = 0; i < 200; i++) {
      await queuesIdle();
      status = await ok(call("GET", `/v1/appraisals/${PERIOD}/run`, { token: admin }), 200);
      if (status.status === "done") break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(status).toMatchObject({ runId: run.runId, status: "done" });

    // the recount, from the table's raw timeline items
    const all = (await Promise.all(ids.map(rawTimeline))).flatMap(charges);
    expect(all.filter((c) => c.who === "?")).toEqual([]);
    const result = async (subject: string, id: string) => charged((await ok(call("GET", `/v1/appraisals/${subject}/${id}/${PERIOD}`, { token: admin }), 200)).inputs.counters);

    // each owner was charged something, in the stages it owns (the comparison below is not vacuous)
    expect(tally(all, (c) => c.who === "centre")).toEqual({ overdue_accept: 2, overdue_dispatch: 1, supervised: 3 });
    expect(tally(all, (c) => c.who === `department:${A}`)).toEqual({ overdue_handle: 1, supervised: 1 });
    expect(tally(all, (c) => c.who === `department:${B}`)).toEqual({ overdue_handle: 2, supervised: 1 });
    expect(tally(all, (c) => c.who === "grid")).toEqual({ overdue_verify: 3, supervised: 2 });

    // departments: exactly the delays and supervisions of the handle stages they owned
    expect(await result("department", A)).toEqual(tally(all, (c) => c.who === `department:${A}`));
    expect(await result("department", B)).toEqual(tally(all, (c) => c.who === `department:${B}`));
    // units: the centre's and the grid's stages count on the case's path (its grid and the county root); the
    // department's stages too, as the place where they happened
    const everything = tally(all, () => true);
    expect(await result("unit", gridId)).toEqual(everything);
    expect(await result("unit", rootId)).toEqual(everything);
  }, 240_000);
});
