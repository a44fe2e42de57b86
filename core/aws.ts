import { SQSClient } from "@aws-sdk/client-sqs";
import { S3Client } from "@aws-sdk/client-s3";
import { countRequests } from "./db/metrics.ts";
import { installFaults } from "./faults/inject.ts";

let sqsClient: SQSClient | undefined;
let s3Client: S3Client | undefined;
let presignClient: S3Client | undefined;

/** SQS client; queue URLs are used as data, the endpoint comes from config (AWS_ENDPOINT_URL_SQS locally). */
export function sqs(): SQSClient {
  if (!sqsClient) {
    sqsClient = new SQSClient({ useQueueUrlAsEndpoint: false, maxAttempts: 4 });
    countRequests(sqsClient, "sqs");
    installFaults(sqsClient, "sqs"); // only when WANGGE_FAULTS names sqs (reliability tests)
  }
  return sqsClient;
}

const local = () => Boolean(process.env.AWS_ENDPOINT_URL_S3);

export function s3(): S3Client {
  if (!s3Client) {
    s3Client = new S3Client({ forcePathStyle: local(), maxAttempts: 4 });
    countRequests(s3Client, "s3");
    installFaults(s3Client, "s3"); // only when WANGGE_FAULTS names s3 (reliability tests)
  }
  return s3Client;
}

/** For presigned URLs: checksums only when required, or presigned PUTs carry an empty-body CRC that S3 rejects. */
export function s3Presigner(): S3Client {
  presignClient ??= new S3Client({
    forcePathStyle: local(),
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
  return presignClient;
}

export function bucketName(): string {
  const b = process.env.WANGGE_BUCKET;
  if (!b) throw new Error("WANGGE_BUCKET is not set");
  return b;
}

export function resetAwsClients(): void {
  sqsClient = s3Client = presignClient = undefined;
}
