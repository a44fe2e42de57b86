/**
 * Counts AWS requests per service and operation with an SDK middleware, so benches can report
 * "DynamoDB requests per API call" — and, in capacity mode (`measureCapacity(true)` or
 * WANGGE_MEASURE_CAPACITY=1, benches only), asks DynamoDB for `ReturnConsumedCapacity: INDEXES`
 * on every call that does not ask itself, and adds up what DynamoDB reports: read and write
 * capacity units per table and per index, and the items each call read or wrote. A county pays
 * for those units, so benches and `npm run cost` start from them. Costs one map update per request.
 */
type Stackable = { middlewareStack: { add: (mw: any, opts: any) => void } };

export const requestCounts = new Map<string, number>();

export interface Capacity {
  requests: number;
  /** read capacity units (reads and the read side of nothing else) */
  rcu: number;
  /** write capacity units as DynamoDB Local reports them (a transaction's 2× is applied by the cost model) */
  wcu: number;
  /** items read (Query/Scan: scanned; Get: found) or written */
  items: number;
  /** units per table ("table") and per index name */
  byIndex: Record<string, number>;
  /** items written in TransactWriteItems and the write units DynamoDB Local reported for them (it under-reports: AWS bills 2 per item and KB) */
  txItems: number;
  txWcu: number;
  /** units AWS bills, computed from the items each request read or wrote (only with a `setBillingProbe` probe; bench/billing.ts) */
  billedRru: number;
  billedWru: number;
  /** billed write units per table ("table") and index name */
  billedByIndex: Record<string, number>;
}

/** What a request billed by AWS's rules (core/ops/cost/units.ts), computed from its items. */
export interface Billed {
  rru: number;
  wru: number;
  byIndex: Record<string, number>;
}
/**
 * A probe called before each request in capacity mode (it may read the items a write will change) that
 * returns what to call with the request's output (or error) to get what the request billed. Benches only
 * (bench/billing.ts reads the items through a client of its own, so its reads are not counted).
 */
export type BillingProbe = (command: string, input: any) => Promise<(output: any, failed: boolean) => Promise<Billed>>;
let probe: BillingProbe | undefined;
export const setBillingProbe = (p: BillingProbe | undefined): void => {
  probe = p;
};

/** By `dynamodb:<Command>`. */
export const capacity = new Map<string, Capacity>();

let capacityMode = process.env.WANGGE_MEASURE_CAPACITY === "1";
export const measureCapacity = (on: boolean): void => {
  capacityMode = on;
};

const READS = /^(Get|BatchGet|Query|Scan|TransactGet)/;
const WITH_CAPACITY = /^(GetItem|BatchGetItem|Query|Scan|TransactGetItems|PutItem|UpdateItem|DeleteItem|BatchWriteItem|TransactWriteItems)Command$/;

interface Consumed {
  CapacityUnits?: number;
  ReadCapacityUnits?: number;
  WriteCapacityUnits?: number;
  Table?: { CapacityUnits?: number };
  GlobalSecondaryIndexes?: Record<string, { CapacityUnits?: number }>;
  LocalSecondaryIndexes?: Record<string, { CapacityUnits?: number }>;
}

function itemsOf(command: string, input: any, output: any): number {
  switch (command) {
    case "GetItemCommand":
      return output?.Item ? 1 : 0;
    case "QueryCommand":
    case "ScanCommand":
      return output?.ScannedCount ?? output?.Count ?? 0;
    case "BatchGetItemCommand":
      return Object.values(output?.Responses ?? {}).reduce((n: number, items: any) => n + items.length, 0);
    case "TransactGetItemsCommand":
      return (output?.Responses ?? []).filter((r: any) => r?.Item).length;
    case "BatchWriteItemCommand":
      return Object.values(input?.RequestItems ?? {}).reduce((n: number, reqs: any) => n + reqs.length, 0);
    case "TransactWriteItemsCommand":
      return input?.TransactItems?.length ?? 0;
    default:
      return 1;
  }
}

const empty = (): Capacity => ({ requests: 0, rcu: 0, wcu: 0, items: 0, byIndex: {}, txItems: 0, txWcu: 0, billedRru: 0, billedWru: 0, billedByIndex: {} });

function addBilled(c: Capacity, b: Billed): void {
  c.billedRru += b.rru;
  c.billedWru += b.wru;
  for (const [k, v] of Object.entries(b.byIndex)) c.billedByIndex[k] = (c.billedByIndex[k] ?? 0) + v;
}

