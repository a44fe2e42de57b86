/**
 * DynamoDB's billed request units, computed from the items a request read or wrote, by AWS's rules
 * (docs/cost.md "Billed units", with the pages they come from):
 *
 * - item size = Σ over attributes of (UTF-8 bytes of the name + size of the value); strings: UTF-8
 *   bytes; numbers: 1 byte per two significant digits + 1; booleans and null: 1; lists and maps:
 *   3 + Σ (element + 1 byte each) (CapacityUnitCalculations.html);
 * - a standard write: 1 WRU per started KB of the item (the larger of before and after for a Put that
 *   replaces or an Update; the deleted item for a Delete); in TransactWriteItems 2 per started KB and
 *   item, a ConditionCheck included (transaction-apis.html: two underlying writes of every item);
 * - a global secondary index the item is in before or after: an entry (table key + index key +
 *   projected attributes) written when it appears, deleted when it goes, deleted and put again when
 *   its key changes, rewritten once when a projected attribute changes, nothing when no projected
 *   attribute changes (GSI.html "Provisioned throughput considerations"), 1 WRU per started KB of the
 *   entry; index writes are not doubled for a transaction (they are propagated after it commits);
 * - reads: 4 KB units; GetItem/BatchGetItem/TransactGetItems each item rounded up, Query/Scan the sum
 *   of the items evaluated rounded up once (a Query on an index: the index entries); eventually
 *   consistent ½, transactional 2; at least one unit per request (read-write-operations.html).
 */
export type Projection = "ALL" | "KEYS_ONLY" | readonly string[];

export interface IndexDef {
  partitionKey: string;
  sortKey: string;
  projection: Projection;
}

export interface TableDef {
  partitionKey: string;
  sortKey: string;
  indexes: Record<string, IndexDef>;
}

export type Item = Record<string, unknown>;

const KB = 1024;

function numberSize(n: number | bigint | string): number {
  const digits = String(n)
    .replace(/^-/, "")
    .replace(/e.*$/i, "")
    .replace(".", "")
    .replace(/^0+/, "")
    .replace(/0+$/, "");
  return Math.ceil(Math.max(digits.length, 1) / 2) + 1;
}

/** Size in bytes of a value as DynamoDB stores it (native JavaScript values, as the document client writes them). */
export function valueSize(v: unknown): number {
  if (v === null || v === undefined || typeof v === "boolean") return 1;
  if (typeof v === "string") return Buffer.byteLength(v);
  if (typeof v === "number" || typeof v === "bigint") return numberSize(v);
  if (v instanceof Uint8Array) return v.byteLength;
  if (v instanceof Set) return [...v].reduce((n: number, x) => n + (typeof x === "string" ? Buffer.byteLength(x) : typeof x === "number" ? numberSize(x) : valueSize(x)), 0);
  if (Array.isArray(v)) return 3 + v.reduce((n: number, x) => n + valueSize(x) + 1, 0);
  if (typeof v === "object") return 3 + Object.entries(v as Item).reduce((n, [k, x]) => (x === undefined ? n : n + Buffer.byteLength(k) + valueSize(x) + 1), 0);
  throw new Error(`no DynamoDB size for ${typeof v}`);
}

/** DynamoDB's item size: Σ attribute name bytes + value sizes. */
export function itemSize(item: Item): number {
  let n = 0;
  for (const [k, v] of Object.entries(item)) if (v !== undefined) n += Buffer.byteLength(k) + valueSize(v);
  return n;
}

/** The entry an item has in an index (table key, index key, projected attributes), or undefined when the item is not in it (sparse). */
export function indexEntry(item: Item | undefined, table: TableDef, name: string): Item | undefined {
  const ix = table.indexes[name];
  if (!item || item[ix.partitionKey] === undefined || item[ix.sortKey] === undefined) return undefined;
  if (ix.projection === "ALL") return item;
  const keep = new Set([table.partitionKey, table.sortKey, ix.partitionKey, ix.sortKey, ...(ix.projection === "KEYS_ONLY" ? [] : ix.projection)]);
  return Object.fromEntries(Object.entries(item).filter(([k, v]) => keep.has(k) && v !== undefined));
}

const kb = (bytes: number) => Math.max(1, Math.ceil(bytes / KB));
const same = (a: Item, b: Item) => JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));
function sorted(v: unknown): unknown {
  if (v instanceof Set) return [...v].sort();
  if (Array.isArray(v)) return v.map(sorted);
  if (v && typeof v === "object" && !(v instanceof Uint8Array)) return Object.fromEntries(Object.entries(v as Item).filter(([, x]) => x !== undefined).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, x]) => [k, sorted(x)]));
  return v;
}

export interface WriteUnits {
  /** table units (transactional items doubled) */
  table: number;
  /** units per index name */
  indexes: Record<string, number>;
}

export type WriteKind = "put" | "update" | "delete" | "check";

/**
 * What one item of a write request bills: `before` and `after` are the whole item before and after the
 * request (undefined when absent); `transactional` for an item of TransactWriteItems.
 */
export function writeUnits(kind: WriteKind, before: Item | undefined, after: Item | undefined, table: TableDef, transactional: boolean): WriteUnits {
  const sizes = [before, after].filter((x): x is Item => x !== undefined).map(itemSize);
  const tableUnits = kb(Math.max(0, ...sizes)) * (transactional ? 2 : 1);
  const indexes: Record<string, number> = {};
  if (kind === "check") return { table: tableUnits, indexes };
  for (const name of Object.keys(table.indexes)) {
    const was = indexEntry(before, table, name);
    const is = indexEntry(after, table, name);
    const ix = table.indexes[name];
    let units = 0;
    if (was && is) {
      if (was[ix.partitionKey] !== is[ix.partitionKey] || was[ix.sortKey] !== is[ix.sortKey]) units = kb(itemSize(was)) + kb(itemSize(is));
      else if (!same(was, is)) units = kb(Math.max(itemSize(was), itemSize(is)));
    } else if (was) units = kb(itemSize(was));
    else if (is) units = kb(itemSize(is));
    if (units) indexes[name] = units;
  }
  return { table: tableUnits, indexes };
}

export const totalWrite = (w: WriteUnits) => w.table + Object.values(w.indexes).reduce((a, b) => a + b, 0);

export type ReadKind = "item" | "query";
export type Consistency = "eventual" | "strong" | "transactional";

/**
 * Read units of one request: "item" (GetItem, each item of BatchGetItem / TransactGetItems, rounded up
 * one by one) or "query" (Query/Scan: the evaluated items' sizes summed, then rounded up).
 */
export function readUnits(kind: ReadKind, sizes: readonly number[], consistency: Consistency): number {
  const factor = consistency === "eventual" ? 0.5 : consistency === "strong" ? 1 : 2;
  const units = kind === "item" ? Math.max(1, sizes.reduce((n, s) => n + Math.max(1, Math.ceil(s / (4 * KB))), 0)) : Math.max(1, Math.ceil(sizes.reduce((a, b) => a + b, 0) / (4 * KB)));
  return units * factor;
}
