/** `GET /v1/stats/overview`: exact figures from the aggregates (core/stats/overview.ts). */
export type Counters = Record<string, number>;
export interface Figures {
  month: Counters;
  previous: Counters;
  today: Counters;
  open: number;
}
export interface Overview {
  month: string;
  day: string;
  previousMonth: string;
  units: { id: string; name: string; path: string }[];
  totals: Figures;
  children: (Figures & { id: string; name: string; code: string; path: string; boundary?: unknown })[];
  departments: { id: string; month: Counters }[];
}

/** Closed on time / closed, as a percentage with one decimal; null when nothing closed. */
export function onTimeRate(c: Counters, prefix = "closed"): number | null {
  const on = c[`${prefix}OnTime`] ?? 0;
  const late = c[`${prefix}Late`] ?? 0;
  return on + late ? Math.round((on / (on + late)) * 1000) / 10 : null;
}

/** Overdue events of the month over every stage (`overdue_<stage>` counters). */
export function overdueCount(c: Counters): number {
  return Object.entries(c)
    .filter(([k]) => k.startsWith("overdue_"))
    .reduce((s, [, v]) => s + v, 0);
}
