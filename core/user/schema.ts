import * as z from "zod";
import { Assignment } from "../auth/principal.ts";

export const Username = z
  .string()
  .min(2)
  .max(64)
  .regex(/^[a-zA-Z0-9_.-]+$/, "letters, digits, _ . - only");

export const Password = z.string().min(10, "at least 10 characters").max(200);

export const Phone = z.string().max(11).regex(/^1[3-9]\d{9}$/, "a mainland mobile number, 11 digits");

export const User = z.object({
  id: z.string(),
  username: Username,
  displayName: z.string().min(1).max(64),
  phone: Phone.optional(),
  active: z.boolean(),
  assignments: z.array(Assignment),
  version: z.number().int(),
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

export const LoginInput = z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(200) });
/** The body token (partners, scripts); the console sends none and the `wg_srt` cookie carries it (core/user/cookie.ts). */
export const RefreshInput = z.object({ refreshToken: z.string().min(10).max(200).optional() });
export const LogoutInput = z.object({ refreshToken: z.string().min(10).max(200).optional(), everywhere: z.boolean().optional() });

export function publicUser(u: UserItem): User {
  const { passwordHash: _p, failedLogins: _f, lockedUntil: _l, sessionVersion: _s, activationHash: _a, activationExpiresAt: _e, activationJob: _j, ...rest } = u;
  return User.parse(rest);
}
