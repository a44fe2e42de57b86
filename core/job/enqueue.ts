import { sqsSend } from "../sqs.ts";

/** The message of the `jobs` queue: the consumer dispatches on `kind` and loads the job by id. */
export interface JobMessage {
  kind: string;
  jobId: string;
  /** xlsx-import: the workbook's list, so that the consumer loads only that family's runner (functions/jobs/consume.ts) */
  list?: string;
  /** unit-import: the stage to run ("read", the default, then "apply"; core/unit/import-read.ts, functions/jobs/consume.ts UNIT_IMPORT_STAGES) */
  stage?: string;
}

const queueUrl = () => {
  const url = process.env.WANGGE_QUEUE_JOBS_URL;
  if (!url) throw new Error("WANGGE_QUEUE_JOBS_URL is not set");
  return url;
};

export async function enqueueJob(m: JobMessage): Promise<void> {
  await sqsSend("SendMessage", { QueueUrl: queueUrl(), MessageBody: JSON.stringify(m), MessageAttributes: { kind: { DataType: "String", StringValue: m.kind } } });
}
