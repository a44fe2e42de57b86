import { AspectPriority, Aspects, CfnResource, RemovalPolicy, type IAspect } from "aws-cdk-lib";
import { CfnFunction } from "aws-cdk-lib/aws-lambda";
import { LogGroup, RetentionDays } from "aws-cdk-lib/aws-logs";
import { NagSuppressions, type NagPackSuppression } from "cdk-nag";
import type { Construct, IConstruct } from "constructs";

/**
 * App-wide hardening, installed once by the Storage stack (the first stack of every app):
 * - every Lambda function logs to one log group with a retention (180 days), instead of
 *   `/aws/lambda/<name>` groups that Lambda creates on first use and keeps forever;
 * - the cdk-nag (AwsSolutions) findings this design accepts are suppressed where they arise,
 *   each with its reason, and only for the exact resources/permissions concerned
 *   (stacks/nag.test.ts runs the checks; any other finding fails it).
 * Aspects with MUTATING priority run before cdk-nag's checks (default priority).
 */

/** China's Cybersecurity Law asks network logs to be kept at least six months: function logs as the API access log. */
export const FUNCTION_LOG_RETENTION = RetentionDays.SIX_MONTHS;

/** The log group every function of the app writes to (Lambda advanced logging: `LoggingConfig.LogGroup`). */
export function functionLogGroup(scope: Construct, protect: boolean): LogGroup {
  return new LogGroup(scope, "FunctionLogs", {
    retention: FUNCTION_LOG_RETENTION,
    removalPolicy: protect ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
  });
}

/** Points every function without its own logging configuration at the app's function log group. */
class FunctionLogs implements IAspect {
  private readonly logGroup: LogGroup;
  constructor(logGroup: LogGroup) {
    this.logGroup = logGroup;
  }
  visit(node: IConstruct): void {
    if (node instanceof CfnFunction) {
      if (!node.loggingConfig) node.loggingConfig = { logGroup: this.logGroup.logGroupName };
    } else if (node instanceof CfnResource && node.cfnResourceType === "AWS::Lambda::Function") {
      // CDK's own providers (e.g. S3 auto-delete) are raw resources, not CfnFunction
      node.addPropertyOverride("LoggingConfig.LogGroup", this.logGroup.logGroupName);
    }
  }
}

