import type { Principal } from "../auth/principal.ts";
import { giveBack, take, type Taken, type Window } from "../ratelimit/window.ts";

/**
 * Abuse limits of the resident channel (rolling windows shared by all containers, 429 +
 * Retry-After when exceeded: "per minute" means any 60 seconds, not a calendar minute). Buckets are keyed by phone HMAC, resident id or source IP,
 * never by a plaintext phone number.
 */
export const LIMITS = {
  /** one SMS per phone per minute, five per hour */
  codePerPhoneMinute: { limit: 1, seconds: 60 },
  codePerPhoneHour: { limit: 5, seconds: 3600 },
  /** SMS codes requested from one address (a shared NAT may hold many residents) */
  codePerIpHour: { limit: 30, seconds: 3600 },
  /** verification attempts: per phone, per address */
  verifyPerPhoneHour: { limit: 10, seconds: 3600 },
  verifyPerIpHour: { limit: 60, seconds: 3600 },
  /** wrong codes allowed against one SMS code before it is burnt */
  attemptsPerCode: 5,
  /** anonymous sessions per address */
  anonymousPerIpHour: { limit: 10, seconds: 3600 },
  /** public grid pages per address (the QR landing page) */
  gridPagePerIpMinute: { limit: 60, seconds: 60 },
  /** reports: per resident per day, per address per hour */
  reportsPerResidentDay: { limit: 20, seconds: 86_400 },
  reportsPerIpHour: { limit: 60, seconds: 3600 },
} as const;

export type { Window };
/** A bucket name for an address: IPv6 is cut to its /64 so one host cannot rotate addresses. */
export function ipBucket(ip: string): string {
  if (!ip) return "unknown";
  if (ip.includes(":") && !ip.startsWith("::ffff:")) return ip.split(":").slice(0, 4).join(":");
  return ip.replace(/^::ffff:/, "");
}

/**
 * The limits of a code request, taken before the provider is called. Returns what was charged to
 * the phone (its minute and hour buckets), for {@link refundCodeRequest}; the address's bucket is
 * never given back (it throttles the sender, whatever the provider answered).
 */
export async function limitCodeRequest(phoneHash: string, ip: string, now: Date): Promise<Taken[]> {
  await take(`res-code-ip#${ipBucket(ip)}`, LIMITS.codePerIpHour, now);
  const minute = await take(`res-code-m#${phoneHash}`, LIMITS.codePerPhoneMinute, now);
  const hour = await take(`res-code-h#${phoneHash}`, LIMITS.codePerPhoneHour, now);
  return [minute, hour];
}

/**
 * Give the phone back what a code request charged it, when no SMS can have left (the county's SMS
 * configuration refused, or the provider was never reached): the resident may ask again at once
 * once the county fixed it, instead of waiting out a minute (or five failures: an hour) for the
 * county's own mistake. One transaction for both buckets (core/ratelimit/window.ts giveBack).
 */
export async function refundCodeRequest(taken: readonly Taken[]): Promise<void> {
  await giveBack(taken);
}

/** Every well-formed verification request from an address (throttles the sender). */
export async function limitVerifyAddress(ip: string, now: Date): Promise<void> {
  await take(`res-verify-ip#${ipBucket(ip)}`, LIMITS.verifyPerIpHour, now);
}

/** A real attempt against a live code of the phone (only then is the resident's bucket charged). */
export async function limitVerifyPhone(phoneHash: string, now: Date): Promise<void> {
  await take(`res-verify#${phoneHash}`, LIMITS.verifyPerPhoneHour, now);
}

export async function limitAnonymous(ip: string, now: Date): Promise<void> {
  await take(`res-anon-ip#${ipBucket(ip)}`, LIMITS.anonymousPerIpHour, now);
}

export async function limitGridPage(ip: string, now: Date): Promise<void> {
  await take(`res-grid-ip#${ipBucket(ip)}`, LIMITS.gridPagePerIpMinute, now);
}

/**
 * Limits on reports by residents. `POST /v1/cases` is shared by every channel: its handler calls
 * this before `reportCase` (no-op for staff and partners, who have their own limits).
 */
export async function limitResidentReport(p: Principal, ip: string, now: Date): Promise<void> {
  if (p.kind !== "resident") return;
  await take(`res-report-ip#${ipBucket(ip)}`, LIMITS.reportsPerIpHour, now);
  await take(`res-report#${p.id}`, LIMITS.reportsPerResidentDay, now);
}
