import * as z from "zod/mini";
import { CreateApiKey } from "../apikey/schema.ts";
import { appraisalRouteDocs } from "../appraisal/openapi.ts";
import { namesRouteDocs } from "../names/openapi.ts";
import { catalogueRouteDocs } from "../category/openapi.ts";
import { xlsxRouteDocs } from "../xlsx/openapi.ts";
import { activationRouteDocs, handoverRouteDocs } from "../user/openapi.ts";
import { UploadRequest } from "../attachment/presign.ts";
import { AuditQuery } from "../audit/list.ts";
import { PutCalendar } from "../calendar/service.ts";
import { CalendarWarning, HolidayNotice } from "../calendar/coverage.ts";
import { ActionInput } from "../case/schema.ts";
import { CaseQuery } from "../case/read.ts";
import { ReportRequest } from "../case/report.ts";
import { CategoryQuery, CreateCategory, UpdateCategory } from "../category/schema.ts";
import { PageQuery } from "../db/page.ts";
import { CreateDepartment, DepartmentQuery, UpdateDepartment } from "../department/schema.ts";
import { JobQuery } from "../job/schema.ts";
import { InboxQuery } from "../notify/inbox.ts";
import * as o311 from "../open311/schema.ts";
import { WechatLoginRequest } from "../resident/wechat.ts";
import { AnonymousRequest, CodeRequest, CodeSent, GridPage, ResidentProfile, ResidentRefreshRequest, ResidentSession, VerifyRequest } from "../resident/schema.ts";
import { PutSettings } from "../settings/service.ts";
import { ExportQuery } from "../unit/export.ts";
import { ImportQuery, UploadedImport } from "../unit/import-start.ts";
import { ImportUploadRequest } from "../unit/import-upload.ts";
import { CreateUnit, DeactivateUnit, LocateQuery, MoveUnit, UnitQuery, UpdateUnit } from "../unit/schema.ts";
import { MapQuery as UnitMapQuery, TreeQuery, UnitMapPage, UnitTreePage } from "../unit/tree.ts";
import { LoginInput, LogoutInput, RefreshInput } from "../user/schema.ts";
import { CreateUserInput, SetPasswordInput, UpdateUserInput, UserQuery } from "../user/service.ts";
import { CreateWebhook, DeliveryQuery, UpdateWebhook } from "../webhook/schema.ts";
import * as S from "./shapes.ts";
import { recordRouteDocs } from "./docs-records.ts";

/**
 * The API reference's knowledge of each route, by route key (`METHOD /path`, as in
 * functions/routes.ts): the zod schemas its handler parses (body, query) and what it returns.
 * Handlers do not read this; the OpenAPI document is generated from the route table plus this
 * registry, and a test fails when a route has no entry here.
 */
export interface RouteDoc {
  summary: string;
  description?: string;
  /** defaults to the first path segment after the version (`units`, `cases`, …) */
  tag?: string;
  /** request body (JSON unless `bodyTypes` says otherwise), documented as input (before transforms/defaults) */
  body?: z.ZodMiniType;
  /** the body may be left out (e.g. a token that can come from a cookie instead) */
  bodyOptional?: boolean;
  /** content types of the body and a schema per type; overrides `body` */
  bodyTypes?: Record<string, z.ZodMiniType | "binary" | "text">;
  /** query parameters (every key of the object) */
  query?: z.ZodMiniObject<z.core.$ZodShape>;
  /** descriptions of path parameters */
  params?: Record<string, string>;
  /** request headers the handler reads (an `Idempotency-Key` is documented with the pattern every route checks it against) */
  headers?: Array<{ name: string; description: string; maxLength?: number }>;
  /** the success response */
  status?: number;
  response?: z.ZodMiniType;
  /** content types of the success response and their schemas; overrides `response` */
  responseTypes?: Record<string, z.ZodMiniType | "binary" | "text">;
  /** error bodies: the platform's `{error}` (default) or Open311's `[{code, description}]` */
  errors?: "platform" | "open311";
  /** how the caller authenticates when the route's permission is `public` */
  auth?: "none" | "optional" | "api_key_param";
  /**
   * One route, several operations: the path parameter `param` takes the listed values and each
   * is documented as its own operation on the concrete path (e.g. `POST /v1/cases/{id}/dispatch`),
   * with its own body, so a generated client sends exactly what that value accepts.
   */
  variants?: { param: string; values: Record<string, Partial<RouteDoc>> };
}

