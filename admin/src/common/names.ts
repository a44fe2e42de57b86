/**
 * Names, not ids: display names of units (with their path), people and departments for labels,
 * from `POST /v1/names` — which every signed-in caller may use, also for records it cannot open.
 *
 * USAGE (components in ./NameLabels.tsx, hooks here):
 *
 *   import { UnitName, UserName, DepartmentName, ActorName, OwnerName } from "../common/NameLabels.tsx";
 *   <UnitName id={record.unitId} />                 // 金山社区 › 第1网格 › 第4微网格 (full path in a tooltip)
 *   <UnitName id={record.unitId} short />           // 第4微网格 (leaf name only; tooltip shows the path)
 *   <UserName id={userId} />                        // 王晓明
 *   <DepartmentName id={departmentId} />            // 城市管理局
 *   <ActorName actor={{ kind: "user", id }} />      // user → name; resident / api_key / system → translated kind
 *   <OwnerName owner={{ kind: "department", id }} /> // unit path / department / person
 *
 *   // strings for charts, CSV, <title>… (undefined until loaded; re-renders when they arrive):
 *   import { useUnitNames, useUserNames, useDepartmentNames, unitPathLabel } from "../common/names.ts";
 *   const units = useUnitNames(rows.map((r) => r.unitId));   // Record<id, UnitLabel | undefined>
 *   const label = (id: string) => (units[id] ? unitPathLabel(units[id]) : "…");
 *   const one = useUnitName(id);                              // UnitLabel | undefined
 *
 * Every id asked for within the same tick (all the rows of a page) goes out in ONE request
 * (≤ 100 ids per kind per request; more are split), and answers are cached by react-query for the
 * session (names rarely change), so a timeline of 30 events by 3 people costs one small request.
 * Ids that do not exist resolve to `null` and render as a short id.
 */
import { useQueries, useQuery } from "@tanstack/react-query";
import { useDataProvider } from "react-admin";
import type { AppDataProvider } from "../dataProvider.ts";

export type NameKind = "units" | "users" | "departments";

export interface UnitLabel {
  id: string;
  name: string;
  code: string;
  level: string;
  /** names from the top of the tree down to this unit, inclusive */
  path: string[];
}
export interface UserLabel {
  id: string;
  displayName: string;
}
export interface DepartmentLabel {
  id: string;
  name: string;
}
export interface NameLabels {
  units: UnitLabel;
  users: UserLabel;
  departments: DepartmentLabel;
}

/** What `POST /v1/names` answers: labels by id, missing ids absent. */
export type NamesResponse = { [K in NameKind]: Record<string, NameLabels[K]> };
export type NamesRequest = { [K in NameKind]?: string[] };

/** The API's bound per kind and request. */
export const NAMES_PER_REQUEST = 100;
/** Separator of unit paths. */
export const PATH_SEPARATOR = " › ";

/**
 * "金山社区 › 第1网格 › 第4微网格": the last `depth` names of the path; the county (the root) is left
 * out unless the unit is the county itself.
 */
export function unitPathLabel(unit: Pick<UnitLabel, "name" | "path">, depth = 3): string {
  const path = unit.path.length ? unit.path : [unit.name];
  const below = path.length > 1 ? path.slice(1) : path;
  return below.slice(-depth).join(PATH_SEPARATOR);
}

/** The whole path, county first: for tooltips. */
export const unitFullPath = (unit: Pick<UnitLabel, "name" | "path">): string => (unit.path.length ? unit.path : [unit.name]).join(PATH_SEPARATOR);

/** A short form of an id for when no name is known: the last 6 characters. */
export const shortId = (id: string): string => (id.length > 8 ? `…${id.slice(-6)}` : id);

type Waiter = { resolve: (v: unknown) => void; reject: (e: unknown) => void };

/**
 * Collects the ids asked for during one tick and sends them in as few requests as the bound
 * allows; each caller gets its own label (or null when the id does not exist). Pure apart from
 * `send`, so it is tested without a browser (names.test.ts).
 */
