import { BatchGetCommand, PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { db, tableName } from "../db/client.ts";
import * as keys from "../db/keys.ts";
import { item, strip } from "../db/items.ts";
import type { DomainEvent } from "../case/repo.ts";
import type { Case } from "../case/schema.ts";

// the extras POST requests writes (core/open311/repo-extras.ts, apart so that a report does not load the feeds)
export { putExtras, type Open311Extras } from "./repo-extras.ts";
import type { Open311Extras } from "./repo-extras.ts";

export async function getExtras(caseIds: string[]): Promise<Map<string, Open311Extras>> {
  const found = new Map<string, Open311Extras>();
  const unique = [...new Set(caseIds)];
  for (let i = 0; i < unique.length; i += 100) {
    let request: Record<string, any> | undefined = { [tableName()]: { Keys: unique.slice(i, i + 100).map((id) => keys.open311Extras(id)) } };
    while (request && Object.keys(request).length) {
      const out: { Responses?: Record<string, Record<string, unknown>[]>; UnprocessedKeys?: Record<string, any> } = await db().send(new BatchGetCommand({ RequestItems: request }));
      for (const raw of out.Responses?.[tableName()] ?? []) {
        const x = strip<Open311Extras>(raw)!;
        found.set(x.caseId, x);
      }
      request = out.UnprocessedKeys;
    }
  }
  return found;
}

// ---------------------------------------------------------------- updates feed

/** Events partners never see in the feed: internal comments and reminders. */
const PRIVATE_EVENTS = new Set(["commented", "supervision_reminder"]);
const FEED_DAYS = 100;

/** A public, note-free entry of the Open311 service request updates feed. */
export interface FeedEntry {
  eventId: string;
  caseId: string;
  type: string;
  to: string;
  at: string;
  unitPath: string;
}

/**
 * The updates feed's item of one domain event (UTC day partitions, time-ordered, expiring after 100
 * days), or nothing for a private event. Idempotent: a redelivered event rewrites the same item.
 * Notes, actors and data are not copied. The events consumer writes it with the batch's other plain
 * writes (core/db/repo-batch.ts).
 */
export function partnerUpdateItem(e: DomainEvent): Record<string, unknown> | undefined {
  if (PRIVATE_EVENTS.has(e.type)) return undefined;
  const entry: FeedEntry = { eventId: e.id, caseId: e.caseId, type: e.type, to: e.to, at: e.at, unitPath: e.unitPath };
  return { ...item("Open311Update", keys.open311Update(e.at.slice(0, 10), e.at, e.id), entry), expiresAt: Math.floor(Date.parse(e.at) / 1000) + FEED_DAYS * 86_400 };
}

/** Index one domain event in the updates feed (`partnerUpdateItem`, one PutItem). */
export async function recordPartnerUpdate(e: DomainEvent): Promise<boolean> {
  const Item = partnerUpdateItem(e);
  if (!Item) return false;
  await db().send(new PutCommand({ TableName: tableName(), Item }));
  return true;
}

/** Feed entries with `from <= at < to`, oldest first, within the caller's unit subtree; at most `limit`. */
export async function feedBetween(from: Date, to: Date, scope: string, limit: number): Promise<{ entries: FeedEntry[]; truncated: boolean }> {
  const entries: FeedEntry[] = [];
  const lo = from.toISOString();
  const hi = to.toISOString();
  for (let day = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate()); day < to.getTime(); day += 86_400_000) {
    let start: Record<string, unknown> | undefined;
    do {
      const out = await db().send(
        new QueryCommand({
          TableName: tableName(),
          KeyConditionExpression: "pk = :pk AND sk BETWEEN :lo AND :hi",
          FilterExpression: "begins_with(unitPath, :scope)",
          ExpressionAttributeValues: { ":pk": keys.open311Update(new Date(day).toISOString().slice(0, 10), "", "").pk, ":lo": lo, ":hi": hi, ":scope": scope },
          ExclusiveStartKey: start,
        }),
      );
      for (const raw of out.Items ?? []) {
        const e = strip<FeedEntry>(raw)!;
        if (e.at >= hi) continue; // BETWEEN is inclusive; `hi#…` sorts after `hi`
        entries.push(e);
        if (entries.length > limit) return { entries: entries.slice(0, limit), truncated: true };
      }
      start = out.LastEvaluatedKey;
    } while (start);
  }
  return { entries, truncated: false };
}

// ---------------------------------------------------------------- requests by state

/** Cases of one state created in [from, to] (gsi2 `CASES#STATE#<state>`), newest first, at most `limit` after the scope path and category filters. */
export async function casesByStateBetween(state: string, from: Date, to: Date, filter: { categoryIds?: string[]; scope: string }, limit: number): Promise<Case[]> {
  const out: Case[] = [];
  const values: Record<string, unknown> = { ":pk": keys.caseByState(state, "", "").gsi2pk, ":lo": from.toISOString(), ":hi": `${to.toISOString()}~`, ":scope": filter.scope };
  const conds = ["begins_with(unitPath, :scope)"];
  if (filter.categoryIds) {
    conds.push(`categoryId IN (${filter.categoryIds.map((_, i) => `:c${i}`).join(", ")})`);
    filter.categoryIds.forEach((id, i) => (values[`:c${i}`] = id));
  }
  let start: Record<string, unknown> | undefined;
  do {
    const res = await db().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: "gsi2",
        KeyConditionExpression: "gsi2pk = :pk AND gsi2sk BETWEEN :lo AND :hi",
        FilterExpression: conds.join(" AND "),
        ExpressionAttributeValues: values,
        ScanIndexForward: false,
        ExclusiveStartKey: start,
      }),
    );
    for (const raw of res.Items ?? []) {
      out.push(strip<Case>(raw)!);
      if (out.length >= limit) return out;
    }
    start = res.LastEvaluatedKey;
  } while (start);
  return out;
}
