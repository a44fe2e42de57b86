import { ArnFormat, Stack as CdkStack } from "aws-cdk-lib";
import { Effect, ManagedPolicy, PolicyStatement, Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import type { Construct } from "constructs";
import type { App, Bucket, Config, Function as SstFunction, Queue, Stack, Table } from "sst/constructs";
import type { IKey } from "aws-cdk-lib/aws-kms";
import type { Queue as SqsQueue } from "aws-cdk-lib/aws-sqs";
import { dlqEnvName, queueEnvName } from "../functions/queues.ts";

/** What application code may reach: the one table, the files bucket, the queues, the JWT secret. */
export interface Access {
  table: Table;
  bucket: Bucket;
  jwtSecret: Config.Secret;
  countyTz: Config.Parameter;
  /** by queue name (functions/queues.ts) */
  queues: Record<string, Queue>;
  /** KMS key for the registry's field encryption */
  registryKey: IKey;
}

/** The environment every function gets (SST adds SST_APP, SST_STAGE and the secret binding). */
export function functionEnvironment(access: Access): Record<string, string> {
  const env: Record<string, string> = {
    WANGGE_TABLE: access.table.tableName,
    WANGGE_BUCKET: access.bucket.bucketName,
    COUNTY_TZ: access.countyTz.value,
  };
  for (const [name, queue] of Object.entries(access.queues)) {
    env[queueEnvName(name)] = queue.queueUrl;
    const dlq = (queue.cdk.queue as SqsQueue).deadLetterQueue?.queue;
    if (dlq) env[dlqEnvName(name)] = dlq.queueUrl;
  }
  env.WANGGE_KMS_KEY_ID = access.registryKey.keyArn;
  return env;
}

/** Roles already given the table, bucket and queue grants (see grantFunction). */
const grantedRoles = new WeakSet<object>();

/**
 * Least privilege for one function: item CRUD on the table and its indexes, object read/write on
 * the bucket, SendMessage on each queue, and read of the JWT secret's SSM parameter. Every
 * statement names its resources; none is `*`.
 */
export function grantFunction(fn: SstFunction, access: Access): void {
  for (const [key, value] of Object.entries(functionEnvironment(access))) fn.addEnvironment(key, value);
  // A shared role gets these once: the table grant names its indexes lazily, so CDK cannot
  // deduplicate repeated copies and would spill them into extra (overflow) managed policies.
  if (!fn.role || !grantedRoles.has(fn.role)) {
    if (fn.role) grantedRoles.add(fn.role);
    access.table.cdk.table.grantReadWriteData(fn);
    access.bucket.cdk.bucket.grantReadWrite(fn);
    for (const queue of Object.values(access.queues)) {
      queue.cdk.queue.grantSendMessages(fn);
      // the operations view (GET /v1/ops/queues) reads queue and dead-letter depths
      queue.cdk.queue.grant(fn, "sqs:GetQueueAttributes");
      (queue.cdk.queue as SqsQueue).deadLetterQueue?.queue.grant(fn, "sqs:GetQueueAttributes");
      // redrive (POST /v1/ops/queues/{queue}/redrive, core/ops/redrive.ts): read and delete from the DLQ
      (queue.cdk.queue as SqsQueue).deadLetterQueue?.queue.grantConsumeMessages(fn);
    }
    access.registryKey.grant(fn, "kms:GenerateDataKey", "kms:Decrypt");
  }
  // Binding gives SST_Secret_value_JWT_SECRET and ssm:GetParameters (what sst/node/config uses);
  // core/auth/secret.ts calls GetParameter (singular), a separate IAM action: grant it on the same path.
  fn.bind([access.jwtSecret]);
  fn.attachPermissions([
    new PolicyStatement({
      effect: Effect.ALLOW,
      actions: ["ssm:GetParameter"],
      resources: [secretParameterArn(fn, access.jwtSecret.name)],
    }),
  ]);
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
 * above. Stacks create all their functions inside this, so none is left without them.
 */
export function withAccess<T>(stack: Stack, access: Access, create: () => T): T {
  const before = new Set(stack.getAllFunctions());
  const result = create();
  for (const fn of stack.getAllFunctions()) if (!before.has(fn)) grantFunction(fn, access);
  return result;
}

/**
 * One execution role for many functions that need the same access (the API routes): saves two
 * IAM resources per function, which keeps a large route table under CloudFormation's
 * 500-resources-per-stack limit. Grants added through several functions are deduplicated.
 */
export function sharedFunctionRole(scope: Construct, id: string): Role {
  return new Role(scope, id, {
    assumedBy: new ServicePrincipal("lambda.amazonaws.com"),
    managedPolicies: [ManagedPolicy.fromAwsManagedPolicyName("service-role/AWSLambdaBasicExecutionRole")],
  });
}
