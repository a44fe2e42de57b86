/** The audit trail in the user's language: action names, object types and a summary from the stored fields. */
type Translate = (key: string, options?: Record<string, unknown>) => string;

export interface AuditRecord {
  action: string;
  entity: string;
  entityId: string;
  summary?: string;
  reason?: string;
  changes?: Record<string, unknown>;
  actor?: { kind: string; id: string; name?: string };
}

/** Every action the API audits (core/**: `action: "…"`), for the filter. */
export const AUDIT_ACTIONS = [
  "apikey.create", "apikey.revoke", "appraisal.lock", "appraisal.run", "calendar.update", "category.create", "category.update",
  "department.create", "department.update", "duties.config", "export.approve", "export.download", "export.ready", "export.refuse",
  "export.request", "household.create", "household.update", "household.delete", "person.create", "person.update", "person.delete",
  "place.create", "place.update", "place.delete", "indicator.define", "indicator.update", "indicators.enter", "keylist.create",
  "keylist.update", "ops.redrive", "points.redeem", "registry.reveal", "registry.search", "scoring-rules.update", "settings.update",
  "task.approve", "task.complete", "task.refuse", "task.request", "tasktype.create", "tasktype.update", "unit.create", "unit.update",
  "unit.move", "unit.deactivate", "unit.import", "user.create", "user.update", "webhook.create", "webhook.update", "webhook.redeliver",
] as const;

/** Object types of audit entries, for the filter. */
export const AUDIT_ENTITIES = ["unit", "department", "category", "user", "api-key", "calendar", "settings", "case", "queue", "household", "person", "place", "export", "task", "webhook", "appraisal", "job"] as const;

export function actionLabel(translate: Translate, action: string): string {
  return translate(`app.audit_log.actions.${action}`, { _: translate(`app.cases.actions.${action}`, { _: action }) });
}

export function entityLabel(translate: Translate, entity: string): string {
  return translate(`app.audit.entities.${entity}`, { _: translate(`app.audit_log.entities.${entity}`, { _: entity }) });
}

/** The fields a reveal showed (`revealed idNumber, phone`). */
export const revealedFields = (summary: string | undefined): string[] =>
  (summary ?? "").replace(/^revealed\s+/, "").split(",").map((s) => s.trim()).filter(Boolean);

/** The console resource of an audit entry's object type (its field labels are `resources.<resource>.fields.*`). */
const RESOURCE_OF: Record<string, string> = {
  unit: "units", department: "departments", category: "categories", user: "users", "api-key": "api-keys", case: "cases",
  household: "households", person: "people", place: "places", export: "exports", task: "tasks", webhook: "webhooks",
};

/** A field of an object type by its label in the reader's language (the field's name when it has none). */
export function fieldLabel(translate: Translate, entity: string, field: string): string {
  const resource = RESOURCE_OF[entity];
  const common = translate(`app.audit_log.field_names.${field}`, { _: field });
  return resource ? translate(`resources.${resource}.fields.${field}`, { _: common }) : common;
}

/** A summary in the user's language: what changed, what was revealed, else the stored text. */
export function summaryText(translate: Translate, r: AuditRecord): string {
  if (r.action === "registry.reveal") return translate("app.audit_log.summary.revealed", { fields: revealedFields(r.summary).map((f) => fieldLabel(translate, r.entity, f)).join("、") });
  if (r.action === "ops.redrive") return translate("app.audit_log.summary.redrive", { count: /sent (\d+)/.exec(r.summary ?? "")?.[1] ?? "?" });
  const changed = Object.keys(r.changes ?? {});
  if (changed.length) return translate("app.audit_log.summary.changed", { fields: changed.map((f) => fieldLabel(translate, r.entity, f)).join("、") });
  return r.summary ?? "";
}

/**
 * Whether the summary shown is the text stored with the entry (no structured changes or reveal to
 * translate): for creations it is the record's code and name as the county typed them.
 */
export function summaryIsStored(r: AuditRecord): boolean {
  return r.action !== "registry.reveal" && r.action !== "ops.redrive" && Object.keys(r.changes ?? {}).length === 0;
}
