import { ForbiddenError } from "../errors.ts";
import type { Principal } from "../auth/principal.ts";

/**
 * Report channels a key may use only when granted explicitly: a case on the `police` or `hotline`
 * channel is treated as coming from that authority (police matters stay with the police, hotline
 * tickets count as public reports), so an ordinary partner key may not claim it. The schema of a
 * key's grant (core/apikey/schema.ts GrantableChannel) is built from this list. Its own module so
 * that a report (core/case/report.ts) checks the grant without loading the keys' management.
 */
export const GRANTABLE_CHANNELS = ["police", "hotline"] as const;

/**
 * A report on the `police` or `hotline` channel by an API key needs that channel granted on the
 * key (403 naming `channel` otherwise). Staff and residents are governed by their roles (decide).
 */
export function requireChannelGrant(p: Principal, channel: string | undefined): void {
  if (p.kind !== "api_key" || channel === undefined || !(GRANTABLE_CHANNELS as readonly string[]).includes(channel)) return;
  if (!(p.channels ?? []).includes(channel)) {
    throw new ForbiddenError(`This API key is not granted the ${channel} channel`, { field: "channel", fields: [{ path: "channel", message: `channel ${channel} is not granted to this key` }] });
  }
}
