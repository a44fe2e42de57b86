import { UnauthorizedError, VisibleError } from "../errors.ts";
import { randomSecret, verifyPassword } from "../auth/password.ts";
import { signAccessToken } from "../auth/token.ts";
import type { Principal } from "../auth/principal.ts";
import { getUser, getUserByUsername, putRefreshToken, recordLoginFailure, recordLoginSuccess, takeRefreshToken } from "./repo.ts";
import { getUnits } from "../unit/repo.ts";
import { publicUser, type User, type UserItem } from "./schema.ts";

const REFRESH_DAYS = 14;

export interface Session {
  accessToken: string;
  expiresAt: string;
  refreshToken: string;
  user: User;
}

const BAD_LOGIN = "Wrong username or password";

/** Check a password; failures count towards a lockout with backoff. Same message for unknown users. */
export async function login(username: string, password: string, now: Date): Promise<Session> {
  const user = await getUserByUsername(username);
  if (!user || !user.active) {
    await verifyPassword(password, DUMMY_HASH); // same work either way: no user enumeration by timing
    throw new UnauthorizedError(BAD_LOGIN);
  }
  if (user.lockedUntil && user.lockedUntil > now.toISOString()) {
    const retry = Math.ceil((Date.parse(user.lockedUntil) - now.getTime()) / 1000);
    throw new VisibleError(429, "locked", "Too many failed logins; try again later", { retryAfterSeconds: retry });
  }
  if (!(await verifyPassword(password, user.passwordHash))) {
    await recordLoginFailure(user, now);
    throw new UnauthorizedError(BAD_LOGIN);
  }
  await recordLoginSuccess(user);
  return issueSession(user, now);
}

export async function refresh(refreshToken: string, now: Date): Promise<Session> {
  const userId = await takeRefreshToken(refreshToken, now);
  const user = userId ? await getUser(userId) : undefined;
  if (!user || !user.active) throw new UnauthorizedError("Refresh token is invalid or expired", { reason: "refresh_invalid" });
  return issueSession(user, now);
}

export async function logout(refreshToken: string, now: Date): Promise<void> {
  await takeRefreshToken(refreshToken, now);
}

export function principalOf(user: UserItem): Principal {
  return { kind: "user", id: user.id, username: user.username, assignments: user.assignments };
}

async function issueSession(stored: UserItem, now: Date): Promise<Session> {
  // scopes follow the units' current paths (a unit may have moved since the roles were assigned)
  const units = await getUnits(stored.assignments.map((a) => a.unitId));
  const user: UserItem = {
    ...stored,
    assignments: stored.assignments.filter((a) => units.get(a.unitId)?.active).map((a) => ({ ...a, unitPath: units.get(a.unitId)!.path })),
  };
  const { token, expiresAt } = await signAccessToken(principalOf(user), now);
  const refreshToken = randomSecret(32);
  await putRefreshToken(refreshToken, user.id, new Date(now.getTime() + REFRESH_DAYS * 86_400_000));
  return { accessToken: token, expiresAt, refreshToken, user: publicUser(user) };
}

// scrypt hash of a random string, so unknown users cost the same as wrong passwords
const DUMMY_HASH = "scrypt$16384$8$1$7Wy5C38GcaRlUaz4sT_kGw$mp_pxgdFBnH09yAk3Bhd1WwHwNMDtks6HkhDBUrbrCI";
