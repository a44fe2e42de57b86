/**
 * Every call to the API goes through `api()`: JSON in and out, the bearer token (renewed before it
 * expires, and once more on a 401 whose `details.reason` is `expired`), errors as HttpError.
 */
import { API_URL } from "./config.ts";
import { networkError, toHttpError, type ApiErrorBody } from "./errors.ts";
import { currentLocale } from "./i18n/index.ts";
import { accessToken, renew, SessionExpired } from "./session.ts";

export interface ApiOptions {
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  body?: unknown;
  query?: Record<string, string | number | boolean | undefined | null>;
  headers?: Record<string, string>;
  /** send no credentials (login, refresh, health) */
  anonymous?: boolean;
  signal?: AbortSignal;
  /** send this as the body as it is (a file), with `contentType`, instead of JSON */
  raw?: { body: Blob | string; contentType: string };
  /** the response is text (CSV), not JSON */
  text?: boolean;
}

export interface ApiResponse<T> {
  status: number;
  json: T;
  headers: Headers;
}

export function buildUrl(path: string, query?: ApiOptions["query"]): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v === undefined || v === null || v === "") continue;
    qs.set(k, String(v));
  }
  const s = qs.toString();
  return `${API_URL}${path}${s ? `?${s}` : ""}`;
}

/**
 * `fetch` for the console's API calls (`api()` below and the typed client, admin/src/api/client.ts):
 * the console's language, the bearer token unless `anonymous`, renewed and sent once more when the
 * API answers 401 with `details.reason` `expired`. A failed connection becomes `app.errors.network`;
 * an expired session that cannot be renewed a 401 HttpError.
 */
export async function sessionFetch(request: Request, opts: { anonymous?: boolean } = {}): Promise<Response> {
  if (!request.headers.has("accept")) request.headers.set("accept", "application/json");
  request.headers.set("accept-language", currentLocale());
  let token: string | undefined;
  if (!opts.anonymous) {
    try {
      token = await accessToken();
    } catch (e) {
      if (e instanceof SessionExpired) throw toHttpError(401, { error: { code: "unauthorized", message: "Session expired", details: { reason: "refresh_invalid" } } }, currentLocale());
      throw e;
    }
  }
  // a body can be read once: keep a copy for the resend after a renewal
  const again = token ? request.clone() : undefined;
  const res = await send(request, token);
  if (res.status !== 401 || !token || !again) return res;
  const body = (await res.clone().json().catch(() => undefined)) as ApiErrorBody | undefined;
  if ((body?.error?.details as { reason?: string } | undefined)?.reason !== "expired") return res;
  try {
    const renewed = await renew(token);
    return await send(again, renewed.accessToken);
  } catch (e) {
    if (!(e instanceof SessionExpired)) throw e;
    return res;
  }
}

async function send(request: Request, token: string | undefined): Promise<Response> {
  if (token) request.headers.set("authorization", `Bearer ${token}`);
  try {
    return await fetch(request);
  } catch (e) {
    if ((e as Error).name === "AbortError") throw e;
    throw networkError();
  }
}

async function parseJson(res: Response, asText = false): Promise<unknown> {
  const text = await res.text();
  if (asText && res.ok) return text;
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export async function api<T = unknown>(path: string, opts: ApiOptions = {}): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { accept: "application/json", ...opts.headers };
  if (opts.raw) headers["content-type"] = opts.raw.contentType;
  else if (opts.body !== undefined) headers["content-type"] = "application/json";
  const request = new Request(new URL(buildUrl(path, opts.query), base()), {
    method: opts.method ?? "GET",
    headers,
    body: opts.raw ? opts.raw.body : opts.body === undefined ? undefined : JSON.stringify(opts.body),
    signal: opts.signal,
  });
  const res = await sessionFetch(request, { anonymous: opts.anonymous });
  const json = await parseJson(res, opts.text);
  if (!res.ok) throw toHttpError(res.status, json as ApiErrorBody, currentLocale());
  return { status: res.status, json: json as T, headers: res.headers };
}

/** Relative API URLs ("" = same origin) resolve against the page. */
const base = () => (typeof location !== "undefined" ? location.href : "http://localhost/");
