import { ulid } from "ulid";
import { sqsSend } from "../sqs.ts";
import { presignS3 } from "../s3-presign.ts";
import type { Page } from "../db/page.ts";
import { ConflictError, ForbiddenError, InvalidError, NotFoundError } from "../errors.ts";
import { actorOf, auditPut } from "../audit/entry.ts";
import { hasPermission, inScopes, requireScope, scopesFor, type Principal } from "../auth/principal.ts";
import { parse } from "../validate.ts";
import { unitInScope } from "../registry/access.ts";
import { commit, put } from "../registry/repo.ts";
import { countDownload, exportItem, exportsPage, getExport } from "./repo.ts";
import { DATASETS, personalFields } from "./datasets.ts";
import { ApproveExport, ExportQuery, RefuseExport, RequestExport, type ExportRequest } from "./schema.ts";

/**
 * Exports with approval: a department asks (dataset, unit scope, fields, purpose); the center
 * approves or refuses; an approved export is built by the `exports` queue consumer into a CSV
 * under `exports/` and only its requester downloads it, through a presigned URL valid for
 * five minutes. Every step is audited.
 */
export const DOWNLOAD_SECONDS = 300;

const who = (p: Principal) => ({ id: p.id, name: p.kind === "user" ? p.username : undefined });

/** The requester, or an approver over the export's unit, may see it; anyone else gets 404. */
async function visibleExport(p: Principal, id: string): Promise<ExportRequest> {
  const e = await getExport(id);
  if (!e || !(e.requestedBy.id === p.id || inScopes(e.unitPath, scopesFor(p, "exports:approve")))) throw new NotFoundError(`Export ${id} not found`);
  return e;
}

