import type { SQSClient } from "@aws-sdk/client-sqs";
import { countRequests } from "./db/metrics.ts";
import { installFaults } from "./faults/inject.ts";

/*
 * The SQS and S3 clients are loaded on first use (`import()`), not at cold start: most requests of
 * an area function never send a message or touch a file, and the two SDK clients are about a third
 * of a bundle. With code splitting (sst.config.ts) they are chunks of their own that a container
 * reads only when it needs them. Callers import the command classes the same way:
 *   const { SendMessageCommand } = await import("./sqs-commands.ts"); // the commands used, not the package (core/sqs-commands.ts)
 *   await (await sqs()).send(new SendMessageCommand(...));
 * The S3 client lives in core/s3.ts, imported only by the modules that read or write objects: a
 * module that sends a message through `sqs()` does not drag S3's lazy chunk into its function.
 * Presigned URLs need no S3 client at all: core/s3-presign.ts signs them with the signer the
 * DynamoDB client already carries.
 */
let sqsClient: Promise<SQSClient> | undefined;

/** SQS client; queue URLs are used as data, the endpoint comes from config (AWS_ENDPOINT_URL_SQS locally). */
export function sqs(): Promise<SQSClient> {
  sqsClient ??= import("./sqs-commands.ts").then(({ SQSClient }) => {
    const client = new SQSClient({ useQueueUrlAsEndpoint: false, maxAttempts: 4 });
    countRequests(client, "sqs");
    installFaults(client, "sqs"); // only when WANGGE_FAULTS names sqs (reliability tests)
    return client;
  });
  return sqsClient;
}

export function bucketName(): string {
  const b = process.env.WANGGE_BUCKET;
  if (!b) throw new Error("WANGGE_BUCKET is not set");
  return b;
}

/** Resets of clients kept in modules of their own (core/s3.ts registers its own). */
export const clientResets: Array<() => void> = [];

export function resetAwsClients(): void {
  sqsClient = undefined;
  for (const reset of clientResets) reset();
}
