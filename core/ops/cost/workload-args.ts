import * as z from "zod/mini";
import { REFERENCE_COUNTY, type Workload } from "./model.ts";

/**
 * A county's own workload for `npm run cost`, given as a few numbers on the command line
 * (`--micro-grids=3200 --cases-per-year=80000 --staff=150 --resident-share=0.3 --partner-share=0.1`);
 * every field of `Workload` has its flag, the kebab-case of its name, and what is not given stays the
 * reference county's. Parsed with zod: a flag that is not a workload field, a value that is not a
 * number, a count below zero or a share outside 0…1 is refused with the flag named.
 */
const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

const count = z.number().check(z.int(), z.nonnegative());
const amount = z.number().check(z.nonnegative());
const share = z.number().check(z.gte(0), z.lte(1));

const FIELDS: Record<keyof Workload, z.ZodMiniType<number>> = {
  microGrids: count.check(z.positive()),
  casesPerYear: count,
  staff: count,
  residentShare: share,
  partnerShare: share,
  partnerReadsPerDay: amount,
  commentsPerCase: amount,
  listPagesPerStaffDay: amount,
  registryListsPerStaffDay: amount,
  registrySearchesPerStaffDay: amount,
  dueTimersPerCase: amount,
  photoBytesPerCase: amount,
  photosPerCase: amount,
  photoViewsPerPhoto: amount,
  workingDaysPerMonth: amount.check(z.lte(31)),
  householdsPerMicroGrid: amount,
  peoplePerHousehold: amount,
  bytesPerCase: amount,
  bytesPerHousehold: amount,
  bytesPerPerson: amount,
  caseYearsKept: amount,
  logBytesPerInvocation: amount,
  accessLogBytesPerCall: amount,
};

/** Flags of `npm run cost` that are not workload fields. */
const OTHER_FLAGS = new Set(["--json", "--lambda-ms"]);

export class WorkloadArgsError extends Error {}

export function workloadFlags(): string[] {
  return Object.keys(FIELDS).map((k) => `--${kebab(k)}`);
}

export function workloadFromArgs(argv: readonly string[], base: Workload = REFERENCE_COUNTY): { workload: Workload; given: Partial<Workload> } {
  const byFlag = new Map(Object.keys(FIELDS).map((k) => [`--${kebab(k)}`, k as keyof Workload]));
  const given: Partial<Workload> = {};
  const problems: string[] = [];
  for (const arg of argv) {
    if (!arg.startsWith("--")) continue;
    const [flag, raw] = arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    if (OTHER_FLAGS.has(flag)) continue;
    const field = byFlag.get(flag);
    if (!field) {
      problems.push(`${flag}: not a flag of npm run cost (workload flags: ${[...byFlag.keys()].join(", ")})`);
      continue;
    }
    const value = raw === undefined || raw.trim() === "" ? Number.NaN : Number(raw.replaceAll("_", ""));
    const parsed = FIELDS[field].safeParse(value);
    if (Number.isNaN(value)) problems.push(`${flag}=${raw ?? ""}: expected a number`);
    else if (!parsed.success) problems.push(`${flag}=${raw ?? ""}: ${parsed.error.issues[0]?.message ?? "invalid"}`);
    else given[field] = parsed.data;
  }
  const workload = { ...base, ...given };
  if (workload.residentShare + workload.partnerShare > 1) problems.push(`--resident-share + --partner-share is ${workload.residentShare + workload.partnerShare}: the shares of cases cannot add up to more than 1`);
  if (problems.length) throw new WorkloadArgsError(problems.join("\n"));
  return { workload, given };
}
