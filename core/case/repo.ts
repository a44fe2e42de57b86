import { randomUUID } from "node:crypto";
import { BatchGetCommand, GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { queryPage } from "../db/page.ts";
import { db, tableName } from "../db/client.ts";
import * as keys from "../db/keys.ts";
import { item, strip } from "../db/items.ts";
import { failedConditionIndexes, isConditionFailure, mapStorageError } from "../db/errors.ts";
import { ConflictError, UnavailableError } from "../errors.ts";
import { isTransactionInProgress, requestToken } from "../db/request-token.ts";
import { geohash, geohashCellsAround } from "../geo/geohash.ts";
import { SHARDS, TIMER_SHARD, shardOf } from "../outbox/shards.ts";
import { isTerminal, type Case, type CaseEvent, type CaseState, type Decision } from "./schema.ts";
import { OPEN, refused, type RefCheck } from "./refs.ts";
import { countyMonth } from "../aggregate/apply.ts";
import { getSettings } from "../settings/settings.ts";
import { keyOf, readWithConfig, type Refresher } from "../config/repo.ts";
import { ownerIndexKeys } from "./owner-index.ts";

export const DUPLICATE_CELL_PRECISION = 6; // ~1.1 km × 0.6 km cells: a 100 m circle touches 1 to 4 of them

export interface DomainEvent extends CaseEvent {
  id: string;
  caseId: string;
  caseNumber: string;
  categoryId: string;
  unitId: string;
  unitPath: string;
  /** case snapshot fields consumers need without reading the case */
  owner: Case["owner"];
  handler?: Case["handler"];
  reporter: Case["reporter"];
  urgent: boolean;
  flags: Case["flags"];
  dueAt?: string;
  /** the case's stage deadlines after this event (on-time checks compare `at` with them) */
  deadlines: Case["deadlines"];
  createdAt: string;
}

export const eventId = (caseId: string, version: number, seq: number): string => `${caseId}:${version}:${seq}`;

/**
 * Attributes of the case item for its indexes (open/closed by unit, by state, by owning department).
 * A closed or rejected case is filed under the county month (settings.timeZone) of its closing, the
 * month people ask for with `closedMonth` — not the UTC month (23:30 UTC on 31 March is 1 April in Shanghai).
 */
export function caseIndexKeys(c: Case, timeZone: string) {
  const open = !isTerminal(c.state);
  return {
    ...keys.caseByUnit(open, open ? "" : countyMonth(c.closedAt ?? c.updatedAt, timeZone), c.unitPath, c.createdAt, c.id),
    ...keys.caseByState(c.state, c.createdAt, c.id),
    ...ownerIndexKeys(c.owner, c.createdAt, c.id),
  };
}

export async function getCase(id: string, consistent = true): Promise<Case | undefined> {
  const out = await db().send(new GetCommand({ TableName: tableName(), Key: keys.case(id), ConsistentRead: consistent }));
  return strip<Case>(out.Item);
}

/**
 * The case an action acts on (consistent), read together with the configuration its container
 * keeps when some of it is due for a refresh: ONE request either way (core/config/repo.ts; #16).
 */
export async function getCaseWithConfig(id: string, config: readonly Refresher[], now: Date): Promise<Case | undefined> {
  return strip<Case>((await readWithConfig([keys.case(id)], config, now)).get(keyOf(keys.case(id))));
}

/** Cases by id (eventually consistent unless asked or configuration comes along), read with the configuration half way to due (one request for up to 100 ids; #16). */
export async function getCasesWithConfig(ids: string[], config: readonly Refresher[], now: Date, opts: { consistent?: boolean } = {}): Promise<Map<string, Case>> {
  const found = await readWithConfig([...new Set(ids)].map((id) => keys.case(id)), config, now, { consistent: opts.consistent ?? false });
  return new Map([...found.values()].map((raw) => strip<Case>(raw)!).map((c) => [c.id, c]));
}

/** Cases by id (missing ids are absent). */
export async function getCases(ids: string[], consistent = true): Promise<Map<string, Case>> {
  const found = new Map<string, Case>();
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += 100) {
    let request: Record<string, any> | undefined = { [tableName()]: { Keys: unique.slice(i, i + 100).map((id) => keys.case(id)), ConsistentRead: consistent } };
    while (request && Object.keys(request).length) {
      const out: { Responses?: Record<string, Record<string, unknown>[]>; UnprocessedKeys?: Record<string, any> } = await db().send(new BatchGetCommand({ RequestItems: request }));
      for (const raw of out.Responses?.[tableName()] ?? []) {
        const c = strip<Case>(raw)!;
        found.set(c.id, c);
      }
      request = out.UnprocessedKeys;
    }
  }
  return found;
}

