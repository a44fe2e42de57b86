/**
 * Staff sign-in against `/v1/auth/*` and `/v1/me`. The refresh token is an HttpOnly cookie and the
 * access token lives in memory (see session.ts); a page load renews it from the cookie;
 * the permissions of `/v1/me` drive `getPermissions` and `canAccess` (menu, buttons, pages).
 */
import type { AuthProvider, UserIdentity } from "react-admin";
import { API_URL } from "./config.ts";
import { client, ok } from "./api/client.ts";
import { errorInfo, toHttpError } from "./errors.ts";
import { currentLocale } from "./i18n/index.ts";
import { allowed } from "./permissions.ts";
import { clearSession, COOKIE_MODE, getMe, getSession, renew, restore, SessionExpired, setMe, setSession, withRenewLock, type Me, type Session } from "./session.ts";

/**
 * Counts sign-ins and sign-outs: a `/v1/me` answer that arrives after the session changed belongs
 * to the previous user and is dropped (else signing out and in as someone else could show the
 * previous user's name and menu).
 */
let generation = 0;

async function loadMe(gen = generation): Promise<Me> {
  const json = ok(await client.GET("/v1/me"));
  // the console signs in staff only: an API key or resident token has no place here
  if (json.kind !== "user") throw toHttpError(403, { error: { code: "forbidden", message: "Staff accounts only" } }, currentLocale());
  const me: Me = {
    id: json.id,
    username: json.username,
    displayName: json.displayName,
    assignments: json.assignments,
    permissions: json.permissions,
  };
  if (gen === generation) setMe(me);
  return me;
}

let mePromise: Promise<Me> | undefined;
/**
 * The caller: the cached copy at once (renewed in the background once per page load), or `/v1/me`
 * when nothing is cached yet.
 */
function me(): Promise<Me> {
  if (!mePromise) {
    const gen = generation;
    const cached = getMe();
    const fresh = loadMe(gen);
    if (cached) {
      mePromise = Promise.resolve(cached);
      fresh.then(
        (m) => {
          if (gen === generation) mePromise = Promise.resolve(m);
        },
        () => undefined,
      );
    } else {
      mePromise = fresh.catch((e) => {
        mePromise = undefined;
        throw e;
      });
    }
  }
  return mePromise;
}

export const authProvider: AuthProvider = {
  async login({ username, password }: { username: string; password: string }) {
    let res: Response;
    try {
      res = await fetch(`${API_URL}/v1/auth/login`, {
        method: "POST",
        // the refresh token comes back only as the HttpOnly cookie (never in the body)
        headers: { "content-type": "application/json", accept: "application/json", ...COOKIE_MODE },
        credentials: "include",
        body: JSON.stringify({ username, password }),
      });
    } catch {
      throw new Error("app.errors.network");
    }
    if (res.status === 401 || res.status === 400) throw new Error("app.auth.bad_credentials");
    // 429: too many failed sign-ins from this address or for this username (a locked account answers 401)
    if (res.status === 429) throw new Error("app.auth.locked");
    if (!res.ok) throw new Error(res.status >= 500 ? "app.errors.internal" : "ra.auth.sign_in_error");
    const session = (await res.json()) as Session;
    generation++;
    setSession(session);
    const m = await loadMe();
    mePromise = Promise.resolve(m);
  },

  async logout() {
    const known = getSession() !== undefined || getMe() !== undefined;
    generation++;
    clearSession();
    mePromise = undefined;
    if (!known) return; // never signed in here (the login page): no cookie to revoke
    // best effort: revoke the cookie's refresh token and clear the cookie; the memory session is gone either way.
    // After the renewals in flight (the lock), so a renewal does not set a fresh cookie after it.
    await withRenewLock(() =>
      fetch(`${API_URL}/v1/auth/logout`, { method: "POST", headers: { accept: "application/json", ...COOKIE_MODE }, credentials: "include" }).catch(() => undefined),
    );
  },

  async checkAuth() {
    // after a page load the access token is renewed from the cookie. Signed out only when the API
    // said so: a network error or a 5xx while renewing keeps the page (its requests report the failure
    // and renew again), else react-admin's logout would revoke a session that is still good
    const s = await restore().catch((e: unknown) => (e instanceof SessionExpired ? undefined : getMe()));
    if (!s) throw new Error("ra.auth.auth_check_error");
  },

  async checkError(error: unknown) {
    const status = (error as { status?: number } | undefined)?.status;
    if (status !== 401) return;
    // the request layer already renewed an expired token once; try a last time, else sign out
    const session = getSession();
    if (!session) throw new Error("ra.notification.logged_out");
    const reason = (errorInfo(error)?.details as { reason?: string } | null)?.reason;
    if (reason === "expired") {
      try {
        await renew(session.accessToken);
        return;
      } catch (e) {
        if (!(e instanceof SessionExpired)) return;
      }
    }
    clearSession();
    throw new Error("ra.notification.logged_out");
  },

  async getIdentity(): Promise<UserIdentity> {
    const m = await me();
    return { ...m, id: m.id, fullName: m.displayName };
  },

  async getPermissions() {
    if (!(await restore().catch(() => undefined))) return [];
    return (await me()).permissions;
  },

  async canAccess({ resource, action }) {
    if (!(await restore().catch(() => undefined))) return false;
    return allowed((await me()).permissions, resource, action);
  },
};

/** Re-read `/v1/me` (after one's own roles changed). */
export async function refreshMe(): Promise<Me> {
  const m = await loadMe();
  mePromise = Promise.resolve(m);
  return m;
}
