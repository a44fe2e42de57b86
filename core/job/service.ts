import { NotFoundError } from "../errors.ts";
import type { Page } from "../db/page.ts";
import type { Principal } from "../auth/principal.ts";
import { parse } from "../validate.ts";
import { errorReportCsv } from "./csv.ts";
import { getText } from "./files.ts";
import { importFileGone, isMissingObject } from "./retention.ts";
import { getJob, queryJobs } from "./repo.ts";
import { JobQuery, jobView, type Job, type JobView } from "./schema.ts";

/** Roles that see every job; anyone else with jobs:read sees only the jobs they created. */
const SEE_ALL_ROLES = new Set(["county_admin", "auditor"]);

function seesAll(p: Principal): boolean {
  if (p.kind === "system") return true;
  return p.kind === "user" && p.assignments.some((a) => SEE_ALL_ROLES.has(a.role));
}

export function canSeeJob(p: Principal, j: Job): boolean {
  return seesAll(p) || (j.createdBy.kind === p.kind && j.createdBy.id === p.id);
}

async function visibleJob(p: Principal, id: string): Promise<Job> {
  const j = await getJob(id, true);
  if (!j || !canSeeJob(p, j)) throw new NotFoundError(`Job ${id} not found`);
  return j;
}

/** One job with its progress (`done` of `total`), for its creator, county admins and auditors. */
export async function readJob(p: Principal, id: string): Promise<JobView> {
  return jobView(await visibleJob(p, id));
}

/** Jobs newest first: all of them for county admins and auditors, otherwise the caller's own. */
export async function listJobs(p: Principal, input: unknown): Promise<Page<JobView>> {
  const q = parse(JobQuery, input, "query");
  const page = await queryJobs(q, seesAll(p) ? undefined : { kind: p.kind, id: p.id });
  return { items: page.items.map(jobView), nextCursor: page.nextCursor };
}

/** The job's rejected rows as CSV (`line,reason`): the stored full report, or the errors on the job. */
export async function jobErrorReport(p: Principal, id: string): Promise<string> {
  const j = await visibleJob(p, id);
  if (j.errorReportKey) {
    try {
      return await getText(j.errorReportKey);
    } catch (e) {
      // deleted by the retention job (privacy.importFileRetentionDays): 410, not a 5xx
      if (isMissingObject(e)) throw await importFileGone("error report");
      throw e;
    }
  }
  return errorReportCsv(j.errors);
}
