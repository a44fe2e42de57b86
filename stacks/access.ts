import { ArnFormat, Stack as CdkStack } from "aws-cdk-lib";
import { Effect, PolicyStatement } from "aws-cdk-lib/aws-iam";
import type { App, Bucket, Config, Function as SstFunction, Queue, Stack, Table } from "sst/constructs";
import type { IKey } from "aws-cdk-lib/aws-kms";
import type { ISecret } from "aws-cdk-lib/aws-secretsmanager";
import type { Queue as SqsQueue } from "aws-cdk-lib/aws-sqs";
import { dlqEnvName, queueEnvName } from "../functions/queues.ts";
import type { AccessSpec } from "./areas.ts";

/** What application code may reach: the one table, the files bucket, the queues, the JWT secret. */
export interface Access {
  table: Table;
  bucket: Bucket;
  jwtSecret: Config.Secret;
  /** the resident channel's key (every function verifies resident tokens) */
  residentKey: Config.Secret;
  countyTz: Config.Parameter;
  /** by queue name (functions/queues.ts) */
  queues: Record<string, Queue>;
  /** KMS key for the registry's field encryption */
  registryKey: IKey;
  /** set when the key is shared by several county stacks (WANGGE_REGISTRY_KEY_ARN): this county's encryption context value */
  registryKeyCounty?: string;
  /** the SMS provider's settings (only the code-sending function reads it) */
  smsConfig?: Config.Secret;
  /** the WeChat mini-program's app id and secret (only the resident login reads it) */
  wechatConfig?: Config.Secret;
  /** the console CloudFront's origin proof (Secrets Manager; only the sign-in functions read it) */
  originProof?: ISecret;
}

/** The environment a function with `spec` gets (SST adds SST_APP, SST_STAGE and the secret binding). */
export function functionEnvironment(access: Access, spec: AccessSpec = FULL_ACCESS): Record<string, string> {
  const env: Record<string, string> = {
    WANGGE_TABLE: access.table.tableName,
    COUNTY_TZ: access.countyTz.value,
  };
  if (spec.bucket) env.WANGGE_BUCKET = access.bucket.bucketName;
  for (const [name, queue] of Object.entries(access.queues)) {
    if (spec.queues || spec.queueDepths) env[queueEnvName(name)] = queue.queueUrl;
    const dlq = (queue.cdk.queue as SqsQueue).deadLetterQueue?.queue;
    if (dlq && spec.queueDepths) env[dlqEnvName(name)] = dlq.queueUrl;
  }
  if (spec.registryKey) env.WANGGE_KMS_KEY_ID = access.registryKey.keyArn;
  // core/crypto/wrap.ts adds `county` to the encryption context of the data keys it makes
  if (spec.registryKey && access.registryKeyCounty) env.WANGGE_KMS_CONTEXT_COUNTY = access.registryKeyCounty;
  // core/resident/sms-providers.ts reads the SMS_CONFIG secret only where this is set
  if (spec.smsConfig && access.smsConfig) env.SMS_CONFIGURED = "1";
  if (spec.wechatConfig && access.wechatConfig) env.WECHAT_CONFIGURED = "1";
  // the secret's ARN, never its value: core/web/client-address.ts reads it with one signed GetSecretValue
  if (spec.originProof && access.originProof) env.WANGGE_ORIGIN_PROOF_ARN = access.originProof.secretArn;
  return env;
}

/** Everything: table, bucket, queues and their depths, registry key. */
export const FULL_ACCESS: AccessSpec = { bucket: true, queues: true, queueDepths: true, registryKey: true };

/**
 * Least privilege for one function (its own role): item CRUD on the table and its indexes, and —
 * only as `spec` says — object read/write on the bucket, SendMessage on the queues, queue depths,
 * the registry KMS key. Read of the JWT secret's SSM parameter for every function. Every statement
 * names its resources; none is `*`.
 */
export function grantFunction(fn: SstFunction, access: Access, spec: AccessSpec = FULL_ACCESS): void {
  for (const [key, value] of Object.entries(functionEnvironment(access, spec))) fn.addEnvironment(key, value);
  access.table.cdk.table.grantReadWriteData(fn);
  if (spec.bucket) access.bucket.cdk.bucket.grantReadWrite(fn);
  for (const queue of Object.values(access.queues)) {
    if (spec.queues) queue.cdk.queue.grantSendMessages(fn);
    if (spec.queueDepths) {
      // the operations view (GET /v1/ops/queues) reads queue and dead-letter depths
      queue.cdk.queue.grant(fn, "sqs:GetQueueAttributes");
      (queue.cdk.queue as SqsQueue).deadLetterQueue?.queue.grant(fn, "sqs:GetQueueAttributes");
    }
  }
  if (spec.registryKey && access.registryKeyCounty) {
    // a key shared by several counties: this county's functions may call it only under this county's context
    fn.attachPermissions([
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ["kms:GenerateDataKey", "kms:Decrypt"],
        resources: [access.registryKey.keyArn],
        conditions: { StringEquals: { "kms:EncryptionContext:county": access.registryKeyCounty } },
      }),
    ]);
  } else if (spec.registryKey) access.registryKey.grant(fn, "kms:GenerateDataKey", "kms:Decrypt");
  // Binding gives SST_Secret_value_JWT_SECRET and ssm:GetParameters; core/auth/secret.ts sends one
  // signed GetParameter (singular), a separate IAM action: grant it on the same path.
  fn.bind([access.jwtSecret, access.residentKey]);
  fn.attachPermissions([
    new PolicyStatement({
      effect: Effect.ALLOW,
      actions: ["ssm:GetParameter"],
      resources: [secretParameterArn(fn, access.jwtSecret.name), secretParameterArn(fn, access.residentKey.name)],
    }),
  ]);
  if (spec.smsConfig && access.smsConfig) {
    fn.bind([access.smsConfig]);
    fn.attachPermissions([new PolicyStatement({ effect: Effect.ALLOW, actions: ["ssm:GetParameter"], resources: [secretParameterArn(fn, access.smsConfig.name)] })]);
  }
  if (spec.wechatConfig && access.wechatConfig) {
    fn.bind([access.wechatConfig]);
    fn.attachPermissions([new PolicyStatement({ effect: Effect.ALLOW, actions: ["ssm:GetParameter"], resources: [secretParameterArn(fn, access.wechatConfig.name)] })]);
  }
  if (spec.originProof && access.originProof) {
    fn.attachPermissions([new PolicyStatement({ effect: Effect.ALLOW, actions: ["secretsmanager:GetSecretValue"], resources: [access.originProof.secretArn] })]);
  }
}

/** ARN of `/sst/<app>/<stage>/Secret/<name>/value`, the path core/auth/secret.ts reads. */
export function secretParameterArn(scope: SstFunction, name: string): string {
  const app = scope.node.root as App;
  return CdkStack.of(scope).formatArn({
    service: "ssm",
    resource: "parameter",
    resourceName: `sst/${app.name}/${app.stage}/Secret/${name}/value`,
    arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
  });
}

/**
 * Runs `create`, then gives every SST function it added to `stack` the environment and grants
 * above (`specOf` its access; all by default). Stacks create all their functions inside this, so
 * none is left without them.
 */
export function withAccess<T>(stack: Stack, access: Access, create: () => T, specOf: (fn: SstFunction) => AccessSpec = () => FULL_ACCESS): T {
  const before = new Set(stack.getAllFunctions());
  const result = create();
  for (const fn of stack.getAllFunctions()) if (!before.has(fn)) grantFunction(fn, access, specOf(fn));
  return result;
}
