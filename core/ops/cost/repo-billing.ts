/**
 * The billing probe of the capacity bench (core/db/metrics.ts `setBillingProbe`): for each DynamoDB
 * request it reads the items the request reads or writes — for a write, each item before and after it,
 * consistently, through a client of its own (not counted, not measured) — and computes what AWS bills
 * for them (core/ops/cost/units.ts, docs/cost.md "Billed units"), with the indexes and projections of
 * core/db/table.ts (the definition stacks/Storage.ts deploys and local/emulators.ts creates).
 *
 * Benches and tests only: it doubles the reads of every write. Not exact when another request changes
 * the same item between the probe's reads and the request (the bench measures one call at a time).
 */
import { BatchGetItemCommand, DynamoDBClient, GetItemCommand, QueryCommand, ScanCommand, type AttributeValue } from "@aws-sdk/client-dynamodb";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import { table } from "../../db/table.ts";
import type { Billed, BillingProbe } from "../../db/metrics.ts";
import { itemSize, readUnits, writeUnits, type Item, type TableDef, type WriteKind } from "./units.ts";

export const TABLE_DEF: TableDef = table;

let raw: DynamoDBClient | undefined;
const client = () => (raw ??= new DynamoDBClient({ maxAttempts: 4 }));

type Raw = Record<string, AttributeValue>;
const ATTR_TYPES = new Set(["S", "N", "B", "SS", "NS", "BS", "M", "L", "NULL", "BOOL"]);
const isRawValue = (v: unknown) => !!v && typeof v === "object" && !Array.isArray(v) && Object.keys(v).length === 1 && ATTR_TYPES.has(Object.keys(v)[0]);
/** The document client's middleware may see native or marshalled maps: marshalled ones stay, native ones are marshalled. */
const toRaw = (m: Record<string, unknown> | undefined): Raw | undefined => (m === undefined ? undefined : Object.values(m).every(isRawValue) ? (m as Raw) : (marshall(m, { removeUndefinedValues: true, convertClassInstanceToMap: true }) as Raw));
const keyOf = (item: Raw): Raw => ({ [table.partitionKey]: item[table.partitionKey], [table.sortKey]: item[table.sortKey] });
const nothing = (): Billed => ({ rru: 0, wru: 0, byIndex: {} });

async function getItem(tableName: string, key: Raw): Promise<Item | undefined> {
  const out = await client().send(new GetItemCommand({ TableName: tableName, Key: key, ConsistentRead: true }));
  return out.Item ? unmarshall(out.Item) : undefined;
}

async function getItems(tableName: string, keys: Raw[]): Promise<Map<string, Item>> {
  const found = new Map<string, Item>();
  for (let i = 0; i < keys.length; i += 100) {
    let pending: Raw[] = keys.slice(i, i + 100);
    while (pending.length) {
      const out = await client().send(new BatchGetItemCommand({ RequestItems: { [tableName]: { Keys: pending, ConsistentRead: true } } }));
      for (const it of out.Responses?.[tableName] ?? []) found.set(idOf(it), unmarshall(it));
      pending = (out.UnprocessedKeys?.[tableName]?.Keys as Raw[] | undefined) ?? [];
    }
  }
  return found;
}
const idOf = (k: Raw) => JSON.stringify([k[table.partitionKey], k[table.sortKey]]);

function addWrite(b: Billed, kind: WriteKind, before: Item | undefined, after: Item | undefined, transactional: boolean): void {
  const w = writeUnits(kind, before, after, TABLE_DEF, transactional);
  b.wru += w.table;
  b.byIndex.table = (b.byIndex.table ?? 0) + w.table;
  for (const [k, v] of Object.entries(w.indexes)) {
    b.wru += v;
    b.byIndex[k] = (b.byIndex[k] ?? 0) + v;
  }
}

/** Expression attribute names/values a key condition uses (a re-run without the filter must not send unused ones). */
function used(expr: string, input: any): { names?: Record<string, string>; values?: Raw } {
  const names = Object.fromEntries(Object.entries(input.ExpressionAttributeNames ?? {}).filter(([k]) => expr.includes(k))) as Record<string, string>;
  const allValues = toRaw(input.ExpressionAttributeValues) ?? {};
  const values = Object.fromEntries(Object.entries(allValues).filter(([k]) => new RegExp(`${k.replace(/[$]/g, "\\$")}(?![A-Za-z0-9_])`).test(expr)));
  return { names: Object.keys(names).length ? names : undefined, values: Object.keys(values).length ? values : undefined };
}

/** The items a Query/Scan evaluated (what it bills), read again whole: same key condition and start, Limit = what it scanned, no filter, no projection. */
async function evaluated(command: "QueryCommand" | "ScanCommand", input: any, output: any): Promise<number[]> {
  const scanned = output?.ScannedCount ?? output?.Count ?? 0;
  if (!scanned) return [];
  const common = { TableName: input.TableName, IndexName: input.IndexName, ExclusiveStartKey: toRaw(input.ExclusiveStartKey), Limit: scanned, Select: input.IndexName ? ("ALL_PROJECTED_ATTRIBUTES" as const) : ("ALL_ATTRIBUTES" as const) };
  if (command === "QueryCommand") {
    const { names, values } = used(input.KeyConditionExpression, input);
    const out = await client().send(new QueryCommand({ ...common, KeyConditionExpression: input.KeyConditionExpression, ExpressionAttributeNames: names, ExpressionAttributeValues: values, ScanIndexForward: input.ScanIndexForward }));
    return (out.Items ?? []).map((it) => itemSize(unmarshall(it)));
  }
  const out = await client().send(new ScanCommand({ ...common, Segment: input.Segment, TotalSegments: input.TotalSegments }));
  return (out.Items ?? []).map((it) => itemSize(unmarshall(it)));
}

