/**
 * react-admin's data provider over the REST conventions of docs/api.md.
 *
 * Lists are cursor-paged (`{items, nextCursor}`); react-admin pages by number, so each
 * (resource, page size, filter) keeps a table page → cursor: page N is read with the cursor page
 * N-1 returned. Reaching page N without knowing its cursor (a reloaded URL) walks from the last
 * known page. Lists report `pageInfo` (partial pagination), never a total.
 *
 * Updates send only the changed fields plus the `version` that was read (a stale one is a 409).
 * Nothing is deleted through the console: records are deactivated or revoked with domain actions
 * (`act`), which post to `/v1/<resource>/<id>/<action>`.
 */
import { HttpError, type DataProvider, type GetListResult, type Identifier, type RaRecord } from "react-admin";
import { client as defaultClient, ok, type Answer, type ApiClient, type paths, type PathsWith } from "./api/client.ts";
import type { ApiOptions } from "./http.ts";
import { caseQuery, caseRecord } from "./cases/model.ts";
import { prepareReport } from "./cases/report.ts";

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** A documented path with its parameters filled in: "/v1/units/{id}" → `/v1/units/${string}`. */
type Filled<S> = S extends `${infer A}{${string}}${infer B}` ? `${A}${string}${Filled<B>}` : S;
/**
 * The paths getRaw/postRaw/putRaw accept: a path the API document does not serve for that method
 * is a type error (the answer's type is still the caller's; screens move to the typed `client`).
 */
export type RawPath<M extends "get" | "post" | "put"> = Filled<PathsWith<M>>;

export interface AppDataProvider extends DataProvider {
  /** A domain action: `POST /v1/<resource>/<id>/<action>` with `body`; resolves to the updated record. */
  act<T = RaRecord>(resource: string, id: Identifier, action: string, body?: unknown): Promise<{ data: T }>;
  /** GET an API path (e.g. `/v1/health`); resolves to the parsed JSON. */
  getRaw<T = unknown>(path: RawPath<"get">, query?: ApiOptions["query"]): Promise<T>;
  postRaw<T = unknown>(path: RawPath<"post">, body?: unknown): Promise<T>;
  putRaw<T = unknown>(path: RawPath<"put">, body?: unknown): Promise<T>;
  /** POST a file as the body (an import): `contentType` as given, the query in the URL. */
  postFile<T = unknown>(path: string, file: Blob | string, contentType: string, query?: ApiOptions["query"]): Promise<T>;
  /** GET a text document (a CSV report). */
  getText(path: string): Promise<string>;
}

/** The API's page size bounds. */
export const MAX_LIMIT = 200;
/** How far a list walks forward to find the cursor of a page it was never shown. */
const MAX_WALK = 20;

/** Fields the server owns: never sent back. */
const READ_ONLY = new Set(["id", "version", "createdAt", "updatedAt", "path", "depth", "level", "centroid", "lastUsedAt", "revokedAt", "key"]);

/** What a resource writes may differ from what it reads; applied to both sides before diffing. */
const WRITABLE: Record<string, (data: Record<string, unknown>) => Record<string, unknown>> = {
  users: (d) => ({
    ...d,
    assignments: Array.isArray(d.assignments)
      ? d.assignments.map((a: Record<string, unknown>) => ({ role: a.role, unitId: a.unitId, departmentId: a.departmentId ?? undefined }))
      : d.assignments,
  }),
};

/** Fields whose nulls mean something inside (a category's `deadlines.<stage>: null` = inherit): sent uncleaned. */
const KEEP_NULLS: Record<string, readonly string[]> = {
  categories: ["deadlines"],
};

/**
 * Resources whose API shapes differ from react-admin's: how the list's filter becomes the query,
 * and how an API item becomes a record. Cases come as `{case, allowedActions, timeline?}`.
 */