/**
 * A reference re-asserted in the decision's transaction: a department or unit must still be
 * active, another case still open. A department's assignment sequence is bumped too, so that a
 * deactivation that counted its open cases before this commit fails its own condition
 * (core/department/service.ts).
 */
function refOps(T: string, k: RefCheck): any[] {
  if (k.kind === "case") {
    const states = Object.fromEntries(OPEN.map((s, i) => [`:s${i}`, s]));
    return [{ ConditionCheck: { TableName: T, Key: keys.case(k.id), ConditionExpression: `#s IN (${Object.keys(states).join(", ")})`, ExpressionAttributeNames: { "#s": "state" }, ExpressionAttributeValues: states } }];
  }
  const active = { ConditionExpression: "#active = :t", ExpressionAttributeNames: { "#active": "active" }, ExpressionAttributeValues: { ":t": true } };
  if (k.kind === "unit") return [{ ConditionCheck: { TableName: T, Key: keys.unit(k.id), ...active } }];
  return [
    { ConditionCheck: { TableName: T, Key: keys.department(k.id), ...active } },
    { Update: { TableName: T, Key: keys.departmentAssignSeq(k.id), UpdateExpression: "ADD #n :one SET #et = :et", ExpressionAttributeNames: { "#n": "n", "#et": "_et" }, ExpressionAttributeValues: { ":one": 1, ":et": "Counter" } } },
  ];
}

export function toDomainEvents(c: Case, events: CaseEvent[]): DomainEvent[] {
  return events.map((e) => ({
    ...e,
    id: eventId(c.id, e.version, e.seq),
    caseId: c.id,
    caseNumber: c.number,
    categoryId: c.categoryId,
    unitId: c.unitId,
    unitPath: c.unitPath,
    owner: c.owner,
    handler: c.handler,
    reporter: c.reporter,
    urgent: c.urgent,
    flags: c.flags,
    dueAt: c.dueAt,
    deadlines: c.deadlines,
    createdAt: c.createdAt,
  }));
}

export interface CommitExtras {
  /** Idempotency record written in the same transaction (a retry finds it and returns the stored outcome). */
  idempotency?: { callerId: string; key: string; expiresAt: number };
  /** More writes of the same transaction (e.g. the audit entry of a repair). */
  ops?: any[];
}

/** A decision's transaction items, its domain events, and which item checks which reference. */
export interface DecisionWrite {
  ops: any[];
  domain: DomainEvent[];
  checkAt: Map<number, RefCheck>;
}

/**
 * The items that persist a decision: the case item (conditional on the version and state it was
 * decided from, or on not existing yet), its timeline events, outbox rows, the timer row, and
 * optionally the idempotency record.
 */
export async function decisionOps(prev: Case | null, d: Decision, extras: CommitExtras = {}): Promise<DecisionWrite> {
  const c = d.next;
  const T = tableName();
  const domain = toDomainEvents(c, d.events);
  const timeZone = isTerminal(c.state) ? (await getSettings()).timeZone : "UTC"; // the zone only files closed cases
  const ops: any[] = [
    prev
      ? {
          Put: {
            TableName: T,
            Item: item("Case", { ...keys.case(c.id), ...caseIndexKeys(c, timeZone) }, c),
            ConditionExpression: "#v = :v AND #s = :s",
            ExpressionAttributeNames: { "#v": "version", "#s": "state" },
            ExpressionAttributeValues: { ":v": prev.version, ":s": prev.state },
          },
        }
      : { Put: { TableName: T, Item: item("Case", { ...keys.case(c.id), ...caseIndexKeys(c, timeZone) }, c), ConditionExpression: "attribute_not_exists(pk)" } },
    ...domain.map((e) => ({
      Put: { TableName: T, Item: item("CaseEvent", keys.caseEvent(c.id, e.version, e.seq), e), ConditionExpression: "attribute_not_exists(pk)" },
    })),
    ...domain.map((e) => ({ Put: { TableName: T, Item: item("Outbox", keys.outbox(shardOf(e.id), e.at, e.id), { event: e }) } })),
  ];
  // which transaction item belongs to which reference (for the refusal's field)
  const checkAt = new Map<number, RefCheck>();
  for (const k of d.checks ?? []) for (const op of refOps(T, k)) checkAt.set(ops.push(op) - 1, k);
  // the case's single timer row: replaced by a `set`, removed by a `clear` (or when the case ends)
  const set = d.timers.set[d.timers.set.length - 1];
  if (set) {
    ops.push({
      Put: {
        TableName: T,
        Item: item("Timer", { ...keys.caseTimer(c.id), ...keys.timerDue(TIMER_SHARD, set.dueAt, c.id) }, { caseId: c.id, stage: set.stage, dueAt: set.dueAt, version: c.version }),
      },
    });
  } else if (d.timers.clear.length || isTerminal(c.state)) {
    ops.push({ Delete: { TableName: T, Key: keys.caseTimer(c.id) } });
  }
  if (!prev) ops.push({ Put: { TableName: T, Item: item("CaseByReporter", keys.caseByReporter(c.reporter.kind, c.reporter.id, c.createdAt, c.id), { caseId: c.id }) } });
  // the near rows: put at the report, deleted when the case ends while a report could still find them, put back by a reopen then (#16)
  const near = nearRowChange(prev?.state ?? null, c.state, c.createdAt, c.updatedAt);
  if (near === "put") ops.push(...nearRows(c).map((Item) => ({ Put: { TableName: T, Item } })));
  if (near === "delete") ops.push(...nearCellsOf(c.location).map((cell) => ({ Delete: { TableName: T, Key: keys.caseNear(cell, c.createdAt, c.id) } })));
  if (extras.ops) ops.push(...extras.ops);
  if (extras.idempotency) {
    const { callerId, key, expiresAt } = extras.idempotency;
    ops.push({
      Put: {
        TableName: T,
        Item: item("Idempotency", keys.idempotency(callerId, key), { caseId: c.id, version: c.version, action: d.events[0]?.action, expiresAt }),
        ConditionExpression: "attribute_not_exists(pk)",
      },
    });
  }
  return { ops, domain, checkAt };
}

