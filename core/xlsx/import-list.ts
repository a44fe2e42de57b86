import { getJob } from "../job/repo.ts";

/**
 * The list of an Excel import job, read from the job, for a `jobs` message without one (queued
 * before messages named it): the consumer then loads that list's family runner (functions/jobs/consume.ts).
 */
export async function xlsxListOf(jobId: string): Promise<string | undefined> {
  const job = await getJob(jobId, true);
  return (job?.input as { list?: string } | undefined)?.list;
}