export interface ResourceAdapter {
  query?(filter: Record<string, unknown> | undefined): Record<string, string>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  record?(item: any): RaRecord;
  /** the create form's values → the body to POST (may upload files first) */
  create?(data: Record<string, unknown>): Promise<Record<string, unknown>>;
}

export const ADAPTERS: Record<string, ResourceAdapter> = {
  cases: { query: caseQuery, record: caseRecord, create: (data) => prepareReport(data) },
};

/** Lists of the document: `GET` answering a page `{items, nextCursor}`. */
type PagePath = {
  [P in PathsWith<"get">]: Answer<P, "get"> extends { items: unknown[]; nextCursor: unknown } ? P : never;
}[PathsWith<"get">];

/** The actions under a record path: `POST <one>/<action>`, one segment. */
type ActionsOf<O extends string> = {
  [P in PathsWith<"post">]: P extends `${O}/${infer A}` ? (A extends `${string}/${string}` ? never : A) : never;
}[PathsWith<"post">];

/**
 * What react-admin may do with a resource, as paths of the OpenAPI document (core/openapi/schema.d.ts):
 * `list` a page path, `one` a record path with one `{param}`, `create` a POST path, `update` the
 * record path's PATCH, `actions` the POSTs under the record path. Checked by the compiler against
 * the generated types, so a path the API does not serve is a type error, not a 404 at run time.
 */
type Spec<S> = S extends { one: infer O extends string }
  ? {
      list?: PagePath;
      /** a record path the API also reads (`GET`), unless `noRead` (only written: PATCH or actions) */
      one: O & `${string}{${string}}` & (S extends { noRead: true } ? keyof paths : PathsWith<"get">);
      noRead?: true;
      create?: PathsWith<"post">;
      update?: O & PathsWith<"patch">;
      actions?: readonly ActionsOf<O>[];
    }
  : { list?: PagePath; create?: PathsWith<"post"> };
export const resources = <const T extends { [R in keyof T]: Spec<T[R]> }>(table: T) => table;

const CASE_ACTIONS = [
  "accept", "reject", "merge", "resolve", "claim", "dispatch", "transfer", "start", "handle", "verify", "evaluate",
  "mediate", "escalate", "supervise", "extend_request", "extend_approve", "extend_refuse", "defer", "close", "reopen", "comment",
] as const;

export const RESOURCES = resources({
  cases: { list: "/v1/cases", one: "/v1/cases/{id}", create: "/v1/cases", actions: CASE_ACTIONS },
  units: { list: "/v1/units", one: "/v1/units/{id}", create: "/v1/units", update: "/v1/units/{id}", actions: ["move", "deactivate"] },
  departments: { list: "/v1/departments", one: "/v1/departments/{id}", create: "/v1/departments", update: "/v1/departments/{id}" },
  categories: { list: "/v1/categories", one: "/v1/categories/{id}", create: "/v1/categories", update: "/v1/categories/{id}" },
  users: { list: "/v1/users", one: "/v1/users/{id}", create: "/v1/users", update: "/v1/users/{id}", actions: ["password", "handover"] },
  "api-keys": { list: "/v1/api-keys", one: "/v1/api-keys/{id}", create: "/v1/api-keys", actions: ["revoke"] },
  audit: { list: "/v1/audit" },
  households: { list: "/v1/registry/households", one: "/v1/registry/households/{id}", create: "/v1/registry/households", update: "/v1/registry/households/{id}", actions: ["reveal"] },
  people: { list: "/v1/registry/people", one: "/v1/registry/people/{id}", create: "/v1/registry/people", update: "/v1/registry/people/{id}", actions: ["reveal"] },
  places: { list: "/v1/registry/places", one: "/v1/registry/places/{id}", create: "/v1/registry/places", update: "/v1/registry/places/{id}", actions: ["reveal"] },
  "key-lists": { list: "/v1/registry/key-lists", one: "/v1/registry/key-lists/{id}", create: "/v1/registry/key-lists", update: "/v1/registry/key-lists/{id}" },
  tasks: { list: "/v1/tasks", one: "/v1/tasks/{id}", create: "/v1/tasks", actions: ["approve", "refuse"] },
  "task-types": { list: "/v1/tasks/types", one: "/v1/tasks/types/{id}", create: "/v1/tasks/types", update: "/v1/tasks/types/{id}" },
  exports: { list: "/v1/exports", one: "/v1/exports/{id}", create: "/v1/exports", actions: ["approve", "refuse"] },
  webhooks: { list: "/v1/webhooks", one: "/v1/webhooks/{id}", create: "/v1/webhooks", update: "/v1/webhooks/{id}", actions: ["rotate-secret"] },
  points: { one: "/v1/points/{userId}", actions: ["redeem"] },
  // definitions are listed through getRaw (not a cursor page); the page toggles `active` with update
  "indicator-definitions": { one: "/v1/indicator-definitions/{key}", noRead: true, update: "/v1/indicator-definitions/{key}" },
});
type Entry = { list?: string; one?: string; noRead?: true; create?: string; update?: string; actions?: readonly string[] };