/**
 * Persist a decision as ONE transaction (`decisionOps`). Exactly one of concurrent conflicting
 * writers wins.
 */
export async function commitDecision(prev: Case | null, d: Decision, extras: CommitExtras = {}): Promise<DomainEvent[]> {
  const c = d.next;
  const { ops, domain, checkAt } = await decisionOps(prev, d, extras);
  try {
    // the token keeps an SDK retry after a lost answer from failing its own conditions (core/db/request-token.ts)
    await db().send(new TransactWriteCommand({ TransactItems: ops, ClientRequestToken: requestToken(ops, randomUUID()) }));
  } catch (e) {
    if (isTransactionInProgress(e)) throw new UnavailableError(1, "The same change is still being applied, retry");
    if (isConditionFailure(e)) {
      const failed = failedConditionIndexes(e).flatMap((i) => (checkAt.has(i) ? [checkAt.get(i)!] : []));
      if (failed.length && !failedConditionIndexes(e).includes(0)) {
        const k = failed[0];
        throw refused(k.field ?? k.kind, k.kind === "case" ? "target_not_open" : `${k.kind}_deactivated_meanwhile`, `${k.kind} ${k.id} changed meanwhile; reload and retry`, 409);
      }
      throw new ConflictError("The case was changed by someone else", { caseId: c.id });
    }
    if ((e as Error).name === "TransactionCanceledException") throw new UnavailableError(1, "Concurrent update in progress, retry");
    mapStorageError(e);
  }
  return domain;
}

/**
 * Several system decisions (due timers of different cases) in as few transactions as fit (100 items
 * each; #16). All or nothing per transaction: when one is refused (a case moved on meanwhile, a
 * reference changed, a concurrent write), it is `false` for each of its decisions and the caller
 * applies those one by one. Returns, per decision, its domain events or `false`.
 */
export async function commitDecisionsTogether(writes: DecisionWrite[]): Promise<Array<DomainEvent[] | false>> {
  const result: Array<DomainEvent[] | false> = writes.map(() => false);
  let group: number[] = [];
  let ops: any[] = [];
  // a transaction may touch an item once: the same reference check (a department both cases go to) is kept once
  let touched = new Map<string, string>();
  const keyOfOp = (op: any) => {
    const [kind, body] = Object.entries(op)[0] as [string, any];
    const k = body.Key ?? { pk: body.Item.pk, sk: body.Item.sk };
    return { id: `${k.pk}\u0000${k.sk}`, kind, same: JSON.stringify(op) };
  };
  const flush = async () => {
    if (!group.length) return;
    const members = group;
    const items = ops;
    group = [];
    ops = [];
    touched = new Map();
    try {
      await db().send(new TransactWriteCommand({ TransactItems: items, ClientRequestToken: requestToken(items, randomUUID()) }));
      for (const i of members) result[i] = writes[i].domain;
    } catch (e) {
      if (isConditionFailure(e) || isTransactionInProgress(e) || (e as Error).name === "TransactionCanceledException") return; // each alone, by the caller
      throw e;
    }
  };
  for (let i = 0; i < writes.length; i++) {
    const mine = writes[i].ops.map((op) => ({ op, ...keyOfOp(op) }));
    const fresh = (list: typeof mine) => list.filter((o) => !(o.kind === "ConditionCheck" && touched.get(o.id) === o.same));
    const clashes = (list: typeof mine) => list.some((o) => touched.has(o.id) && !(o.kind === "ConditionCheck" && touched.get(o.id) === o.same));
    if (clashes(mine) || ops.length + fresh(mine).length > 100) await flush();
    for (const o of fresh(mine)) {
      ops.push(o.op);
      touched.set(o.id, o.same);
    }
    group.push(i);
  }
  await flush();
  return result;
}

