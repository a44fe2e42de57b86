import { describe, it, expect, beforeAll } from "vitest";
import type { Template } from "aws-cdk-lib/assertions";
import { AwsSolutionsChecks, ServerlessChecks, type INagLogger, type NagLoggerNonComplianceData, type NagLoggerSuppressedData } from "cdk-nag";
import { queues } from "../functions/queues.ts";
import { THROTTLE } from "./Api.ts";
import { FUNCTION_LOG_RETENTION } from "./hardening.ts";
import { synth, type Synth } from "./synth.ts";

// app.finish() looks up the SST bootstrap bucket (an AWS call) unless NODE_ENV is "test".
process.env.NODE_ENV = "test";
delete process.env.WANGGE_CONSOLE_ORIGIN;

/**
 * Infrastructure checks on the synthesized app (offline, inactive stacks: stacks/synth.ts):
 * cdk-nag's AwsSolutions pack with no unsuppressed error and a written reason on every
 * suppression, least-privilege IAM read from the templates, and the guarantees the reliability
 * promises rest on (PITR, private TLS-only bucket, encrypted queues with DLQs and alarms,
 * throttling, log retention, CORS limited to the console).
 */

interface Finding {
  rule: string;
  level: string;
  path: string;
  finding: string;
  info: string;
}

const findings: Finding[] = [];
const suppressed: Array<Finding & { reason: string }> = [];
const errors: string[] = [];
const finding = (d: NagLoggerNonComplianceData): Finding => ({ rule: d.ruleId, level: String(d.ruleLevel), path: d.resource.node.path, finding: d.findingId, info: d.ruleInfo });
const collector: INagLogger = {
  onCompliance() {},
  onNotApplicable() {},
  onNonCompliance: (d) => void findings.push(finding(d)),
  onSuppressed: (d: NagLoggerSuppressedData) => void suppressed.push({ ...finding(d), reason: d.suppressionReason }),
  onError: (d) => void errors.push(`${d.ruleId} on ${d.resource.node.path}: ${d.errorMessage}`),
  onSuppressedError: (d) => void errors.push(`${d.ruleId} on ${d.resource.node.path}: ${d.errorMessage} (suppressed: ${d.errorSuppressionReason})`),
};

let app: Synth;

beforeAll(async () => {
  app = await synth({ stage: "test", region: "cn-northwest-1", aspects: [new AwsSolutionsChecks({ reports: false, verbose: true, additionalLoggers: [collector] }), new ServerlessChecks({ reports: false, verbose: true, additionalLoggers: [collector] })] });
}, 240_000);

type Res = { Type: string; Properties: any };
const all = (t: Template) => Object.entries(t.toJSON().Resources as Record<string, Res>);
const ofType = (t: Template, type: string) => all(t).filter(([, r]) => r.Type === type);
const everywhere = (type: string) => Object.entries(app.templates).flatMap(([stack, t]) => ofType(t, type).map(([id, r]) => ({ stack, id, r })));

describe("cdk-nag AwsSolutions checks", () => {
  it("report no unsuppressed error and no rule failure", () => {
    const unsuppressed = findings.filter((f) => f.level === "Error").map((f) => `${f.rule} ${f.path} ${f.finding} — ${f.info}`);
    expect(unsuppressed).toEqual([]);
    expect(errors).toEqual([]);
  });

  it("ran over every stack (the checks did visit the app)", () => {
    const stacks = new Set([...findings, ...suppressed].map((f) => f.path.split("/")[0]));
    for (const name of ["Storage", "Queues", "Api", "Jobs"]) expect([...stacks].some((s) => s.endsWith(`-${name}`)), name).toBe(true);
  });

  it("carries a written reason on every suppression, and suppresses only the accepted rules", () => {
    expect(suppressed.length).toBeGreaterThan(0);
    for (const s of suppressed) expect(s.reason.length, `${s.rule} on ${s.path}`).toBeGreaterThanOrEqual(60);
    expect([...new Set(suppressed.map((s) => s.rule))].sort()).toEqual([
      "AwsSolutions-APIG4",
      "AwsSolutions-IAM4",
      "AwsSolutions-IAM5",
      "AwsSolutions-L1",
      "AwsSolutions-S1",
      "AwsSolutions-SMG4",
      "Serverless-LambdaDLQ",
      "Serverless-LambdaEventSourceMappingDestination",
      "Serverless-LambdaLatestVersion",
      "Serverless-SQSRedrivePolicy",
    ]);
  });

  it("ran the ServerlessChecks pack beside AwsSolutions", () => {
    const rules = new Set([...findings, ...suppressed].map((f) => f.rule));
    expect([...rules].some((r) => r.startsWith("Serverless-"))).toBe(true);
    expect([...rules].some((r) => r.startsWith("AwsSolutions-"))).toBe(true);
  });

  it("accepts wildcards only on the one table's indexes and the one bucket's objects", () => {
    const wildcards = new Set(suppressed.filter((s) => s.rule === "AwsSolutions-IAM5").map((s) => s.finding.replace(/<(table|files)[A-Za-z0-9]*\.Arn>/, "<$1>")));
    expect([...wildcards].sort()).toEqual(
      ["Action::s3:Abort*", "Action::s3:DeleteObject*", "Action::s3:GetBucket*", "Action::s3:GetObject*", "Action::s3:List*", "Resource::<files>/*", "Resource::<table>/index/*"].sort(),
    );
  });
});