function record(command: string, input: any, output: any, billed: Billed | undefined): void {
  const c = capacity.get(`dynamodb:${command}`) ?? empty();
  if (billed) addBilled(c, billed);
  c.requests++;
  const items = itemsOf(command, input, output);
  c.items += items;
  if (command === "TransactWriteItemsCommand") c.txItems += items;
  const read = READS.test(command);
  const consumed: Consumed[] = [output?.ConsumedCapacity ?? []].flat();
  for (const u of consumed) {
    const units = u.CapacityUnits ?? (read ? u.ReadCapacityUnits : u.WriteCapacityUnits) ?? 0;
    if (read) c.rcu += units;
    else c.wcu += units;
    if (command === "TransactWriteItemsCommand") c.txWcu += units;
    c.byIndex.table = (c.byIndex.table ?? 0) + (u.Table?.CapacityUnits ?? (u.GlobalSecondaryIndexes ? 0 : units));
    for (const [name, v] of Object.entries({ ...u.GlobalSecondaryIndexes, ...u.LocalSecondaryIndexes })) c.byIndex[name] = (c.byIndex[name] ?? 0) + (v.CapacityUnits ?? 0);
  }
  capacity.set(`dynamodb:${command}`, c);
}

export function countRequests(client: Stackable, service: string): void {
  client.middlewareStack.add(
    (next: any, context: any) => async (args: any) => {
      const command = context.commandName ?? "unknown";
      const key = `${service}:${command}`;
      requestCounts.set(key, (requestCounts.get(key) ?? 0) + 1);
      if (!(capacityMode && service === "dynamodb" && WITH_CAPACITY.test(command))) return next(args);
      const asked = args.input?.ReturnConsumedCapacity;
      if (!asked) args.input.ReturnConsumedCapacity = "INDEXES";
      const bill = probe ? await probe(command, args.input) : undefined;
      let out: any;
      try {
        out = await next(args);
      } catch (e) {
        if (bill) {
          // a refused conditional write still bills (not counted as a request by DynamoDB Local's figures)
          const c = capacity.get(`dynamodb:${command}`) ?? empty();
          addBilled(c, await bill(undefined, true));
          capacity.set(`dynamodb:${command}`, c);
        }
        throw e;
      }
      record(command, args.input, out.output, bill ? await bill(out.output, false) : undefined);
      if (!asked) delete out.output.ConsumedCapacity;
      return out;
    },
    { step: "initialize", name: "wanggeRequestCounter" },
  );
}

export function totalRequests(prefix = ""): number {
  let n = 0;
  for (const [k, v] of requestCounts) if (k.startsWith(prefix)) n += v;
  return n;
}

/** Sum of the capacity recorded so far (all commands). */
export function totalCapacity(): Capacity {
  const t = empty();
  for (const c of capacity.values()) {
    addBilled(t, { rru: c.billedRru, wru: c.billedWru, byIndex: c.billedByIndex });
    t.requests += c.requests;
    t.txItems += c.txItems;
    t.txWcu += c.txWcu;
    t.rcu += c.rcu;
    t.wcu += c.wcu;
    t.items += c.items;
    for (const [k, v] of Object.entries(c.byIndex)) t.byIndex[k] = (t.byIndex[k] ?? 0) + v;
  }
  return t;
}

/** What `fn` cost in DynamoDB (capacity mode must be on; nothing else may run meanwhile). */
export async function measured<T>(fn: () => Promise<T>): Promise<{ result: T; cost: Capacity }> {
  const before = totalCapacity();
  const result = await fn();
  const after = totalCapacity();
  const diff = (a: Record<string, number>, b: Record<string, number>) => {
    const d: Record<string, number> = {};
    for (const [k, v] of Object.entries(a)) if (v - (b[k] ?? 0)) d[k] = v - (b[k] ?? 0);
    return d;
  };
  return {
    result,
    cost: {
      requests: after.requests - before.requests,
      rcu: after.rcu - before.rcu,
      wcu: after.wcu - before.wcu,
      items: after.items - before.items,
      byIndex: diff(after.byIndex, before.byIndex),
      txItems: after.txItems - before.txItems,
      txWcu: after.txWcu - before.txWcu,
      billedRru: after.billedRru - before.billedRru,
      billedWru: after.billedWru - before.billedWru,
      billedByIndex: diff(after.billedByIndex, before.billedByIndex),
    },
  };
}

export function resetRequestCounts(): void {
  requestCounts.clear();
  capacity.clear();
}
