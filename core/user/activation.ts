/**
 * Activation codes: how an account made by an import (or re-issued by an admin) gets its first
 * password without anyone but its holder knowing it (docs/security.md "Activation codes").
 *
 * - A code is 80 random bits written as 16 Crockford base-32 characters in four groups
 *   (`7KQ2-M9XD-…`): typeable on a phone, unguessable (the login rate limits allow a few thousand
 *   guesses a day per address; 2^80 codes).
 * - Only its SHA-256 is stored, on the user item (`activationHash`), like API keys and refresh tokens:
 *   a fast hash is enough for a secret of 80 random bits (nothing to brute-force as with passwords).
 * - It expires `ACTIVATION_DAYS` after issue (the injected clock decides), and is used once: the
 *   password is set by one conditional write that requires the same hash and removes it.
 * - A wrong, used, expired or unknown code answers exactly like a wrong password (401, the same
 *   message), counts in the same rolling failure windows as sign-ins, and costs the same scrypt work.
 * - The new password is hashed once, with the ordinary scrypt parameters; activation and every
 *   issue are audited (`user.activate`, `user.activation`).
 *
 * The codes themselves (made, hashed, stored on a user) are core/user/activation-code.ts, which the
 * staff import loads without the sign-in code here.
 */
import { timingSafeEqual } from "node:crypto";
import * as z from "zod/mini";
import { isConditionFailure, mapStorageError } from "../db/errors.ts";
import { ConflictError, NotFoundError, UnauthorizedError } from "../errors.ts";
import { auditPut } from "../audit/entry.ts";
import { hashPassword } from "../auth/password.ts";
import type { Principal } from "../auth/principal.ts";
import { parse } from "../validate.ts";
import { failedSignIn, checkSignInWindows, dummyPasswordWork, BAD_LOGIN } from "./login.ts";
import { getUser, getUserByUsername, replaceUserAudited } from "./repo.ts";
import { activationHash, issueCode, setActivation } from "./activation-code.ts";
import { Password, type UserItem } from "./schema.ts";
import { userUnitPath, visibleUser } from "./visibility.ts";

export { ACTIVATION_DAYS, activationHash, issueCode, newActivationCode, normalizeCode, setActivation, type Activation } from "./activation-code.ts";

export const ActivateInput = z.object({
  username: z.string().check(z.minLength(1), z.maxLength(64), z.regex(/^[a-zA-Z0-9_.-]+$/, "letters, digits, _ . - only")),
  // as typed: letters and digits, maybe grouped with dashes or spaces
  code: z.string().check(z.minLength(16), z.maxLength(40), z.regex(/^[0-9A-Za-z -]+$/, "the code as printed on the sheet")),
  password: Password,
});

const sameHash = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * First sign-in with a code: sets the password (hashed once) and uses the code up. Answers like
 * a wrong password for anything wrong with the code; 204 on success (the console then signs in).
 */
export async function activate(input: unknown, now: Date, sourceIp = "unknown"): Promise<void> {
  const data = parse(ActivateInput, input, "activation");
  await checkSignInWindows(data.username, sourceIp, now);
  const user = await getUserByUsername(data.username);
  const hash = activationHash(data.code);
  const valid = user?.active && user.activationHash && user.activationExpiresAt && user.activationExpiresAt > now.toISOString() && sameHash(user.activationHash, hash);
  if (!valid || !user) {
    await dummyPasswordWork(data.password); // the same scrypt work as a success: no telling codes or accounts apart by time
    throw await failedSignIn(data.username, sourceIp, now);
  }
  const passwordHash = await hashPassword(data.password);
  const { activationHash: _h, activationExpiresAt: _e, activationJob: _j, ...rest } = user;
  const next: UserItem = { ...rest, passwordHash, failedLogins: 0, sessionVersion: (user.sessionVersion ?? 0) + 1, version: user.version + 1, updatedAt: now.toISOString() };
  try {
    await replaceUserAudited(
      next,
      // single use: the code read is still the one stored and still valid
      { ConditionExpression: "activationHash = :h AND activationExpiresAt > :now AND #v = :v", ExpressionAttributeNames: { "#v": "version" }, ExpressionAttributeValues: { ":h": hash, ":now": now.toISOString(), ":v": user.version } },
      auditPut({ actor: { kind: "user", id: user.id, name: user.username }, action: "user.activate", entity: "user", entityId: user.id, unitPath: userUnitPath(user), summary: `${user.username}: first password set with an activation code` }, now),
    );
  } catch (e) {
    // used (or re-issued, or the account changed) between the read and the write: the code is spent
    if (isConditionFailure(e)) throw new UnauthorizedError(BAD_LOGIN);
    mapStorageError(e);
  }
}

/**
 * A new code for a user the caller manages (a lost sheet, an expired code, a forgotten password):
 * replaces any earlier code; the current password (if any) keeps working until the code is used.
 */
export async function reissueActivation(p: Principal, id: string, now: Date): Promise<{ code: string; expiresAt: string }> {
  const current = await getUser(id);
  if (!current || !visibleUser(p, current, "users:write")) throw new NotFoundError(`User ${id} not found`);
  if (!current.active) throw new ConflictError("The account is inactive; activate it first", { field: "active", reason: "inactive_user" });
  const a = issueCode(now);
  await setActivation(p, current, a, now);
  return { code: a.code, expiresAt: a.expiresAt };
}