const consistency = (input: any) => (input?.ConsistentRead ? "strong" : "eventual") as "strong" | "eventual";

export const billingProbe: BillingProbe = async (command, input) => {
  switch (command) {
    case "GetItemCommand":
      return async (output, failed) => {
        if (failed) return nothing();
        const item = output?.Item && !input.ProjectionExpression ? (isRawValue(Object.values(output.Item)[0]) ? unmarshall(output.Item) : output.Item) : await getItem(input.TableName, toRaw(input.Key)!);
        return { rru: readUnits("item", item ? [itemSize(item)] : [], consistency(input)), wru: 0, byIndex: {} };
      };
    case "BatchGetItemCommand":
      return async (_output, failed) => {
        if (failed) return nothing();
        let rru = 0;
        for (const [tableName, req] of Object.entries<any>(input.RequestItems ?? {})) {
          const found = await getItems(tableName, req.Keys.map((k: any) => toRaw(k)!));
          rru += readUnits("item", req.Keys.map((k: any) => { const it = found.get(idOf(toRaw(k)!)); return it ? itemSize(it) : 0; }), consistency(req));
        }
        return { rru, wru: 0, byIndex: {} };
      };
    case "TransactGetItemsCommand":
      return async (_output, failed) => {
        if (failed) return nothing();
        const sizes: number[] = [];
        for (const t of input.TransactItems ?? []) {
          const it = await getItem(t.Get.TableName, toRaw(t.Get.Key)!);
          sizes.push(it ? itemSize(it) : 0);
        }
        return { rru: readUnits("item", sizes, "transactional"), wru: 0, byIndex: {} };
      };
    case "QueryCommand":
    case "ScanCommand":
      return async (output, failed) => {
        if (failed) return nothing();
        // an index is read eventually consistent (GSIs offer nothing else)
        return { rru: readUnits("query", await evaluated(command, input, output), input.IndexName ? "eventual" : consistency(input)), wru: 0, byIndex: {} };
      };
    case "PutItemCommand":
    case "UpdateItemCommand":
    case "DeleteItemCommand": {
      const key = command === "PutItemCommand" ? keyOf(toRaw(input.Item)!) : toRaw(input.Key)!;
      const before = await getItem(input.TableName, key);
      const kind: WriteKind = command === "PutItemCommand" ? "put" : command === "UpdateItemCommand" ? "update" : "delete";
      return async (_output, failed) => {
        const b = nothing();
        // a refused conditional write bills the item's size on the table, nothing on the indexes
        if (failed) addWrite(b, "check", before ?? (kind === "put" ? unmarshall(toRaw(input.Item)!) : undefined), undefined, false);
        else addWrite(b, kind, before, await getItem(input.TableName, key), false);
        return b;
      };
    }
    case "BatchWriteItemCommand": {
      const reqs: Array<{ tableName: string; kind: WriteKind; key: Raw }> = [];
      for (const [tableName, list] of Object.entries<any[]>(input.RequestItems ?? {}))
        for (const r of list) reqs.push(r.PutRequest ? { tableName, kind: "put", key: keyOf(toRaw(r.PutRequest.Item)!) } : { tableName, kind: "delete", key: toRaw(r.DeleteRequest.Key)! });
      const before = await Promise.all(reqs.map((r) => getItem(r.tableName, r.key)));
      return async (output, failed) => {
        const b = nothing();
        if (failed) return b;
        const unprocessed = new Set(Object.values<any[]>(output?.UnprocessedItems ?? {}).flat().map((r) => idOf(r.PutRequest ? keyOf(toRaw(r.PutRequest.Item)!) : toRaw(r.DeleteRequest.Key)!)));
        for (const [i, r] of reqs.entries()) if (!unprocessed.has(idOf(r.key))) addWrite(b, r.kind, before[i], await getItem(r.tableName, r.key), false);
        return b;
      };
    }
    case "TransactWriteItemsCommand": {
      const ops = (input.TransactItems ?? []).map((t: any) => {
        const [name, body] = Object.entries<any>(t)[0];
        const kind: WriteKind = name === "Put" ? "put" : name === "Update" ? "update" : name === "Delete" ? "delete" : "check";
        return { kind, tableName: body.TableName as string, key: kind === "put" ? keyOf(toRaw(body.Item)!) : toRaw(body.Key)! };
      });
      const byTable = (list: typeof ops) => [...new Set(list.map((o: any) => o.tableName))] as string[];
      const read = async () => {
        const all = new Map<string, Item>();
        for (const t of byTable(ops)) for (const [k, v] of await getItems(t, ops.filter((o: any) => o.tableName === t).map((o: any) => o.key))) all.set(`${t}|${k}`, v);
        return all;
      };
      const before = await read();
      return async (_output, failed) => {
        const b = nothing();
        if (failed) return b; // a cancelled transaction: not counted (docs/cost.md)
        const after = await read();
        for (const o of ops) {
          const id = `${o.tableName}|${idOf(o.key)}`;
          addWrite(b, o.kind, before.get(id), o.kind === "check" ? before.get(id) : after.get(id), true);
        }
        return b;
      };
    }
    default:
      return async () => nothing();
  }
};
