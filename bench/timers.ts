import { BatchGetCommand, BatchWriteCommand, GetCommand } from "@aws-sdk/lib-dynamodb";
import { ulid } from "ulid";
import { db, tableName } from "../core/db/client.ts";
import * as keys from "../core/db/keys.ts";
import { item } from "../core/db/items.ts";
import { resetRequestCounts, totalRequests } from "../core/db/metrics.ts";
import { decide } from "../core/case/decide.ts";
import { caseConfig } from "../core/case/config.ts";
import { TIMER_SHARD } from "../core/outbox/shards.ts";
import { outboxRowKey } from "../core/outbox/repo.ts";
import { marksByOutboxRow } from "../core/aggregate/apply.ts";
import type { Case } from "../core/case/schema.ts";
import { countyRootId, getUnit, subtree, unitIdByCode } from "../core/unit/repo.ts";
import { startStack } from "../local/stack.ts";
import { seedDemoCounty } from "../local/demo-county.ts";
import { progress, quantile, round, type BenchResult, type Row } from "./harness.ts";

const TIMERS = Number(process.env.BENCH_TIMERS ?? 10_000);
const LAG_REPORTS = 200;
const LAG_RATE_PER_S = 10;

async function batchWrite(items: Record<string, unknown>[], parallel = 8, tick?: (n: number) => void) {
  const chunks: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) chunks.push(items.slice(i, i + 25));
  let done = 0;
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < chunks.length) {
        let request: Record<string, any> | undefined = { [tableName()]: chunks[next++].map((Item) => ({ PutRequest: { Item } })) };
        while (request && Object.keys(request).length) {
          const out: { UnprocessedItems?: Record<string, any> } = await db().send(new BatchWriteCommand({ RequestItems: request }));
          request = out.UnprocessedItems;
        }
        done += 25;
        tick?.(Math.min(done, items.length));
      }
    }),
  );
}

/**
 * How many of the cases `ids` carry the applied timeout (flag `overdue` set by the accept deadline,
 * core/case/decide.ts), read back after the drain with consistent BatchGets (not counted in the
 * table: the counters were read before). The bench fails when a timer was lost or not applied, so
 * a drain time is only reported for work actually done.
 */
async function countOverdue(ids: string[], tick: (n: number) => void): Promise<number> {
  let overdue = 0;
  let read = 0;
  for (let i = 0; i < ids.length; i += 100) {
    let keysLeft: Record<string, unknown>[] = ids.slice(i, i + 100).map((id) => keys.case(id));
    while (keysLeft.length) {
      const out = await db().send(new BatchGetCommand({ RequestItems: { [tableName()]: { Keys: keysLeft, ConsistentRead: true, ProjectionExpression: "flags" } } }));
      for (const c of out.Responses?.[tableName()] ?? []) {
        read++;
        if ((c as { flags?: { overdue?: boolean } }).flags?.overdue === true) overdue++;
      }
      keysLeft = (out.UnprocessedKeys?.[tableName()]?.Keys as Record<string, unknown>[] | undefined) ?? [];
    }
    tick(read);
  }
  return overdue;
}

/**
 * Issue 5's numbers: sweep + apply 10,000 due timers (time to drain, SQS messages, DynamoDB
 * requests per timer), and aggregate lag — time from a committed report to its monthly counters —
 * at a steady report rate over HTTP.
 */
