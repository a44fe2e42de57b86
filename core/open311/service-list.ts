import { getSettings } from "../settings/settings.ts";
import { parse } from "../validate.ts";
import { allCategories, reportable, type ServiceEntry } from "./catalog.ts";
import { checkJurisdiction, findService } from "./caller.ts";
import { JurisdictionQuery } from "./schema-create.ts";
import type { Service, ServiceDefinition } from "./schema.ts";

/*
 * GeoReport v2's catalog methods — discovery, the service list, a service definition — apart from
 * the requests and the updates feed (core/open311/service.ts, which re-exports these): a partner
 * area container whose first request is `services.json` (bench/bundles.ts FIRST_ROUTE) loads the
 * settings, the categories and the jurisdiction check, not the case schemas, the case and
 * department reads and the feed's labels (issue #15, docs/deploy.md "Cold path").
 */

export const SPECIFICATION = "http://wiki.open311.org/GeoReport_v2";

export interface DiscoveryOptions {
  baseUrl: string;
  production: boolean;
}

/** `GET discovery.[format]`: the endpoint list; the changeset moves when the service list changes. */
export async function discovery(opts: DiscoveryOptions) {
  const [settings, categories] = await Promise.all([getSettings(), allCategories()]);
  const changeset = categories.reduce((m, c) => (c.updatedAt > m ? c.updatedAt : m), settings.updatedAt ?? "1970-01-01T00:00:00.000Z");
  return {
    changeset,
    contact: `${settings.countyName}网格化服务管理中心 (jurisdiction_id ${settings.countyCode})`,
    key_service: "API keys are issued by the county administrator (console: API keys, permissions cases:report and cases:read).",
    endpoints: [
      {
        specification: SPECIFICATION,
        url: `${opts.baseUrl}/open311/v2`,
        changeset,
        type: opts.production ? ("production" as const) : ("test" as const),
        formats: ["text/xml", "application/json"],
      },
    ],
  };
}

function toService(e: ServiceEntry): Service {
  const group = e.parent?.name ?? e.category.name;
  return {
    service_code: e.category.code,
    service_name: e.category.name,
    description: e.parent ? `${e.parent.name} / ${e.category.name}` : e.category.name,
    metadata: true,
    type: "realtime",
    keywords: [e.parent?.name, e.category.name, e.category.code].filter(Boolean).join(", "),
    group,
  };
}

/**
 * The settings (for the jurisdiction check) and the categories, read at once (#15: a cold
 * container's first `services.json` waited for one read, then the other). A jurisdiction refused
 * or a failed settings read answers as before; the categories' read, then unused, is let go.
 */
async function checkedCategories(jurisdictionId: string | undefined) {
  const categories = allCategories();
  categories.catch(() => undefined); // awaited below unless the check throws first; this only keeps its failure from counting as unhandled
  checkJurisdiction(jurisdictionId, await getSettings());
  return categories;
}

/** `GET services.[format]`: second-level categories (service_code = category code), grouped by their first level. */
export async function listServices(query: unknown): Promise<Service[]> {
  const q = parse(JurisdictionQuery, query, "query");
  return reportable(await checkedCategories(q.jurisdiction_id)).map(toService);
}

/** The attributes every service accepts (attribute[code]=value on POST). */
export const ATTRIBUTES: ServiceDefinition["attributes"] = [
  {
    variable: true,
    code: "grid_code",
    datatype: "string",
    required: false,
    datatype_description: "网格编码，如 350206001001001（居民扫描的网格二维码上印有）",
    order: 1,
    description: "The code of the grid (网格) where the problem is, when known. Otherwise the grid is found from lat/long.",
  },
  {
    variable: true,
    code: "urgent",
    datatype: "singlevaluelist",
    required: false,
    datatype_description: null,
    order: 2,
    description: "Urgent matters skip the claim window and go straight to the responsible department (紧急事件).",
    values: [
      { key: "false", name: "一般" },
      { key: "true", name: "紧急" },
    ],
  },
];

/** `GET services/{service_code}.[format]` */
export async function serviceDefinition(code: string, query: unknown): Promise<ServiceDefinition> {
  const q = parse(JurisdictionQuery, query, "query");
  await checkedCategories(q.jurisdiction_id);
  const s = await findService(code); // among the categories just read (catalog.ts keeps them 30 s)
  return { service_code: s.category.code, attributes: ATTRIBUTES };
}
