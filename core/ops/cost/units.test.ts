import { describe, expect, it } from "vitest";
import { indexEntry, itemSize, readUnits, totalWrite, writeUnits, type TableDef } from "./units.ts";

/** Hand-worked examples of AWS's unit rules (docs/cost.md "Billed units"). */
const table = (projection: TableDef["indexes"][string]["projection"]): TableDef => ({
  partitionKey: "pk",
  sortKey: "sk",
  indexes: { gsi1: { partitionKey: "gsi1pk", sortKey: "gsi1sk", projection }, gsi2: { partitionKey: "gsi2pk", sortKey: "gsi2sk", projection } },
});
// 34 bytes of keys (pk 2+1, sk 2+1, gsi1pk 6+1, gsi1sk 6+1, gsi2pk 6+1, gsi2sk 6+1) + "blob" 4 + 2,522 = 2,560 B = 2.5 KB
const item = (over: Record<string, unknown> = {}) => ({ pk: "P", sk: "S", gsi1pk: "A", gsi1sk: "B", gsi2pk: "C", gsi2sk: "D", blob: "x".repeat(2522), ...over });

describe("item size (names + values)", () => {
  it("adds names and values: strings by UTF-8 bytes, numbers by significant digits, lists and maps with their overheads", () => {
    // pk 2+6, sk 2+4, n 1+(ceil(5/2)+1), ok 2+1, tags 4+3+(1+1)+(2+1), m 1+3+(1+2+1)
    expect(itemSize({ pk: "CASE#1", sk: "META", n: 12345, ok: true, tags: ["a", "bc"], m: { x: 1 } })).toBe(8 + 6 + 5 + 3 + 12 + 8);
    expect(itemSize({ 名: "网格" })).toBe(3 + 6); // UTF-8: 3 bytes a character
    expect(itemSize({ n: 0.0012 })).toBe(1 + 2); // leading zeros trimmed: "12" → 1 + 1
    expect(itemSize(item())).toBe(2560);
  });
});

describe("write units", () => {
  it("a 2.5 KB item put in a transaction, 2 GSIs projecting ALL: 2 × 3 on the table + 3 per index = 12 (9 outside a transaction)", () => {
    const w = writeUnits("put", undefined, item(), table("ALL"), true);
    expect(w).toEqual({ table: 6, indexes: { gsi1: 3, gsi2: 3 } });
    expect(totalWrite(w)).toBe(12);
    expect(totalWrite(writeUnits("put", undefined, item(), table("ALL"), false))).toBe(9);
  });

  it("the same with KEYS_ONLY indexes: each entry is the table and index keys (20 B): 6 + 1 + 1 = 8", () => {
    expect(indexEntry(item(), table("KEYS_ONLY"), "gsi1")).toEqual({ pk: "P", sk: "S", gsi1pk: "A", gsi1sk: "B" });
    expect(totalWrite(writeUnits("put", undefined, item(), table("KEYS_ONLY"), true))).toBe(8);
  });

  it("an update that changes gsi1's key: a delete and a put there (3 + 3), gsi2 rewritten once under ALL (3), nothing on gsi2 under KEYS_ONLY", () => {
    const before = item();
    const after = item({ gsi1sk: "E" });
    expect(writeUnits("update", before, after, table("ALL"), true)).toEqual({ table: 6, indexes: { gsi1: 6, gsi2: 3 } });
    expect(writeUnits("update", before, after, table("KEYS_ONLY"), true)).toEqual({ table: 6, indexes: { gsi1: 2 } });
  });

  it("INCLUDE: a change of an included attribute rewrites the entry once; a change of another attribute writes no index", () => {
    const t = table(["state"]);
    expect(writeUnits("update", item({ state: "new" }), item({ state: "done" }), t, false)).toEqual({ table: 3, indexes: { gsi1: 1, gsi2: 1 } });
    expect(writeUnits("update", item({ state: "new" }), item({ state: "new", blob: "y".repeat(2522) }), t, false)).toEqual({ table: 3, indexes: {} });
  });

  it("an update that grows the item bills the larger size; leaving a sparse index is one delete; a delete bills the item deleted", () => {
    const small = { pk: "P", sk: "S", gsi1pk: "A", gsi1sk: "B", blob: "x".repeat(900) }; // 920 B
    const big = { pk: "P", sk: "S", blob: "x".repeat(1100) }; // 1,110 B, out of gsi1
    expect(writeUnits("update", small, big, table("ALL"), false)).toEqual({ table: 2, indexes: { gsi1: 1 } });
    expect(writeUnits("delete", small, undefined, table("ALL"), true)).toEqual({ table: 2, indexes: { gsi1: 1 } });
  });

  it("a ConditionCheck in a transaction bills 2 per KB of the item checked and no index", () => {
    expect(writeUnits("check", item(), item(), table("ALL"), true)).toEqual({ table: 6, indexes: {} });
    expect(writeUnits("check", undefined, undefined, table("ALL"), true)).toEqual({ table: 2, indexes: {} });
  });

  it("six 100 B items in one transaction bill 12, where DynamoDB Local reports 2 (bench/case-items.ts)", () => {
    const six = Array.from({ length: 6 }, (_, i) => writeUnits("put", undefined, { pk: "P", sk: String(i), text: "x".repeat(90) }, table("ALL"), true));
    expect(six.reduce((n, w) => n + totalWrite(w), 0)).toBe(12);
  });
});

describe("read units (4 KB)", () => {
  it("a Query sums what it evaluated before rounding: 3 × 1,500 B = 4,500 B → 2 units, eventually consistent 1", () => {
    expect(readUnits("query", [1500, 1500, 1500], "eventual")).toBe(1);
    expect(readUnits("query", [1500, 1500, 1500], "strong")).toBe(2);
    expect(readUnits("query", [], "eventual")).toBe(0.5); // an empty Query still bills its minimum
  });

  it("items are rounded one by one: 1.5 KB + 6.5 KB strongly consistent = 4 KB + 8 KB = 3 units (AWS's BatchGetItem example)", () => {
    expect(readUnits("item", [1536, 6656], "strong")).toBe(3);
  });

  it("an 8 KB item: eventually consistent 1, strongly 2, transactional 4 (AWS's pricing page example)", () => {
    expect(readUnits("item", [8192], "eventual")).toBe(1);
    expect(readUnits("item", [8192], "strong")).toBe(2);
    expect(readUnits("item", [8192], "transactional")).toBe(4);
    expect(readUnits("item", [3584], "eventual")).toBe(0.5);
  });
});
