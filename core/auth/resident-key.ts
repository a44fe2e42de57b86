import { createHmac } from "node:crypto";
import { residentKeys } from "./secret.ts";

/**
 * Keys of the resident channel, derived from its own secret RESIDENT_KEY (never from the staff
 * JWT key): one for resident access tokens, one for phone and code HMACs. A leaked or rotated
 * resident key neither forges staff tokens nor re-keys them, and the other way round.
 *
 * Rotation: set RESIDENT_KEY to "<new> <old>" (space separated). Tokens are signed and phones
 * hashed with the new key; tokens signed with the old one stay valid until they expire, and a
 * resident found under the old phone hash is re-keyed at their next sign-in (core/resident/service.ts).
 * When every resident has signed in again (or after the refresh lifetime), drop the old key.
 */
const derive = (label: string) => async (): Promise<Buffer[]> =>
  (await residentKeys()).map((k) => createHmac("sha256", Buffer.from(k)).update(label).digest());

/** Signing keys of resident access tokens, current first. */
export const residentTokenKeys = derive("wangge/resident-token/v1");

/** HMAC keys of phone numbers and one-time codes, current first. */
export const residentPhoneKeys = derive("wangge/resident-phone/v1");

/** `kid` of a resident access token (staff tokens carry none): decides which key verifies it. */
export const RESIDENT_KID = "resident";
