import * as z from "zod/mini";
import { Assignment } from "../auth/principal.ts";

export const Username = z.string().check(z.minLength(2), z.maxLength(64), z.regex(/^[a-zA-Z0-9_.-]+$/, "letters, digits, _ . - only"));

export const Password = z.string().check(z.minLength(10, "at least 10 characters"), z.maxLength(200));

export const Phone = z.string().check(z.maxLength(11), z.regex(/^1[3-9]\d{9}$/, "a mainland mobile number, 11 digits"));

export const User = z.object({
  id: z.string(),
  username: Username,
  displayName: z.string().check(z.minLength(1), z.maxLength(64)),
  phone: z.optional(Phone),
  active: z.boolean(),
  assignments: z.array(Assignment),
  version: z.number().check(z.int()),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type User = z.infer<typeof User>;

/** The stored user item: the public record plus secrets that never leave core. */
export type UserItem = User & {
  /** scrypt hash; empty for an imported account until its holder uses the activation code */
  passwordHash: string;
  /** SHA-256 of the pending activation code (core/user/activation.ts), its expiry, and the import job that issued it */
  activationHash?: string;
  activationExpiresAt?: string;
  activationJob?: string;
  failedLogins: number;
  lockedUntil?: string;
  /** bumped when a password changes, the user is deactivated, roles change or "log out everywhere": older refresh tokens stop working */
  sessionVersion?: number;
};

export const LoginInput = z.object({ username: z.string().check(z.minLength(1), z.maxLength(64)), password: z.string().check(z.minLength(1), z.maxLength(200)) });
/** The body token (partners, scripts); the console sends none and the `wg_srt` cookie carries it (core/user/cookie.ts). */
export const RefreshInput = z.object({ refreshToken: z.optional(z.string().check(z.minLength(10), z.maxLength(200))) });
export const LogoutInput = z.object({ refreshToken: z.optional(z.string().check(z.minLength(10), z.maxLength(200))), everywhere: z.optional(z.boolean()) });

export function publicUser(u: UserItem): User {
  const { passwordHash: _p, failedLogins: _f, lockedUntil: _l, sessionVersion: _s, activationHash: _a, activationExpiresAt: _e, activationJob: _j, ...rest } = u;
  return User.parse(rest);
}
