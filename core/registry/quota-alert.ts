import { actorOf, auditPut, type AuditEntry } from "../audit/entry.ts";
import type { Principal } from "../auth/principal.ts";
import { staffLookup } from "../duty/staff.ts";
import { writeNotices } from "../duty/notice.ts";
import { firstAlertOfDay } from "./repo-quota.ts";
import { putAuditRow } from "../audit/repo-row.ts";

/**
 * The county admin's alert when a registry quota refuses someone (docs/security.md): every refusal
 * is audited as `registry.quota_exceeded` (GET /v1/audit?action=registry.quota_exceeded), and the
 * first refusal of a quota for one subject (a user, a community) on a county day puts a notice in
 * the inbox of every county admin (type `registry.quota_exceeded`). "First" is decided by one
 * atomic `ADD n 1` on an alert counter (`QUOTA#ALERT#<quota>#<subject>`, `DAY#<day>`): only the
 * call that gets 1 back writes the notice, so concurrent refusals and retries alert once.
 */
export async function quotaRefused(
  p: Principal,
  audit: Omit<AuditEntry, "id" | "at" | "actor" | "action" | "entity">,
  alert: { quota: string; subject: string; day: string; title: string; reason: string; data: Record<string, unknown> },
  now: Date,
): Promise<void> {
  await putAuditRow(auditPut({ actor: actorOf(p), action: "registry.quota_exceeded", entity: "registry", ...audit }, now));
  if (!(await firstAlertOfDay(alert.quota, alert.subject, alert.day, now))) return;
  const root = (audit.unitPath ?? "/").split("/").filter(Boolean)[0];
  const admins = root ? await staffLookup().onUnit(root) : [];
  const ids = [...new Set(admins.filter((r) => r.role === "county_admin").map((r) => r.userId))];
  await writeNotices(
    ids.map((userId) => ({
      userId,
      id: `registry.quota_exceeded.${alert.quota}.${alert.subject}.${alert.day}`,
      type: "registry.quota_exceeded",
      at: now.toISOString(),
      reason: alert.reason,
      title: alert.title,
      data: { quota: alert.quota, day: alert.day, actorId: p.id, ...alert.data },
    })),
  );
}
