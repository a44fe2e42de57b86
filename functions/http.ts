import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { clock } from "../core/clock.ts";
import { ForbiddenError, InvalidError, NotFoundError, TooLargeError, UnauthorizedError, UnavailableError, VisibleError } from "../core/errors.ts";
import { logger } from "../core/log.ts";
import { isUnavailable } from "../core/faults/transient.ts";
import { parseJsonText } from "../core/json.ts";
import { hasPermission, type Principal } from "../core/auth/principal.ts";
import { authenticate } from "./authenticate.ts";
import type { Route } from "./routes.ts";
import { registeredRoute } from "./route-registry.ts";
import * as z from "zod/mini";
import { parse } from "../core/validate.ts";
import { quotaScope, rateLimitHeaders, type Quota } from "../core/ratelimit/window.ts";
import { QUERY_VALUE_BYTES } from "../core/openapi/bounds.ts";
import { clientAddress } from "../core/web/client-address.ts";

export interface ApiRequest {
  route: Route;
  principal: Principal | undefined;
  params: Record<string, string>;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: unknown;
  rawBody: string;
  requestId: string;
  sourceIp: string;
  now: Date;
}

/** A response with a status, headers or a raw (non-JSON) body. Plain return values are 200 JSON. */
export class Reply {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Record<string, string>;
  /** raw string body (e.g. CSV, SVG); sent as is with the given content type header */
  readonly raw: string | undefined;
  constructor(status: number, body?: unknown, headers: Record<string, string> = {}, raw?: string) {
    this.status = status;
    this.body = body;
    this.headers = headers;
    this.raw = raw;
  }
}

export const reply = (status: number, body?: unknown, headers?: Record<string, string>) => new Reply(status, body, headers);
export const rawReply = (status: number, raw: string, contentType: string, headers: Record<string, string> = {}) =>
  new Reply(status, undefined, { "content-type": contentType, ...headers }, raw);

type ApiResponse = Reply | unknown;

export type AuthedRequest = ApiRequest & { principal: Principal };

const DEFAULT_MAX_BODY = 256 * 1024;

function json(status: number, body: unknown, requestId: string, headers: Record<string, string> = {}): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: status,
    headers: { "content-type": "application/json; charset=utf-8", "x-request-id": requestId, ...headers },
    body: body === undefined ? "" : JSON.stringify(body),
  };
}

export function errorBody(code: string, message: string, details?: unknown) {
  return { error: { code, message, details: details ?? null } };
}

async function parseBody(event: APIGatewayProxyEventV2, route: Route): Promise<{ body: unknown; raw: string }> {
  const raw = event.body ? (event.isBase64Encoded ? Buffer.from(event.body, "base64").toString("utf8") : event.body) : "";
  const limit = route.maxBody ?? DEFAULT_MAX_BODY;
  if (Buffer.byteLength(raw) > limit) throw new TooLargeError(`Request body exceeds ${limit} bytes`, { limit });
  if (!raw) return { body: undefined, raw };
  const type = (event.headers?.["content-type"] ?? "application/json").split(";")[0].trim().toLowerCase();
  if (type === "application/x-www-form-urlencoded") {
    return { body: Object.fromEntries(new URLSearchParams(raw)), raw };
  }
  if (type === "application/json" || type.endsWith("+json")) {
    return { body: await parseJsonText(raw, "Request body"), raw };
  }
  if (type === "text/csv" || type === "text/plain") return { body: raw, raw };
  throw new VisibleError(415, "unsupported_media_type", `Content type ${type} is not accepted`);
}

/**
 * The one HTTP wrapper: parse → authenticate → authorize (the route's declared permission) →
 * handler → respond. Errors become `{error:{code,message,details}}`; unknown errors are 500 with
 * the request id only.
 */
export function api(fn: (req: AuthedRequest) => Promise<ApiResponse>) {
  return wrap(fn as (req: ApiRequest) => Promise<ApiResponse>, true);
}

/** Same wrapper for routes whose permission is `public`: the caller may be anonymous. */
export function publicApi(fn: (req: ApiRequest) => Promise<ApiResponse>) {
  return wrap(fn, false);
}

function wrap(fn: (req: ApiRequest) => Promise<ApiResponse>, needsPrincipal: boolean) {
  return async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    const requestId = event.requestContext?.requestId ?? "local";
    const started = Date.now();
    const call: { principal?: Principal } = {};
    // quotas counted during the request (core/ratelimit/window.ts) become RateLimit headers, on 429s too
    const quotas: Quota[] = [];
    const res = await quotaScope.run(quotas, () => respond(fn, needsPrincipal, event, requestId, call).catch((err) => errorResponse(err, requestId)));
    Object.assign((res.headers ??= {}), rateLimitHeaders(quotas));
    // one access line per request: route, status, duration, caller id — never tokens, keys or bodies
    const caller = call.principal ? `${call.principal.kind}:${call.principal.id}` : undefined;
    logger.info("request", { requestId, route: event.routeKey, status: res.statusCode, ms: Date.now() - started, caller });
    return res;
  };
}

