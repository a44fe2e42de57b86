import * as z from "zod/mini";
import type { RouteDoc } from "./registry.ts";
import { ErrorBody } from "./shapes.ts";
import { Open311Errors } from "../open311/schema.ts";
import { bodyBounds, bound, GREEDY_PATH_PARAM_BYTES, PATH_PARAM_BYTES, QUERY_VALUE_BYTES, responseBounds } from "./bounds.ts";

/** What the generator needs of a route (functions/routes.ts `Route`). */
export interface RouteLike {
  method: string;
  path: string;
  handler: string;
  permission: string;
  maxBody?: number;
}

type Json = Record<string, unknown>;

export interface BuildOptions {
  version: string;
  serverUrl?: string;
  /** throw when a route has no registry entry (tests); otherwise it is listed as not yet documented */
  strict?: boolean;
}

/** JSON Schema (2020-12, as OpenAPI 3.1 uses) of a zod schema; `input` documents what callers send. */
export function jsonSchema(schema: z.ZodMiniType, io: "input" | "output"): Json {
  const out = z.toJSONSchema(schema, { io, unrepresentable: "any", target: "draft-2020-12" }) as Json;
  delete out.$schema;
  return withTupleItems(out) as Json;
}

/**
 * Tuples come out as `prefixItems` with `items: false`; OpenAPI tools (Spectral's array-items rule, code
 * generators) want an `items` schema: use the union of the member types (`maxItems` still bounds it).
 */
function withTupleItems(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withTupleItems);
  if (!node || typeof node !== "object") return node;
  const o = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, withTupleItems(v)])) as Json;
  if (o.type === "array" && Array.isArray(o.prefixItems) && (o.items === undefined || o.items === false)) {
    const members = o.prefixItems as Json[];
    const same = members.every((m) => JSON.stringify(m) === JSON.stringify(members[0]));
    o.items = same ? members[0] : { anyOf: members };
  }
  return o;
}

const TAGS: Record<string, string> = {
  system: "Health, this reference and its OpenAPI document.",
  auth: "Staff sign-in, sessions, the caller and its notifications.",
  units: "The county hierarchy: streets, communities, grids (units), their boundaries and codes.",
  users: "Staff accounts and their role assignments.",
  names: "Display names of units, people and departments for labels, readable by every signed-in caller.",
  "api-keys": "Partner API keys (X-Api-Key): scoped to a unit subtree, rate-limited.",
  departments: "Functional departments (职能部门) that take and fix cases.",
  categories: "Two-level case categories with the responsibility matrix and deadlines.",
  calendar: "The working calendar (holidays, make-up days) deadlines are counted on.",
  settings: "County settings: levels, codes, time zone, anonymous reports.",
  cases: "The case loop: report, dispatch, handle, verify, evaluate, supervise.",
  residents: "The resident channel: grid QR codes, phone registration, resident sessions.",
  audit: "The audit trail of configuration changes.",
  jobs: "Background jobs (bulk imports).",
  webhooks: "Partner webhooks: signed deliveries of case events.",
  appraisals: "Monthly appraisals (考评): five colors, scores, grades, scoring rules and worker points.",
  indicators: "Indicator definitions and external indicator values feeding the appraisals.",
  registry: "The registry (台账): households, people, places and the three key lists; protected fields masked.",
  duties: "Grid workers' routines: household visits and patrols.",
  tasks: "Task lists: departments request data collection or checks, the center approves, grid workers complete.",
  exports: "Dataset exports, only after the center approves.",
  ops: "Operations: queue health.",
  open311:
    "Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2): services, service requests, updates. JSON and XML. A missing or invalid `api_key` parameter is GeoReport's 403 in its error list; a bad `X-Api-Key` or `Authorization` header (the platform's credentials, also accepted here) is refused before the GeoReport handler with the platform's 401 and error body.",
};

/** `{key+}` (API Gateway greedy) → `{key}` (OpenAPI). */
export const openApiPath = (path: string): string => path.replace(/\{([A-Za-z0-9_]+)\+\}/g, "{$1}");

const pathParams = (path: string): string[] => [...path.matchAll(/\{([A-Za-z0-9_]+)\+?\}/g)].map((m) => m[1]);

function tagOf(route: RouteLike, doc: RouteDoc): string {
  if (doc.tag) return doc.tag;
  const seg = route.path.split("/").filter(Boolean);
  return seg[0] === "v1" ? (seg[1] ?? "system") : seg[0];
}

