/**
 * The signed-in session. The refresh token is an HttpOnly cookie (`wg_srt`, Path=/v1/auth,
 * SameSite=Strict; core/user/cookie.ts) that no script of the console can read; the access token
 * lives in this module's memory only. A page load (or a new tab) has no access token yet and gets
 * one from `POST /v1/auth/refresh` with the cookie. localStorage keeps only the caller's profile
 * (`wangge.me`: name, roles, permissions — nothing that can renew a session).
 *
 * Refresh tokens rotate (each works once), and every tab shares the one cookie: renewals are
 * single-flight within a tab and serialized across tabs with a Web Lock, so two tabs never send
 * the same cookie twice (a rotated token used again revokes the whole session family). The tab
 * that waited for the lock sends the cookie the previous renewal just set.
 */
import { API_URL } from "./config.ts";

export interface Session {
  accessToken: string;
  /** ISO time the access token expires */
  expiresAt: string;
}

/** The caller as `GET /v1/me` describes it. */
export interface Me {
  id: string;
  username: string;
  displayName: string;
  assignments: { role: string; unitId: string; unitPath: string; departmentId?: string }[];
  permissions: string[];
}

const ME_KEY = "wangge.me";
/** Renew this long before the access token expires. */
const RENEW_MARGIN_MS = 60_000;
/** Asks the API for the cookie (login, refresh, logout); also the CSRF check's custom header. */
export const COOKIE_MODE = { "x-wangge-session": "cookie" } as const;

let current: Session | undefined;
/** The cookie was found missing or spent: no renewal is tried again until the next sign-in. */
let signedOut = false;

function read<T>(key: string): T | undefined {
  try {
    const raw = localStorage.getItem(key);
    return raw ? (JSON.parse(raw) as T) : undefined;
  } catch {
    return undefined;
  }
}

/** The access token in memory, if any (undefined after a page load until `restore()`). */
export function getSession(): Session | undefined {
  return current;
}

export function setSession(s: Session): void {
  current = { accessToken: s.accessToken, expiresAt: s.expiresAt };
  signedOut = false;
}

export function getMe(): Me | undefined {
  return read<Me>(ME_KEY);
}

export function setMe(me: Me): void {
  localStorage.setItem(ME_KEY, JSON.stringify(me));
}

export function clearSession(): void {
  current = undefined;
  signedOut = true;
  try {
    localStorage.removeItem(ME_KEY);
  } catch {
    // storage unavailable: nothing kept
  }
}

export function expiresSoon(s: Session, now = Date.now()): boolean {
  const at = Date.parse(s.expiresAt);
  return Number.isNaN(at) || at - now < RENEW_MARGIN_MS;
}

/** Thrown when the session cannot be renewed: the caller must sign in again. */
export class SessionExpired extends Error {
  constructor() {
    super("ra.auth.auth_check_error");
  }
}

let inFlight: Promise<Session> | undefined;

/**
 * Renew the access token from the cookie. `used` is the access token the caller found stale: if
 * the one in memory differs and is fresh, another request already renewed it and that one is returned.
 */
export function renew(used?: string): Promise<Session> {
  inFlight ??= withRenewLock(() => doRenew(used)).finally(() => {
    inFlight = undefined;
  });
  return inFlight;
}

/** Runs `fn` alone among this console's tabs (renewals, sign-out): no two send the cookie at once. */
export async function withRenewLock<T>(fn: () => Promise<T>): Promise<T> {
  const locks = typeof navigator !== "undefined" ? navigator.locks : undefined;
  return locks ? locks.request("wangge.session.renew", fn) : fn();
}

async function doRenew(used?: string): Promise<Session> {
  const before = current;
  if (before && used !== undefined && before.accessToken !== used && !expiresSoon(before)) return before;
  let res: Response;
  try {
    res = await fetch(`${API_URL}/v1/auth/refresh`, {
      method: "POST",
      // no body: the HttpOnly cookie carries the refresh token ("include": also when the API is on another origin of the same site)
      headers: { accept: "application/json", ...COOKIE_MODE },
      credentials: "include",
    });
  } catch {
    // offline: keep the session, the request fails on its own
    if (before) return before;
    throw new Error("app.errors.network");
  }
  if (res.ok) {
    const next = (await res.json().catch(() => ({}))) as Session & { user?: { id?: string } };
    if (typeof next.accessToken !== "string" || typeof next.expiresAt !== "string") {
      clearSession();
      throw new SessionExpired();
    }
    // another account signed in meanwhile (another tab): the cached profile is not this session's
    if (next.user?.id && getMe()?.id !== next.user.id) localStorage.removeItem(ME_KEY);
    setSession(next);
    return current!;
  }
  if (res.status === 401 || res.status === 400 || res.status === 403) {
    clearSession();
    throw new SessionExpired();
  }
  // 429/5xx: keep the session and let the caller report the failure
  if (before) return before;
  throw new Error(res.status >= 500 ? "app.errors.internal" : "ra.auth.auth_check_error");
}

/**
 * The session in memory, or one renewed from the cookie (after a page load, in a new tab);
 * undefined when signed out. A sign-out known in this tab is not asked again.
 */
export async function restore(): Promise<Session | undefined> {
  if (current) return current;
  if (signedOut) return undefined;
  try {
    return await renew();
  } catch (e) {
    if (e instanceof SessionExpired) return undefined;
    throw e;
  }
}

/** A valid access token, renewed first when it is missing or about to expire; undefined when signed out. */
export async function accessToken(): Promise<string | undefined> {
  const s = await restore();
  if (!s) return undefined;
  if (!expiresSoon(s)) return s.accessToken;
  return (await renew(s.accessToken)).accessToken;
}
