/**
 * Activation codes themselves (docs/security.md "Activation codes"; core/user/activation.ts has the
 * rules and their use at first sign-in): a code made and hashed, and its hash stored on a user.
 * Apart from the sign-in so that the staff import (core/xlsx/apply-staff.ts), which issues codes,
 * loads no sign-in code (issue #15).
 */
import { createHash, randomBytes } from "node:crypto";
import { isConditionFailure, mapStorageError } from "../db/errors.ts";
import { ConflictError } from "../errors.ts";
import { actorOf, auditPut } from "../audit/entry.ts";
import type { Principal } from "../auth/principal.ts";
import { replaceUserAudited } from "./repo.ts";
import type { UserItem } from "./schema.ts";
import { userUnitPath } from "./visibility.ts";

/** Days an activation code stays valid after it is issued. */
export const ACTIVATION_DAYS = 14;

const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"; // Crockford base 32: no I, L, O, U

/** A new code: 80 random bits, `XXXX-XXXX-XXXX-XXXX`. */
export function newActivationCode(): string {
  const bytes = randomBytes(10);
  let bits = 0n;
  for (const b of bytes) bits = (bits << 8n) | BigInt(b);
  let out = "";
  for (let i = 0; i < 16; i++) {
    out = ALPHABET[Number(bits & 31n)] + out;
    bits >>= 5n;
  }
  return out.match(/.{4}/g)!.join("-");
}

/** The code as typed, canonical: case, spaces and dashes ignored; O read as 0, I and L as 1 (Crockford). */
export function normalizeCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, "").replace(/O/g, "0").replace(/[IL]/g, "1");
}

export const activationHash = (code: string): string => createHash("sha256").update(normalizeCode(code)).digest("base64url");

export interface Activation {
  code: string;
  hash: string;
  /** ISO time */
  expiresAt: string;
}

export function issueCode(now: Date): Activation {
  const code = newActivationCode();
  return { code, hash: activationHash(code), expiresAt: new Date(now.getTime() + ACTIVATION_DAYS * 86_400_000).toISOString() };
}

/** Store a code's hash on the user (conditional on the version read), audited. */
export async function setActivation(p: Principal, current: UserItem, a: Activation, now: Date, job?: string): Promise<void> {
  const next: UserItem = { ...current, activationHash: a.hash, activationExpiresAt: a.expiresAt, ...(job ? { activationJob: job } : {}), version: current.version + 1, updatedAt: now.toISOString() };
  try {
    await replaceUserAudited(
      next,
      { ConditionExpression: "#v = :v", ExpressionAttributeNames: { "#v": "version" }, ExpressionAttributeValues: { ":v": current.version } },
      auditPut({ actor: actorOf(p), action: "user.activation", entity: "user", entityId: current.id, unitPath: userUnitPath(current), summary: `${current.username}: activation code issued, valid until ${a.expiresAt}` }, now),
    );
  } catch (e) {
    if (isConditionFailure(e)) throw new ConflictError("The user was changed by someone else; reload and retry");
    mapStorageError(e);
  }
}
