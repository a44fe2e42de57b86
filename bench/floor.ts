import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";

/** The cold-start floor of bench/bundles.ts: an empty handler with a DynamoDB document client doing one GetItem. */
const client = DynamoDBDocumentClient.from(new DynamoDBClient({}));

export const handler = async () => {
  await client.send(new GetCommand({ TableName: process.env.WANGGE_TABLE, Key: { pk: "bench#floor", sk: "bench#floor" } }));
  return { statusCode: 200, body: "" };
};
