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
import { api, type ApiOptions } from "./http.ts";
import { caseQuery, caseRecord } from "./cases/model.ts";
import { prepareReport } from "./cases/report.ts";

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface AppDataProvider extends DataProvider {
  /** A domain action: `POST /v1/<resource>/<id>/<action>` with `body`; resolves to the updated record. */
  act<T = RaRecord>(resource: string, id: Identifier, action: string, body?: unknown): Promise<{ data: T }>;
  /** GET an API path (e.g. `/v1/health`); resolves to the parsed JSON. */
  getRaw<T = unknown>(path: string, query?: ApiOptions["query"]): Promise<T>;
  postRaw<T = unknown>(path: string, body?: unknown): Promise<T>;
  putRaw<T = unknown>(path: string, body?: unknown): Promise<T>;
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

/** Resources whose API path differs from their name. */
const API_PATHS: Record<string, string> = {
  households: "registry/households",
  people: "registry/people",
  places: "registry/places",
  "key-lists": "registry/key-lists",
  "task-types": "tasks/types",
};

const path = (resource: string, id?: Identifier) => `/v1/${API_PATHS[resource] ?? resource}${id === undefined ? "" : `/${encodeURIComponent(String(id))}`}`;

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

type Fetch = <T>(p: string, opts?: ApiOptions) => Promise<{ json: T; status: number }>;

export function createDataProvider(fetchJson: Fetch = api, cursors = new CursorCache(), adapters: Record<string, ResourceAdapter> = ADAPTERS): AppDataProvider {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const toRecord = (resource: string, item: any) => (adapters[resource]?.record ? adapters[resource].record!(item) : item);

  async function readPage<T>(resource: string, limit: number, filter: Record<string, string>, cursor: string | null, signal?: AbortSignal) {
    const { json } = await fetchJson<Page<T>>(path(resource), {
      query: { ...filter, limit, cursor: cursor ?? undefined },
      signal,
    });
    return { items: json?.items ?? [], nextCursor: json?.nextCursor ?? null };
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
    const r = await readPage<RaRecord>(resource, limit, filter, table.get(page) ?? null, params.signal);
    if (r.nextCursor === null) {
      for (const p of [...table.keys()]) if (p > page) table.delete(p);
    } else {
      table.set(page + 1, r.nextCursor);
    }
    return { data: r.items.map((i) => toRecord(resource, i)), pageInfo: { hasNextPage: r.nextCursor !== null, hasPreviousPage: page > 1 } };
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async function getOne(resource: string, id: Identifier, signal?: AbortSignal): Promise<any> {
    const { json } = await fetchJson<RaRecord>(path(resource, id), { signal });
    return toRecord(resource, json);
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
      const prepare = adapters[resource]?.create;
      const data = prepare ? await prepare(params.data as Record<string, unknown>) : params.data;
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const { json } = await fetchJson<any>(path(resource), {
        method: "POST",
        body: clean(data),
        headers: { "idempotency-key": idempotencyKey() },
      });
      cursors.clear(resource);
      return { data: toRecord(resource, json) };
    },

    async update(resource, params) {
      const body = patchBody(resource, params.data as Record<string, unknown>, params.previousData as Record<string, unknown> | undefined);
      if (Object.keys(body).length === 1 && params.previousData) return { data: params.previousData };
      const { json } = await fetchJson<RaRecord>(path(resource, params.id), { method: "PATCH", body });
      return { data: toRecord(resource, json) };
    },

    async updateMany(resource, params) {
      // no bulk update in the API; react-admin only calls this from bulk buttons, which the console does not show
      for (const id of params.ids) {
        const previous = await getOne(resource, id);
        await fetchJson(path(resource, id), { method: "PATCH", body: patchBody(resource, { ...previous, ...params.data }, previous) });
      }
      return { data: params.ids };
    },

    delete: unsupported,
    deleteMany: unsupported,

    async act(resource, id, action, body = {}) {
      const { json } = await fetchJson<never>(`${path(resource, id)}/${encodeURIComponent(action)}`, {
        method: "POST",
        body,
        headers: { "idempotency-key": idempotencyKey() },
      });
      cursors.clear(resource);
      return { data: toRecord(resource, json) };
    },

    async getRaw(p, query) {
      return (await fetchJson<never>(p, { query })).json;
    },
    async postRaw(p, body) {
      return (await fetchJson<never>(p, { method: "POST", body: body ?? {} })).json;
    },
    async putRaw(p, body) {
      return (await fetchJson<never>(p, { method: "PUT", body: body ?? {} })).json;
    },
    async postFile(p, file, contentType, query) {
      return (await fetchJson<never>(p, { method: "POST", query, raw: { body: file, contentType }, headers: { "idempotency-key": idempotencyKey() } })).json;
    },
    async getText(p) {
      return (await fetchJson<string>(p, { text: true, headers: { accept: "text/csv, text/plain, */*" } })).json;
    },
  };
}

export const dataProvider = createDataProvider();
