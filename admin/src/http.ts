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

async function send(path: string, opts: ApiOptions, token: string | undefined): Promise<Response> {
  const headers: Record<string, string> = { accept: "application/json", "accept-language": currentLocale(), ...opts.headers };
  if (opts.raw) headers["content-type"] = opts.raw.contentType;
  else if (opts.body !== undefined) headers["content-type"] = "application/json";
  if (token) headers.authorization = `Bearer ${token}`;
  try {
    return await fetch(buildUrl(path, opts.query), {
      method: opts.method ?? "GET",
      headers,
      body: opts.raw ? opts.raw.body : opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: opts.signal,
    });
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
  let token: string | undefined;
  if (!opts.anonymous) {
    try {
      token = await accessToken();
    } catch (e) {
      if (e instanceof SessionExpired) throw toHttpError(401, { error: { code: "unauthorized", message: "Session expired", details: { reason: "refresh_invalid" } } }, currentLocale());
      throw e;
    }
  }
  let res = await send(path, opts, token);
  let json = await parseJson(res, opts.text);
  if (res.status === 401 && token && (json as ApiErrorBody)?.error?.details && ((json as ApiErrorBody).error!.details as { reason?: string }).reason === "expired") {
    try {
      const renewed = await renew(token);
      res = await send(path, opts, renewed.accessToken);
      json = await parseJson(res, opts.text);
    } catch (e) {
      if (!(e instanceof SessionExpired)) throw e;
    }
  }
  if (!res.ok) throw toHttpError(res.status, json as ApiErrorBody, currentLocale());
  return { status: res.status, json: json as T, headers: res.headers };
}
