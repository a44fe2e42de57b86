import { BatchGetCommand, GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { db, tableName } from "../db/client.ts";
import * as keys from "../db/keys.ts";
import { forgetStaffVersion } from "./staff-version.ts";

type Key = { pk: string; sk: string };

/**
 * A piece of configuration a warm container keeps (docs/data-model.md "Configuration cached per
 * container"): the item that proves it current, when the copy is due for that proof, and what to
 * do with the item read. `due(now, early)`: `early` asks whether it is at least half way to due,
 * so a read the request makes anyway can refresh it before any request has to wait for it.
 */
export interface Refresher {
  name: string;
  key: Key;
  due(now: Date, early?: boolean): boolean;
  apply(raw: Record<string, unknown> | undefined, now: Date): void;
}

/**
 * Read items the request needs anyway (`extra`: the case an action acts on, the cases a report's
 * duplicate hint names) together with the configuration due for a refresh, in ONE request (#16):
 * a GetItem for one item when nothing is due, else a BatchGetItem of the items and the due
 * configuration items (consistent reads, unprocessed keys retried). Items half way to due are
 * taken along (`early`, default on), so that a steady stream of requests keeps the configuration
 * fresh without any request waiting for a read of its own. Without items (a report, which reads
 * nothing before its transaction) nothing is read unless something is due. Returns the items found
 * by key (`pk` + NUL + `sk`).
 */
export async function readWithConfig(extra: Key[], refreshers: readonly Refresher[], now: Date, opts: { early?: boolean; consistent?: boolean } = {}): Promise<Map<string, Record<string, unknown>>> {
  const found = new Map<string, Record<string, unknown>>();
  const due = extra.length || refreshers.some((r) => r.due(now)) ? refreshers.filter((r) => r.due(now, opts.early ?? true)) : [];
  if (!due.length && extra.length <= 1) {
    if (extra.length) {
      const item = (await db().send(new GetCommand({ TableName: tableName(), Key: extra[0], ConsistentRead: opts.consistent ?? true }))).Item;
      if (item) found.set(keyOf(extra[0]), item);
    }
    return found;
  }
  const unique = [...new Map([...extra, ...due.map((r) => r.key)].map((k) => [keyOf(k), k])).values()];
  for (let i = 0; i < unique.length; i += 100) {
    let request: Record<string, any> | undefined = { [tableName()]: { Keys: unique.slice(i, i + 100), ConsistentRead: due.length > 0 || (opts.consistent ?? true) } };
    for (let attempt = 0; request && Object.keys(request).length; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, 20 * 2 ** Math.min(attempt, 6)));
      const out: { Responses?: Record<string, Record<string, unknown>[]>; UnprocessedKeys?: Record<string, any> } = await db().send(new BatchGetCommand({ RequestItems: request }));
      for (const raw of out.Responses?.[tableName()] ?? []) found.set(keyOf(raw as Key), raw);
      request = out.UnprocessedKeys;
    }
  }
  for (const r of due) r.apply(found.get(keyOf(r.key)), now);
  for (const r of due) found.delete(keyOf(r.key));
  return found;
}

/** The map key of an item in `readWithConfig`'s answer. */
export const keyOf = (k: { pk: unknown; sk: unknown }): string => `${k.pk}\u0000${k.sk}`;

/** The current value of a configuration version counter (0: never bumped). */
export async function configVersion(collection: "categories" | "departments"): Promise<number> {
  const out = await db().send(new GetCommand({ TableName: tableName(), Key: keys.configVersion(collection), ConsistentRead: true }));
  return (out.Item?.n as number | undefined) ?? 0;
}

/**
 * The transaction part that bumps a collection's version counter (with the write that changes it).
 * `now`: also record when (`at`, ISO): the staff version's readers tell by it whether the role
 * rows' index may still lag behind the bump (core/notify/inbox.ts).
 */
export function bumpConfigVersion(collection: "categories" | "departments" | "staff", now?: Date) {
  return {
    Update: {
      TableName: tableName(),
      Key: keys.configVersion(collection),
      UpdateExpression: now ? "ADD #n :one SET #et = :et, #at = :at" : "ADD #n :one SET #et = :et",
      ExpressionAttributeNames: { "#n": "n", "#et": "_et", ...(now ? { "#at": "at" } : {}) },
      ExpressionAttributeValues: { ":one": 1, ":et": "Counter", ...(now ? { ":at": now.toISOString() } : {}) },
    },
  };
}

/** The same bump on its own (after a job's phase that changed rows outside a transaction: the unit move's staff rows). */
export async function bumpConfigVersionNow(collection: "staff", now: Date): Promise<void> {
  await db().send(new UpdateCommand(bumpConfigVersion(collection, now).Update));
  forgetStaffVersion();
}

/**
 * A version-counter refresher: the collection's cached entries stay valid while its counter has
 * not moved and was read within `recheckMs`; `onChange` drops them when it moved.
 */
export function versionRefresher(collection: "categories" | "departments", recheckMs: number, onChange: () => void) {
  let known: { n: number; at: number } | undefined;
  const due = (now: Date, early = false) => !known || Date.now() - known.at >= (early ? recheckMs / 2 : recheckMs) || Date.now() < known.at;
  const apply = (raw: Record<string, unknown> | undefined) => {
    const n = (raw?.n as number | undefined) ?? 0;
    if (known && known.n !== n) onChange();
    known = { n, at: Date.now() };
  };
  const refresher: Refresher = { name: collection, key: keys.configVersion(collection), due, apply };
  return {
    refresher,
    /** make sure the counter was checked within `recheckMs` (one GetItem when it was not) */
    async check(now: Date): Promise<void> {
      if (due(now)) {
        const n = await configVersion(collection);
        apply({ n });
      }
    },
    /** forget the counter (a write in this container; tests) */
    forget(): void {
      known = undefined;
      onChange();
    },
  };
}
