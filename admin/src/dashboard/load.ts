/**
 * Reading the dashboard's samples, with a hard cap on the work: at most `pagesPerList` pages of
 * 200 per list, at most 4 requests at a time (7 open states + the month's closed cases).
 */
import type { Page } from "../dataProvider.ts";
import { caseRecord } from "../cases/model.ts";
import { computeStats, departmentClaims, OPEN_STATES_FOR_STATS, previousMonth, type CaseLike, type DashboardStats, type DepartmentClaims, type Sample } from "./stats.ts";

export const PAGE_SIZE = 200;
export const PAGES_PER_LIST = 2;

type Get = <T>(path: string, query: Record<string, string | number>) => Promise<T>;

async function sample(get: Get, query: Record<string, string>, pages: number): Promise<Sample> {
  const items: CaseLike[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < pages; i++) {
    const page: Page<unknown> = await get<Page<unknown>>("/v1/cases", { ...query, limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) });
    items.push(...(page.items ?? []).map((v) => caseRecord(v) as unknown as CaseLike));
    cursor = page.nextCursor ?? null;
    if (!cursor) return { items, capped: false };
  }
  return { items, capped: true };
}

async function limited<T>(tasks: (() => Promise<T>)[], concurrency: number): Promise<T[]> {
  const out: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, tasks.length) }, async () => {
      while (next < tasks.length) {
        const i = next++;
        out[i] = await tasks[i]();
      }
    }),
  );
  return out;
}

export async function loadDashboard(get: Get, month: string, pagesPerList = PAGES_PER_LIST): Promise<DashboardStats> {
  const tasks = [...OPEN_STATES_FOR_STATS.map((state) => () => sample(get, { state }, pagesPerList)), () => sample(get, { closedMonth: month }, pagesPerList)];
  const samples = await limited(tasks, 4);
  const openByState = Object.fromEntries(OPEN_STATES_FOR_STATS.map((s, i) => [s, samples[i]]));
  return computeStats(openByState, samples[samples.length - 1], month);
}

/**
 * Claims per department from the appraisal results of this month, else of the previous one
 * (results exist once an appraisal ran for the period); undefined when there are none or the
 * caller may not read appraisals.
 */
export async function loadDepartmentClaims(get: Get, month: string): Promise<DepartmentClaims | null> {
  for (const period of [month, previousMonth(month)]) {
    let page: Page<Parameters<typeof departmentClaims>[1][number]>;
    try {
      page = await get("/v1/appraisals", { subject: "department", period, sort: "place", limit: PAGE_SIZE });
    } catch {
      return null;
    }
    const claims = departmentClaims(period, page.items ?? []);
    if (claims) return claims;
  }
  return null;
}
