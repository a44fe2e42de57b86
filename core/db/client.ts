import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { countRequests } from "./metrics.ts";
import { installFaults } from "../faults/inject.ts";

let doc: DynamoDBDocumentClient | undefined;

/** Table name from configuration (set by the stack in AWS and by local/ on the embedded stack). */
export function tableName(): string {
  const name = process.env.WANGGE_TABLE;
  if (!name) throw new Error("WANGGE_TABLE is not set");
  return name;
}

/**
 * The shared document client. The endpoint comes from the standard
 * AWS_ENDPOINT_URL_DYNAMODB variable when set (embedded stack), so the code is the same in Lambda.
 */
export function db(): DynamoDBDocumentClient {
  if (!doc) {
    const base = new DynamoDBClient({ maxAttempts: 4 });
    countRequests(base, "dynamodb");
    installFaults(base, "dynamodb"); // only when WANGGE_FAULTS names dynamodb (reliability tests)
    doc = DynamoDBDocumentClient.from(base, {
      marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
      unmarshallOptions: { wrapNumbers: false },
    });
  }
  return doc;
}

/** Forget the client (tests that change the endpoint). */
export function resetDb(): void {
  doc = undefined;
}
