import * as z from "zod/mini";
import { IdRef } from "../db/ids.ts";
import { Permission } from "../auth/roles.ts";
import { GRANTABLE_CHANNELS } from "./channel-grant.ts";

export const ApiKey = z.object({
  id: z.string(),
  name: z.string(),
  permissions: z.array(Permission),
  unitId: z.optional(z.string()),
  unitPath: z.optional(z.string()),
  rateLimitPerMinute: z.number().check(z.int()),
  /** report channels other than `partner` the key may use (explicit grant; absent = none) */
  channels: z.optional(z.array(z.string())),
  createdAt: z.string(),
  createdBy: z.string(),
  lastUsedAt: z.optional(z.string()),
  revokedAt: z.optional(z.string()),
  version: z.number().check(z.int()),
});
export type ApiKey = z.infer<typeof ApiKey>;

/**
 * Permissions a partner key may hold (an allow-list: new permissions are not grantable until
 * added here): reading configuration, reporting, reading and acting on cases, reading appraisals.
 * Never administration of the county, users, keys, webhooks or personal data.
 */
export const GrantablePermission = z.enum(["units:read", "departments:read", "categories:read", "calendar:read", "cases:read", "cases:report", "cases:act", "appraisals:read"] as const satisfies readonly z.infer<typeof Permission>[]);

/** Report channels a key may use only when granted explicitly (core/apikey/channel-grant.ts). */
export const GrantableChannel = z.enum(GRANTABLE_CHANNELS);
export type GrantableChannel = z.infer<typeof GrantableChannel>;

export const CreateApiKey = z.object({
  name: z.string().check(z.trim(), z.minLength(1), z.maxLength(64)),
  permissions: z.array(GrantablePermission).check(z.minLength(1), z.maxLength(20)),
  unitId: z.optional(IdRef(40)),
  rateLimitPerMinute: z._default(z.number().check(z.int(), z.gte(1), z.lte(10_000)), 600),
  /** grant of the `police` / `hotline` report channels (every key may use `partner`) */
  channels: z._default(z.array(GrantableChannel).check(z.maxLength(2)), []),
});
