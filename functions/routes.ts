import type { Permission } from "../core/auth/roles.ts";
import { routeKey } from "./route-registry.ts";

/**
 * The route table: the single source of truth for the HTTP API. `stacks/Api.ts` creates one
 * API Gateway route per entry; `local/api-server.ts` serves the same entries; the shared wrapper
 * (`functions/http.ts`) enforces each entry's permission before the handler runs.
 */
export interface Route {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  path: string;
  /** `functions/<area>/<file>.<export>` as SST expects */
  handler: string;
  permission: Permission;
  /** Request body limit in bytes (default 256 KiB) */
  maxBody?: number;
  /** The route takes no body: anything but an empty body or `{}` is a 400 naming the fields (strict bodies) */
  noBody?: boolean;
  /** The area function serving it, when not its folder's (functions/areas.ts) */
  area?: string;
}

const r = (method: Route["method"], path: string, handler: string, permission: Permission, extra: Partial<Route> = {}): Route => ({
  method,
  path,
  handler: `functions/${handler}.handler`,
  permission,
  ...extra,
});

/** An Excel import body: a 4 MiB workbook in base64 and its name (core/xlsx/schema.ts MAX_XLSX_BYTES). */
const XLSX_BODY = 5_600_000;
/** The Excel routes are one area function of their own: exceljs (1.1 MB) stays out of the other functions' uploads. */
const EXCEL = "excel";