/**
 * System decisions of different cases and `extra` items (the timer sweep's watermark move) in ONE
 * transaction, all or nothing (#16: a few due timers applied by the sweep itself). "too-big" when
 * they do not fit one transaction (100 items, one item touched once) — nothing was sent; "extra" when
 * an extra item's condition failed (the watermark moved meanwhile), "refused" when anything else
 * refused it or the answer was lost: nothing is known to be written, the caller takes the queue.
 */
export async function commitDecisionsWith(writes: DecisionWrite[], extra: any[]): Promise<"applied" | "too-big" | "extra" | "refused"> {
  const ops: any[] = [];
  const touched = new Map<string, string>();
  for (const op of [...writes.flatMap((w) => w.ops), ...extra]) {
    const [kind, body] = Object.entries(op)[0] as [string, any];
    const k = body.Key ?? { pk: body.Item.pk, sk: body.Item.sk };
    const id = `${k.pk}\u0000${k.sk}`;
    const same = JSON.stringify(op);
    if (touched.has(id)) {
      if (kind === "ConditionCheck" && touched.get(id) === same) continue; // the same reference check once
      return "too-big";
    }
    touched.set(id, same);
    ops.push(op);
  }
  if (ops.length > 100) return "too-big";
  try {
    await db().send(new TransactWriteCommand({ TransactItems: ops, ClientRequestToken: requestToken(ops, randomUUID()) }));
    return "applied";
  } catch (e) {
    if (isConditionFailure(e) && failedConditionIndexes(e).some((i) => i >= ops.length - extra.length)) return "extra";
    return "refused";
  }
}

/** How far apart two reports may be to hint at each other (metres), and how long back (hours). */
export const DUPLICATE_RADIUS_M = 100;
export const DUPLICATE_WINDOW_H = 72;

/**
 * The near rows of a new case (duplicate hints): one in every geohash cell its 100 m circle may
 * touch (1–4 cells; `geohashCellsAround` covers the circle's bounding box), with the point, so a
 * later report finds every case within 100 m in the ONE cell that contains its own point (#16: a
 * hint was a Query per cell around the new point, 1–4 of them).
 */
export const nearCellsOf = (location: { lng: number; lat: number }): string[] => geohashCellsAround(location.lng, location.lat, DUPLICATE_RADIUS_M, DUPLICATE_CELL_PRECISION);

/** How long after its report a case's near rows can be found: the hint's window, + 1 h for clocks of other containers running ahead. */
export const NEAR_FINDABLE_MS = (DUPLICATE_WINDOW_H + 1) * 3600_000;

/**
 * What a decision does to its case's near rows (#16). The report puts them. A decision that ends the
 * case (closed, rejected — a merge is a rejection) deletes them in its transaction while a report can
 * still find them, so the hint's Query answers with open cases only and reads no closed case to drop
 * it; a reopen in that time puts them back. Later nothing is written: no Query reaches rows older
 * than the window (their TTL removes them after 7 days).
 */
export function nearRowChange(from: CaseState | null, to: CaseState, createdAt: string, at: string): "put" | "delete" | undefined {
  if (from === null) return "put";
  if (Date.parse(at) >= Date.parse(createdAt) + NEAR_FINDABLE_MS) return undefined;
  if (!isTerminal(from) && isTerminal(to)) return "delete";
  if (isTerminal(from) && !isTerminal(to)) return "put";
  return undefined;
}

function nearRows(c: Case) {
  const expiresAt = Math.floor(Date.parse(c.createdAt) / 1000) + 7 * 86400;
  return nearCellsOf(c.location).map((cell) =>
    item("CaseNear", keys.caseNear(cell, c.createdAt, c.id), { caseId: c.id, categoryId: c.categoryId, lng: c.location.lng, lat: c.location.lat, expiresAt }),
  );
}

