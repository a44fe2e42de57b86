import createClient, { type Client } from "openapi-fetch";
import type { paths } from "../core/openapi/schema.d.ts";
import { apiUrl, renewToken } from "./client.ts";
import { tokenFor } from "./fixtures.ts";

/**
 * The typed API client for integration tests: openapi-fetch over the types generated from the
 * document the API serves (core/openapi/schema.d.ts, `npm run api:types`), so a test exercises the
 * published contract from the client side: a path, parameter or body the document does not have
 * is a type error (`npm run typecheck`), and answers are typed as documented.
 *
 * `as("center")` signs in as a demo user (tokens from test/fixtures.ts, renewed when another file
 * moved the shared clock past their expiry); `as()` is anonymous; `as({ token })` uses a token.
 * For bodies a test sends on purpose against the contract (invalid input), keep `call()` (test/client.ts).
 */
export type Api = Client<paths>;
export type { paths };

type Who = string | { token: string } | undefined;

/** A typed client acting as `who`, against this file's stack (`useApi`) or the shared one. */
export function as(who?: Who): Api {
  const first = async () => (typeof who === "string" ? tokenFor(who) : who?.token);
  return createClient<paths>({
    baseUrl: apiUrl(),
    fetch: async (request: Request) => {
      let token = await first();
      const copy = request.clone();
      let res = await send(request, token);
      // the replacement may itself expire if another file moves the clock again: renew until one is accepted
      for (let attempt = 0; attempt < 3 && token && res.status === 401 && (await expired(res)); attempt++) {
        token = await renewToken(token);
        if (!token) break;
        res = await send(copy.clone(), token);
      }
      return res;
    },
  });
}

async function send(request: Request, token: string | undefined): Promise<Response> {
  if (token) request.headers.set("authorization", `Bearer ${token}`);
  return fetch(request);
}

async function expired(res: Response): Promise<boolean> {
  const body = (await res.clone().json().catch(() => undefined)) as { error?: { details?: { reason?: string } } } | undefined;
  return body?.error?.details?.reason === "expired";
}

/**
 * The data of an answer that must have `status`; otherwise throws with the status and body, so a
 * failing setup step says what the API answered.
 */
export function expectStatus<D>(r: { data?: D; error?: unknown; response: Response }, status: number, what = `${r.response.url}`): D {
  if (r.response.status !== status) throw new Error(`${what}: expected ${status}, got ${r.response.status} ${JSON.stringify(r.error ?? r.data)}`);
  return r.data as D;
}

/** Case actions as the document lists them: `POST /v1/cases/{id}/<action>`. */
export type CaseAction = {
  [P in keyof paths]: P extends `/v1/cases/{id}/${infer A}` ? (paths[P] extends { post: { requestBody: unknown } } ? A : never) : never;
}[keyof paths];

/** The JSON body of case action `A`, as documented. */
export type CaseActionBody<A extends CaseAction> = paths[`/v1/cases/{id}/${A}`] extends { post: { requestBody: { content: { "application/json": infer B } } } } ? B : never;

/** The body argument: optional when the action needs no field. */
type BodyArg<A extends CaseAction> = {} extends CaseActionBody<A> ? [body?: CaseActionBody<A>] : [body: CaseActionBody<A>];

/** The documented report body (`POST /v1/cases`). */
export type ReportBody = paths["/v1/cases"]["post"]["requestBody"]["content"]["application/json"];

/** A point inside a user's assigned grid (its centroid), for reports. */
export async function pointIn(username: string): Promise<{ lng: number; lat: number }> {
  const api = as(username);
  const me = expectStatus(await api.GET("/v1/me"), 200, "GET /v1/me");
  if (me.kind !== "user") throw new Error(`${username} is not a staff user`);
  const unit = expectStatus(await api.GET("/v1/units/{id}", { params: { path: { id: me.assignments[0].unitId } } }), 200, "GET /v1/units/{id}");
  const [lng, lat] = unit.centroid as [number, number];
  return { lng, lat };
}

/** Report a new case as a user (201, nothing else): the case view. */
export async function report(username: string, body: Partial<ReportBody> = {}, headers: Record<string, string> = {}) {
  const location = await pointIn(username);
  const r = await as(username).POST("/v1/cases", { body: { categoryId: "cat-env-garbage", description: "小区门口垃圾堆积", location, ...body }, headers });
  return expectStatus(r, 201, `${username} report`);
}

/** A case action as a user, with its documented body: the answer as openapi-fetch gives it (status in `response`). */
export async function act<A extends CaseAction>(username: string, id: string, action: A, body?: CaseActionBody<A>, headers: Record<string, string> = {}) {
  const post = as(username).POST as unknown as (path: string, init: { params: { path: { id: string } }; body: unknown; headers: Record<string, string> }) => ReturnType<Api["POST"]>;
  // one call site for every action: the path is `/v1/cases/{id}/${A}`, whose body type `body` already has
  return (await post(`/v1/cases/{id}/${action}`, { params: { path: { id } }, body: body ?? {}, headers })) as {
    data?: paths["/v1/cases/{id}"]["get"]["responses"][200]["content"]["application/json"];
    error?: { error: { code: string; message: string; details?: unknown } };
    response: Response;
  };
}

/** Act and insist on 200: the case view. */
export async function must<A extends CaseAction>(username: string, id: string, action: A, ...[body]: BodyArg<A>) {
  return expectStatus(await act(username, id, action, body), 200, `${username} ${action}`);
}
