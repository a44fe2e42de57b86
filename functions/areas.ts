import { routes as allRoutes, type Route } from "./routes.ts";

/**
 * The deployed shape of the HTTP API: a few **area functions**, each serving the routes of one
 * area of the route table (functions/routes.ts stays the single declaration). A route's area is
 * derived from its handler's folder (`functions/<folder>/<file>.handler`) by the table below, so a
 * new route needs no extra edit; a route may name its area explicitly (`area` in routes.ts).
 * A folder not listed here becomes an area of its own (stacks.test.ts caps the count at 12).
 *
 * Areas keep sensitive grants narrow: only `registry` reaches the registry KMS key, only the
 * areas that store files reach the bucket (stacks/areas.ts declares each area's access).
 */
export const AREA_OF_FOLDER: Readonly<Record<string, string>> = {
  // sign-in and the caller's own identity
  auth: "auth",
  health: "auth",
  // the case desk: reports, actions, attachments, the caller's notifications
  cases: "cases",
  me: "cases",
  // county configuration: the unit tree, staff, departments, categories, calendar, settings
  units: "config",
  users: "config",
  departments: "config",
  categories: "config",
  calendar: "config",
  settings: "config",
  // residents' registry (field encryption) and grid workers' duties on it
  registry: "registry",
  duties: "registry",
  // monthly appraisals and their indicators
  appraisals: "appraisals",
  indicators: "appraisals",
  // partners: Open311, webhooks, API keys, API reference
  open311: "partner",
  // the resident channel's sign-in (code, verify, WeChat, anonymous, refresh, logout, me, grid): the only function that
  // reads SMS_CONFIG and WECHAT_CONFIG, and none of the partner code (the folder's staff QR routes are `config`'s: routes.ts)
  residents: "residents",
  webhooks: "partner",
  "api-keys": "partner",
  docs: "partner",
  // operations: exports with approval, jobs, audit, queue depths
  exports: "ops",
  jobs: "ops",
  audit: "ops",
  ops: "ops",
};

/** `functions/cases/list.handler` → `cases` */
export function handlerFolder(handler: string): string {
  const parts = handler.split("/");
  return parts.length > 2 ? parts[1] : "";
}

/** The area function serving a route. */
export function areaOf(route: Pick<Route, "handler"> & { area?: string }): string {
  if (route.area) return route.area;
  const folder = handlerFolder(route.handler);
  return AREA_OF_FOLDER[folder] ?? folder;
}

/** Routes served by API Gateway (and so by area functions): every route except local-only `/_local` ones. */
export function servedRoutes(list: readonly Route[] = allRoutes): Route[] {
  return list.filter((r) => !r.path.includes("/_local"));
}

/** Area name → its routes, in route-table order; areas sorted by name. */
export function areas(list: readonly Route[] = allRoutes): Map<string, Route[]> {
  const out = new Map<string, Route[]>();
  for (const r of servedRoutes(list)) {
    const a = areaOf(r);
    out.set(a, [...(out.get(a) ?? []), r]);
  }
  // by code unit, not localeCompare: area names are lowercase ASCII (same order), and a process's first localeCompare loads ICU's collator (10–30 ms of a cold import)
  return new Map([...out.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Folder of the generated area entry files (gitignored; functions/area-entries.ts writes them). */
export const AREA_ENTRY_DIR = "functions/_areas";

/** The SST handler of an area function: `functions/_areas/<area>.handler`. */
export function areaHandler(area: string): string {
  return `${AREA_ENTRY_DIR}/${area}.handler`;
}