describe("least-privilege IAM of every function", () => {
  it("allows table actions only on the table and its indexes, object actions only on the bucket, messages only to the queues, parameters only under the app's path", () => {
    const storage = app.templates.Storage;
    const tableId = ofType(storage, "AWS::DynamoDB::Table").map(([id]) => id)[0];
    const bucketId = ofType(storage, "AWS::S3::Bucket").map(([id]) => id)[0];
    const queueIds = [...ofType(app.templates.Queues, "AWS::SQS::Queue"), ...ofType(app.templates.Jobs, "AWS::SQS::Queue")].map(([id]) => id);
    const keyId = ofType(storage, "AWS::KMS::Key").map(([id]) => id)[0];
    const secretIds = ofType(storage, "AWS::SecretsManager::Secret").map(([id]) => id);
    expect(keyId).toBeDefined();
    expect(secretIds).toHaveLength(1); // ORIGIN_PROOF
    expect(tableId).toBeDefined();
    expect(bucketId).toBeDefined();
    expect(queueIds.length).toBe(queues.length * 2 + 1); // + the schedules' DLQ
    const references = (resource: unknown, ids: string[]) => ids.some((id) => JSON.stringify(resource).includes(id));
    const problems: string[] = [];
    for (const { stack, roleLogicalId, logicalId } of app.functions) {
      const policies = Object.values(app.templates[stack].toJSON().Resources as Record<string, Res>).filter(
        (r) => (r.Type === "AWS::IAM::Policy" || r.Type === "AWS::IAM::ManagedPolicy") && (r.Properties.Roles ?? []).some((x: any) => x.Ref === roleLogicalId),
      );
      for (const statement of policies.flatMap((p) => p.Properties.PolicyDocument.Statement as any[])) {
        const actions = [statement.Action].flat() as string[];
        const targets = [statement.Resource].flat();
        if (statement.Effect !== "Allow") continue;
        for (const target of targets) {
          if (target === "*") problems.push(`${logicalId}: ${actions.join(",")} on *`);
        }
        for (const action of actions) {
          const service = action.split(":")[0];
          const ok =
            service === "dynamodb"
              ? targets.every((t) => references(t, [tableId]))
              : service === "s3"
                ? targets.every((t) => references(t, [bucketId]))
                : service === "sqs"
                  ? targets.every((t) => references(t, queueIds))
                  : service === "ssm"
                    ? targets.every((t) => /:parameter\/sst\/wangge\/(test|\.fallback)\//.test(JSON.stringify(t)))
                    : service === "kms"
                      ? ["kms:GenerateDataKey", "kms:Decrypt"].includes(action) && targets.every((t) => references(t, [keyId]))
                      : service === "secretsmanager"
                        ? action === "secretsmanager:GetSecretValue" && targets.every((t) => references(t, secretIds))
                        : false;
          if (!ok) problems.push(`${stack}/${logicalId}: ${action} on ${JSON.stringify(targets).slice(0, 200)}`);
          if (/^dynamodb:(\*|Delete(Table|Backup)|CreateTable|UpdateTable)$/.test(action) || action === "*" || /^[a-z0-9]+:\*$/.test(action)) problems.push(`${logicalId}: administrative action ${action}`);
        }
      }
      // the only managed policy: writing its own logs
      const role = app.templates[stack].toJSON().Resources[roleLogicalId] as Res;
      for (const arn of role.Properties.ManagedPolicyArns ?? []) {
        expect(JSON.stringify(arn), logicalId).toContain("service-role/AWSLambdaBasicExecutionRole");
      }
    }
    expect(problems).toEqual([]);
  });
});

describe("resources the reliability promises rest on", () => {
  it("keeps point-in-time recovery on the table", () => {
    const [[, table]] = ofType(app.templates.Storage, "AWS::DynamoDB::Table");
    expect(table.Properties.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
  });

  it("blocks public access to the bucket and refuses non-TLS requests", () => {
    const [[bucketId, bucket]] = ofType(app.templates.Storage, "AWS::S3::Bucket");
    expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    const policies = ofType(app.templates.Storage, "AWS::S3::BucketPolicy").filter(([, p]) => JSON.stringify(p.Properties.Bucket).includes(bucketId));
    const statements = policies.flatMap(([, p]) => p.Properties.PolicyDocument.Statement as any[]);
    expect(statements).toContainEqual(expect.objectContaining({ Effect: "Deny", Action: "s3:*", Condition: { Bool: { "aws:SecureTransport": "false" } } }));
    expect(statements.filter((s) => s.Effect === "Allow" && JSON.stringify(s.Principal) === '{"AWS":"*"}')).toEqual([]);
  });

  it("encrypts every queue, gives every queue a dead-letter queue and alarms on each dead-letter queue's depth", () => {
    const t = app.templates.Queues;
    const qs = ofType(t, "AWS::SQS::Queue");
    for (const [id, q] of qs) expect(q.Properties.SqsManagedSseEnabled || q.Properties.KmsMasterKeyId, id).toBeTruthy();
    const mains = qs.filter(([, q]) => q.Properties.RedrivePolicy);
    const dlqIds = new Set(mains.map(([, q]) => q.Properties.RedrivePolicy.deadLetterTargetArn["Fn::GetAtt"][0]));
    expect(mains).toHaveLength(queues.length);
    expect(dlqIds.size).toBe(queues.length);
    expect(qs.filter(([id]) => !dlqIds.has(id))).toHaveLength(queues.length); // every queue that is not a DLQ has one
    const alarms = ofType(t, "AWS::CloudWatch::Alarm").map(([, a]) => a.Properties);
    for (const dlq of dlqIds) {
      const alarm = alarms.find((a) => JSON.stringify(a.Dimensions ?? []).includes(dlq));
      expect(alarm, `alarm on ${dlq}`).toMatchObject({ MetricName: "ApproximateNumberOfMessagesVisible", Namespace: "AWS/SQS", Threshold: 0, ComparisonOperator: "GreaterThanThreshold" });
    }
  });

  it("throttles the API's default stage and keeps its access log 180 days", () => {
    const [[, stage]] = ofType(app.templates.Api, "AWS::ApiGatewayV2::Stage");
    expect(stage.Properties.DefaultRouteSettings).toMatchObject({ ThrottlingBurstLimit: THROTTLE.burst, ThrottlingRateLimit: THROTTLE.rate });
    const logGroupId = stage.Properties.AccessLogSettings.DestinationArn["Fn::GetAtt"][0];
    expect(app.templates.Api.toJSON().Resources[logGroupId].Properties.RetentionInDays).toBe(180);
  });

  it("sends every function's logs to a log group with a retention (no never-expiring /aws/lambda groups)", () => {
    const groups = ofType(app.templates.Storage, "AWS::Logs::LogGroup");
    const shared = groups.find(([, g]) => g.Properties.RetentionInDays === FUNCTION_LOG_RETENTION);
    expect(shared, "the app's function log group").toBeDefined();
    const functions = everywhere("AWS::Lambda::Function");
    expect(functions.length).toBeGreaterThanOrEqual(app.functions.length);
    for (const { stack, id, r } of functions) {
      const target = JSON.stringify(r.Properties.LoggingConfig?.LogGroup ?? null);
      expect(target.includes(shared![0]), `${stack}/${id} logs to ${target}`).toBe(true);
    }
  });
});

describe("CORS of the deployed API", () => {
  it("allows exactly the console's origin when WANGGE_CONSOLE_ORIGIN is set (API and presigned bucket access)", async () => {
    process.env.WANGGE_CONSOLE_ORIGIN = "https://console.huli.example.cn";
    try {
      const prod = await synth({ stage: "prod", region: "cn-north-1" });
      const [[, api]] = ofType(prod.templates.Api, "AWS::ApiGatewayV2::Api");
      expect(api.Properties.CorsConfiguration.AllowOrigins).toEqual(["https://console.huli.example.cn"]);
      expect(api.Properties.CorsConfiguration.AllowHeaders).toEqual(expect.arrayContaining(["authorization", "content-type", "x-api-key"]));
      const [[, bucket]] = ofType(prod.templates.Storage, "AWS::S3::Bucket");
      expect(bucket.Properties.CorsConfiguration.CorsRules.map((r: any) => r.AllowedOrigins)).toEqual([["https://console.huli.example.cn"]]);
    } finally {
      delete process.env.WANGGE_CONSOLE_ORIGIN;
    }
  }, 120_000);

  it("never allows every origin on a county stage: without WANGGE_CONSOLE_ORIGIN no origin is allowed", async () => {
    const county = await synth({ stage: "county-a", region: "cn-northwest-1" });
    const [[, api]] = ofType(county.templates.Api, "AWS::ApiGatewayV2::Api");
    expect(JSON.stringify(api.Properties.CorsConfiguration ?? {})).not.toContain("*");
    expect(api.Properties.CorsConfiguration?.AllowOrigins ?? []).toEqual([]);
    const [[, bucket]] = ofType(county.templates.Storage, "AWS::S3::Bucket");
    expect(JSON.stringify(bucket.Properties.CorsConfiguration ?? {})).not.toContain('"*"');
  }, 120_000);
});