/** What each case action does (the reference's summary per action operation). */
const ACTION_SUMMARY: Record<string, string> = {
  accept: "Accept a reported case (dispatch centre)",
  reject: "Reject a reported case with a reason",
  merge: "Merge into another open case (a duplicate)",
  resolve: "Resolve on the spot (grid), with photos",
  claim: "Claim a case offered to the caller's department",
  dispatch: "Dispatch to a department, or a dispute to a mediating unit",
  transfer: "Hand a dispatched case back to the centre (not ours)",
  start: "Start handling",
  handle: "Report the case handled",
  verify: "Verify the work on site (pass, or back to the handler with what is still wrong)",
  evaluate: "Evaluate the outcome (the reporter; residents on five levels)",
  mediate: "Record a mediation attempt (resolved or failed)",
  escalate: "Escalate a dispute to the next mediation level",
  supervise: "Put an overdue case under supervision (督办)",
  extend_request: "Ask for more working time",
  extend_approve: "Approve the pending extension",
  extend_refuse: "Refuse the pending extension",
  defer: "Defer until a review date",
  close: "Close",
  reopen: "Reopen a closed case within the reopen window",
  comment: "Comment, with optional attachments",
};

/**
 * One documented operation per case action a caller may send (`report` is `POST /v1/cases`;
 * `timeout` belongs to the timer sweeper): the action's own fields, strict, no `action` field.
 */
function caseActionDocs(): Record<string, Partial<RouteDoc>> {
  const out: Record<string, Partial<RouteDoc>> = {};
  for (const option of ActionInput.def.options) {
    const { action, ...fields } = option.shape;
    const name = action.def.values[0];
    if (name === "report" || name === "timeout") continue;
    out[name] = { summary: ACTION_SUMMARY[name] ?? `Case action ${name}`, body: z.strictObject(fields) };
  }
  return out;
}

const IDEMPOTENCY = { name: "Idempotency-Key", description: "Retry-safe requests: a repeated key returns the first outcome (24 h). Letters, digits, _ . : - (≤128)." };
const PAGE = "Pages: `limit` (1–200, default 50) and the `nextCursor` of the previous page as `cursor`.";

const o311Formats = (schema: z.ZodMiniType) => ({ "application/json": schema, "text/xml": "text" as const });
const o311Types = (route: "json" | "xml" | "both", schema: z.ZodMiniType): Record<string, z.ZodMiniType | "text"> =>
  route === "json" ? { "application/json": schema } : route === "xml" ? { "text/xml": "text" } : o311Formats(schema);

function open311Pair(path: string, doc: Omit<RouteDoc, "responseTypes" | "errors"> & { response: z.ZodMiniType }): Record<string, RouteDoc> {
  const [method, p] = path.split(" ");
  return {
    [`${method} ${p}.json`]: { ...doc, tag: "open311", errors: "open311", responseTypes: o311Types("json", doc.response) },
    [`${method} ${p}.xml`]: { ...doc, tag: "open311", errors: "open311", responseTypes: o311Types("xml", doc.response), description: `${doc.description ?? ""}\n\nXML form of the same data (the spec's element names).`.trim() },
  };
}

const QrQuery = z.object({ scale: z.optional(z.string().check(z.maxLength(2), z.regex(/^\d{1,2}$/))).check(z.meta({ description: "pixels per module, 2–20 (default 10)" })) });