function operationId(route: RouteLike, used: Set<string>): string {
  const base = route.handler.replace(/^functions\//, "").replace(/\.handler$/, "").replace(/\//g, ".");
  const ext = /\.(json|xml)$/.exec(route.path)?.[1];
  let id = ext ? `${base}.${ext}` : base;
  for (let n = 2; used.has(id); n++) id = `${base}.${n}`;
  used.add(id);
  return id;
}

function content(types: Record<string, z.ZodMiniType | "binary" | "text">, io: "input" | "output"): Json {
  const out: Json = {};
  for (const [type, s] of Object.entries(types)) {
    out[type] = { schema: s === "binary" ? { type: "string", contentMediaType: type } : s === "text" ? { type: "string" } : jsonSchema(s, io) };
  }
  return out;
}

function queryParameters(q: z.ZodMiniObject<z.core.$ZodShape>): Json[] {
  const s = jsonSchema(q, "input") as { properties?: Record<string, Json>; required?: string[] };
  return Object.entries(s.properties ?? {}).map(([name, schema]) => {
    const { description, ...rest } = schema as Json & { description?: string };
    return { name, in: "query", required: (s.required ?? []).includes(name), schema: bound(rest, { maxLength: QUERY_VALUE_BYTES, maxItems: QUERY_VALUE_BYTES / 2 }), ...(description ? { description } : {}) };
  });
}

/**
 * A request header's schema: an `Idempotency-Key` is letters, digits and `_ . : -` (the zod schemas
 * that parse it: core/case/view.ts, core/job/schema.ts, core/appraisal/points.ts), at most 128
 * characters unless the route says less.
 */
const headerSchema = (h: { name: string; maxLength?: number }): Json =>
  h.name.toLowerCase() === "idempotency-key" ? { type: "string", minLength: 1, maxLength: h.maxLength ?? 128, pattern: "^[A-Za-z0-9_.:-]+$" } : { type: "string", maxLength: h.maxLength ?? 128 };

const errorRef = (open311: boolean) => (code: string) => ({ $ref: `#/components/responses/${open311 ? "Open311Error" : "Error"}${code}` });

/**
 * Headers of the answers (issue 17): the RateLimit fields of draft-ietf-httpapi-ratelimit-headers
 * (functions/http.ts sends them when the request counted against a rolling-window quota: API keys,
 * the resident channel, sign-in), CORS (API Gateway answers the console's origin), Retry-After.
 */
const RATE_HEADERS: Json = {
  RateLimit: {
    description: 'The quota closest to exhaustion that this request counted against: `"<policy>";r=<left>;t=<seconds until one more fits>`. Absent when the request counted against no quota.',
    schema: { type: "string", maxLength: 256 },
  },
  "RateLimit-Policy": {
    description: 'Every quota this request counted against: `"<policy>";q=<requests>;w=<rolling window in seconds>`, comma-separated. Absent when none.',
    schema: { type: "string", maxLength: 1024 },
  },
};
const CORS_HEADERS: Json = {
  "Access-Control-Allow-Origin": { description: "The console's origin, when the request came from it (deployed API: exactly that origin, never `*`).", schema: { type: "string", maxLength: 2048 } },
};
const RETRY_AFTER: Json = { "Retry-After": { description: "Seconds to wait before retrying", schema: { type: "integer", format: "int32", minimum: 1, maximum: 86_400 } } };

const ERROR_TEXT: Record<string, string> = {
  "400": "Invalid input (per-field details)",
  "401": "Missing, invalid or expired credentials",
  "403": "Not allowed (permission or scope)",
  "404": "Not found (or not visible to the caller)",
  "409": "Conflict: changed concurrently, or a duplicate",
  "410": "Gone: the file was deleted after its retention period (privacy.importFileRetentionDays)",
  "413": "Body too large",
  "429": "Rate limited: retry after `Retry-After` seconds",
  "500": "Internal error: the answer names only the request id",
  "503": "Storage or a service is unavailable for now: retry after `Retry-After` seconds",
};

function operation(route: RouteLike, doc: RouteDoc, used: Set<string>): Json {
  const open311 = doc.errors === "open311";
  const err = errorRef(open311);
  const isPublic = route.permission === "public";
  const parameters: Json[] = [
    ...pathParams(route.path).map((name) => ({
      name,
      in: "path",
      required: true,
      schema: { type: "string", maxLength: route.path.includes(`{${name}+}`) ? GREEDY_PATH_PARAM_BYTES : PATH_PARAM_BYTES },
      ...(doc.params?.[name] ? { description: doc.params[name] } : {}),
    })),
    ...(doc.query ? queryParameters(doc.query) : []),
    ...(doc.headers ?? []).map((h) => ({ name: h.name, in: "header", required: false, schema: headerSchema(h), description: h.description })),
  ];
  const status = String(doc.status ?? 200);
  const success: Json =
    doc.status === 204
      ? { description: "Done (no content)" }
      : {
          description: "Success",
          ...(doc.responseTypes ? { content: content(doc.responseTypes, "output") } : doc.response ? { content: content({ "application/json": doc.response }, "output") } : {}),
        };
  if (!("content" in success) && doc.status !== 204) success.content = { "application/json": { schema: {} } };
  if (success.content) success.content = bound(success.content, responseBounds);
  success.headers = { ...RATE_HEADERS, ...CORS_HEADERS };
  const responses: Json = { [status]: success, "400": err("400") };
  if (route.path === "/v1/units/export")
    responses["303"] = { description: "The file is large: download it from the `location` URL (short-lived)", headers: { location: { schema: { type: "string", format: "uri", maxLength: 8192 } }, ...CORS_HEADERS } };
  // every request's credentials are checked when sent, on public routes too (functions/http.ts
  // `authenticate`): a malformed, expired or revoked header credential is a 401 in the platform's
  // error body — on Open311 too, where the platform refuses a bad X-Api-Key or Authorization header
  // before the GeoReport handler runs (GeoReport's own `api_key` parameter is answered 403 in its list)
  responses["401"] = open311 ? { $ref: "#/components/responses/Error401" } : err("401");
  if (!isPublic || doc.auth === "api_key_param") responses["403"] = err("403");
  if (pathParams(route.path).length) responses["404"] = err("404");
  // a job's files under imports/ expire (#19 retention, core/job/retention.ts)
  if (/^\/v1\/jobs\/\{id\}\/(errors\.csv|corrected\.xlsx|activation-codes\.xlsx)$/.test(route.path)) responses["410"] = err("410");
  if (route.method !== "GET") {
    if (!open311 && (route.method === "PATCH" || route.method === "PUT" || route.path.includes("{"))) responses["409"] = err("409");
    responses["413"] = err("413");
  }
  responses["429"] = err("429");
  responses["500"] = err("500");
  responses["503"] = err("503");
  const security = isPublic ? (doc.auth === "optional" ? [{}, { bearer: [] }, { apiKey: [] }] : doc.auth === "api_key_param" ? [{ apiKeyParam: [] }, { apiKey: [] }] : []) : [{ bearer: [] }, { apiKey: [] }];
  const bodyTypes = doc.bodyTypes ?? (doc.body ? { "application/json": doc.body } : undefined);
  const limit = route.maxBody ?? 256 * 1024;
  return {
    operationId: operationId(route, used),
    summary: doc.summary,
    description: [doc.description, `Permission: \`${route.permission}\`.${bodyTypes ? ` Body limit: ${limit} bytes.` : ""}`].filter(Boolean).join("\n\n"),
    tags: [tagOf(route, doc)],
    "x-permission": route.permission,
    ...(parameters.length ? { parameters } : {}),
    ...(bodyTypes ? { requestBody: { required: !doc.bodyOptional, content: bound(strictBodies(route, content(bodyTypes, "input"), open311), bodyBounds(limit)) } } : {}),
    responses,
    security,
  };
}

/**
 * JSON bodies are strict (core/validate.ts refuses unknown fields at any depth): document every
 * object of a JSON request body that does not say otherwise as closed (`additionalProperties:
 * false`). Open311 forms and the unit import file are not ours to close.
 */
function strictBodies(route: RouteLike, c: Json, open311: boolean): Json {
  const json = c["application/json"] as { schema?: unknown } | undefined;
  if (!json || open311 || route.path === "/v1/units/import") return c;
  return { ...c, "application/json": { ...json, schema: closeObjects(json.schema) } };
}

function closeObjects(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(closeObjects);
  if (!node || typeof node !== "object") return node;
  const o = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, k === "properties" && v && typeof v === "object" ? Object.fromEntries(Object.entries(v).map(([p, s]) => [p, closeObjects(s)])) : closeObjects(v)])) as Json;
  if (o.type === "object" && o.properties && o.additionalProperties === undefined) o.additionalProperties = false;
  return o;
}

