import * as z from "zod";
import { IdRef } from "../db/ids.ts";
import { Permission } from "../auth/roles.ts";

export const ApiKey = z.object({
  id: z.string(),
  name: z.string(),
  permissions: z.array(Permission),
  unitId: z.string().optional(),
  unitPath: z.string().optional(),
  rateLimitPerMinute: z.number().int(),
  /** report channels other than `partner` the key may use (explicit grant; absent = none) */
  channels: z.array(z.string()).optional(),
  createdAt: z.string(),
  createdBy: z.string(),
  lastUsedAt: z.string().optional(),
  revokedAt: z.string().optional(),
  version: z.number().int(),
});
export type ApiKey = z.infer<typeof ApiKey>;

/**
 * Permissions a partner key may hold (an allow-list: new permissions are not grantable until
 * added here): reading configuration, reporting, reading and acting on cases, reading appraisals.
 * Never administration of the county, users, keys, webhooks or personal data.
 */
export const GrantablePermission = Permission.extract(["units:read", "departments:read", "categories:read", "calendar:read", "cases:read", "cases:report", "cases:act", "appraisals:read"]);

/**
 * Report channels a key may use only when granted explicitly: a case on the `police` or `hotline`
 * channel is treated as coming from that authority (police matters stay with the police, hotline
 * tickets count as public reports), so an ordinary partner key may not claim it.
 */
export const GrantableChannel = z.enum(["police", "hotline"]);
export type GrantableChannel = z.infer<typeof GrantableChannel>;

export const CreateApiKey = z.object({
  name: z.string().trim().min(1).max(64),
  permissions: z.array(GrantablePermission).min(1).max(20),
  unitId: IdRef(40).optional(),
  rateLimitPerMinute: z.number().int().min(1).max(10_000).default(600),
  /** grant of the `police` / `hotline` report channels (every key may use `partner`) */
  channels: z.array(GrantableChannel).max(2).default([]),
});