export class NameBatcher {
  private pending: { [K in NameKind]: Map<string, Waiter[]> } = { units: new Map(), users: new Map(), departments: new Map() };
  private scheduled = false;
  private readonly send: (req: NamesRequest) => Promise<NamesResponse>;
  private readonly schedule: (fn: () => void) => void;
  constructor(send: (req: NamesRequest) => Promise<NamesResponse>, schedule: (fn: () => void) => void = (fn) => setTimeout(fn, 0)) {
    this.send = send;
    this.schedule = schedule;
  }

  load<K extends NameKind>(kind: K, id: string): Promise<NameLabels[K] | null> {
    return new Promise((resolve, reject) => {
      const waiters = this.pending[kind].get(id) ?? [];
      waiters.push({ resolve: resolve as (v: unknown) => void, reject });
      this.pending[kind].set(id, waiters);
      if (!this.scheduled) {
        this.scheduled = true;
        this.schedule(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    const taken = this.pending;
    this.pending = { units: new Map(), users: new Map(), departments: new Map() };
    const ids = { units: [...taken.units.keys()], users: [...taken.users.keys()], departments: [...taken.departments.keys()] };
    const rounds = Math.ceil(Math.max(ids.units.length, ids.users.length, ids.departments.length) / NAMES_PER_REQUEST);
    await Promise.all(
      Array.from({ length: rounds }, async (_, i) => {
        const slice = (k: NameKind) => ids[k].slice(i * NAMES_PER_REQUEST, (i + 1) * NAMES_PER_REQUEST);
        const req: NamesRequest = {};
        for (const k of ["units", "users", "departments"] as const) if (slice(k).length) req[k] = slice(k);
        try {
          const res = await this.send(req);
          for (const k of ["units", "users", "departments"] as const) {
            for (const id of req[k] ?? []) for (const w of taken[k].get(id) ?? []) w.resolve(res[k]?.[id] ?? null);
          }
        } catch (e) {
          for (const k of ["units", "users", "departments"] as const) for (const id of req[k] ?? []) for (const w of taken[k].get(id) ?? []) w.reject(e);
        }
      }),
    );
  }
}

const batchers = new WeakMap<object, NameBatcher>();

function batcherFor(dp: AppDataProvider): NameBatcher {
  let b = batchers.get(dp);
  if (!b) {
    b = new NameBatcher((req) => dp.postRaw<NamesResponse>("/v1/names", req));
    batchers.set(dp, b);
  }
  return b;
}

const queryOptions = <K extends NameKind>(dp: AppDataProvider, kind: K, id: string | undefined | null) => ({
  queryKey: ["names", kind, id ?? ""],
  queryFn: () => batcherFor(dp).load(kind, id!),
  enabled: !!id,
  staleTime: 10 * 60_000,
  gcTime: 60 * 60_000,
  retry: 1,
});

function useName<K extends NameKind>(kind: K, id: string | undefined | null): NameLabels[K] | null | undefined {
  const dp = useDataProvider<AppDataProvider>();
  return useQuery(queryOptions(dp, kind, id)).data as NameLabels[K] | null | undefined;
}

function useNameMap<K extends NameKind>(kind: K, ids: readonly (string | undefined | null)[]): Record<string, NameLabels[K] | undefined> {
  const dp = useDataProvider<AppDataProvider>();
  const unique = [...new Set(ids.filter((x): x is string => !!x))];
  const results = useQueries({ queries: unique.map((id) => queryOptions(dp, kind, id)) });
  const out: Record<string, NameLabels[K] | undefined> = {};
  unique.forEach((id, i) => {
    const d = results[i]?.data as NameLabels[K] | null | undefined;
    if (d) out[id] = d;
  });
  return out;
}

/** One unit's label (undefined while loading, null when it does not exist). */
export const useUnitName = (id: string | undefined | null) => useName("units", id);
export const useUserName = (id: string | undefined | null) => useName("users", id);
export const useDepartmentName = (id: string | undefined | null) => useName("departments", id);

/** Labels of many ids at once, by id (absent until loaded or when the id does not exist). */
export const useUnitNames = (ids: readonly (string | undefined | null)[]) => useNameMap("units", ids);
export const useUserNames = (ids: readonly (string | undefined | null)[]) => useNameMap("users", ids);
export const useDepartmentNames = (ids: readonly (string | undefined | null)[]) => useNameMap("departments", ids);
