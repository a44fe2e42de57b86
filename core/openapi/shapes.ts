import * as z from "zod/mini";
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
    code: z.string().check(z.meta({ description: "machine-readable: invalid, unauthorized, forbidden, not_found, conflict, gone, payload_too_large, rate_limited, unavailable, internal" })),
    message: z.string(),
    details: z.nullable(z.unknown()).check(z.meta({ description: "e.g. {fields:[{path,message,code}]} for invalid input, {retryAfterSeconds} for 429/503" })),
  }),
});

export const page = <T extends z.ZodMiniType>(item: T) => z.object({ items: z.array(item), nextCursor: z.nullable(z.string()) });

export const Health = z.object({ status: z.literal("ok"), app: z.string(), schema: z.number().check(z.int()), time: z.string() });

/** `refreshToken` is absent when the console asked for the HttpOnly cookie (`X-Wangge-Session: cookie`, core/user/cookie.ts). */
export const Session = z.object({ accessToken: z.string(), expiresAt: z.string(), refreshToken: z.optional(z.string()), user: User });

/** `GET /v1/me`: a staff user is its account (functions/auth/me.ts `publicUser`) plus permissions; other callers only kind, id, permissions. */
export const Me = z.discriminatedUnion("kind", [
  z.extend(User, { kind: z.literal("user"), permissions: z.array(Permission) }),
  z.object({ kind: z.enum(["api_key", "resident", "system"]), id: z.string(), permissions: z.array(Permission) }),
]);

export const RoleList = page(z.object({ id: RoleName, permissions: z.array(Permission) }));

export const UnitBrief = z.object({ id: z.string(), name: z.string(), code: z.string(), level: z.string(), path: z.string() });
export const Located = z.object({ unit: UnitBrief, ancestors: z.array(UnitBrief) });
export const Moved = z.object({ unit: Unit, moved: z.number().check(z.int()) });

export const CreatedApiKey = z.extend(ApiKey, { key: z.string().check(z.meta({ description: "the secret, shown only in this response" })) });

export const CategoryView = z.looseObject({
    id: z.string(),
    code: z.string(),
    name: z.string(),
    parentId: z.nullable(z.string()),
    active: z.boolean(),
    version: z.number().check(z.int()),
    createdAt: z.string(),
    updatedAt: z.string(),
    effective: z.looseObject({ isDispute: z.boolean(), police: z.boolean(), urgent: z.boolean(), departmentIds: z.array(z.string()), claimWindow: z.boolean() }),
  });
export const CategoryItem = z.omit(CategoryView, { effective: true });

export const CalendarRecord = z.safeExtend(Calendar, { version: z.number().check(z.int()), updatedAt: z.optional(z.string()) });
export const CalendarVersion = z.looseObject({ version: z.number().check(z.int()) });

export { Settings, Unit, User, Department, ApiKey, Case };

/** A timeline entry as the API returns it (a resident sees no notes, data or staff attachments). */
export const TimelineEvent = z.catchall(z.extend(CaseEvent, { id: z.string(), caseId: z.string() }), z.unknown());

export const CaseView = z.object({
  case: Case,
  allowedActions: z.array(z.string()),
  timeline: z.optional(z.array(TimelineEvent)),
  possibleDuplicates: z.optional(z.array(z.object({ id: z.string(), number: z.string(), state: z.string(), distanceMeters: z.number(), createdAt: z.string() }))),
  replayed: z.optional(z.boolean()),
  /** the case's deadline falls in a year without official holidays (counted Monday–Friday): import the notice */
  warnings: z.optional(z.array(CalendarWarning)),
});

export const Upload = z.object({
  key: z.string(),
  kind: Attachment.shape.kind.def.innerType,
  uploadUrl: z.string(),
  method: z.literal("PUT"),
  headers: z.record(z.string(), z.string()),
  expiresAt: z.string(),
});

export const Download = z.object({ key: z.string(), url: z.string(), expiresInSeconds: z.number().check(z.int()) });

export const Notification = z.looseObject({
    id: z.string(),
    eventId: z.string(),
    caseId: z.string().check(z.meta({ description: "empty for duty notifications (tasks, visits, patrols)" })),
    caseNumber: z.string(),
    type: z.string(),
    at: z.string(),
    read: z.boolean(),
    reason: z.string(),
    title: z.optional(z.string()).check(z.meta({ description: "duty notifications: what it is about" })),
    data: z.optional(z.record(z.string(), z.unknown())).check(z.meta({ description: "duty notifications: e.g. the task's id (taskId)" })),
  });

export const AuditEntry = z.looseObject({ id: z.string(), at: z.string(), actor: z.extend(ActorRef, { kind: z.string(), name: z.optional(z.string()) }), action: z.string(), entity: z.string(), entityId: z.string(), summary: z.string() });

export const JobView = z.omit(Job, { scopes: true });
export const JobAccepted = z.object({ jobId: z.string() });

export const WebhookView = z.extend(z.omit(Webhook, { secret: true }), { secretHint: z.string() });
export const WebhookWithSecret = z.extend(WebhookView, { secret: z.string().check(z.meta({ description: "the signing secret, shown only in this response" })) });
export { Delivery };

export const ExportRedirect = z.object({ url: z.string(), fileName: z.string() });
export const ImportUpload = z.looseObject({ key: z.string(), uploadUrl: z.string() });