/** The accepted findings, by resource type; `appliesTo` narrows each to the permissions concerned. */
function acceptedFindings(node: CfnResource): NagPackSuppression[] {
  const path = node.node.path;
  const sstManaged = /\/CustomResourceHandler\//.test(path);
  switch (node.cfnResourceType) {
    case "AWS::Lambda::Function": {
      const runtime = (node as CfnFunction).runtime;
      const sstRuntime = "SST's own custom-resource handler (Config parameters/secrets): its runtime is chosen and upgraded by SST, not by this app.";
      const ourRuntime = "Node.js 22 is the runtime the app is built and tested for (sst.config.ts, esbuild target) and the newest one offered in the AWS China regions where counties deploy; moving to a newer runtime is a deliberate upgrade, not a default.";
      if (sstManaged) {
        return [
          { id: "AwsSolutions-L1", reason: sstRuntime },
          { id: "Serverless-LambdaLatestVersion", reason: sstRuntime },
          { id: "Serverless-LambdaDLQ", reason: "SST's custom-resource handler is invoked synchronously by CloudFormation during a deploy; a failure fails (and rolls back) the deploy, there is no event to keep." },
        ];
      }
      const out: NagPackSuppression[] = [];
      if (runtime === "nodejs22.x") out.push({ id: "AwsSolutions-L1", reason: ourRuntime }, { id: "Serverless-LambdaLatestVersion", reason: ourRuntime });
      if (/\/Area[A-Z][A-Za-z0-9]*\/Resource$/.test(path)) {
        out.push({ id: "Serverless-LambdaDLQ", reason: "An area function is invoked synchronously by API Gateway (HTTP API, Lambda proxy): the caller gets the error response and retries; Lambda keeps no event to dead-letter. Errors alarm (stacks/alarms.ts)." });
      } else if (/\/Consumer_[A-Za-z0-9-]+\/Resource$/.test(path)) {
        out.push({ id: "Serverless-LambdaDLQ", reason: "A queue consumer is invoked synchronously by its SQS event source mapping: a failed message stays on its queue and moves to that queue's dead-letter queue after maxReceiveCount (stacks/Queues.ts), which alarms." });
      }
      return out;
    }
    case "AWS::Lambda::EventSourceMapping":
      return [
        {
          id: "Serverless-LambdaEventSourceMappingDestination",
          reason: "On-failure destinations apply to stream and Kafka sources; for an SQS source the failed messages go to the queue's own dead-letter queue through its redrive policy (stacks/Queues.ts), with partial batch failure reporting.",
        },
      ];
    case "AWS::SQS::Queue":
      if (/-dlq\/Resource$/.test(path)) {
        return [{ id: "Serverless-SQSRedrivePolicy", reason: "This queue is itself a dead-letter queue (of a work queue or of the schedules); it keeps messages 14 days for inspection and redrive, and alarms on the first one. A DLQ of a DLQ would only move the same message again." }];
      }
      return [];
    case "AWS::IAM::Role":
      return [
        {
          id: "AwsSolutions-IAM4",
          reason: "AWSLambdaBasicExecutionRole only allows writing the function's own CloudWatch Logs (CreateLogGroup/CreateLogStream/PutLogEvents); AWS maintains it and it works with the shared function log group, whose name is only known after deploy.",
          appliesTo: ["Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"],
        },
      ];
    case "AWS::IAM::Policy":
    case "AWS::IAM::ManagedPolicy":
      return [
        {
          id: "AwsSolutions-IAM5",
          reason: "Table.grantReadWriteData names `<table ARN>/index/*`: the generic GSIs gsi1..gsi3 of the ONE table (core/db/table.ts), which every list queries; no other table is reachable.",
          appliesTo: [{ regex: "/^Resource::<table[A-Za-z0-9]*\\.Arn>\\/index\\/\\*$/g" }],
        },
        {
          id: "AwsSolutions-IAM5",
          reason: "Bucket.grantReadWrite on the ONE private files bucket: object-level actions need the `<bucket ARN>/*` object pattern (uploads, imports, exports under generated keys), and the action groups (GetObject*, List*, DeleteObject*, Abort*, GetBucket*) are CDK's read/write set for that bucket only.",
          appliesTo: [
            { regex: "/^Resource::<files[A-Za-z0-9]*\\.Arn>\\/\\*$/g" },
            "Action::s3:GetObject*",
            "Action::s3:GetBucket*",
            "Action::s3:List*",
            "Action::s3:DeleteObject*",
            "Action::s3:Abort*",
          ],
        },
      ];
    case "AWS::ApiGatewayV2::Route":
      return [
        {
          id: "AwsSolutions-APIG4",
          reason: "Every route is authenticated and authorized in the function by the one wrapper (functions/http.ts): Bearer JWT (HS256, 15 min) or X-Api-Key, then the route's declared permission; public routes (login, health, Open311 discovery, resident sign-up) are public by design. Cognito is not available in AWS China.",
        },
      ];
    default:
      return [];
  }
}

class AcceptedFindings implements IAspect {
  visit(node: IConstruct): void {
    if (!(node instanceof CfnResource)) return;
    const suppressions = acceptedFindings(node);
    if (suppressions.length) NagSuppressions.addResourceSuppressions(node, suppressions);
  }
}

/** Install both aspects on the whole app (call once, from the first stack). */
export function hardenApp(app: IConstruct, functionLogs: LogGroup): void {
  Aspects.of(app).add(new FunctionLogs(functionLogs), { priority: AspectPriority.MUTATING });
  Aspects.of(app).add(new AcceptedFindings(), { priority: AspectPriority.MUTATING });
}

/** The files bucket keeps no S3 server access log: the reason, on the bucket itself. */
export function suppressBucketAccessLogs(bucket: IConstruct): void {
  NagSuppressions.addResourceSuppressions(bucket, [
    {
      id: "AwsSolutions-S1",
      reason: "Objects are only reached through short-lived presigned URLs issued by the API, which logs every issuance (route, caller, request id) in the access log and function logs kept 180 days; a second logging bucket per county would add cost without adding who-did-what.",
    },
  ]);
}