/**
 * No record has an id this long, and such a value would exceed DynamoDB's key size limits (a
 * ValidationException, i.e. a 500) if it reached a key: 404 before the handler runs. A greedy
 * `{key+}` is an S3 key (at most 1024 bytes).
 */
function checkParams(route: Route, params: Record<string, string>): Record<string, string> {
  for (const [name, value] of Object.entries(params)) {
    const limit = route.path.includes(`{${name}+}`) ? 1024 : 512;
    if (Buffer.byteLength(value ?? "") > limit) throw new NotFoundError(`No ${name} that long exists`, { param: name, maxBytes: limit });
  }
  return params;
}

/** No query parameter the API reads is longer (cursors, ids, dates, filters): 400 above it, as documented (core/openapi/bounds.ts). */
function checkQuery(query: Record<string, string>): Record<string, string> {
  for (const [name, value] of Object.entries(query)) {
    if (Buffer.byteLength(value ?? "") > QUERY_VALUE_BYTES) throw new InvalidError("Query parameter too long", { fields: [{ path: name, message: `at most ${QUERY_VALUE_BYTES} bytes` }] });
  }
  return query;
}

async function respond(
  fn: (req: ApiRequest) => Promise<ApiResponse>,
  needsPrincipal: boolean,
  event: APIGatewayProxyEventV2,
  requestId: string,
  call: { principal?: Principal },
): Promise<APIGatewayProxyStructuredResultV2> {
  // the route the area's router matched (functions/route-registry.ts: the area's slice of the table, the whole table locally)
  const route = registeredRoute(event.routeKey);
  if (!route) throw new ForbiddenError("Route is not declared in the route table");
  const now = clock.now();
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(event.headers ?? {})) if (v !== undefined) headers[k.toLowerCase()] = v;
  // API Gateway (payload 2.0) moves the Cookie header to `event.cookies`: one place to read them
  if (event.cookies?.length && !headers.cookie) headers.cookie = event.cookies.join("; ");
  // the viewer's address for requests proven to come through the console's CloudFront, else the TCP source (core/web/client-address.ts)
  const sourceIp = await clientAddress(headers, event.requestContext?.http?.sourceIp ?? "");
  const principal = await authenticate(headers, now, sourceIp);
  call.principal = principal;
  if (route.permission !== "public" || needsPrincipal) {
    if (!principal) throw new UnauthorizedError();
    if (!hasPermission(principal, route.permission)) throw new ForbiddenError();
  }
  const params = checkParams(route, (event.pathParameters ?? {}) as Record<string, string>);
  const { body, raw } = await parseBody({ ...event, headers }, route);
  if (route.noBody && body !== undefined) parse(z.strictObject({}), body, "body"); // strict bodies: a body-less route names what it was sent
  const result = await fn({
    route,
    principal,
    params,
    query: checkQuery((event.queryStringParameters ?? {}) as Record<string, string>),
    headers,
    body,
    rawBody: raw,
    requestId,
    sourceIp,
    now,
  });
  if (result instanceof Reply) {
    if (result.raw !== undefined) {
      return { statusCode: result.status, headers: { "x-request-id": requestId, ...result.headers }, body: result.raw };
    }
    return json(result.status, result.body, requestId, result.headers);
  }
  return json(200, result, requestId);
}

export function errorResponse(err: unknown, requestId: string): APIGatewayProxyStructuredResultV2 {
  if (!(err instanceof VisibleError) && isUnavailable(err)) {
    logger.warn("storage unavailable after retries", { requestId, error: (err as Error).name });
    err = new UnavailableError();
  }
  if (err instanceof VisibleError) {
    const headers: Record<string, string> = {};
    // 429/503 carry the wait in seconds (RateLimitedError, UnavailableError, or details of a `locked` login)
    const retry = (err as { retryAfterSeconds?: number }).retryAfterSeconds ?? (err.details as { retryAfterSeconds?: number } | null | undefined)?.retryAfterSeconds;
    if (retry !== undefined) headers["retry-after"] = String(retry);
    if (err.status >= 500) logger.warn("unavailable", { requestId, code: err.code });
    return json(err.status, errorBody(err.code, err.message, err.details), requestId, headers);
  }
  logger.error("unhandled error", { requestId, error: err as Error });
  return json(500, errorBody("internal", "Internal error", { requestId }), requestId);
}
