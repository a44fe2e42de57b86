import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import { ulid } from "ulid";
import { z } from "zod";
import { db, tableName } from "../db/client.ts";
import { keys } from "../db/keys.ts";
import { item, strip, encodeCursor, decodeCursor } from "../db/items.ts";
import type { Principal } from "../auth/principal.ts";
import { InvalidError } from "../errors.ts";

export interface AuditEntry {
  id: string;
  at: string;
  actor: { kind: string; id: string; name?: string };
  action: string;
  entity: string;
  entityId: string;
  summary: string;
  reason?: string;
  changes?: Record<string, { from: unknown; to: unknown }>;
}

export function actorOf(p: Principal): AuditEntry["actor"] {
  return { kind: p.kind, id: p.id, name: p.kind === "user" ? p.username : undefined };
}

/** Field-level diff of two records (top-level keys), for the audit trail. */
export function diff(before: Record<string, unknown> | undefined, after: Record<string, unknown>): Record<string, { from: unknown; to: unknown }> {
  const out: Record<string, { from: unknown; to: unknown }> = {};
  for (const k of new Set([...Object.keys(before ?? {}), ...Object.keys(after)])) {
    if (k === "version" || k === "updatedAt") continue;
    const a = before?.[k];
    const b = after[k];
    if (JSON.stringify(a) !== JSON.stringify(b)) out[k] = { from: a ?? null, to: b ?? null };
  }
  return out;
}

/**
 * An audit row to put in the same transaction as the change it records (so a change without
 * its audit entry cannot exist). Partitioned by month: `AUDIT#YYYY-MM`, sorted by ULID (time).
 */
export function auditPut(e: Omit<AuditEntry, "id" | "at">, now: Date) {
  const id = ulid(now.getTime());
  const entry: AuditEntry = { id, at: now.toISOString(), ...e };
  return { Put: { TableName: tableName(), Item: item("Audit", keys.audit(entry.at.slice(0, 7), id), entry) } };
}

export const AuditQuery = z.object({
  month: z.string().regex(/^\d{4}-\d{2}$/).optional(),
  entity: z.string().max(40).optional(),
  entityId: z.string().max(80).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(2000).optional(),
});

/** Newest first, one month at a time. */
export async function listAudit(q: z.infer<typeof AuditQuery>, now: Date) {
  const month = q.month ?? now.toISOString().slice(0, 7);
  const filters: string[] = [];
  const values: Record<string, unknown> = { ":pk": keys.audit(month, "").pk };
  if (q.entity) {
    filters.push("entity = :e");
    values[":e"] = q.entity;
  }
  if (q.entityId) {
    filters.push("entityId = :id");
    values[":id"] = q.entityId;
  }
  const start = decodeCursor(q.cursor);
  // a cursor of another partition (or month) is not one this list issued: 400, not a storage error
  if (start && (start.pk !== values[":pk"] || typeof start.sk !== "string" || Object.keys(start).length !== 2)) {
    throw new InvalidError("Invalid cursor", { fields: [{ path: "cursor", message: "not a cursor of this list" }] });
  }
  const out = await db().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: "pk = :pk",
      FilterExpression: filters.length ? filters.join(" AND ") : undefined,
      ExpressionAttributeValues: values,
      ScanIndexForward: false,
      Limit: q.limit,
      ExclusiveStartKey: start,
    }),
  );
  return { items: (out.Items ?? []).map((i) => strip<AuditEntry>(i)!), nextCursor: encodeCursor(out.LastEvaluatedKey) ?? null };
}
