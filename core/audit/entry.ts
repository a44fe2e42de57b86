import { ulid } from "ulid";
import { tableName } from "../db/client.ts";
import * as keys from "../db/keys.ts";
import { item } from "../db/items.ts";
import { noteAuditMonth } from "./marks.ts";
import type { Principal } from "../auth/principal.ts";

/*
 * The audit row written with each change (auditPut, actorOf, diff). The list route's query, plan
 * and read are in ./list.ts: the many routes that write an audit row do not load the audit list's
 * schemas, settings and calendar code (issue #15, docs/deploy.md "Cold path").
 */

export interface AuditEntry {
  id: string;
  at: string;
  actor: { kind: string; id: string; name?: string };
  action: string;
  entity: string;
  entityId: string;
  summary: string;
  reason?: string;
  /** a structured purpose (registry reveals and searches: a code of core/registry/schema.ts PURPOSES) */
  purpose?: string;
  /** a reference the purpose points at (a case number, a ticket) */
  reference?: string;
  /** the part of the hierarchy the entry touches (scoped reading: audit:read below the county sees only its subtree) */
  unitPath?: string;
  changes?: Record<string, { from: unknown; to: unknown }>;
  /** further facts of the entry (a search's hashed query and what matched; a quota refusal's limit) */
  details?: Record<string, unknown>;
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

/** Index keys of an audit row: by actor (gsi1), by action (gsi2), by object (gsi3); each sorted by the row's ULID (time). */
export const auditIndexKeys = (e: Pick<AuditEntry, "id" | "actor" | "action" | "entity" | "entityId">) => ({
  gsi1pk: `AUDIT#ACTOR#${e.actor.id}`,
  gsi1sk: e.id,
  gsi2pk: `AUDIT#ACTION#${e.action}`,
  gsi2sk: e.id,
  gsi3pk: `AUDIT#OBJ#${e.entity}#${e.entityId}`,
  gsi3sk: e.id,
});

/**
 * An audit row to put in the same transaction as the change it records (so a change without
 * its audit entry cannot exist). Partitioned by month: `AUDIT#YYYY-MM`, sorted by ULID (time),
 * and indexed by actor, action and object so that filters are key conditions (docs/data-model.md).
 * Notes the row's month for the audit retention's month markers (core/audit/marks.ts).
 */
export function auditPut(e: Omit<AuditEntry, "id" | "at">, now: Date) {
  const id = ulid(now.getTime());
  const entry: AuditEntry = { id, at: now.toISOString(), ...e };
  noteAuditMonth(entry.at.slice(0, 7)); // the month's marker for the retention (core/audit/marks.ts)
  return { Put: { TableName: tableName(), Item: { ...item("Audit", keys.audit(entry.at.slice(0, 7), id), entry), ...auditIndexKeys(entry) } } };
}

