import { GetCommand, QueryCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { ulid } from "ulid";
import { db, tableName } from "../core/db/client.ts";
import { requestCounts, resetRequestCounts, totalRequests } from "../core/db/metrics.ts";
import { startStack } from "../local/stack.ts";
import { seedDemoCounty } from "../local/demo-county.ts";
import { progress, quantile, round, type BenchResult, type Row } from "./harness.ts";

const PASSWORD = "bench-password-123";
const OPS = { 1: 150, 16: 400 } as const;

async function timed(total: number, concurrency: number, op: (i: number) => Promise<void>, tick?: (n: number) => void): Promise<number[]> {
  const times: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const i = next++;
        const t0 = performance.now();
        await op(i);
        times.push(performance.now() - t0);
        tick?.(times.length);
      }
    }),
  );
  return times.sort((a, b) => a - b);
}

/**
 * Case API latency (report, read, act, list) at concurrency 1 and 16 over HTTP on the embedded
 * stack, next to the bare DynamoDB requests each call needs, measured in the same run; plus the
 * number of DynamoDB requests per API call (SDK middleware count).
 */
export async function casesBench(): Promise<BenchResult> {
  const stack = await startStack({ async: false });
  try {
    await seedDemoCounty({ password: PASSWORD, now: stack.clock.now() });
    const login = async (u: string) => ((await (await fetch(`${stack.url}/v1/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: u, password: PASSWORD }) })).json()) as any).accessToken as string;
    const worker = await login("worker1");
    const center = await login("center");
    const me = (await (await fetch(`${stack.url}/v1/me`, { headers: { authorization: `Bearer ${worker}` } })).json()) as any;
    const grid = (await (await fetch(`${stack.url}/v1/units/${me.assignments[0].unitId}`, { headers: { authorization: `Bearer ${worker}` } })).json()) as any;
    const [lng, lat] = grid.centroid;
    const api = async (method: string, path: string, token: string, body?: unknown) => {
      const r = await fetch(stack.url + path, { method, headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: body ? JSON.stringify(body) : undefined });
      const json = (await r.json()) as any;
      if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(json)}`);
      return json;
    };
    const ids: string[] = [];
    const ops: Record<string, { api: (i: number) => Promise<void>; bare: (i: number) => Promise<void> }> = {
      report: {
        api: async (i) => {
          const out = await api("POST", "/v1/cases", worker, { categoryId: "cat-env-garbage", description: `bench ${i}`, location: { lng: lng + (i % 50) * 1e-5, lat } });
          ids.push(out.case.id);
        },
        // the writes a report needs: case + event + outbox + timer + near cell, one transaction
        bare: async () => {
          const id = ulid();
          await db().send(new TransactWriteCommand({ TransactItems: ["META", "EV#1", "OUT", "TIMER", "NEAR"].map((sk) => ({ Put: { TableName: tableName(), Item: { pk: `BENCH#${id}`, sk, v: 1, text: "x".repeat(200) }, ConditionExpression: "attribute_not_exists(pk)" } })) }));
        },
      },
      read: {
        api: async (i) => void (await api("GET", `/v1/cases/${ids[i % ids.length]}`, center)),
        bare: async (i) => {
          await db().send(new GetCommand({ TableName: tableName(), Key: { pk: `CASE#${ids[i % ids.length]}`, sk: "META" } }));
          await db().send(new QueryCommand({ TableName: tableName(), KeyConditionExpression: "pk = :pk AND begins_with(sk, :e)", ExpressionAttributeValues: { ":pk": `CASE#${ids[i % ids.length]}`, ":e": "EV#" } }));
        },
      },
      act: {
        api: async (i) => void (await api("POST", `/v1/cases/${ids[i % ids.length]}/comment`, center, { note: `note ${i}` })),
        bare: async (i) => {
          const key = { pk: `CASE#${ids[i % ids.length]}`, sk: "META" };
          await db().send(new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true }));
          const id = ulid();
          await db().send(new TransactWriteCommand({ TransactItems: ["A", "B", "C"].map((sk) => ({ Put: { TableName: tableName(), Item: { pk: `BENCH#${id}`, sk, text: "x".repeat(200) } } })) }));
        },
      },
      list: {
        api: async () => void (await api("GET", "/v1/cases?state=reported&limit=50", center)),
        bare: async () => {
          await db().send(new QueryCommand({ TableName: tableName(), IndexName: "gsi2", KeyConditionExpression: "gsi2pk = :pk", ExpressionAttributeValues: { ":pk": "CASES#STATE#reported" }, ScanIndexForward: false, Limit: 50 }));
        },
      },
    };
    const rows: Row[] = [];
    for (const concurrency of [1, 16] as const) {
      for (const [name, op] of Object.entries(ops)) {
        const n = OPS[concurrency];
        const tick = progress(`${name} ×${n} at concurrency ${concurrency}`, n);
        resetRequestCounts();
        const apiTimes = await timed(n, concurrency, op.api, tick);
        const perCall = totalRequests("dynamodb") / n;
        const bareTimes = await timed(n, concurrency, op.bare);
        rows.push({
          op: name,
          concurrency,
          calls: n,
          api_p50_ms: round(quantile(apiTimes, 0.5)),
          api_p99_ms: round(quantile(apiTimes, 0.99)),
          bare_p50_ms: round(quantile(bareTimes, 0.5)),
          bare_p99_ms: round(quantile(bareTimes, 0.99)),
          p50_x_bare: round(quantile(apiTimes, 0.5) / quantile(bareTimes, 0.5), 1),
          ddb_requests_per_call: round(perCall, 2),
          ops_per_s: round((n / apiTimes.reduce((a, b) => a + b, 0)) * 1000 * concurrency, 0),
        });
      }
    }
    const byOp = [...requestCounts.entries()].map(([k, v]) => `${k}=${v}`).join(", ");
    return {
      name: "Case API over HTTP on the embedded stack vs the bare DynamoDB requests each call needs (same run)",
      rows,
      notes: [`DynamoDB Local is far slower than DynamoDB; the ratio and the request count are the portable numbers`, `last batch by operation: ${byOp}`],
    };
  } finally {
    await stack.stop();
  }
}
