/**
 * The typed API client: openapi-fetch over the types generated from `GET /v1/openapi.json`
 * (core/openapi/schema.d.ts, `npm run api:types`). A path the API does not serve, a method it does
 * not accept there, a missing path parameter or a body of the wrong shape is a type error; the
 * answer is typed as the document says.
 *
 * Every request goes through `sessionFetch` (admin/src/http.ts): bearer token renewed before it
 * expires and once more on an `expired` 401, the console's language, network failures as
 * `app.errors.network`. `ok()` turns a failed answer into react-admin's HttpError with the error
 * model's translated message and per-field issues.
 */
import createClient, { type Client } from "openapi-fetch";
import type { paths } from "../../../core/openapi/schema.d.ts";
import { API_URL } from "../config.ts";
import { toHttpError, type ApiErrorBody } from "../errors.ts";
import { currentLocale } from "../i18n/index.ts";
import { sessionFetch } from "../http.ts";

export type { paths };
export type ApiClient = Client<paths>;

/** Paths of the document that accept `method`. */
export type PathsWith<M extends "get" | "post" | "put" | "patch" | "delete"> = {
  [P in keyof paths]: paths[P] extends Record<M, object> ? P : never;
}[keyof paths];

/** The JSON answer of an operation on success (its first 2xx). */
export type Answer<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends {
  responses: infer R;
}
  ? R extends { 200: { content: { "application/json": infer T } } }
    ? T
    : R extends { 201: { content: { "application/json": infer T } } }
      ? T
      : R extends { 202: { content: { "application/json": infer T } } }
        ? T
        : never
  : never;

/** The JSON body an operation takes. */
export type Body<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends { requestBody?: { content: { "application/json": infer B } } } ? B : never;

/** `baseUrl` "" (same origin) is resolved against the page, as fetch would. */
const base = () => API_URL || (typeof location !== "undefined" ? location.origin : "");

/** A client over `fetch` (a fake in unit tests); `baseUrl` defaults to the console's API. */
export function apiClient(opts: { fetch?: (request: Request) => Promise<Response>; baseUrl?: string } = {}): ApiClient {
  return createClient<paths>({ baseUrl: opts.baseUrl ?? base(), fetch: opts.fetch ?? ((r) => sessionFetch(r)) });
}

/** The signed-in console's client. */
export const client: ApiClient = apiClient();

/** The data of a successful answer; a failed one throws the translated HttpError. */
export function ok<D>(result: { data?: D; error?: unknown; response: Response }): D {
  if (!result.response.ok) throw toHttpError(result.response.status, result.error as ApiErrorBody, currentLocale());
  return result.data as D;
}