export async function requestExport(p: Principal, input: unknown, now: Date): Promise<ExportRequest> {
  const data = parse(RequestExport, input, "export request");
  const def = DATASETS[data.dataset];
  const personal = personalFields(data.dataset);
  const fields = [
    ...data.fields.flatMap((f, i) => (Object.hasOwn(def.fields, f) ? [] : [{ path: `fields.${i}`, message: `not a field of ${data.dataset}` }])),
    ...data.unmasked.flatMap((f, i) => (personal.includes(f) && data.fields.includes(f) ? [] : [{ path: `unmasked.${i}`, message: "not a requested personal field" }])),
  ];
  if (fields.length) throw new InvalidError("Invalid export request", { fields });
  const unit = await unitInScope(p, data.unitId, "exports:request");
  const at = now.toISOString();
  const e: ExportRequest = {
    id: ulid(now.getTime()),
    dataset: data.dataset,
    unitId: unit.id,
    unitPath: unit.path,
    unitCode: unit.code,
    unitName: unit.name,
    fields: data.fields,
    purpose: data.purpose,
    unmaskedRequested: [...new Set(data.unmasked)],
    unmaskedApproved: [],
    state: "requested",
    requestedBy: who(p),
    departmentId: p.kind === "user" ? p.assignments.find((a) => a.departmentId)?.departmentId : undefined,
    downloads: 0,
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
  await commit([
    put(exportItem(e), "attribute_not_exists(pk)"),
    auditPut({ actor: actorOf(p), action: "export.request", entity: "export", entityId: e.id, summary: `${e.dataset} of ${unit.code} ${unit.name}: ${e.fields.join(", ")}`, reason: e.purpose }, now),
  ]);
  return e;
}

async function enqueueBuild(id: string): Promise<void> {
  const url = process.env.WANGGE_QUEUE_EXPORTS_URL;
  if (!url) throw new Error("WANGGE_QUEUE_EXPORTS_URL is not set");
  await sqsSend("SendMessage", { QueueUrl: url, MessageBody: JSON.stringify({ exportId: id }) });
}

const decide = (e: ExportRequest, set: Partial<ExportRequest>, now: Date) => {
  const next: ExportRequest = { ...e, ...set, version: e.version + 1, updatedAt: now.toISOString() };
  return { next, op: put(exportItem(next), "#s = :s AND #v = :v", { ":s": "requested", ":v": e.version }, { "#s": "state", "#v": "version" }) };
};

/** Approve (center): personal fields stay masked unless listed in `unmasked`. Re-approving an approved export re-queues its build. */
export async function approveExport(p: Principal, id: string, input: unknown, now: Date): Promise<ExportRequest> {
  const data = parse(ApproveExport, input ?? {}, "approval");
  const e = await visibleExport(p, id);
  requireScope(p, "exports:approve", e.unitPath);
  if (e.requestedBy.id === p.id) throw new ForbiddenError("An export cannot be approved by its requester");
  if (e.state === "approved") {
    await enqueueBuild(id);
    return e;
  }
  if (e.state !== "requested") throw new ConflictError(`The export is ${e.state}`, { state: e.state });
  const bad = data.unmasked.flatMap((f, i) => (e.unmaskedRequested.includes(f) ? [] : [{ path: `unmasked.${i}`, message: "not requested in clear" }]));
  if (bad.length) throw new InvalidError("Invalid approval", { fields: bad });
  const { next, op } = decide(e, { state: "approved", unmaskedApproved: [...new Set(data.unmasked)], decidedBy: who(p), decidedAt: now.toISOString(), decisionNote: data.note }, now);
  await commit(
    [op, auditPut({ actor: actorOf(p), action: "export.approve", entity: "export", entityId: id, summary: `approved; in clear: ${next.unmaskedApproved.join(", ") || "none"}`, reason: data.note }, now)],
    async () => {
      throw new ConflictError("The export was decided meanwhile", { current: await getExport(id) });
    },
  );
  await enqueueBuild(id);
  return next;
}

export async function refuseExport(p: Principal, id: string, input: unknown, now: Date): Promise<ExportRequest> {
  const { reason } = parse(RefuseExport, input, "refusal");
  const e = await visibleExport(p, id);
  requireScope(p, "exports:approve", e.unitPath);
  if (e.state !== "requested") throw new ConflictError(`The export is ${e.state}`, { state: e.state });
  const { next, op } = decide(e, { state: "refused", decidedBy: who(p), decidedAt: now.toISOString(), decisionNote: reason }, now);
  await commit([op, auditPut({ actor: actorOf(p), action: "export.refuse", entity: "export", entityId: id, summary: "refused", reason }, now)], async () => {
    throw new ConflictError("The export was decided meanwhile", { current: await getExport(id) });
  });
  return next;
}

export async function readExport(p: Principal, id: string): Promise<ExportRequest> {
  return visibleExport(p, id);
}

/** Approvers see every export (newest first); requesters their own. */
export async function listExports(p: Principal, input: unknown): Promise<Page<ExportRequest>> {
  const q = parse(ExportQuery, input, "query");
  const approver = hasPermission(p, "exports:approve");
  const scopes = scopesFor(p, "exports:approve");
  return exportsPage(approver ? { all: true } : { all: false, requesterId: p.id }, q.state, q, (raw) => !approver || inScopes(String(raw.unitPath), scopes));
}

/** The requester's short-lived download of a ready export; refused (403) unless approved. */
export async function downloadExport(p: Principal, id: string, now: Date): Promise<{ url: string; expiresInSeconds: number; filename: string; rowCount: number }> {
  const e = await getExport(id);
  if (!e || e.requestedBy.id !== p.id) throw new NotFoundError(`Export ${id} not found`);
  if (e.state === "requested" || e.state === "refused") throw new ForbiddenError(e.state === "refused" ? "This export was refused" : "This export has not been approved", { state: e.state });
  if (e.state !== "ready" || !e.objectKey) throw new ConflictError("The export is being prepared; try again shortly", { state: e.state });
  await commit([
    countDownload(id),
    auditPut({ actor: actorOf(p), action: "export.download", entity: "export", entityId: id, summary: `${e.filename} (${e.rowCount} rows)` }, now),
  ]);
  const url = await presignS3("GET", e.objectKey, {
    expiresIn: DOWNLOAD_SECONDS,
    query: { "response-content-disposition": `attachment; filename="${e.filename}"`, "response-content-type": "text/csv; charset=utf-8" },
  });
  return { url, expiresInSeconds: DOWNLOAD_SECONDS, filename: e.filename!, rowCount: e.rowCount ?? 0 };
}

