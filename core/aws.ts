/*
 * What is left of the AWS clients' module (issue #15, docs/deploy.md "Cold path"): no SDK client
 * but DynamoDB's (core/db/client.ts) is on a function's path. SQS is sent with signed requests of
 * its JSON protocol (core/sqs.ts `sqsSend`), S3 objects are read and written the same way
 * (core/s3-object.ts), presigned URLs are signed by core/s3-presign.ts and KMS by core/crypto/kms.ts,
 * all with the signer, credentials and region the DynamoDB client already carries.
 */

export function bucketName(): string {
  const b = process.env.WANGGE_BUCKET;
  if (!b) throw new Error("WANGGE_BUCKET is not set");
  return b;
}

/** Resets of clients kept in modules of their own (core/s3.ts registers its own). */
export const clientResets: Array<() => void> = [];

export function resetAwsClients(): void {
  for (const reset of clientResets) reset();
}