function errorResponses(): Json {
  const out: Json = {};
  for (const [code, text] of Object.entries(ERROR_TEXT)) {
    const headers = { ...(code.startsWith("4") ? RATE_HEADERS : {}), ...(code === "429" || code === "503" ? RETRY_AFTER : {}), ...CORS_HEADERS };
    out[`Error${code}`] = { description: text, headers, content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } };
    out[`Open311Error${code}`] = {
      description: `${text} (GeoReport v2 error list; 403 for a missing or invalid api_key)`,
      headers,
      content: { "application/json": { schema: { $ref: "#/components/schemas/Open311Errors" } }, "text/xml": { schema: { type: "string", maxLength: responseBounds.maxLength } } },
    };
  }
  return out;
}

/**
 * A route whose doc lists `variants` becomes one operation per value of that path parameter, on
 * the concrete path, with the value's own body (`POST /v1/cases/{id}/dispatch`, operationId
 * `cases.act.dispatch`); its description names the route that serves them all.
 */
export function expand(route: RouteLike, doc: RouteDoc): Array<[RouteLike, RouteDoc]> {
  if (!doc.variants) return [[route, doc]];
  const { param, values } = doc.variants;
  return Object.entries(values).map(([value, v]) => [
    { ...route, path: route.path.replace(`{${param}}`, value), handler: route.handler.replace(/\.handler$/, `.${value}.handler`) },
    { ...doc, ...v, variants: undefined, description: [v.description, doc.description, `Route: \`${route.method} ${route.path}\` with \`${param}\` = \`${value}\`.`].filter(Boolean).join("\n\n") },
  ]);
}

