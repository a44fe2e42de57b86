import { caseCounterExists } from "./repo-reads.ts";

/** Years that gave case numbers (their counters exist), oldest first: the range of closed-case month partitions. */
export async function caseYears(): Promise<number[]> {
  const years: number[] = [];
  for (let y = 2015; y <= 2100; y++) {
    if (await caseCounterExists(y)) years.push(y);
    else if (years.length) break;
  }
  return years;
}

/** Every month from January of the first case year to `last` (YYYY-MM), oldest first. */
export async function caseMonths(last: string): Promise<string[]> {
  const years = await caseYears();
  const out: string[] = [];
  if (!years.length) return out;
  for (let y = years[0], m = 1; `${y}-${String(m).padStart(2, "0")}` <= last; m === 12 ? (y++, (m = 1)) : m++) out.push(`${y}-${String(m).padStart(2, "0")}`);
  return out;
}
