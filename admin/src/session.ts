/**
 * The signed-in session: tokens in localStorage, renewed through `POST /v1/auth/refresh`.
 * Refresh tokens rotate (each works once), so renewals are single-flight within a tab and
 * serialized across tabs with a Web Lock; a tab that finds the stored token already rotated by
 * another tab just adopts it.
 */
import { API_URL } from "./config.ts";

export interface Session {
  accessToken: string;
  /** ISO time the access token expires */
  expiresAt: string;
  refreshToken: string;
}

/** The caller as `GET /v1/me` describes it. */
export interface Me {
  id: string;
  username: string;
  displayName: string;
  assignments: { role: string; unitId: string; unitPath: string; departmentId?: string }[];
  permissions: string[];
}

const SESSION_KEY = "wangge.session";
const ME_KEY = "wangge.me";
/** Renew this long before the access token expires. */
const RENEW_MARGIN_MS = 60_000;

function read<T>(key: string): T | undefined {
  try {
    const raw = localStorage.getItem(key);
    return raw ? (JSON.parse(raw) as T) : undefined;
  } catch {
    return undefined;
  }
}

export function getSession(): Session | undefined {
  const s = read<Session>(SESSION_KEY);
  return s && typeof s.accessToken === "string" && typeof s.refreshToken === "string" ? s : undefined;
}

export function setSession(s: Session): void {
  localStorage.setItem(SESSION_KEY, JSON.stringify({ accessToken: s.accessToken, expiresAt: s.expiresAt, refreshToken: s.refreshToken }));
}

export function getMe(): Me | undefined {
  return read<Me>(ME_KEY);
}

export function setMe(me: Me): void {
  localStorage.setItem(ME_KEY, JSON.stringify(me));
}

export function clearSession(): void {
  localStorage.removeItem(SESSION_KEY);
  localStorage.removeItem(ME_KEY);
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
 * Renew the access token. `used` is the access token the caller found stale: if the stored one
 * differs, another request (or tab) already renewed it and that one is returned.
 */
export function renew(used?: string): Promise<Session> {
  inFlight ??= withLock(() => doRenew(used)).finally(() => {
    inFlight = undefined;
  });
  return inFlight;
}

async function withLock<T>(fn: () => Promise<T>): Promise<T> {
  const locks = typeof navigator !== "undefined" ? navigator.locks : undefined;
  return locks ? locks.request("wangge.session.renew", fn) : fn();
}

async function doRenew(used?: string): Promise<Session> {
  const current = getSession();
  if (!current) throw new SessionExpired();
  if (used !== undefined && current.accessToken !== used && !expiresSoon(current)) return current;
  let res: Response;
  try {
    res = await fetch(`${API_URL}/v1/auth/refresh`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ refreshToken: current.refreshToken }),
    });
  } catch {
    // offline: keep the session, the request fails on its own
    return current;
  }
  if (res.ok) {
    const next = (await res.json()) as Session;
    setSession(next);
    return next;
  }
  if (res.status === 401 || res.status === 400) {
    // another tab may have rotated the token while we were waiting for the lock
    const again = getSession();
    if (again && again.refreshToken !== current.refreshToken) return again;
    clearSession();
    throw new SessionExpired();
  }
  // 429/5xx: keep the session and let the caller report the failure
  return current;
}

/** A valid access token, renewed first when it is about to expire; undefined when signed out. */
export async function accessToken(): Promise<string | undefined> {
  const s = getSession();
  if (!s) return undefined;
  if (!expiresSoon(s)) return s.accessToken;
  return (await renew(s.accessToken)).accessToken;
}