/**
 * The OpenAPI 3.1 document of the route table: one operation per route, schemas from the zod
 * schemas the handlers parse (inputs documented as input, before defaults and transforms),
 * security from each route's permission, and the error model for the 4xx answers.
 */
export function buildOpenApi(routes: readonly RouteLike[], docs: Record<string, RouteDoc>, opts: BuildOptions): Json {
  const used = new Set<string>();
  const paths: Record<string, Json> = {};
  const missing: string[] = [];
  for (const route of routes) {
    const key = `${route.method} ${route.path}`;
    let doc = docs[key];
    if (!doc) {
      missing.push(key);
      doc = { summary: `${key} (not yet documented)`, description: "This route has no entry in the API reference registry yet.", responseTypes: { "application/json": z.unknown() } };
    }
    for (const [r, d] of expand(route, doc)) {
      const p = openApiPath(r.path);
      paths[p] ??= {};
      paths[p][r.method.toLowerCase()] = operation(r, d, used);
    }
  }
  if (missing.length && opts.strict) throw new Error(`Routes without an entry in core/openapi/registry.ts: ${missing.join(", ")}`);
  const refs = JSON.stringify(paths).match(/#\/components\/responses\/\w+/g) ?? [];
  const usedResponses = new Set(refs.map((r) => r.slice("#/components/responses/".length)));
  const responses = Object.fromEntries(Object.entries(errorResponses()).filter(([name]) => usedResponses.has(name)));
  const tags = [...new Set(Object.values(paths).flatMap((ops) => Object.values(ops).flatMap((o) => (o as { tags: string[] }).tags)))].map((name) => ({ name, description: TAGS[name] ?? name }));
  return {
    openapi: "3.1.0",
    info: {
      title: "Wangge grid governance API (网格化服务管理)",
      version: opts.version,
      summary: "County grid governance: units and grids, cases and their loop, partners, residents.",
      description:
        "One API per county. Staff sign in (`POST /v1/auth/login`) and send `Authorization: Bearer <token>`; partner systems send `X-Api-Key` (keys from `POST /v1/api-keys`, scoped to a unit subtree); residents get a resident token through the grid QR code (`/v1/residents/*`). Errors are `{error:{code,message,details}}` (Open311 routes: `[{code,description}]`). Times are ISO 8601 UTC; Open311 uses the county's offset.",
      contact: { name: "County grid affairs center (网格化服务管理中心)" },
      license: { name: "Apache-2.0", identifier: "Apache-2.0" },
    },
    servers: [{ url: opts.serverUrl ?? "/", description: "this county's production API (one stack per county; the same document is served by local and staging stacks)", "x-internal": false }],
    tags,
    paths,
    components: {
      securitySchemes: {
        bearer: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "JWT",
          description:
            "Staff or resident access token (15 minutes). JWS following RFC8725 (JWT best current practices): one algorithm pinned by the server (HS256, never `none`, the header's `alg` is not trusted), issuer, audience and token type checked, a 15-minute lifetime.",
        },
        apiKey: { type: "apiKey", in: "header", name: "X-Api-Key", description: "Partner API key" },
        apiKeyParam: { type: "apiKey", in: "query", name: "api_key", description: "Open311: the partner API key as the `api_key` parameter (query, or form field on POST)" },
      },
      schemas: { Error: bound(jsonSchema(ErrorBody, "output"), responseBounds), Open311Errors: bound(jsonSchema(Open311Errors, "output"), responseBounds) },
      responses,
    },
  };
}
