import { RateLimitedError, UnauthorizedError } from "../errors.ts";
import { hashPassword, needsRehash, randomSecret, verifyPassword } from "../auth/password.ts";
import { consume, peek } from "../ratelimit/window.ts";
import { signAccessToken } from "../auth/token.ts";
import type { Principal } from "../auth/principal.ts";
import { bumpSessionVersion, countLoginAttempt, getUser, getUserByUsername, lockLogin, putRefreshToken, recordLoginSuccess, takeRefreshToken, uncountLoginAttempt } from "./repo.ts";
import { getUnits } from "../unit/repo.ts";
import { publicUser, type User, type UserItem } from "./schema.ts";

const REFRESH_DAYS = 14;

export interface Session {
  accessToken: string;
  expiresAt: string;
  refreshToken: string;
  user: User;
}

export const BAD_LOGIN = "Wrong username or password";

/** Consecutive failures before an account locks; locks in a row last 5, 10, 20, 40, then 60 min. */
export const LOCK_AFTER = 5;
export const lockMinutes = (locksBefore: number) => Math.min(60, 2 ** locksBefore * 5);
/** Failed logins per source address (any usernames) and per username, in rolling windows. */
export const LOGIN_LIMITS = { perIp: { limit: 50, seconds: 15 * 60 }, perUsername: { limit: 20, seconds: 3600 } };

const buckets = (username: string, sourceIp: string) =>
  [
    [`login-ip#${sourceIp}`, LOGIN_LIMITS.perIp],
    [`login-user#${username.toLowerCase()}`, LOGIN_LIMITS.perUsername],
  ] as const;

/** Refuse (429) a sign-in or activation whose address or username spent its failure budget. */
export async function checkSignInWindows(username: string, sourceIp: string, now: Date): Promise<void> {
  for (const [bucket, w] of buckets(username, sourceIp)) {
    const wait = await peek(bucket, w.limit, w.seconds, now);
    if (wait !== undefined) throw new RateLimitedError(wait);
  }
}

/** Count a failed sign-in (or activation) in the rolling windows; the error to throw. */
export async function failedSignIn(username: string, sourceIp: string, now: Date): Promise<UnauthorizedError> {
  for (const [bucket, w] of buckets(username, sourceIp)) {
    await consume(bucket, w.limit, w.seconds, now).catch((e) => {
      if (!(e instanceof RateLimitedError)) throw e; // the budget was spent by this failure: the next attempt is refused
    });
  }
  return new UnauthorizedError(BAD_LOGIN);
}

// scrypt hash of a random string at today's parameters, so unknown users (and accounts without a
// password yet) cost the same as wrong passwords; made once per process
let dummy: Promise<string> | undefined;
/** The scrypt work of checking one password, for the answers that have no hash to check. */
export async function dummyPasswordWork(password: string): Promise<void> {
  dummy ??= hashPassword(randomSecret(16));
  await verifyPassword(password, await dummy);
}

/**
 * Check a password. Every attempt is counted with one atomic ADD *before* the password is checked,
 * and the returned count decides: the sixth of 200 concurrent wrong passwords is refused without
 * being tried, so a lock cannot be raced. A locked account answers exactly like a wrong password
 * (401, same message, same work), so nobody learns which accounts exist or are locked. Failures also
 * count per source address and per username in rolling windows (429 with Retry-After when spent).
 * An account made by an import has no password until its holder uses the activation code
 * (core/user/activation.ts): signing in to it answers like a wrong password.
 */
export async function login(username: string, password: string, now: Date, sourceIp = "unknown"): Promise<Session> {
  await checkSignInWindows(username, sourceIp, now);
  const failed = () => failedSignIn(username, sourceIp, now);

  const user = await getUserByUsername(username);
  if (!user || !user.active || !user.passwordHash) {
    await dummyPasswordWork(password); // same work either way: no user enumeration by timing
    throw await failed();
  }
  const { attempts, lockedUntil, locks } = await countLoginAttempt(user.id);
  const lock = () => lockLogin(user.id, now, new Date(now.getTime() + lockMinutes(locks) * 60_000).toISOString());
  if (lockedUntil !== undefined && lockedUntil > now.toISOString()) {
    await Promise.all([dummyPasswordWork(password), uncountLoginAttempt(user.id)]);
    throw await failed();
  }
  if (attempts > LOCK_AFTER) {
    // crossed the limit together with other attempts: refused untried
    await Promise.all([dummyPasswordWork(password), lock()]);
    throw await failed();
  }
  if (!(await verifyPassword(password, user.passwordHash))) {
    if (attempts === LOCK_AFTER) await lock();
    throw await failed();
  }
  await recordLoginSuccess(user, needsRehash(user.passwordHash) ? await hashPassword(password) : undefined);
  return issueSession(user, now);
}

/**
 * Rotate a refresh token. Refused when the token is unknown, expired or already used (then its
 * family is revoked: a replayed token ends the session it was stolen from), when the user is gone
 * or inactive, or when the user's session version moved on (password, roles, deactivation, "log
 * out everywhere").
 */
export async function refresh(refreshToken: string, now: Date): Promise<Session> {
  const rec = await takeRefreshToken(refreshToken, now);
  const user = rec ? await getUser(rec.userId) : undefined;
  if (!rec || !user || !user.active || (user.sessionVersion ?? 0) !== rec.sessionVersion) {
    throw new UnauthorizedError("Refresh token is invalid or expired", { reason: "refresh_invalid" });
  }
  return issueSession(user, now, rec.family);
}

/** End this session (the token is used up), or every session of the user (`everywhere`). */
export async function logout(refreshToken: string, now: Date, everywhere = false): Promise<void> {
  const rec = await takeRefreshToken(refreshToken, now);
  if (rec && everywhere) await bumpSessionVersion(rec.userId);
}

export function principalOf(user: UserItem): Principal {
  return { kind: "user", id: user.id, username: user.username, assignments: user.assignments };
}

async function issueSession(stored: UserItem, now: Date, family = randomSecret(12)): Promise<Session> {
  // scopes follow the units' current paths (a unit may have moved since the roles were assigned)
  const units = await getUnits(stored.assignments.map((a) => a.unitId));
  const user: UserItem = {
    ...stored,
    assignments: stored.assignments.filter((a) => units.get(a.unitId)?.active).map((a) => ({ ...a, unitPath: units.get(a.unitId)!.path })),
  };
  const { token, expiresAt } = await signAccessToken(principalOf(user), now);
  const refreshToken = randomSecret(32);
  await putRefreshToken(refreshToken, { userId: user.id, sessionVersion: stored.sessionVersion ?? 0, family }, new Date(now.getTime() + REFRESH_DAYS * 86_400_000));
  return { accessToken: token, expiresAt, refreshToken, user: publicUser(user) };
}
