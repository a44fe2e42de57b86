import type { S3Client } from "@aws-sdk/client-s3";
import { clientResets } from "./aws.ts";
import { countRequests } from "./db/metrics.ts";
import { installFaults } from "./faults/inject.ts";

/*
 * The S3 client, loaded on first use (see core/aws.ts), in a module of its own: only the code that
 * really reads or writes objects (exports, jobs, Excel and unit files, the packed locate index,
 * attachment checks, retention) imports it, so a function that only hands out presigned URLs
 * (core/s3-presign.ts) or sends messages never carries client-s3 (issue #15, docs/deploy.md "Cold path").
 */
let s3Client: Promise<S3Client> | undefined;

const local = () => Boolean(process.env.AWS_ENDPOINT_URL_S3);

export function s3(): Promise<S3Client> {
  s3Client ??= import("@aws-sdk/client-s3").then(({ S3Client }) => {
    const client = new S3Client({ forcePathStyle: local(), maxAttempts: 4 });
    countRequests(client, "s3");
    installFaults(client, "s3"); // only when WANGGE_FAULTS names s3 (reliability tests)
    return client;
  });
  return s3Client;
}

clientResets.push(() => {
  s3Client = undefined;
});