export async function timersBench(): Promise<BenchResult> {
  const stack = await startStack({ autoSchedule: false });
  try {
    const now = stack.clock.now();
    await seedDemoCounty({ password: "bench-password-123", now });
    const root = (await getUnit((await countyRootId())!))!;
    // spread over every micro-grid of the county, as a real day's deadlines are (their recipients differ)
    const micro = (await subtree(root.path)).filter((u) => u.level === "micro_grid" && u.centroid);
    const configs = new Map<string, Awaited<ReturnType<typeof caseConfig>>>();
    // 10,000 reported cases, each with its accept-deadline timer, written as the repo would
    const items: Record<string, unknown>[] = [];
    const caseIds: string[] = [];
    for (let i = 0; i < TIMERS; i++) {
      const unit = micro[i % micro.length];
      const [lng, lat] = unit.centroid!;
      if (!configs.has(unit.path)) configs.set(unit.path, await caseConfig("cat-env-garbage", unit.path));
      const config = configs.get(unit.path)!;
      const id = ulid(now.getTime());
      caseIds.push(id);
      const d = decide(null, { action: "report", id, number: `B-${i}`, categoryId: "cat-env-garbage", description: "bench", location: { lng, lat }, unitId: unit.id, unitPath: unit.path, channel: "grid_worker", attachments: [] }, { kind: "user", id: "bench", roles: ["grid_worker"], unitPath: unit.path }, now, config);
      const c: Case = d.next;
      items.push(item("Case", { ...keys.case(id), ...keys.caseByUnit(true, "", c.unitPath, c.createdAt, id), ...keys.caseByState(c.state, c.createdAt, id), ...keys.caseByOwner(c.owner.kind, c.owner.id, c.createdAt, id) }, c));
      const t = d.timers.set[0];
      items.push(item("Timer", { ...keys.caseTimer(id), ...keys.timerDue(TIMER_SHARD, t.dueAt, id) }, { caseId: id, stage: t.stage, dueAt: t.dueAt, version: c.version }));
    }
    await batchWrite(items, 8, progress("writing cases + timers", items.length));
    // make every timer due, then sweep once and let the consumers drain
    stack.clock.advance(3 * 86_400_000);
    resetRequestCounts();
    const t0 = performance.now();
    const swept = (await stack.scheduler!.run("timer-sweep")) as { sent: number };
    const sweepMs = performance.now() - t0;
    const sweepRequests = totalRequests("dynamodb");
    // when the last timeout was received (the timeouts queue drained) and when every queue was idle
    const tick2 = progress("timeouts received", swept.sent);
    let timeoutsMs = 0;
    for (;;) {
      const got = stack.poller!.stats().timeouts?.records ?? 0;
      tick2(got);
      if (got >= swept.sent) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    timeoutsMs = performance.now() - t0;
    await stack.poller!.idle(600_000);
    const drainMs = performance.now() - t0;
    const stats = stack.poller!.stats();
    const totalDdb = totalRequests("dynamodb");
    const overdue = await countOverdue(caseIds, progress("checking every case is overdue", caseIds.length));
    if (overdue !== TIMERS) throw new Error(`timers bench: ${overdue} of ${TIMERS} cases carry the applied timeout after the drain`);
    const rows: Row[] = [
      {
        measure: "sweep + apply due timers",
        timers: TIMERS,
        swept: swept.sent,
        sweep_s: round(sweepMs / 1000, 2),
        timeouts_received_s: round(timeoutsMs / 1000, 1),
        drain_all_queues_s: round(drainMs / 1000, 1),
        timers_per_s: round(TIMERS / (drainMs / 1000), 0),
        timeout_msgs: stats.timeouts?.records ?? 0,
        cases_overdue: overdue,
        event_msgs: stats.events?.records ?? 0,
        micro_grids: micro.length,
        sweep_ddb_per_timer: round(sweepRequests / TIMERS, 2),
        ddb_per_timer_incl_consumers: round(totalDdb / TIMERS, 1),
      },
    ];

    // aggregate lag at a steady rate of reports over HTTP
    const [lng, lat] = (await getUnit((await unitIdByCode("350206001001001"))!))!.centroid!;
    const token = ((await (await fetch(`${stack.url}/v1/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: "worker1", password: "bench-password-123" }) })).json()) as any).accessToken;
    const lags: number[] = [];
    const tick = progress(`aggregate lag at ${LAG_RATE_PER_S} reports/s`, LAG_REPORTS);
    await Promise.all(
      Array.from({ length: LAG_REPORTS }, async (_, i) => {
        await new Promise((r) => setTimeout(r, (i * 1000) / LAG_RATE_PER_S));
        const r = await fetch(`${stack.url}/v1/cases`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: JSON.stringify({ categoryId: "cat-env-garbage", description: `lag ${i}`, location: { lng, lat } }) });
        const committed = performance.now();
        const { case: c } = (await r.json()) as any;
        // processed: its outbox row deleted by the counters' transaction (#16), or its DONE mark put (an event before the cutover)
        const event = { id: `${c.id}:1:0`, at: c.createdAt as string };
        const byRow = marksByOutboxRow(event);
        const mark = byRow ? outboxRowKey(event) : keys.processed("agg", event.id);
        for (;;) {
          const out = await db().send(new GetCommand({ TableName: tableName(), Key: mark, ConsistentRead: true }));
          if (byRow ? !out.Item : out.Item) break;
          await new Promise((res) => setTimeout(res, 10));
        }
        lags.push(performance.now() - committed);
        tick(lags.length);
      }),
    );
    lags.sort((a, b) => a - b);
    rows.push({ measure: `aggregate lag, ${LAG_RATE_PER_S} reports/s over HTTP`, timers: LAG_REPORTS, lag_p50_ms: round(quantile(lags, 0.5)), lag_p99_ms: round(quantile(lags, 0.99)), lag_max_ms: round(lags[lags.length - 1]) });
    return { name: "Timers and the async pipeline on the embedded stack", rows, notes: ["lag = report answered → the event counted by the aggregates consumer (its outbox row deleted in the counters' transaction, #16; local poller long-polls 1 s)"] };
  } finally {
    await stack.stop();
  }
}