/**
 * Cases of a category reported since `since` whose near rows are in the cell of this point: one
 * Query. Rows written before #16 carry no point (`lng` undefined) and sit only in their own cell;
 * they age out of the 72-hour window.
 */
export async function nearRowsAt(lng: number, lat: number, categoryId: string, since: string): Promise<Array<{ caseId: string; lng?: number; lat?: number }>> {
  const rows: Array<{ caseId: string; lng?: number; lat?: number }> = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: "pk = :pk AND sk >= :since",
        FilterExpression: "categoryId = :cat",
        ExpressionAttributeValues: { ":pk": keys.caseNear(geohash(lng, lat, DUPLICATE_CELL_PRECISION), "", "").pk, ":since": since, ":cat": categoryId },
        ExclusiveStartKey: start,
      }),
    );
    for (const r of out.Items ?? []) rows.push({ caseId: r.caseId as string, lng: r.lng as number | undefined, lat: r.lat as number | undefined });
    start = out.LastEvaluatedKey;
  } while (start);
  return rows;
}

export async function getIdempotency(callerId: string, key: string): Promise<{ caseId: string; version: number; action?: string } | undefined> {
  const out = await db().send(new GetCommand({ TableName: tableName(), Key: keys.idempotency(callerId, key), ConsistentRead: true }));
  return out.Item ? { caseId: out.Item.caseId as string, version: out.Item.version as number, action: out.Item.action as string | undefined } : undefined;
}

/** A reporter's own cases, newest first (one Query on REPORTER#…, then the cases). */
export async function casesOfReporter(kind: string, id: string, page: { limit: number; cursor?: string }): Promise<{ items: Case[]; nextCursor: string | null }> {
  const refs = await queryPage<{ caseId: string }>(
    { KeyConditionExpression: "pk = :pk", ExpressionAttributeValues: { ":pk": keys.caseByReporter(kind, id, "", "").pk }, ScanIndexForward: false },
    page,
  );
  if (!refs.items.length) return { items: [], nextCursor: refs.nextCursor };
  const out = await db().send(new BatchGetCommand({ RequestItems: { [tableName()]: { Keys: refs.items.map((r) => keys.case(r.caseId)) } } }));
  const byId = new Map((out.Responses?.[tableName()] ?? []).map((raw) => [raw.id as string, strip<Case>(raw)!]));
  return { items: refs.items.map((r) => byId.get(r.caseId)).filter((c): c is Case => Boolean(c)), nextCursor: refs.nextCursor };
}

export async function timeline(caseId: string): Promise<DomainEvent[]> {
  const events: DomainEvent[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: "pk = :pk AND begins_with(sk, :ev)",
        ExpressionAttributeValues: { ":pk": keys.case(caseId).pk, ":ev": keys.caseEventPrefix },
        ExclusiveStartKey: start,
      }),
    );
    for (const raw of out.Items ?? []) events.push(strip<DomainEvent>(raw)!);
    start = out.LastEvaluatedKey;
  } while (start);
  return events;
}

/**
 * A case and its timeline in ONE Query over the case's partition (#16: a read was a GetItem and a
 * Query): `META` is the case, `EV#…` its events in order; other items of the partition (the
 * deadline timer) are skipped. Eventually consistent, like the read it serves.
 */
export async function caseWithTimeline(caseId: string): Promise<{ case: Case | undefined; events: DomainEvent[] }> {
  let found: Case | undefined;
  const events: DomainEvent[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db().send(new QueryCommand({ TableName: tableName(), KeyConditionExpression: "pk = :pk", ExpressionAttributeValues: { ":pk": keys.case(caseId).pk }, ExclusiveStartKey: start }));
    for (const raw of out.Items ?? []) {
      if (raw.sk === keys.case(caseId).sk) found = strip<Case>(raw);
      else if (String(raw.sk).startsWith(keys.caseEventPrefix)) events.push(strip<DomainEvent>(raw)!);
    }
    start = out.LastEvaluatedKey;
  } while (start);
  return { case: found, events };
}

/** Next human-friendly number of the year, e.g. 2026-000123 (atomic counter, never reused). */
export async function allocateNumber(year: string): Promise<string> {
  const out = await db().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.caseCounter(year),
      UpdateExpression: "ADD n :one SET #et = :et",
      ExpressionAttributeNames: { "#et": "_et" },
      ExpressionAttributeValues: { ":one": 1, ":et": "Counter" },
      ReturnValues: "UPDATED_NEW",
    }),
  );
  return `${year}-${String(out.Attributes!.n).padStart(6, "0")}`;
}

export { SHARDS };