export const routeDocs: Record<string, RouteDoc> = {
  "GET /v1/health": { summary: "Health check", tag: "system", response: S.Health, auth: "none" },
  "POST /v1/auth/login": {
    summary: "Sign in (staff)",
    tag: "auth",
    body: LoginInput,
    response: S.Session,
    description:
      "Returns a 15-minute access token (Bearer) and a 14-day single-use refresh token. Repeated failures lock the account with backoff (429). With `X-Wangge-Session: cookie` (the console) the refresh token is set only as the HttpOnly `wg_srt` cookie (Path=/v1/auth, SameSite=Strict) and is not in the body.",
    auth: "none",
  },
  "POST /v1/auth/refresh": {
    summary: "Renew a staff session",
    tag: "auth",
    body: RefreshInput,
    bodyOptional: true,
    response: S.Session,
    description:
      "The refresh token in the body (partners, scripts), or none when the HttpOnly `wg_srt` cookie carries it: then the request must send `X-Wangge-Session: cookie`, must not be cross-site and its Origin must be the API's own (else 403 `csrf`), and the new token is answered only in `Set-Cookie`.",
    auth: "none",
  },
  "POST /v1/auth/logout": {
    summary: "Sign out (revoke the refresh token)",
    tag: "auth",
    body: LogoutInput,
    bodyOptional: true,
    status: 204,
    description: "Revokes the refresh token (the body's, or the `wg_srt` cookie's under the same checks as refresh); `everywhere: true` ends every session of the user. Always clears the cookie (`Max-Age=0`).",
    auth: "none",
  },
  "GET /v1/me": { summary: "The caller and its permissions", tag: "auth", response: S.Me },

  "GET /v1/units": { summary: "List units", description: PAGE, query: UnitQuery, response: S.page(S.Unit) },
  "POST /v1/units": { summary: "Create a unit", body: CreateUnit, status: 201, response: S.Unit },
  "GET /v1/units/locate": { summary: "The active unit containing a point", query: LocateQuery, response: S.Located },
  "POST /v1/units/import": {
    summary: "Import units (GeoJSON, CSV or a zipped Shapefile) as a background job",
    description:
      "The file as the body, or `{uploadKey}` after `POST /v1/units/import-uploads`. Answers 202 `{jobId}`; poll `GET /v1/jobs/{id}`. `mode=check` writes nothing: the job's `result.topology` lists the findings (overlapping siblings, units outside their parent, gaps, duplicated codes; area in m², a shape to highlight); an import naming finding ids in `accept` writes those rows with their warnings even when the county refuses boundary problems.",
    query: ImportQuery,
    bodyTypes: { "application/json": UploadedImport, "application/geo+json": "text", "text/csv": "text" },
    headers: [IDEMPOTENCY],
    status: 202,
    response: S.JobAccepted,
  },
  "POST /v1/units/import-uploads": { summary: "Presigned upload for a large import file", body: ImportUploadRequest, status: 201, response: S.ImportUpload },
  "GET /v1/units/export": {
    summary: "Export the unit tree (GeoJSON or CSV)",
    description: "A file too large for a response is answered 303 with a short-lived download URL.",
    query: ExportQuery,
    responseTypes: { "application/geo+json": "text", "text/csv": "text" },
  },
  "GET /v1/units/tree": {
    summary: "One level of the unit tree with case figures",
    description: "Children of `parentId` ordered by code (paged), or without it the caller's own top units; each with households and population and, where the caller may read cases, `figures` from the aggregates: open now, the month's overdue events, reports and closures (the whole subtree).",
    query: TreeQuery,
    response: UnitTreePage,
  },
  "GET /v1/units/map": {
    summary: "Every unit of one level in the caller's part of the hierarchy, with boundary (map precision) and case figures",
    query: UnitMapQuery,
    response: UnitMapPage,
  },
  "GET /v1/units/{id}": { summary: "Read a unit", response: S.Unit },
  "PATCH /v1/units/{id}": { summary: "Update a unit", body: UpdateUnit, response: S.Unit },
  "POST /v1/units/{id}/move": { summary: "Move a unit (and its subtree) under another parent", body: MoveUnit, response: S.Moved },
  "POST /v1/units/{id}/deactivate": { summary: "Deactivate a unit", body: DeactivateUnit, response: S.Unit },
  "GET /v1/units/{id}/qr.svg": {
    summary: "The grid's QR code (SVG)",
    description: "Points at `<console origin>/resident/?grid=<code>`, the resident page (网格化便民服务码). The URL is also in the `x-qr-url` header.",
    tag: "residents",
    responseTypes: { "image/svg+xml": "text" },
  },
  "GET /v1/units/{id}/qr.png": { summary: "The grid's QR code (PNG)", tag: "residents", query: QrQuery, responseTypes: { "image/png": "binary" } },
  "GET /v1/units/{id}/qr-sheet.html": {
    summary: "Printable QR codes of every grid under a unit",
    description: "An A4 sheet (HTML, print-ready) with one card per grid: name, code, parents and the resident URL. At most 300 grids: print one community at a time.",
    tag: "residents",
    responseTypes: { "text/html": "text" },
  },

  "GET /v1/users": { summary: "List staff", description: PAGE, query: UserQuery, response: S.page(S.User) },
  "POST /v1/users": { summary: "Create a staff account", body: CreateUserInput, status: 201, response: S.User },
  "GET /v1/users/{id}": { summary: "Read a staff account", response: S.User },
  "PATCH /v1/users/{id}": { summary: "Update a staff account (roles, phone, active)", body: UpdateUserInput, response: S.User },
  "POST /v1/users/{id}/password": { summary: "Set a staff password", body: SetPasswordInput, status: 204 },
  "GET /v1/roles": { summary: "Roles and their permissions", tag: "users", response: S.RoleList },

  "GET /v1/api-keys": { summary: "List partner API keys", description: PAGE, query: PageQuery, response: S.page(S.ApiKey) },
  "POST /v1/api-keys": {
    summary: "Create a partner API key",
    description: "The key is shown once. Partners send it as `X-Api-Key` (or as `api_key` on Open311). Scope: a unit subtree; rate limit per minute.",
    body: CreateApiKey,
    status: 201,
    response: S.CreatedApiKey,
  },
  "GET /v1/api-keys/{id}": { summary: "Read an API key (never the secret)", response: S.ApiKey },
  "POST /v1/api-keys/{id}/revoke": { summary: "Revoke an API key", response: S.ApiKey },

  "GET /v1/departments": { summary: "List departments", description: PAGE, query: DepartmentQuery, response: S.page(S.Department) },
  "POST /v1/departments": { summary: "Create a department", body: CreateDepartment, status: 201, response: S.Department },
  "GET /v1/departments/{id}": { summary: "Read a department", response: S.Department },
  "PATCH /v1/departments/{id}": { summary: "Update a department", body: UpdateDepartment, response: S.Department },

  "GET /v1/categories": { summary: "List case categories", description: PAGE, query: CategoryQuery, response: S.page(S.CategoryItem) },
  "POST /v1/categories": { summary: "Create a category", body: CreateCategory, status: 201, response: S.CategoryView },
  "GET /v1/categories/{id}": { summary: "Read a category with its effective (inherited) rules", response: S.CategoryView },
  "PATCH /v1/categories/{id}": { summary: "Update a category (null clears an override)", body: UpdateCategory, response: S.CategoryView },

  "GET /v1/calendar": {
    summary: "The working calendar",
    description: "`warnings` lists the years without official holiday data (this year, and next year from 1 November): deadlines there count Monday–Friday only until the notice is imported.",
    response: z.safeExtend(S.CalendarRecord, { warnings: z.array(CalendarWarning) }),
  },
  "POST /v1/calendar/holidays": {
    summary: "Import a year's official holiday notice (holidays and 调休 make-up days)",
    description: "One small file: JSON `{year, holidays, workdays}` or CSV `date,type` (`holiday`/`休`, `workday`/`班`). That year's dates replace the calendar's; other years stay. A new calendar version (audited).",
    bodyTypes: { "application/json": HolidayNotice, "text/csv": "text" },
    response: z.safeExtend(S.CalendarRecord, { warnings: z.array(CalendarWarning), imported: z.object({ year: z.number().check(z.int()), holidays: z.number().check(z.int()), workdays: z.number().check(z.int()) }) }),
  },
  "PUT /v1/calendar": { summary: "Replace the working calendar (new version)", description: "Send what you read without the read-only `updatedAt` and `warnings`.", body: PutCalendar, response: z.safeExtend(S.CalendarRecord, { warnings: z.array(CalendarWarning) }) },
  "GET /v1/calendar/versions": { summary: "Saved calendar versions", tag: "calendar", description: PAGE, query: PageQuery, response: S.page(S.CalendarVersion) },

  "GET /v1/settings": { summary: "County settings", response: S.Settings },
  "PUT /v1/settings": { summary: "Replace the county settings", body: PutSettings, response: S.Settings },

  "POST /v1/cases": {
    summary: "Report a case (any channel)",
    description: "Staff, partners (`X-Api-Key`, channel partner) and residents (resident token, channel resident) report here. The grid is found from the location unless `unitId` is given. Attachments are keys from `POST /v1/uploads`.",
    body: ReportRequest,
    headers: [IDEMPOTENCY],
    status: 201,
    response: S.CaseView,
  },
  "GET /v1/cases": {
    summary: "List cases the caller may see",
    description: `${PAGE} Residents see only their own cases (\`mine=true\`). Open cases by unit subtree by default; \`closedMonth\` lists the closed ones. Order: partners (API keys) get open cases **newest first** (\`createdAt\` descending, then id) by default; with \`state\`, \`ownerDepartment\`/\`mine\` or \`reportedByMe\` every caller gets newest first; staff's default list is by unit path, then oldest first; \`closedMonth\` by unit path, then creation time.`,
    query: CaseQuery,
    response: S.page(S.CaseView),
  },
  "GET /v1/cases/{id}": { summary: "Read a case with its timeline", description: "A resident reads only their own cases; their timeline has no staff notes, data or staff attachments.", response: S.CaseView },
  "POST /v1/cases/{id}/attachments": { summary: "Presigned upload for an attachment of this case", body: UploadRequest, status: 201, response: S.Upload },
  "GET /v1/cases/{id}/attachments/{key+}": { summary: "Short-lived download URL of an attachment on the timeline", response: S.Download },
  "POST /v1/cases/{id}/{action}": {
    summary: "Act on a case",
    description: "The action is the last path segment; the body holds exactly that action's fields (unknown fields, including `action`, are a 400). `allowedActions` of a case view lists what the caller may do now. Concurrent conflicting actions: one wins, the others get 409.",
    headers: [IDEMPOTENCY],
    response: S.CaseView,
    variants: { param: "action", values: caseActionDocs() },
  },
  "POST /v1/uploads": { summary: "Presigned upload for an attachment of a case not reported yet", tag: "cases", body: UploadRequest, status: 201, response: S.Upload },
  "GET /v1/me/notifications": { summary: "The caller's notifications", tag: "auth", description: PAGE, query: InboxQuery, response: S.page(S.Notification) },
  "POST /v1/me/notifications/{id}/read": { summary: "Mark a notification read", tag: "auth", status: 204 },

  "POST /v1/residents/code": {
    summary: "Send a verification code to a resident's phone",
    description: "Limits (rolling windows: any 60 s, any hour): one SMS per phone per minute and five per hour, thirty per address per hour (429 + Retry-After). On the local stage the code is also returned as `devCode`.",
    body: CodeRequest,
    status: 201,
    response: CodeSent,
    auth: "none",
  },
  "POST /v1/residents/verify": {
    summary: "Verify the code and register into the scanned grid",
    description: "Returns a resident session: a 15-minute access token (Bearer) and a 30-day single-use refresh token. The phone is stored only as an HMAC and a masked form.",
    body: VerifyRequest,
    response: ResidentSession,
    auth: "none",
  },
  "POST /v1/residents/wechat": {
    summary: "Sign in from the county's WeChat mini-program (wx.login code; optional phone binding)",
    description: "Exchanges the `wx.login()` code with WeChat (jscode2session) for the user's openid/unionid; with `phoneCode` (getPhoneNumber button) the phone's resident is used, the same record as an SMS sign-in. WeChat 40029/40163 → 400 on `code`, 45011 → 429 with Retry-After, 40226 → 403; 503 when the county has no mini-program configured.",
    body: WechatLoginRequest,
    response: ResidentSession,
    auth: "none",
  },
  "POST /v1/residents/anonymous": { summary: "An anonymous resident session (where the county allows anonymous reports)", body: AnonymousRequest, response: ResidentSession, auth: "none" },
  "POST /v1/residents/refresh": {
    summary: "Renew a resident session",
    description: "The refresh token in the body, or no body at all when the page keeps it in the HttpOnly `wg_rrt` cookie (then the new token is answered only in `Set-Cookie`, never in the body).",
    body: ResidentRefreshRequest,
    bodyOptional: true,
    response: ResidentSession,
    auth: "none",
  },
  "POST /v1/residents/logout": {
    summary: "End a resident session",
    description: "Revokes the refresh token (from the body, or the `wg_rrt` cookie when there is no body) and clears the cookie (`Max-Age=0`). 204 whether or not the token was still live.",
    body: ResidentRefreshRequest,
    bodyOptional: true,
    status: 204,
    auth: "none",
  },
  "GET /v1/residents/me": { summary: "The calling resident", response: ResidentProfile },
  "GET /v1/residents/grids/{code}": { summary: "The grid behind a QR code: names and reportable categories", params: { code: "the grid's code" }, response: GridPage, auth: "none" },

  "GET /v1/audit": { summary: "The audit trail (one month at a time)", description: PAGE, query: AuditQuery, response: S.page(S.AuditEntry) },

  "GET /v1/jobs": { summary: "Background jobs the caller started or may see", description: PAGE, query: JobQuery, response: S.page(S.JobView) },
  "GET /v1/jobs/{id}": { summary: "A background job's progress", response: S.JobView },
  "GET /v1/jobs/{id}/errors.csv": { summary: "The rejected rows of a job (CSV: line,reason)", responseTypes: { "text/csv": "text" } },

  "GET /v1/webhooks": { summary: "List webhook subscriptions", description: PAGE, query: PageQuery, response: S.page(S.WebhookView) },
  "POST /v1/webhooks": { summary: "Subscribe a partner URL to case events", description: "The signing secret is in this response only.", body: CreateWebhook, status: 201, response: S.WebhookWithSecret },
  "GET /v1/webhooks/{id}": { summary: "Read a subscription", response: S.WebhookView },
  "PATCH /v1/webhooks/{id}": { summary: "Update a subscription", body: UpdateWebhook, response: S.WebhookView },
  "POST /v1/webhooks/{id}/rotate-secret": { summary: "Rotate the signing secret", response: S.WebhookWithSecret },
  "GET /v1/webhooks/{id}/deliveries": { summary: "A subscription's deliveries", description: PAGE, query: DeliveryQuery, response: S.page(S.Delivery) },
  "POST /v1/webhooks/{id}/deliveries/{deliveryId}/redeliver": { summary: "Deliver again", status: 202, response: S.Delivery },

  ...appraisalRouteDocs,
  ...namesRouteDocs,
  ...catalogueRouteDocs,
  ...xlsxRouteDocs,
  ...handoverRouteDocs,
  ...activationRouteDocs,
  ...recordRouteDocs,

  "GET /v1/openapi.json": { summary: "This document (OpenAPI 3.1)", tag: "system", responseTypes: { "application/json": z.record(z.string(), z.unknown()) }, auth: "none" },
  "GET /docs": { summary: "The API reference (HTML)", tag: "system", responseTypes: { "text/html": "text" }, auth: "none" },

  ...open311Pair("GET /open311/v2/discovery", { summary: "Open311 service discovery", response: o311.Discovery, query: o311.JurisdictionQuery, auth: "none" }),
  ...open311Pair("GET /open311/v2/services", {
    summary: "Open311 service list",
    description: "Second-level categories are services (`service_code` = category code), their first-level category is the `group`; a first-level category without children is a service of its own group.",
    query: o311.JurisdictionQuery,
    response: z.array(o311.Service),
    auth: "none",
  }),
  "GET /open311/v2/services/{file}": {
    summary: "Open311 service definition",
    description: "`{file}` is `<service_code>.json` or `<service_code>.xml`.",
    tag: "open311",
    params: { file: "`<service_code>.json` or `<service_code>.xml`" },
    query: o311.JurisdictionQuery,
    errors: "open311",
    responseTypes: o311Formats(o311.ServiceDefinition),
    auth: "none",
  },
  ...open311Pair("POST /open311/v2/requests", {
    summary: "Open311: create a service request",
    description: "Form-encoded (`application/x-www-form-urlencoded`), `api_key` required (a key from `POST /v1/api-keys` with `cases:report`). A location is `lat`+`long`, or `address_string` (placed at the grid's centroid; `attribute[grid_code]` names the grid). Requests are realtime: `service_request_id` is the case id, the case appears in `/v1/cases` (channel partner). Contact fields are stored masked only.",
    bodyTypes: { "application/x-www-form-urlencoded": o311.CreateRequestInput },
    headers: [IDEMPOTENCY],
    status: 201,
    response: z.array(o311.CreatedRequest),
    auth: "api_key_param",
  }),
  ...open311Pair("GET /open311/v2/requests", {
    summary: "Open311: service requests",
    description: "Filters: `service_request_id` (comma-separated, overrides the rest), `service_code`, `start_date`/`end_date` (≤ 90 days; default the most recent 90 days), `status` (open, closed). Newest first, 1000 per page; `page`/`page_size` (extension). `status_notes` carries the fine state, `expected_datetime` the current stage deadline. Needs an `api_key` with `cases:read`; the key's unit scope applies.",
    query: o311.RequestsQuery,
    response: z.array(o311.ServiceRequest),
    auth: "api_key_param",
  }),
  "GET /open311/v2/requests/{file}": {
    summary: "Open311: one service request",
    tag: "open311",
    params: { file: "`<service_request_id>.json` or `.xml`" },
    query: o311.JurisdictionQuery,
    errors: "open311",
    responseTypes: o311Formats(z.array(o311.ServiceRequest)),
    auth: "api_key_param",
  },
  "GET /open311/v2/tokens/{file}": {
    summary: "Open311: service_request_id from a token",
    description: "Requests are realtime (no token is returned). A client that sent an `Idempotency-Key` header may use that key as the token for 24 hours.",
    tag: "open311",
    params: { file: "`<token>.json` or `.xml`" },
    query: o311.JurisdictionQuery,
    errors: "open311",
    responseTypes: o311Formats(z.array(o311.TokenResult)),
    auth: "api_key_param",
  },
  ...open311Pair("GET /open311/v2/servicerequestupdates", {
    summary: "Open311: service request updates (timeline feed)",
    description: "Public timeline events (no staff notes), oldest first, at most 1000: `start_date`/`end_date` (≤ 7 days; default the last 24 hours). Continue from the last `updated_datetime`. Needs an `api_key` with `cases:read`.",
    query: o311.UpdatesQuery,
    response: z.array(o311.RequestUpdate),
    auth: "api_key_param",
  }),
};

export function docFor(key: string): RouteDoc | undefined {
  return routeDocs[key];
}
