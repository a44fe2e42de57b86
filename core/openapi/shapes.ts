import * as z from "zod";
import { Permission, RoleName } from "../auth/roles.ts";
import { ApiKey } from "../apikey/schema.ts";
import { Calendar } from "../calendar/schema.ts";
import { CalendarWarning } from "../calendar/coverage.ts";
import { ActorRef, Attachment, Case, CaseEvent } from "../case/schema.ts";
import { Department } from "../department/schema.ts";
import { Settings } from "../settings/settings.ts";
import { Unit } from "../unit/schema.ts";
import { User } from "../user/schema.ts";
import { Delivery, Webhook } from "../webhook/schema.ts";
import { Job } from "../job/schema.ts";

/**
 * Response shapes for the API reference, built from the schemas core already has. Where core
 * returns a TypeScript type without a zod schema, the shape here lists the documented fields and
 * allows more (`.loose()`), so the reference never promises less than the API sends.
 */

export const ErrorBody = z.object({
  error: z.object({
    code: z.string().meta({ description: "machine-readable: invalid, unauthorized, forbidden, not_found, conflict, payload_too_large, rate_limited, unavailable, internal" }),
    message: z.string(),
    details: z.unknown().nullable().meta({ description: "e.g. {fields:[{path,message,code}]} for invalid input, {retryAfterSeconds} for 429/503" }),
  }),
});

export const page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const Health = z.object({ status: z.literal("ok"), app: z.string(), schema: z.number().int(), time: z.string() });

/** `refreshToken` is absent when the console asked for the HttpOnly cookie (`X-Wangge-Session: cookie`, core/user/cookie.ts). */
export const Session = z.object({ accessToken: z.string(), expiresAt: z.string(), refreshToken: z.string().optional(), user: User });

/** `GET /v1/me`: a staff user is its account (functions/auth/me.ts `publicUser`) plus permissions; other callers only kind, id, permissions. */
export const Me = z.discriminatedUnion("kind", [
  User.extend({ kind: z.literal("user"), permissions: z.array(Permission) }),
  z.object({ kind: z.enum(["api_key", "resident", "system"]), id: z.string(), permissions: z.array(Permission) }),
]);

export const RoleList = page(z.object({ id: RoleName, permissions: z.array(Permission) }));

export const UnitBrief = z.object({ id: z.string(), name: z.string(), code: z.string(), level: z.string(), path: z.string() });
export const Located = z.object({ unit: UnitBrief, ancestors: z.array(UnitBrief) });
export const Moved = z.object({ unit: Unit, moved: z.number().int() });

export const CreatedApiKey = ApiKey.extend({ key: z.string().meta({ description: "the secret, shown only in this response" }) });

export const CategoryView = z
  .object({
    id: z.string(),
    code: z.string(),
    name: z.string(),
    parentId: z.string().nullable(),
    active: z.boolean(),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
    effective: z.object({ isDispute: z.boolean(), police: z.boolean(), urgent: z.boolean(), departmentIds: z.array(z.string()), claimWindow: z.boolean() }).loose(),
  })
  .loose();
export const CategoryItem = CategoryView.omit({ effective: true });

export const CalendarRecord = Calendar.safeExtend({ version: z.number().int(), updatedAt: z.string().optional() });
export const CalendarVersion = z.object({ version: z.number().int() }).loose();

export { Settings, Unit, User, Department, ApiKey, Case };

/** A timeline entry as the API returns it (a resident sees no notes, data or staff attachments). */
export const TimelineEvent = CaseEvent.extend({ id: z.string(), caseId: z.string() }).loose();

export const CaseView = z.object({
  case: Case,
  allowedActions: z.array(z.string()),
  timeline: z.array(TimelineEvent).optional(),
  possibleDuplicates: z.array(z.object({ id: z.string(), number: z.string(), state: z.string(), distanceMeters: z.number(), createdAt: z.string() })).optional(),
  replayed: z.boolean().optional(),
  /** the case's deadline falls in a year without official holidays (counted Monday–Friday): import the notice */
  warnings: z.array(CalendarWarning).optional(),
});

export const Upload = z.object({
  key: z.string(),
  kind: Attachment.shape.kind.unwrap(),
  uploadUrl: z.string(),
  method: z.literal("PUT"),
  headers: z.record(z.string(), z.string()),
  expiresAt: z.string(),
});

export const Download = z.object({ key: z.string(), url: z.string(), expiresInSeconds: z.number().int() });

export const Notification = z
  .object({
    id: z.string(),
    eventId: z.string(),
    caseId: z.string().meta({ description: "empty for duty notifications (tasks, visits, patrols)" }),
    caseNumber: z.string(),
    type: z.string(),
    at: z.string(),
    read: z.boolean(),
    reason: z.string(),
    title: z.string().optional().meta({ description: "duty notifications: what it is about" }),
    data: z.record(z.string(), z.unknown()).optional().meta({ description: "duty notifications: e.g. the task's id (taskId)" }),
  })
  .loose();

export const AuditEntry = z
  .object({ id: z.string(), at: z.string(), actor: ActorRef.extend({ kind: z.string(), name: z.string().optional() }), action: z.string(), entity: z.string(), entityId: z.string(), summary: z.string() })
  .loose();

export const JobView = Job.omit({ scopes: true });
export const JobAccepted = z.object({ jobId: z.string() });

export const WebhookView = Webhook.omit({ secret: true }).extend({ secretHint: z.string() });
export const WebhookWithSecret = WebhookView.extend({ secret: z.string().meta({ description: "the signing secret, shown only in this response" }) });
export { Delivery };

export const ExportRedirect = z.object({ url: z.string(), fileName: z.string() });
export const ImportUpload = z.object({ key: z.string(), uploadUrl: z.string() }).loose();