export const routes: Route[] = [
  r("GET", "/v1/health", "health/get", "public"),
  r("POST", "/v1/auth/login", "auth/login", "public"),
  r("POST", "/v1/auth/refresh", "auth/refresh", "public"),
  r("POST", "/v1/auth/logout", "auth/logout", "public"),
  r("POST", "/v1/auth/activate", "auth/activate", "public", { maxBody: 1024 }),
  r("GET", "/v1/me", "auth/me", "authenticated"),
  r("POST", "/v1/names", "names/post", "authenticated"),

  r("GET", "/v1/units", "units/list", "units:read"),
  r("POST", "/v1/units", "units/create", "units:write"),
  r("GET", "/v1/units/locate", "units/locate", "units:read"),
  r("POST", "/v1/units/import", "units/import", "units:import", { maxBody: 8 * 1024 * 1024 }),
  r("POST", "/v1/units/import-uploads", "units/import-uploads", "units:import"),
  // Excel of codes, names, types and statistics (boundaries: the GeoJSON/CSV/Shapefile import); docs/setup.md "Excel"
  r("GET", "/v1/units/template.xlsx", "units/xlsx-template", "units:write", { area: EXCEL }),
  r("GET", "/v1/units/export.xlsx", "units/xlsx-export", "units:read", { area: EXCEL }),
  r("POST", "/v1/units/import.xlsx", "units/xlsx-import", "units:write", { maxBody: XLSX_BODY, area: EXCEL }),
  r("GET", "/v1/units/export", "units/export", "units:read"),
  r("GET", "/v1/units/tree", "units/tree", "units:read"),
  r("GET", "/v1/units/map", "units/map", "units:read"),
  r("GET", "/v1/units/{id}", "units/get", "units:read"),
  r("PATCH", "/v1/units/{id}", "units/update", "units:write"),
  r("POST", "/v1/units/{id}/move", "units/move", "units:write"),
  r("POST", "/v1/units/{id}/deactivate", "units/deactivate", "units:write"),
  r("GET", "/v1/units/{id}/qr.svg", "residents/qr-svg", "units:read", { area: "config" }),
  r("GET", "/v1/units/{id}/qr.png", "residents/qr-png", "units:read", { area: "config" }),
  r("GET", "/v1/units/{id}/qr-sheet.html", "residents/qr-sheet", "units:read", { area: "config" }),

  r("GET", "/v1/users", "users/list", "users:read"),
  r("POST", "/v1/users", "users/create", "users:write"),
  r("GET", "/v1/users/{id}", "users/get", "users:read"),
  r("PATCH", "/v1/users/{id}", "users/update", "users:write"),
  r("POST", "/v1/users/{id}/password", "users/password", "users:write"),
  r("POST", "/v1/users/{id}/activation", "users/activation", "users:write", { noBody: true }),
  // Excel (#20, docs/setup.md "Excel"): template and import need what creating the records needs, the export what reading them needs
  r("GET", "/v1/users/template.xlsx", "users/xlsx-template", "users:write", { area: EXCEL }),
  r("GET", "/v1/users/export.xlsx", "users/xlsx-export", "users:read", { area: EXCEL }),
  r("POST", "/v1/users/import.xlsx", "users/xlsx-import", "users:write", { maxBody: XLSX_BODY, area: EXCEL }),
  // handover of a leaving user's work (人走机留, core/user/handover.ts): preview, then a job
  r("GET", "/v1/users/{id}/handover", "users/handover-get", "users:write"),
  r("POST", "/v1/users/{id}/handover", "users/handover", "users:write", { maxBody: 1024 }),
  r("GET", "/v1/roles", "users/roles", "authenticated"),

  r("GET", "/v1/api-keys", "api-keys/list", "api-keys:manage"),
  r("POST", "/v1/api-keys", "api-keys/create", "api-keys:manage"),
  r("GET", "/v1/api-keys/{id}", "api-keys/get", "api-keys:manage"),
  r("POST", "/v1/api-keys/{id}/revoke", "api-keys/revoke", "api-keys:manage", { noBody: true }),

  r("GET", "/v1/departments", "departments/list", "departments:read"),
  r("POST", "/v1/departments", "departments/create", "departments:write"),
  r("GET", "/v1/departments/{id}", "departments/get", "departments:read"),
  r("PATCH", "/v1/departments/{id}", "departments/update", "departments:write"),
  r("GET", "/v1/departments/template.xlsx", "departments/xlsx-template", "departments:write", { area: EXCEL }),
  r("GET", "/v1/departments/export.xlsx", "departments/xlsx-export", "departments:read", { area: EXCEL }),
  r("POST", "/v1/departments/import.xlsx", "departments/xlsx-import", "departments:write", { maxBody: XLSX_BODY, area: EXCEL }),

  r("GET", "/v1/categories", "categories/list", "categories:read"),
  r("POST", "/v1/categories", "categories/create", "categories:write"),
  r("GET", "/v1/categories/{id}", "categories/get", "categories:read"),
  r("PATCH", "/v1/categories/{id}", "categories/update", "categories:write"),
  r("GET", "/v1/categories/template.xlsx", "categories/xlsx-template", "categories:write", { area: EXCEL }),
  r("GET", "/v1/categories/export.xlsx", "categories/xlsx-export", "categories:read", { area: EXCEL }),
  r("POST", "/v1/categories/import.xlsx", "categories/xlsx-import", "categories:write", { maxBody: XLSX_BODY, area: EXCEL }),
  r("GET", "/v1/category-catalogue", "categories/catalogue", "categories:write"),
  r("POST", "/v1/category-catalogue", "categories/catalogue-apply", "categories:write"),

  r("GET", "/v1/calendar", "calendar/get", "calendar:read"),
  r("PUT", "/v1/calendar", "calendar/put", "calendar:write"),
  r("GET", "/v1/calendar/versions", "calendar/versions", "calendar:read"),
  r("POST", "/v1/calendar/holidays", "calendar/holidays", "calendar:write", { maxBody: 16 * 1024 }),

  r("GET", "/v1/settings", "settings/get", "units:read"),
  r("PUT", "/v1/settings", "settings/put", "units:write"),

  r("POST", "/v1/cases", "cases/report", "cases:report", { maxBody: 64 * 1024 }),
  r("GET", "/v1/cases", "cases/list", "cases:read"),
  r("GET", "/v1/cases/{id}", "cases/get", "cases:read"),
  r("POST", "/v1/cases/{id}/attachments", "cases/attachments", "cases:read"),
  r("GET", "/v1/cases/{id}/attachments/{key+}", "cases/download", "cases:read"),
  r("POST", "/v1/cases/{id}/{action}", "cases/act", "cases:act", { maxBody: 64 * 1024 }),
  r("POST", "/v1/uploads", "cases/uploads", "cases:report"),
  r("GET", "/v1/me/notifications", "me/notifications", "authenticated"),
  r("POST", "/v1/me/notifications/{id}/read", "me/read", "authenticated", { noBody: true }),

  // the resident channel's sign-in: the `residents` area function (functions/areas.ts), the only one that reads SMS_CONFIG and WECHAT_CONFIG
  r("POST", "/v1/residents/code", "residents/code", "public", { maxBody: 1024 }),
  r("POST", "/v1/residents/verify", "residents/verify", "public", { maxBody: 1024 }),
  r("POST", "/v1/residents/wechat", "residents/wechat", "public", { maxBody: 1024 }),
  r("POST", "/v1/residents/anonymous", "residents/anonymous", "public", { maxBody: 1024 }),
  r("POST", "/v1/residents/refresh", "residents/refresh", "public", { maxBody: 1024 }),
  r("POST", "/v1/residents/logout", "residents/logout", "public", { maxBody: 1024 }),
  r("GET", "/v1/residents/me", "residents/me", "authenticated"),
  r("GET", "/v1/residents/grids/{code}", "residents/grid", "public"),

  // registry (docs/registry.md): personal fields masked; reveal audited; search by POST (never a value in a URL)
  r("GET", "/v1/registry/households", "registry/households-list", "registry:read"),
  r("POST", "/v1/registry/households", "registry/households-create", "registry:write", { maxBody: 64 * 1024 }),
  // Excel (docs/registry.md "Excel"): imports through the registry's own writes; exports masked and audited
  r("GET", "/v1/registry/households/template.xlsx", "registry/households-xlsx-template", "registry:write", { area: EXCEL }),
  r("GET", "/v1/registry/households/export.xlsx", "registry/households-xlsx-export", "registry:read", { area: EXCEL }),
  r("POST", "/v1/registry/households/import.xlsx", "registry/households-xlsx-import", "registry:write", { maxBody: XLSX_BODY, area: EXCEL }),
  r("GET", "/v1/registry/households/{id}", "registry/households-get", "registry:read"),
  r("PATCH", "/v1/registry/households/{id}", "registry/households-update", "registry:write", { maxBody: 64 * 1024 }),
  r("DELETE", "/v1/registry/households/{id}", "registry/households-delete", "registry:write"),
  r("POST", "/v1/registry/households/{id}/reveal", "registry/households-reveal", "registry:reveal", { maxBody: 4 * 1024 }),
  r("GET", "/v1/registry/people", "registry/people-list", "registry:read"),
  r("POST", "/v1/registry/people", "registry/people-create", "registry:write", { maxBody: 64 * 1024 }),
  r("GET", "/v1/registry/people/template.xlsx", "registry/people-xlsx-template", "registry:write", { area: EXCEL }),
  r("GET", "/v1/registry/people/export.xlsx", "registry/people-xlsx-export", "registry:read", { area: EXCEL }),
  r("POST", "/v1/registry/people/import.xlsx", "registry/people-xlsx-import", "registry:write", { maxBody: XLSX_BODY, area: EXCEL }),
  r("GET", "/v1/registry/people/{id}", "registry/people-get", "registry:read"),
  r("PATCH", "/v1/registry/people/{id}", "registry/people-update", "registry:write", { maxBody: 64 * 1024 }),
  r("DELETE", "/v1/registry/people/{id}", "registry/people-delete", "registry:write"),
  r("POST", "/v1/registry/people/{id}/reveal", "registry/people-reveal", "registry:reveal", { maxBody: 4 * 1024 }),
  r("GET", "/v1/registry/places", "registry/places-list", "registry:read"),
  r("POST", "/v1/registry/places", "registry/places-create", "registry:write", { maxBody: 64 * 1024 }),
  r("GET", "/v1/registry/places/{id}", "registry/places-get", "registry:read"),
  r("PATCH", "/v1/registry/places/{id}", "registry/places-update", "registry:write", { maxBody: 64 * 1024 }),
  r("DELETE", "/v1/registry/places/{id}", "registry/places-delete", "registry:write"),
  r("POST", "/v1/registry/places/{id}/reveal", "registry/places-reveal", "registry:reveal", { maxBody: 4 * 1024 }),
  r("POST", "/v1/registry/search", "registry/search", "registry:read", { maxBody: 1024 }),
  r("GET", "/v1/registry/key-lists", "registry/keylists-list", "registry:read"),
  r("POST", "/v1/registry/key-lists", "registry/keylists-create", "registry:write", { maxBody: 64 * 1024 }),
  r("GET", "/v1/registry/key-lists/{id}", "registry/keylists-get", "registry:read"),
  r("PATCH", "/v1/registry/key-lists/{id}", "registry/keylists-update", "registry:write", { maxBody: 64 * 1024 }),

  // duties: visits, patrols, tasks
  r("GET", "/v1/duties/config", "duties/config-get", "units:read"), // every staff role reads it; the county admin writes it
  r("PUT", "/v1/duties/config", "duties/config-put", "units:write"),
  r("POST", "/v1/duties/visits", "duties/visits-log", "registry:write", { maxBody: 64 * 1024 }),
  r("GET", "/v1/duties/visits", "duties/visits-list", "registry:read"),
  r("GET", "/v1/duties/visits/overdue", "duties/visits-overdue", "registry:read"),
  r("GET", "/v1/duties/households/{householdId}/visits/{visitId}/photos/{key+}", "duties/visits-photo", "registry:read"),
  r("POST", "/v1/duties/patrols", "duties/patrols-start", "registry:write"),
  r("GET", "/v1/duties/patrols", "duties/patrols-list", "registry:read"),
  r("GET", "/v1/duties/patrols/missed", "duties/patrols-missed", "registry:read"),
  r("POST", "/v1/duties/patrols/{id}/points", "duties/patrols-points", "registry:write", { maxBody: 64 * 1024 }),
  r("POST", "/v1/duties/patrols/{id}/end", "duties/patrols-end", "registry:write"),
  r("GET", "/v1/duties/patrols/{id}/photos/{key+}", "duties/patrols-photo", "registry:read"),
  r("GET", "/v1/tasks/types", "duties/tasktypes-list", "authenticated"),
  r("POST", "/v1/tasks/types", "duties/tasktypes-create", "tasks:manage", { maxBody: 64 * 1024 }),
  r("GET", "/v1/tasks/types/{id}", "duties/tasktypes-get", "authenticated"),
  r("PATCH", "/v1/tasks/types/{id}", "duties/tasktypes-update", "tasks:manage", { maxBody: 64 * 1024 }),
  r("POST", "/v1/tasks", "duties/tasks-request", "tasks:request", { maxBody: 64 * 1024 }),
  r("GET", "/v1/tasks", "duties/tasks-list", "authenticated"),
  r("GET", "/v1/tasks/{id}", "duties/tasks-get", "authenticated"),
  r("POST", "/v1/tasks/{id}/approve", "duties/tasks-approve", "tasks:manage"),
  r("POST", "/v1/tasks/{id}/refuse", "duties/tasks-refuse", "tasks:manage"),
  r("POST", "/v1/tasks/{id}/units/{unitId}/complete", "duties/tasks-complete", "registry:write", { maxBody: 64 * 1024 }),
  r("GET", "/v1/tasks/{id}/units/{unitId}/photos/{key+}", "duties/tasks-photo", "authenticated"),

  // exports with approval
  r("POST", "/v1/exports", "exports/request", "exports:request"),
  r("GET", "/v1/exports", "exports/list", "authenticated"),
  r("GET", "/v1/exports/{id}", "exports/get", "authenticated"),
  r("POST", "/v1/exports/{id}/approve", "exports/approve", "exports:approve"),
  r("POST", "/v1/exports/{id}/refuse", "exports/refuse", "exports:approve"),
  r("GET", "/v1/exports/{id}/download", "exports/download", "exports:request"),

  r("GET", "/v1/audit", "audit/list", "audit:read"),
  r("GET", "/v1/stats/overview", "stats/overview", "cases:read"),
  r("GET", "/v1/ops/queues", "ops/queues", "ops:read"),
  r("POST", "/v1/ops/queues/{queue}/redrive", "ops/redrive", "ops:redrive", { maxBody: 1024 }),
  r("POST", "/v1/ops/repair-stranded-cases", "cases/repair", "cases:repair", { maxBody: 1024 }),

  r("GET", "/v1/appraisals", "appraisals/list", "appraisals:read"),
  r("POST", "/v1/appraisals/run", "appraisals/run", "appraisals:run"),
  r("GET", "/v1/appraisals/runs", "appraisals/runs", "appraisals:read"),
  r("GET", "/v1/appraisals/{period}/run", "appraisals/run-status", "appraisals:read"),
  r("POST", "/v1/appraisals/{period}/lock", "appraisals/lock", "appraisals:lock", { noBody: true }),
  r("GET", "/v1/appraisals/{period}/export.csv", "appraisals/export", "appraisals:read"),
  r("GET", "/v1/appraisals/{period}/map", "appraisals/map", "appraisals:read"),
  r("GET", "/v1/appraisals/{subject}/{id}/{period}", "appraisals/get", "appraisals:read"),
  r("GET", "/v1/appraisals/{subject}/{id}/{period}/explain", "appraisals/explain", "appraisals:read"),
  r("GET", "/v1/scoring-rules", "appraisals/rules-get", "appraisals:read"),
  r("PUT", "/v1/scoring-rules", "appraisals/rules-put", "appraisals:run"),
  r("GET", "/v1/scoring-rules/versions", "appraisals/rules-versions", "appraisals:read"),
  r("GET", "/v1/points/{userId}", "appraisals/points-get", "authenticated"),
  r("POST", "/v1/points/{userId}/redeem", "appraisals/points-redeem", "appraisals:run"),
  r("GET", "/v1/indicator-definitions", "indicators/definitions-list", "appraisals:read"),
  r("POST", "/v1/indicator-definitions", "indicators/definitions-create", "indicators:write"),
  r("PATCH", "/v1/indicator-definitions/{key}", "indicators/definitions-update", "indicators:write"),
  r("GET", "/v1/indicators", "indicators/values-list", "appraisals:read"),
  r("POST", "/v1/indicators", "indicators/values-post", "indicators:write", { maxBody: 2 * 1024 * 1024 }),

  r("GET", "/v1/jobs", "jobs/list", "jobs:read"),
  r("GET", "/v1/jobs/{id}", "jobs/get", "jobs:read"),
  r("GET", "/v1/jobs/{id}/errors.csv", "jobs/errors", "jobs:read"),
  r("GET", "/v1/jobs/{id}/corrected.xlsx", "jobs/corrected", "jobs:read", { area: EXCEL }),
  r("GET", "/v1/jobs/{id}/activation-codes.xlsx", "jobs/activation-codes", "users:write", { area: EXCEL }),

  r("GET", "/v1/webhooks", "webhooks/list", "webhooks:manage"),
  r("POST", "/v1/webhooks", "webhooks/create", "webhooks:manage"),
  r("GET", "/v1/webhooks/{id}", "webhooks/get", "webhooks:manage"),
  r("PATCH", "/v1/webhooks/{id}", "webhooks/update", "webhooks:manage"),
  r("POST", "/v1/webhooks/{id}/rotate-secret", "webhooks/rotate", "webhooks:manage", { noBody: true }),
  r("GET", "/v1/webhooks/{id}/deliveries", "webhooks/deliveries", "webhooks:manage"),
  r("POST", "/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver", "webhooks/redeliver", "webhooks:manage", { noBody: true }),

  r("GET", "/v1/openapi.json", "docs/openapi", "public"),
  r("GET", "/docs", "docs/page", "public"),

  // Open311 GeoReport v2: the api_key parameter is checked by the handlers (permission public here)
  r("GET", "/open311/v2/discovery.json", "open311/discovery", "public"),
  r("GET", "/open311/v2/discovery.xml", "open311/discovery", "public"),
  r("GET", "/open311/v2/services.json", "open311/services", "public"),
  r("GET", "/open311/v2/services.xml", "open311/services", "public"),
  r("GET", "/open311/v2/services/{file}", "open311/service", "public"),
  r("POST", "/open311/v2/requests.json", "open311/create", "public", { maxBody: 16 * 1024 }),
  r("POST", "/open311/v2/requests.xml", "open311/create", "public", { maxBody: 16 * 1024 }),
  r("GET", "/open311/v2/requests.json", "open311/requests", "public"),
  r("GET", "/open311/v2/requests.xml", "open311/requests", "public"),
  r("GET", "/open311/v2/requests/{file}", "open311/request", "public"),
  r("GET", "/open311/v2/tokens/{file}", "open311/token", "public"),
  r("GET", "/open311/v2/servicerequestupdates.json", "open311/updates", "public"),
  r("GET", "/open311/v2/servicerequestupdates.xml", "open311/updates", "public"),
];

export { routeKey };

const byKey = new Map(routes.map((x) => [routeKey(x), x]));

export function findRoute(key: string): Route | undefined {
  return byKey.get(key);
}
