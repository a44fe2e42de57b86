import { createHmac } from "node:crypto";
import * as z from "zod";
import { jwtKey } from "../auth/secret.ts";

/**
 * Residents' phone numbers are personal data: the platform keeps only an HMAC of the number
 * (to find the same resident again) and a masked form for people (138****5678). The plaintext
 * lives in memory for the length of one request (to send the SMS) and is never stored or logged.
 */

/** A mainland mobile number, with or without +86 / 0086 and separators; normalized to 11 digits. */
export const PhoneInput = z
  .string()
  .trim()
  .max(32)
  .transform((s) => s.replace(/[\s-]/g, "").replace(/^(?:\+86|0086)/, ""))
  .pipe(z.string().regex(/^1[3-9]\d{9}$/, "a mainland mobile number, 11 digits"));

/** 13812345678 → 138****5678 */
export function maskPhone(phone: string): string {
  return phone.length >= 7 ? `${phone.slice(0, 3)}${"*".repeat(Math.max(0, phone.length - 7))}${phone.slice(-4)}` : "*".repeat(phone.length);
}

let keyCache: Promise<Buffer> | undefined;

/**
 * The HMAC key: `WANGGE_PHONE_KEY` when set (recommended in AWS: its own secret, never rotated
 * with the JWT key), else derived from the JWT signing key with a fixed label. Rotating whichever
 * is used makes existing residents unrecognisable (they re-register and lose sight of old cases).
 */
function phoneKey(): Promise<Buffer> {
  keyCache ??= (async () => {
    const own = process.env.WANGGE_PHONE_KEY;
    if (own && own.length >= 32) return Buffer.from(own, "utf8");
    return createHmac("sha256", Buffer.from(await jwtKey())).update("wangge/resident-phone/v1").digest();
  })().catch((e) => {
    keyCache = undefined;
    throw e;
  });
  return keyCache;
}

/** HMAC-SHA256 of a normalized phone number, base64url (stable per deployment). */
export async function phoneHash(phone: string): Promise<string> {
  return createHmac("sha256", await phoneKey()).update(`phone:${phone}`).digest("base64url");
}

/** HMAC of a one-time code bound to a phone hash (so a code table dump reveals nothing). */
export async function codeHash(phoneHashValue: string, code: string): Promise<string> {
  return createHmac("sha256", await phoneKey()).update(`code:${phoneHashValue}:${code}`).digest("base64url");
}

/** Forget the cached key (tests that change the environment). */
export function forgetPhoneKey(): void {
  keyCache = undefined;
}
