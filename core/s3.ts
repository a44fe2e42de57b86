import type { S3Client } from "@aws-sdk/client-s3";
import { clientResets } from "./aws.ts";
import { countRequests } from "./db/metrics.ts";
import { installFaults } from "./faults/inject.ts";

/*
 * The S3 client, loaded on first use (see core/aws.ts), in a module of its own. Every other S3 call
 * goes without it (signed requests: core/s3-presign.ts, core/s3-object.ts); what is left here are the
 * workbook puts of core/xlsx/files.ts and the unit export's put of core/unit/export.ts, each a
 * one-line move to putS3Object (issue #15, docs/deploy.md "Cold path"; functions/cold-path.test.ts
 * fails if another server source imports client-s3).
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
