import { BatchGetCommand, QueryCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { db, tableName } from "../db/client.ts";
import * as keys from "../db/keys.ts";
import { strip } from "../db/items.ts";
import { isConditionFailure, mapStorageError } from "../db/errors.ts";
import { unitItem } from "./repo.ts";
import { concurrency, pool, sleep } from "./pool.ts";
import type { UnitRef } from "./import-plan.ts";
import type { Unit } from "./schema.ts";

/**
 * The table side of a unit import (core/unit/import-store.ts): BatchGets of code references and
 * units (100 keys a request, `concurrency()` at a time, unprocessed keys retried with backoff), the
 * code-range Query on gsi3, and the transactions of created and replaced units.
 */


async function batchGet(keyList: Record<string, string>[], projection?: { expr: string; names: Record<string, string> }): Promise<Record<string, unknown>[]> {
  const found: Record<string, unknown>[] = [];
  const groups: Record<string, string>[][] = [];
  for (let i = 0; i < keyList.length; i += 100) groups.push(keyList.slice(i, i + 100));
  await pool(groups, concurrency(), async (group) => {
    let request: Record<string, any> | undefined = {
      [tableName()]: { Keys: group, ...(projection ? { ProjectionExpression: projection.expr, ExpressionAttributeNames: projection.names } : {}) },
    };
    for (let round = 0; request && Object.keys(request).length; round++) {
      if (round > 0) await sleep(Math.min(1000, 20 * 2 ** round));
      const out: { Responses?: Record<string, Record<string, unknown>[]>; UnprocessedKeys?: Record<string, any> } = await db().send(
        new BatchGetCommand({ RequestItems: request }),
      );
      found.push(...(out.Responses?.[tableName()] ?? []));
      request = out.UnprocessedKeys;
    }
  });
  return found;
}

/** code → unit id, for the codes that have a unit. */
export async function codeRefs(codes: string[]): Promise<Map<string, string>> {
  const items = await batchGet(
    [...new Set(codes)].map((c) => keys.unitCode(c)),
    { expr: "#u, #c", names: { "#u": "unitId", "#c": "code" } },
  );
  return new Map(items.map((i) => [i.code as string, i.unitId as string]));
}

/** Whole units by id. */
export async function unitsById(ids: string[]): Promise<Map<string, Unit>> {
  const items = await batchGet([...new Set(ids)].map((id) => keys.unit(id)));
  const units = new Map<string, Unit>();
  for (const raw of items) {
    const u = strip<Unit>(raw)!;
    units.set(u.id, u);
  }
  return units;
}

const REF_PROJECTION = { expr: "#i, #c, #pi, #p, #d, #a", names: { "#i": "id", "#c": "code", "#pi": "parentId", "#p": "path", "#d": "depth", "#a": "active" } };

export function toRef(i: Record<string, unknown>): UnitRef {
  return { id: i.id as string, code: i.code as string, parentId: (i.parentId as string | null) ?? null, path: i.path as string, depth: i.depth as number, active: i.active as boolean };
}

/** Units whose code starts with `prefix`, as refs (gsi3: every unit ordered by code). */
export async function refsByPrefix(prefix: string): Promise<UnitRef[]> {
  const refs: UnitRef[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: "gsi3",
        KeyConditionExpression: "gsi3pk = :pk AND begins_with(gsi3sk, :c)",
        ProjectionExpression: REF_PROJECTION.expr,
        ExpressionAttributeNames: REF_PROJECTION.names,
        ExpressionAttributeValues: { ":pk": keys.unitByCode("").gsi3pk, ":c": prefix },
        ExclusiveStartKey: start,
      }),
    );
    for (const i of out.Items ?? []) refs.push(toRef(i));
    start = out.LastEvaluatedKey;
  } while (start);
  return refs;
}

/** Units by id as refs (projected). */
export async function unitRefsById(ids: string[]): Promise<Record<string, unknown>[]> {
  return batchGet(
    ids.map((id) => keys.unit(id)),
    REF_PROJECTION,
  );
}

/** Transaction part: an existing unit replaced at the version read. */
export const replaceUnitOp = (next: Unit, version: number) => ({
  Put: {
    TableName: tableName(),
    Item: unitItem(next),
    ConditionExpression: "#v = :v",
    ExpressionAttributeNames: { "#v": "version" },
    ExpressionAttributeValues: { ":v": version },
  },
});

/**
 * One transaction of an import chunk: "written"; "retry" when a condition failed or the
 * transaction conflicted or was throttled (the rows are read again); or the database's refusal
 * (`{ refused: why }`, the cancellation codes). Other errors are storage errors.
 */
export async function writeImportTx(ops: any[]): Promise<"written" | "retry" | { refused: string }> {
  try {
    await db().send(new TransactWriteCommand({ TransactItems: ops }));
    return "written";
  } catch (e) {
    const name = (e as Error).name;
    const codes = ((e as { CancellationReasons?: Array<{ Code?: string }> }).CancellationReasons ?? []).map((r) => r.Code ?? "None");
    const retryable = isConditionFailure(e) || name === "TransactionConflictException" || codes.some((c) => c === "TransactionConflict" || c === "ThrottlingError");
    if (retryable) return "retry";
    if (name === "TransactionCanceledException") return { refused: [...new Set(codes.filter((c) => c !== "None"))].join(", ") || "cancelled" };
    mapStorageError(e);
  }
}
