import { Duration, RemovalPolicy } from "aws-cdk-lib";
import { Key, type IKey } from "aws-cdk-lib/aws-kms";
import { Secret } from "aws-cdk-lib/aws-secretsmanager";
import { NagSuppressions } from "cdk-nag";
import { BillingMode, TableEncryption } from "aws-cdk-lib/aws-dynamodb";
import { BucketEncryption } from "aws-cdk-lib/aws-s3";
import { Bucket, Config, Table, type StackContext } from "sst/constructs";
import { keyAttributes, table as schema } from "../core/db/table.ts";
import { IMPORT_FILE_RETENTION_MAX_DAYS } from "../core/job/retention-bounds.ts";
import { corsOrigins, isEphemeralStage, sharedRegistryKey } from "./settings.ts";
import { functionLogGroup, hardenApp, suppressBucketAccessLogs } from "./hardening.ts";

/** Days after which objects under `exports/` (generated CSV/XLSX downloads) are deleted. */
export const EXPORTS_EXPIRE_DAYS = 7;

/**
 * Days after which objects under `imports/` (import inputs, error reports, activation sheets,
 * import uploads) are deleted whatever the county set: a backstop at the upper bound of
 * `privacy.importFileRetentionDays`; the daily retention job deletes them earlier (core/job/retention.ts).
 */
export const IMPORTS_EXPIRE_DAYS = IMPORT_FILE_RETENTION_MAX_DAYS;

/**
 * The one DynamoDB table (key schema and GSIs from core/db/table.ts), the private files bucket
 * (uploads and exports through presigned URLs), the JWT secret and the county time zone.
 */
export function Storage({ stack, app }: StackContext) {
  const protect = !isEphemeralStage(app.stage);

  const fields = Object.fromEntries(keyAttributes().map((name) => [name, "string" as const]));
  const globalIndexes = Object.fromEntries(
    Object.entries(schema.indexes).map(([name, ix]) => [
      name,
      {
        partitionKey: ix.partitionKey,
        sortKey: ix.sortKey,
        projection: ix.projection === "ALL" ? ("all" as const) : ix.projection === "KEYS_ONLY" ? ("keys_only" as const) : [...(ix.projection as readonly string[])],
      },
    ]),
  );
  const table = new Table(stack, "table", {
    fields,
    primaryIndex: { partitionKey: schema.partitionKey, sortKey: schema.sortKey },
    globalIndexes,
    timeToLiveAttribute: schema.timeToLive,
    cdk: {
      table: {
        // SST sets the deprecated `pointInTimeRecovery`; replace it with the specification.
        pointInTimeRecovery: undefined,
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        deletionProtection: protect,
        billingMode: BillingMode.PAY_PER_REQUEST,
        encryption: TableEncryption.AWS_MANAGED,
      },
    },
  });

  const origins = corsOrigins(app.stage);
  const bucket = new Bucket(stack, "files", {
    blockPublicACLs: true,
    cors: origins.length
      ? [
          {
            id: "console-presigned",
            allowedMethods: ["GET", "PUT", "HEAD"],
            allowedOrigins: origins,
            allowedHeaders: ["content-type", "content-md5", "x-amz-*"],
            exposedHeaders: ["etag"],
            maxAge: "1 hour",
          },
        ]
      : false,
    cdk: {
      bucket: {
        encryption: BucketEncryption.S3_MANAGED,
        enforceSSL: true,
        lifecycleRules: [
          { id: "expire-exports", prefix: "exports/", expiration: Duration.days(EXPORTS_EXPIRE_DAYS) },
          { id: "expire-imports", prefix: "imports/", expiration: Duration.days(IMPORTS_EXPIRE_DAYS) },
          { id: "abort-incomplete-uploads", abortIncompleteMultipartUploadAfter: Duration.days(1) },
        ],
      },
    },
  });

  suppressBucketAccessLogs(bucket.cdk.bucket.node.defaultChild!);
  // every function of the app logs to one group kept 180 days; accepted cdk-nag findings (stacks/hardening.ts)
  hardenApp(app, functionLogGroup(stack, protect));

  const jwtSecret = new Config.Secret(stack, "JWT_SECRET");
  // the resident channel's own key (resident tokens, phone HMACs; core/auth/resident-key.ts)
  const residentKey = new Config.Secret(stack, "RESIDENT_KEY");
  const countyTz = new Config.Parameter(stack, "COUNTY_TZ", { value: process.env.COUNTY_TZ ?? "Asia/Shanghai" });
  // SMS provider (JSON: provider, credentials, sign name, template; core/resident/sms.ts SmsConfig), read only by the `residents` area function
  const smsConfig = new Config.Secret(stack, "SMS_CONFIG");
  // WeChat mini-program (JSON {appId, appSecret}; core/resident/wechat.ts), read only by the `residents` area function
  const wechatConfig = new Config.Secret(stack, "WECHAT_CONFIG");
  // proof that a request came through the console's CloudFront (its /v1/* origin sends it as a custom header):
  // generated at deploy, read only by the `auth` area function (core/web/client-address.ts, docs/security.md)
  const originProof = new Secret(stack, "ORIGIN_PROOF", {
    description: "wangge: origin custom header of the console's CloudFront /v1/* behaviour; the API trusts the viewer address only with it",
    generateSecretString: { passwordLength: 48, excludePunctuation: true },
  });
  NagSuppressions.addResourceSuppressions(originProof, [
    {
      id: "AwsSolutions-SMG4",
      reason: "CloudFront takes the value from a dynamic reference only when its distribution is updated, so an automatic rotation would leave it sending the old value: rotated by hand with a deploy pinning the new version (docs/deploy.md \"Origin proof\"); the API accepts AWSCURRENT and AWSPREVIOUS meanwhile.",
    },
  ]);

  stack.addOutputs({ TableName: table.tableName, BucketName: bucket.bucketName });
  // envelope encryption of residents' ID numbers and phones (core/crypto): data keys from this key, or from a key
  // several county stacks of the account share (WANGGE_REGISTRY_KEY_ARN, stacks/settings.ts), used only under this
  // county's encryption context
  const shared = sharedRegistryKey(stack.stage);
  const registryKey: IKey = shared
    ? Key.fromKeyArn(stack, "registryKey", shared.arn)
    : new Key(stack, "registryKey", {
        description: "wangge registry field encryption (residents' ID numbers and phones)",
        enableKeyRotation: true,
        removalPolicy: isEphemeralStage(stack.stage) ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
      });
  const registryKeyCounty = shared?.county;
  return { table, bucket, jwtSecret, residentKey, countyTz, registryKey, registryKeyCounty, smsConfig, wechatConfig, originProof };
}
