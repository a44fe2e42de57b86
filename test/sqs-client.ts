import { SQSClient } from "@aws-sdk/client-sqs";

/**
 * The SDK's SQS client for test tooling (the functions send through core/sqs.ts, signed requests
 * without the client: issue #15). Queue URLs are data; the endpoint is the stack's
 * AWS_ENDPOINT_URL_SQS (fauxqs), read when the client is made: a new one when it changes.
 */
let client: SQSClient | undefined;
let made: string | undefined;

export function testSqs(): SQSClient {
  const endpoint = `${process.env.AWS_ENDPOINT_URL_SQS}|${process.env.AWS_REGION}|${process.env.AWS_ACCESS_KEY_ID}`;
  if (!client || made !== endpoint) {
    client?.destroy();
    client = new SQSClient({ useQueueUrlAsEndpoint: false, maxAttempts: 4 });
    made = endpoint;
  }
  return client;
}