/** The resource's entry; a resource or operation the API does not have is refused before any request. */
function route(resource: string, what: keyof Entry): Entry {
  const entry = (RESOURCES as Record<string, Entry>)[resource];
  if (!entry?.[what]) throw new HttpError("app.errors.unsupported", 405, { code: "unsupported", serverMessage: `${resource}: no ${what} in the API`, details: { resource, what } });
  return entry;
}

/** A record path with its one `{param}` filled in. */
const recordPath = (template: string, id: Identifier) => template.replace(/\{[^}]+\}/, encodeURIComponent(String(id)));

const idempotencyKey = (): string =>
  typeof crypto !== "undefined" && "randomUUID" in crypto ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`;

/** Stable JSON (sorted keys) for cache keys. */
export function stableKey(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableKey).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableKey((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** react-admin filter values → query parameters (empty values dropped, arrays comma-joined). */
export function filterQuery(filter: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(filter ?? {})) {
    if (v === undefined || v === null) continue;
    if (Array.isArray(v)) {
      if (v.length) out[k] = v.join(",");
    } else if (typeof v === "object") {
      continue;
    } else {
      const s = String(v).trim();
      if (s !== "") out[k] = s;
    }
  }
  return out;
}

const isEmpty = (v: unknown) => v === undefined || v === null || v === "";

/** Drop empty values (and objects left empty) from a body to create. */
export function clean(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(clean);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const c = clean(v);
      if (isEmpty(c)) continue;
      if (c && typeof c === "object" && !Array.isArray(c) && Object.keys(c).length === 0) continue;
      out[k] = c;
    }
    return out;
  }
  return value;
}

const same = (a: unknown, b: unknown) => (isEmpty(a) && isEmpty(b)) || stableKey(clean(a)) === stableKey(clean(b));

/** The PATCH body: changed writable fields (cleared ones as null) plus the version read. */
export function patchBody(resource: string, data: Record<string, unknown>, previous: Record<string, unknown> | undefined): Record<string, unknown> {
  const writable = WRITABLE[resource] ?? ((d) => d);
  const next = writable(data);
  const prev = previous ? writable(previous) : {};
  const keepNulls = KEEP_NULLS[resource] ?? [];
  const body: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(next)) {
    if (READ_ONLY.has(k) || same(v, prev[k])) continue;
    body[k] = isEmpty(v) ? null : keepNulls.includes(k) ? v : clean(v);
  }
  body.version = previous?.version ?? data.version;
  return body;
}

/** page → cursor tables, one per (resource, page size, filter). */
export class CursorCache {
  private readonly tables = new Map<string, Map<number, string | null>>();
  private readonly maxTables: number;
  constructor(maxTables = 200) {
    this.maxTables = maxTables;
  }
  table(key: string): Map<number, string | null> {
    let t = this.tables.get(key);
    if (!t) {
      if (this.tables.size >= this.maxTables) this.tables.delete(this.tables.keys().next().value!);
      t = new Map([[1, null]]);
      this.tables.set(key, t);
    }
    return t;
  }
  clear(resource?: string): void {
    for (const k of [...this.tables.keys()]) if (!resource || k.startsWith(`${resource}|`)) this.tables.delete(k);
  }
}

/**
 * The typed client's methods with the path as a string. The paths come from RESOURCES (checked
 * against the document at compile time) or, for getRaw/postRaw/…, from the screens.
 */
type Send = (
  path: string,
  init?: {
    params?: { query?: Record<string, unknown> };
    body?: unknown;
    headers?: Record<string, string>;
    signal?: AbortSignal;
    parseAs?: "json" | "text";
    bodySerializer?: (body: unknown) => unknown;
  },
) => Promise<{ data?: unknown; error?: unknown; response: Response }>;

export function createDataProvider(client: ApiClient = defaultClient, cursors = new CursorCache(), adapters: Record<string, ResourceAdapter> = ADAPTERS): AppDataProvider {
  const send = {
    GET: client.GET as unknown as Send,
    POST: client.POST as unknown as Send,
    PUT: client.PUT as unknown as Send,
    PATCH: client.PATCH as unknown as Send,
  };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const toRecord = (resource: string, item: any) => (adapters[resource]?.record ? adapters[resource].record!(item) : item);

  async function readPage(resource: string, limit: number, filter: Record<string, string>, cursor: string | null, signal?: AbortSignal) {
    const page = ok(await send.GET(route(resource, "list").list!, { params: { query: { ...filter, limit, cursor: cursor ?? undefined } }, signal })) as Answer<PagePath, "get"> | undefined;
    return { items: (page?.items ?? []) as RaRecord[], nextCursor: (page?.nextCursor ?? null) as string | null };
  }

  async function getList(resource: string, params: { pagination?: { page: number; perPage: number }; filter?: Record<string, unknown>; signal?: AbortSignal }): Promise<GetListResult> {
    const page = Math.max(1, params.pagination?.page ?? 1);
    const limit = Math.min(MAX_LIMIT, Math.max(1, params.pagination?.perPage ?? 50));
    const adapt = adapters[resource]?.query;
    const filter = adapt ? adapt(params.filter) : filterQuery(params.filter);
    const table = cursors.table(`${resource}|${limit}|${stableKey(filter)}`);
    // find the cursor of `page`, walking forward from the last page whose cursor is known
    let known = page;
    while (known > 1 && !table.has(known)) known--;
    if (page - known > MAX_WALK) known = 1; // too far: restart cleanly from the first page
    for (let p = known; p < page; p++) {
      const r = await readPage(resource, limit, filter, table.get(p) ?? null, params.signal);
      if (r.nextCursor === null) {
        // the list ends before `page`
        return { data: [], pageInfo: { hasNextPage: false, hasPreviousPage: page > 1 } };
      }
      table.set(p + 1, r.nextCursor);
    }
    const r = await readPage(resource, limit, filter, table.get(page) ?? null, params.signal);
    if (r.nextCursor === null) {
      for (const p of [...table.keys()]) if (p > page) table.delete(p);
    } else {
      table.set(page + 1, r.nextCursor);
    }
    return { data: r.items.map((i) => toRecord(resource, i)), pageInfo: { hasNextPage: r.nextCursor !== null, hasPreviousPage: page > 1 } };
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async function getOne(resource: string, id: Identifier, signal?: AbortSignal): Promise<any> {
    const entry = route(resource, "one");
    if (entry.noRead) throw new HttpError("app.errors.unsupported", 405, { code: "unsupported", serverMessage: `${resource}: no read in the API`, details: { resource, what: "one" } });
    return toRecord(resource, ok(await send.GET(recordPath(entry.one!, id), { signal })));
  }

  const unsupported = async (): Promise<never> => {
    throw new HttpError("app.errors.delete_unsupported", 405, { code: "delete_unsupported", serverMessage: "", details: null });
  };

  return {
    getList,

    async getOne(resource, params) {
      return { data: await getOne(resource, params.id, params.signal) };
    },

    /** No batch read in the API: one GET per id, a few at a time; ids that are gone are left out. */
    async getMany(resource, params) {
      const ids = [...new Set(params.ids)];
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const data: any[] = [];
      const queue = [...ids];
      const worker = async () => {
        for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
          try {
            data.push(await getOne(resource, id, params.signal));
          } catch (e) {
            const status = (e as HttpError).status;
            if (status !== 404 && status !== 403) throw e;
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(6, ids.length) }, worker));
      const order = new Map(ids.map((id, i) => [String(id), i]));
      data.sort((a, b) => (order.get(String(a.id)) ?? 0) - (order.get(String(b.id)) ?? 0));
      return { data };
    },

    async getManyReference(resource, params) {
      return getList(resource, { ...params, filter: { ...params.filter, [params.target]: params.id } });
    },

    async create(resource, params) {
      const target = route(resource, "create").create!;
      const prepare = adapters[resource]?.create;
      const data = prepare ? await prepare(params.data as Record<string, unknown>) : params.data;
      const json = ok(await send.POST(target, { body: clean(data), headers: { "idempotency-key": idempotencyKey() } }));
      cursors.clear(resource);
      return { data: toRecord(resource, json) };
    },

    async update(resource, params) {
      const target = recordPath(route(resource, "update").update!, params.id);
      const body = patchBody(resource, params.data as Record<string, unknown>, params.previousData as Record<string, unknown> | undefined);
      if (Object.keys(body).length === 1 && params.previousData) return { data: params.previousData };
      return { data: toRecord(resource, ok(await send.PATCH(target, { body }))) };
    },

    async updateMany(resource, params) {
      // no bulk update in the API; react-admin only calls this from bulk buttons, which the console does not show
      const template = route(resource, "update").update!;
      for (const id of params.ids) {
        const previous = await getOne(resource, id);
        ok(await send.PATCH(recordPath(template, id), { body: patchBody(resource, { ...previous, ...params.data }, previous) }));
      }
      return { data: params.ids };
    },

    delete: unsupported,
    deleteMany: unsupported,

    async act(resource, id, action, body = {}) {
      const entry = route(resource, "one");
      if (!entry.actions?.includes(action)) throw new HttpError("app.errors.unsupported", 405, { code: "unsupported", serverMessage: `${resource}: no action ${action} in the API`, details: { resource, action } });
      const json = ok(await send.POST(`${recordPath(entry.one!, id)}/${encodeURIComponent(action)}`, { body, headers: { "idempotency-key": idempotencyKey() } }));
      cursors.clear(resource);
      return { data: toRecord(resource, json) };
    },

    async getRaw(p, query) {
      return ok(await send.GET(p, { params: { query: cleanQuery(query) } })) as never;
    },
    async postRaw(p, body) {
      return ok(await send.POST(p, { body: body ?? {} })) as never;
    },
    async putRaw(p, body) {
      return ok(await send.PUT(p, { body: body ?? {} })) as never;
    },
    async postFile(p, file, contentType, query) {
      const r = await send.POST(p, { params: { query: cleanQuery(query) }, body: file, bodySerializer: (b) => b, headers: { "content-type": contentType, "idempotency-key": idempotencyKey() } });
      return ok(r) as never;
    },
    async getText(p) {
      return ok(await send.GET(p, { parseAs: "text", headers: { accept: "text/csv, text/plain, */*" } })) as string;
    },
  };
}

/** Query values as `api()` sends them: empty strings left out like undefined and null. */
const cleanQuery = (query: ApiOptions["query"]) => (query ? Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined && v !== null && v !== "")) : undefined);

export const dataProvider = createDataProvider();
