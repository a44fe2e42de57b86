import { createHmac } from "node:crypto";
import * as z from "zod/mini";
import { residentPhoneKeys } from "../auth/resident-key.ts";

/**
 * Residents' phone numbers are personal data: the platform keeps only an HMAC of the number
 * (to find the same resident again) and a masked form for people (138****5678). The plaintext
 * lives in memory for the length of one request (to send the SMS) and is never stored or logged.
 */

/** A mainland mobile number, with or without +86 / 0086 and separators; normalized to 11 digits. */
export const PhoneInput = z.pipe(z.pipe(z.string().check(z.trim(), z.maxLength(32)), z.transform((s) => s.replace(/[\s-]/g, "").replace(/^(?:\+86|0086)/, ""))), z.string().check(z.regex(/^1[3-9]\d{9}$/, "a mainland mobile number, 11 digits")));

/** 13812345678 → 138****5678 */
export function maskPhone(phone: string): string {
  return phone.length >= 7 ? `${phone.slice(0, 3)}${"*".repeat(Math.max(0, phone.length - 7))}${phone.slice(-4)}` : "*".repeat(phone.length);
}

/** HMAC-SHA256 of a normalized phone number, base64url, with the current resident phone key. */
export async function phoneHash(phone: string): Promise<string> {
  return (await phoneHashes(phone))[0];
}

/** The phone's HMAC under every resident key, current first (earlier keys while a rotation settles). */
export async function phoneHashes(phone: string): Promise<string[]> {
  return (await residentPhoneKeys()).map((k) => createHmac("sha256", k).update(`phone:${phone}`).digest("base64url"));
}

/** HMAC of a one-time code bound to a phone hash (so a code table dump reveals nothing). */
export async function codeHash(phoneHashValue: string, code: string): Promise<string> {
  return createHmac("sha256", (await residentPhoneKeys())[0]).update(`code:${phoneHashValue}:${code}`).digest("base64url");
}
