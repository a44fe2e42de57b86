/**
 * What one case's writes put in the table: every item of each transaction of a case's life (report,
 * comment, the five actions of the normal path and the consumers' transactions), its size in bytes
 * (DynamoDB's item size: attribute names + values) and the indexes it is written to, beside the
 * capacity DynamoDB Local reports for the transaction by table and index (ReturnConsumedCapacity
 * INDEXES), then the case item attribute by attribute. Run: `node bench/case-items.ts` (~1 min;
 * docs/data-model.md "Case: what a write costs", docs/cost.md).
 *
 * It also shows how DynamoDB Local accounts a transaction's table units, which the capacity bench's
 * "WCU billed" builds on: transactions of n items of one size, against AWS's rule (2 units per item
 * and started KB, docs/benchmarks.md).
 */
import { GetCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { startStack } from "../local/stack.ts";
import { seedDemoCounty } from "../local/demo-county.ts";
import { db, tableName } from "../core/db/client.ts";
import * as keys from "../core/db/keys.ts";
import { measureCapacity } from "../core/db/metrics.ts";
import { itemSize } from "../core/ops/cost/units.ts";

const PASSWORD = "bench-password-123";

const attrSize = (name: string, value: unknown) => itemSize({ [name]: value });
const stack = await startStack({ autoSchedule: false, log: () => {} });
measureCapacity(true);
try {
  await seedDemoCounty({ password: PASSWORD, now: stack.clock.now() });
  const seen: Array<{ input: any; consumed: any }> = [];
  (db() as any).middlewareStack.add(
    (next: any, ctx: any) => async (args: any) => {
      const out = await next(args);
      if (ctx.commandName === "TransactWriteItemsCommand") seen.push({ input: args.input, consumed: out.output.ConsumedCapacity?.[0] });
      return out;
    },
    { step: "initialize", name: "caseItems" },
  );
  const tokens: Record<string, string> = {};
  for (const u of ["worker1", "center", "dept1"]) {
    const r = await fetch(`${stack.url}/v1/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: u, password: PASSWORD }) });
    tokens[u] = ((await r.json()) as any).accessToken;
  }
  const api = async (method: string, path: string, user: string, body?: unknown) => {
    const r = await fetch(stack.url + path, { method, headers: { authorization: `Bearer ${tokens[user]}`, "content-type": "application/json" }, body: body ? JSON.stringify(body) : undefined });
    const json = (await r.json()) as any;
    if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(json)}`);
    return json;
  };
  const me = await api("GET", "/v1/me", "worker1");
  const [lng, lat] = (await api("GET", `/v1/units/${me.assignments[0].unitId}`, "worker1")).centroid;

  const step = async (name: string, fn: () => Promise<any>) => {
    await stack.poller!.idle();
    const from = seen.length;
    const result = await fn();
    await stack.poller!.idle();
    for (const [i, t] of seen.slice(from).entries()) {
      const c = t.consumed ?? {};
      const byIndex = Object.entries({ table: c.Table?.CapacityUnits, ...Object.fromEntries(Object.entries(c.GlobalSecondaryIndexes ?? {}).map(([k, v]: any) => [k, v.CapacityUnits])) }).map(([k, v]) => `${k} ${v}`).join(", ");
      console.log(`\n${name}${i ? " — consumer transaction" : " — API transaction"}: ${t.input.TransactItems.length} items; DynamoDB Local reports ${c.CapacityUnits} units (${byIndex})`);
      for (const op of t.input.TransactItems) {
        const [kind, body] = Object.entries(op)[0] as [string, any];
        const raw = body.Item ?? body.Key;
        const ix = ["gsi1", "gsi2", "gsi3"].filter((g) => raw[`${g}pk`] !== undefined);
        console.log(`  ${kind.padEnd(14)} ${String(raw._et ?? "").padEnd(14)} ${(body.Item ? `${itemSize(raw)} B` : "—").padStart(7)}  indexes [${ix.join(", ")}]  ${raw.pk} | ${raw.sk}`);
      }
    }
    return result;
  };

  const c = (await step("report", () => api("POST", "/v1/cases", "worker1", { categoryId: "cat-env-garbage", description: "路边垃圾堆积，请尽快清理", location: { lng, lat } }))).case;
  await step("comment", () => api("POST", `/v1/cases/${c.id}/comment`, "center", { note: "已知悉" }));
  for (const [user, action, body] of [["center", "accept", {}], ["dept1", "claim", {}], ["dept1", "handle", { note: "已处理" }], ["worker1", "verify", { pass: true }], ["worker1", "evaluate", { level: "satisfied" }]] as const) {
    await step(action, () => api("POST", `/v1/cases/${c.id}/${action}`, user, body));
  }

  const stored = (await db().send(new GetCommand({ TableName: tableName(), Key: keys.case(c.id) }))).Item!;
  console.log(`\nthe closed case item, ${itemSize(stored)} B, attribute by attribute:`);
  for (const [k, v] of Object.entries(stored).sort((a, b) => attrSize(b[0], b[1]) - attrSize(a[0], a[1]))) console.log(`  ${String(attrSize(k, v)).padStart(4)} B  ${k}`);

  console.log("\nDynamoDB Local's units for a transaction of n items of one size (AWS bills 2 per item and started KB):");
  for (const [n, bytes] of [[1, 100], [6, 100], [3, 900], [3, 1100], [1, 2100], [3, 2100]] as const) {
    const pk = `CASEITEMS#${n}#${bytes}#${Date.now()}`;
    const out = await db().send(new TransactWriteCommand({ ReturnConsumedCapacity: "INDEXES", TransactItems: Array.from({ length: n }, (_, i) => ({ Put: { TableName: tableName(), Item: { pk, sk: String(i), text: "x".repeat(bytes) } } })) }));
    console.log(`  ${n} × ${bytes} B: DynamoDB Local ${out.ConsumedCapacity?.[0]?.CapacityUnits} units; AWS ${2 * n * Math.ceil((bytes + 20) / 1024)}`);
  }
} finally {
  measureCapacity(false);
  await stack.stop();
}
process.exit(0);
