import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { describe, it, expect, beforeAll } from "vitest";
import { Match, type Template } from "aws-cdk-lib/assertions";
import { keyAttributes, table as schema } from "../core/db/table.ts";
import { routeKey, routes } from "../functions/routes.ts";
import { queueEnvName, queues } from "../functions/queues.ts";
import { schedules } from "../functions/schedules.ts";
import { ACCESS_LOG_FIELDS, deployedRoutes, THROTTLE } from "./Api.ts";
import { areaAccess, deployedAreas, workerAccess, type AccessSpec } from "./areas.ts";
import { areaHandler, areaOf } from "../functions/areas.ts";
import { writeAreaEntries } from "../functions/area-entries.ts";
import { SCHEDULE_RETRY } from "./Jobs.ts";
import { DLQ_RETENTION_DAYS } from "./Queues.ts";
import { EXPORTS_EXPIRE_DAYS, IMPORTS_EXPIRE_DAYS } from "./Storage.ts";
import { compileHandlers, handlerFile, synth, type Synth } from "./synth.ts";

// app.finish() looks up the SST bootstrap bucket (an AWS call) unless NODE_ENV is "test".
process.env.NODE_ENV = "test";
delete process.env.WANGGE_CONSOLE_ORIGIN;
delete process.env.COUNTY_TZ;

const resources = (t: Template, type: string) =>
  Object.values(t.findResources(type)) as { Properties: any; DeletionPolicy?: string }[];

writeAreaEntries();
const areaHandlers = [...deployedAreas().keys()].map(areaHandler);
const allHandlers = [...areaHandlers, ...deployedRoutes().map((r) => r.handler), ...queues.map((q) => q.consumer), ...schedules.map((s) => s.handler)];
const missing = (handlers: string[]) => [...new Set(handlers.map(handlerFile))].filter((f) => !existsSync(new URL(`../${f}`, import.meta.url)));
const missingHandlers = missing(allHandlers);

/** The access a synthesized function was declared with (stacks/areas.ts). */
const specOf = (f: { stack: string; props: { handler?: string } }): AccessSpec => {
  const area = /_areas\/([^.]+)\.handler$/.exec(f.props.handler ?? "")?.[1];
  return area ? areaAccess(area) : workerAccess(f.props.handler ?? "");
};

let test: Synth;
let prod: Synth;
let china: Synth;

beforeAll(async () => {
  test = await synth({ stage: "test", region: "cn-northwest-1" });
  prod = await synth({ stage: "prod", region: "cn-north-1" });
  china = await synth({ stage: "county-a", region: "cn-northwest-1" });
}, 240_000);

describe("Storage stack", () => {
  it("creates the one table with the key schema, three GSIs, PITR, TTL, on-demand billing and encryption", () => {
    const t = test.templates.Storage;
    t.resourceCountIs("AWS::DynamoDB::Table", 1);
    const [table] = resources(t, "AWS::DynamoDB::Table");
    const p = table.Properties;
    expect(p.KeySchema).toEqual([
      { AttributeName: schema.partitionKey, KeyType: "HASH" },
      { AttributeName: schema.sortKey, KeyType: "RANGE" },
    ]);
    expect(new Map(p.AttributeDefinitions.map((a: any) => [a.AttributeName, a.AttributeType]))).toEqual(
      new Map(keyAttributes().map((n) => [n, "S"])),
    );
    const indexes = Object.entries(schema.indexes);
    expect(p.GlobalSecondaryIndexes).toHaveLength(3);
    expect(p.GlobalSecondaryIndexes).toHaveLength(indexes.length);
    for (const [name, ix] of indexes) {
      expect(p.GlobalSecondaryIndexes).toContainEqual({
        IndexName: name,
        KeySchema: [
          { AttributeName: ix.partitionKey, KeyType: "HASH" },
          { AttributeName: ix.sortKey, KeyType: "RANGE" },
        ],
        Projection: { ProjectionType: "ALL" },
      });
    }
    expect(p.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(p.TimeToLiveSpecification).toEqual({ AttributeName: schema.timeToLive, Enabled: true });
    expect(p.BillingMode).toBe("PAY_PER_REQUEST");
    expect(p.SSESpecification).toEqual({ SSEEnabled: true });
  });

  it("protects and retains the table for a county stage but not for the test stage", () => {
    const [prodTable] = resources(prod.templates.Storage, "AWS::DynamoDB::Table");
    const [testTable] = resources(test.templates.Storage, "AWS::DynamoDB::Table");
    expect(prodTable.Properties.DeletionProtectionEnabled).toBe(true);
    expect(prodTable.DeletionPolicy).toBe("Retain");
    expect(testTable.Properties.DeletionProtectionEnabled).toBe(false);
    expect(testTable.DeletionPolicy).toBe("Delete");
  });

  it("keeps the files bucket private, S3-encrypted and SSL-only, expires exports and allows presigned PUT/GET from browsers", () => {
    const t = test.templates.Storage;
    t.resourceCountIs("AWS::S3::Bucket", 1);
    const [bucket] = resources(t, "AWS::S3::Bucket");
    const p = bucket.Properties;
    expect(p.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(p.BucketEncryption.ServerSideEncryptionConfiguration).toEqual([
      { ServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } },
    ]);
    expect(p.LifecycleConfiguration.Rules).toContainEqual(
      expect.objectContaining({ Prefix: "exports/", ExpirationInDays: EXPORTS_EXPIRE_DAYS, Status: "Enabled" }),
    );
    // import files (#19 retention): a backstop at the upper bound of privacy.importFileRetentionDays
    expect(IMPORTS_EXPIRE_DAYS).toBe(90);
    expect(p.LifecycleConfiguration.Rules).toContainEqual(
      expect.objectContaining({ Prefix: "imports/", ExpirationInDays: 90, Status: "Enabled" }),
    );
    const [cors] = p.CorsConfiguration.CorsRules;
    expect(cors.AllowedMethods).toEqual(expect.arrayContaining(["GET", "PUT"]));
    expect(cors.AllowedOrigins).toEqual(["*"]);
    expect(cors.AllowedHeaders).toContain("content-type");
    t.hasResourceProperties("AWS::S3::BucketPolicy", {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: "Deny", Action: "s3:*", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
        ]),
      },
    });
  });

  it("stores the county time zone parameter for the stage", () => {
    test.templates.Storage.hasResourceProperties("AWS::SSM::Parameter", {
      Name: "/sst/wangge/test/Parameter/COUNTY_TZ/value",
      Value: "Asia/Shanghai",
    });
  });
});

describe("Queues stack", () => {
  it("creates one encrypted queue and one 14-day dead-letter queue per declared queue, with the declared redrive", () => {
    const t = test.templates.Queues;
    const all = resources(t, "AWS::SQS::Queue");
    expect(all).toHaveLength(queues.length * 2);
    for (const q of all) expect(q.Properties.SqsManagedSseEnabled).toBe(true);
    const dlqs = all.filter((q) => String(q.Properties.QueueName).endsWith("-dlq"));
    expect(dlqs).toHaveLength(queues.length);
    for (const dlq of dlqs) expect(dlq.Properties.MessageRetentionPeriod).toBe(DLQ_RETENTION_DAYS * 24 * 3600);
    for (const def of queues) {
      const main = all.find((q) => q.Properties.QueueName === `test-wangge-${def.name}`);
      expect(main, def.name).toBeDefined();
      expect(main!.Properties.VisibilityTimeout).toBe(def.visibilityTimeoutSeconds);
      expect(main!.Properties.RedrivePolicy.maxReceiveCount).toBe(def.maxReceiveCount);
    }
    // enforceSSL: a deny-non-TLS queue policy on every queue
    expect(resources(t, "AWS::SQS::QueuePolicy")).toHaveLength(queues.length * 2);
  });

  it("wires each consumer with its timeout, the declared batch size and partial batch failure reporting", () => {
    const t = test.templates.Queues;
    const mappings = resources(t, "AWS::Lambda::EventSourceMapping");
    expect(mappings).toHaveLength(queues.length);
    for (const m of mappings) expect(m.Properties.FunctionResponseTypes).toEqual(["ReportBatchItemFailures"]);
    expect(mappings.map((m) => m.Properties.BatchSize).sort()).toEqual(queues.map((q) => q.batchSize).sort());
    for (const def of queues) {
      const fn = test.functions.find((f) => f.stack === "Queues" && f.props.handler === def.consumer);
      expect(fn, def.consumer).toBeDefined();
      expect(t.toJSON().Resources[fn!.logicalId].Properties.Timeout).toBe(def.timeoutSeconds);
    }
  });

  it("alarms on every dead-letter queue as soon as one message is visible", () => {
    const alarms = resources(test.templates.Queues, "AWS::CloudWatch::Alarm").filter((a) => a.Properties.Namespace === "AWS/SQS");
    expect(alarms).toHaveLength(queues.length);
    for (const a of alarms) {
      expect(a.Properties).toMatchObject({
        MetricName: "ApproximateNumberOfMessagesVisible",
        Namespace: "AWS/SQS",
        Threshold: 0,
        ComparisonOperator: "GreaterThanThreshold",
      });
    }
  });
});

describe("API stack", () => {
  const areaFns = (s: Synth) => s.functions.filter((f) => f.stack === "Api");
  const areaOfFn = (f: { props: { handler?: string } }) => /_areas\/([^.]+)\.handler$/.exec(f.props.handler ?? "")?.[1] ?? "";

  it("holds the whole HTTP API in one stack: no ApiRoutes stacks", () => {
    expect(Object.keys(test.templates).filter((n) => /^ApiRoutes/.test(n))).toEqual([]);
    expect(Object.keys(test.templates)).toEqual(["Storage", "Queues", "Api", "Jobs", "Console"]);
  });

  it("creates exactly one route per deployed entry of the route table, each pointing at its area's integration", () => {
    const t = test.templates.Api;
    const all = t.toJSON().Resources as Record<string, { Type: string; Properties: any }>;
    const routesOf = resources(t, "AWS::ApiGatewayV2::Route");
    const expected = routes.filter((r) => !r.path.includes("/_local"));
    expect(routesOf.map((r) => r.Properties.RouteKey).sort()).toEqual(expected.map(routeKey).sort());
    const fnOfIntegration = new Map<string, string>();
    for (const [id, r] of Object.entries(all)) if (r.Type === "AWS::ApiGatewayV2::Integration") fnOfIntegration.set(id, r.Properties.IntegrationUri["Fn::GetAtt"][0]);
    const areaOfLogical = new Map(areaFns(test).map((f) => [f.logicalId, areaOfFn(f)]));
    for (const r of routesOf) {
      const integrationId = r.Properties.Target["Fn::Join"][1][1].Ref;
      const route = expected.find((x) => routeKey(x) === r.Properties.RouteKey)!;
      expect(areaOfLogical.get(fnOfIntegration.get(integrationId)!), r.Properties.RouteKey).toBe(areaOf(route));
    }
  });

  it("never deploys a /_local route", () => {
    const keys = resources(test.templates.Api, "AWS::ApiGatewayV2::Route").map((r) => r.Properties.RouteKey as string);
    expect(keys.filter((k) => k.includes("/_local"))).toEqual([]);
    const withLocal = [...routes, { method: "POST" as const, path: "/_local/reset", handler: "functions/x.handler", permission: "public" as const }];
    expect(deployedRoutes(withLocal)).toEqual(deployedRoutes());
  });

  it("serves the routes with one function per area (at most 12), one integration and ONE invoke permission each", () => {
    const t = test.templates.Api;
    const names = [...deployedAreas().keys()];
    expect(names.length).toBeLessThanOrEqual(12);
    expect(areaFns(test).map(areaOfFn).sort()).toEqual([...names].sort());
    expect(resources(t, "AWS::ApiGatewayV2::Integration")).toHaveLength(names.length);
    const permissions = resources(t, "AWS::Lambda::Permission");
    expect(permissions).toHaveLength(names.length);
    for (const p of permissions) {
      expect(p.Properties.Principal).toBe("apigateway.amazonaws.com");
      expect(JSON.stringify(p.Properties.SourceArn)).toContain("/*/*");
    }
    // each area function has its own role
    expect(new Set(areaFns(test).map((f) => f.roleLogicalId)).size).toBe(names.length);
  });

  it("stays within API Gateway's quotas per HTTP API: 300 routes (raisable) and 300 integrations (fixed)", () => {
    expect(resources(test.templates.Api, "AWS::ApiGatewayV2::Route").length).toBeLessThanOrEqual(300);
    expect(resources(test.templates.Api, "AWS::ApiGatewayV2::Integration").length).toBeLessThanOrEqual(300);
  });

  it("deletes routes, integrations, permissions and area functions when they leave the template, even on a county stage that retains data", () => {
    const all = Object.entries(prod.templates.Api.toJSON().Resources as Record<string, { Type: string; DeletionPolicy?: string }>);
    const fns = new Set(areaFns(prod).map((f) => f.logicalId));
    const part = all.filter(([id, r]) => fns.has(id) || /^AWS::(ApiGatewayV2::(Route|Integration)|Lambda::Permission)$/.test(r.Type));
    expect(part.length).toBe(deployedRoutes().length + 3 * fns.size);
    for (const [id, r] of part) expect(r.DeletionPolicy, id).toBe("Delete");
    const [table] = resources(prod.templates.Storage, "AWS::DynamoDB::Table");
    expect(table.DeletionPolicy).toBe("Retain");
  });

  it("throttles the default stage, writes JSON access logs kept six months and answers CORS preflights", () => {
    const t = test.templates.Api;
    t.hasResourceProperties("AWS::ApiGatewayV2::Stage", {
      StageName: "$default",
      DefaultRouteSettings: { ThrottlingBurstLimit: THROTTLE.burst, ThrottlingRateLimit: THROTTLE.rate },
      AccessLogSettings: Match.objectLike({ DestinationArn: Match.anyValue() }),
    });
    const [stage] = resources(t, "AWS::ApiGatewayV2::Stage");
    const format = JSON.parse(stage.Properties.AccessLogSettings.Format);
    expect(format).toEqual(ACCESS_LOG_FIELDS);
    for (const k of ["requestId", "ip", "routeKey", "status", "latencyMs", "integrationError"]) expect(format[k], k).toMatch(/^\$context\./);
    t.hasResourceProperties("AWS::Logs::LogGroup", { RetentionInDays: 180 });
    t.hasResourceProperties("AWS::ApiGatewayV2::Api", {
      ProtocolType: "HTTP",
      CorsConfiguration: Match.objectLike({ AllowOrigins: ["*"], AllowHeaders: Match.arrayWith(["authorization", "content-type"]) }),
    });
  });

  it("moves an existing stage without a gap: with WANGGE_API_BRIDGE only a $default route to the bridge, and the old route stacks emptied after Api", async () => {
    process.env.WANGGE_API_BRIDGE = "ApiRoutes1,ApiRoutes2";
    let bridged: Synth;
    try {
      bridged = await synth({ stage: "huli", region: "cn-northwest-1" });
    } finally {
      delete process.env.WANGGE_API_BRIDGE;
    }
    const keys = resources(bridged.templates.Api, "AWS::ApiGatewayV2::Route").map((r) => r.Properties.RouteKey);
    expect(keys).toEqual(["$default"]);
    const fns = bridged.functions.filter((f) => f.stack === "Api");
    expect(fns.map((f) => f.props.handler)).toEqual(["functions/_areas/_bridge.handler"]);
    for (const name of ["ApiRoutes1", "ApiRoutes2"]) {
      // no route, integration or function of the app is left (SST adds its own custom-resource handler to every stack)
      const types = Object.values(bridged.templates[name].toJSON().Resources).map((r: any) => r.Type as string);
      expect(types).toContain("AWS::CloudFormation::WaitConditionHandle");
      expect(types.filter((t) => t.startsWith("AWS::ApiGatewayV2::"))).toEqual([]);
      expect(bridged.functions.filter((f) => f.stack === name)).toEqual([]);
      expect(bridged.dependencies[name]).toContain("Api");
    }
  }, 120_000);
});

describe("stack size", () => {
  // CloudFormation refuses stacks above 500 resources; a route costs 1 resource, an area function 10
  // (function, role, policy, secret binding, integration, permission, 2 alarms, …).
  it("keeps every stack well under CloudFormation's 500-resource limit", () => {
    for (const synthesized of [test, prod, china]) {
      for (const [name, t] of Object.entries(synthesized.templates)) {
        const count = Object.keys(t.toJSON().Resources).length;
        expect(count, `${name}: ${count} resources`).toBeLessThanOrEqual(400);
      }
    }
  });
});

describe("Jobs stack", () => {
  it("creates one EventBridge rule per schedule with the exact expression", () => {
    const rules = resources(test.templates.Jobs, "AWS::Events::Rule");
    expect(rules).toHaveLength(schedules.length);
    expect(rules.map((r) => r.Properties.ScheduleExpression).sort()).toEqual(schedules.map((s) => s.schedule).sort());
    for (const s of schedules) {
      const fn = test.functions.find((f) => f.stack === "Jobs" && f.props.handler === s.handler);
      expect(fn, s.handler).toBeDefined();
      expect(test.templates.Jobs.toJSON().Resources[fn!.logicalId].Properties.Timeout).toBe(s.timeoutSeconds);
    }
  });

  it("retries every schedule target and sends what still fails to the schedules' dead-letter queue, which alarms", () => {
    const t = test.templates.Jobs;
    const queuesOf = Object.entries(t.toJSON().Resources as Record<string, { Type: string; Properties: any }>).filter(([, r]) => r.Type === "AWS::SQS::Queue");
    expect(queuesOf).toHaveLength(1);
    const [[dlqId, dlq]] = queuesOf;
    expect(dlq.Properties.QueueName).toBe("test-wangge-schedules-dlq");
    expect(dlq.Properties.SqsManagedSseEnabled).toBe(true);
    for (const rule of resources(t, "AWS::Events::Rule")) {
      expect(rule.Properties.Targets).toHaveLength(1);
      const [target] = rule.Properties.Targets;
      expect(target.RetryPolicy).toEqual({ MaximumRetryAttempts: SCHEDULE_RETRY.attempts, MaximumEventAgeInSeconds: SCHEDULE_RETRY.maxEventAgeMinutes * 60 });
      expect(target.DeadLetterConfig.Arn).toEqual({ "Fn::GetAtt": [dlqId, "Arn"] });
    }
    // the functions' own failures (after Lambda's asynchronous retries) go to the same queue
    for (const s of schedules) {
      const fn = test.functions.find((f) => f.stack === "Jobs" && f.props.handler === s.handler)!;
      expect(t.toJSON().Resources[fn.logicalId].Properties.DeadLetterConfig, s.name).toEqual({ TargetArn: { "Fn::GetAtt": [dlqId, "Arn"] } });
    }
    // EventBridge may send to the DLQ (queue policy), and an alarm watches it
    t.hasResourceProperties("AWS::SQS::QueuePolicy", {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: "sqs:SendMessage", Principal: { Service: "events.amazonaws.com" } })]) },
    });
    const alarms = resources(t, "AWS::CloudWatch::Alarm").filter((a) => JSON.stringify(a.Properties.Dimensions ?? []).includes(dlqId));
    expect(alarms).toHaveLength(1);
    expect(alarms[0].Properties).toMatchObject({ MetricName: "ApproximateNumberOfMessagesVisible", Threshold: 0 });
  });
});

describe("every function", () => {
  it("is one per area, queue consumer and schedule — not one per route", () => {
    expect(test.functions).toHaveLength(deployedAreas().size + queues.length + schedules.length);
    expect(test.functions.length).toBeLessThan(deployedRoutes().length / 4);
  });

  it("is built for Node.js 22 on arm64, ESM, 512 MB, without X-Ray (not in AWS China)", () => {
    for (const { fn, props, stack, logicalId } of test.functions) {
      expect(props.runtime, logicalId).toBe("nodejs22.x");
      expect(props.nodejs?.format, logicalId).toBe("esm");
      expect(fn.runtime.name).toBe("nodejs22.x");
      const p = test.templates[stack].toJSON().Resources[logicalId].Properties;
      expect(p.Runtime).toBe("nodejs22.x");
      expect(p.Architectures).toEqual(["arm64"]);
      expect(p.MemorySize).toBe(512);
      expect(p.TracingConfig).toBeUndefined();
    }
  });

  it("is watched by the account-wide errors and throttles alarms by default (WANGGE_FUNCTION_ALARMS=account; per function with =function: core/ops/cost/deployment.test.ts)", () => {
    const lambdaAlarms = Object.values(test.templates).flatMap((t) => resources(t, "AWS::CloudWatch::Alarm")).filter((a) => a.Properties.Namespace === "AWS/Lambda");
    expect(lambdaAlarms.map((a) => a.Properties.MetricName).sort()).toEqual(["Errors", "Throttles"]);
    // no FunctionName: Lambda's sums over every function of the account and region, so every function below is in them
    for (const a of lambdaAlarms) expect(a.Properties).toMatchObject({ Threshold: 0, ComparisonOperator: "GreaterThanThreshold", Statistic: "Sum", Period: 300 });
    for (const a of lambdaAlarms) expect(a.Properties.Dimensions).toBeUndefined();
    expect(test.functions.length).toBeGreaterThan(0);
  });

  it("gets the table, the county time zone and the JWT secret binding; the bucket, queue URLs and key id only with the grant", () => {
    for (const f of test.functions) {
      const env = test.templates[f.stack].toJSON().Resources[f.logicalId].Properties.Environment.Variables;
      for (const n of ["WANGGE_TABLE", "COUNTY_TZ", "SST_APP", "SST_STAGE", "SST_Secret_value_JWT_SECRET", "SST_Secret_value_RESIDENT_KEY"]) expect(env[n], `${f.logicalId} ${n}`).toBeDefined();
      expect(env.SST_STAGE).toBe("test");
      expect(env.COUNTY_TZ).toBe("Asia/Shanghai");
      const spec = specOf(f);
      expect("WANGGE_BUCKET" in env, `${f.logicalId} bucket`).toBe(spec.bucket);
      for (const q of queues) expect(queueEnvName(q.name) in env, `${f.logicalId} ${q.name}`).toBe(spec.queues || spec.queueDepths);
      expect("WANGGE_KMS_KEY_ID" in env, `${f.logicalId} kms`).toBe(spec.registryKey);
    }
  });

  it("is granted exactly its area's access (table always; bucket, queues, depths, registry key as declared) on named resources, never `*`", () => {
    const keyId = Object.keys(test.templates.Storage.findResources("AWS::KMS::Key"))[0];
    const withKey: string[] = [];
    for (const f of test.functions) {
      const statements = resources(test.templates[f.stack], "AWS::IAM::Policy")
        .filter((p) => p.Properties.Roles.some((r: any) => r.Ref === f.roleLogicalId))
        .flatMap((p) => p.Properties.PolicyDocument.Statement as any[]);
      const actions = statements.flatMap((s) => [s.Action].flat() as string[]);
      const spec = specOf(f);
      for (const needed of ["dynamodb:PutItem", "dynamodb:Query", "ssm:GetParameter"]) expect(actions, `${f.logicalId} ${needed}`).toContain(needed);
      expect(actions.some((a) => a.startsWith("s3:")), `${f.logicalId} s3`).toBe(spec.bucket);
      expect(actions.includes("sqs:SendMessage"), `${f.logicalId} sqs send`).toBe(spec.queues);
      // depths = attributes of the dead-letter queues (SendMessage grants come with GetQueueAttributes on the queue itself)
      const readsDlq = statements.some((s) => [s.Action].flat().includes("sqs:GetQueueAttributes") && /dlq/i.test(JSON.stringify(s.Resource)));
      expect(readsDlq, `${f.logicalId} sqs depths`).toBe(spec.queueDepths);
      expect(actions.some((a) => a.startsWith("kms:")), `${f.logicalId} kms`).toBe(spec.registryKey);
      if (JSON.stringify(statements).includes(keyId)) withKey.push(f.props.handler ?? "");
      for (const s of statements) expect([s.Resource].flat(), `${f.logicalId} ${JSON.stringify(s.Action)}`).not.toContain("*");
      expect(JSON.stringify(statements)).toContain("/index/*"); // the table's GSIs
    }
    // only the registry area function (and the consumer that writes registry exports) may use the registry key
    expect(withKey.sort()).toEqual(["functions/_areas/registry.handler", "functions/exports/consume.handler"]);
  });
});

describe("AWS China", () => {
  it("synthesizes for cn-northwest-1 and cn-north-1 with no hard-coded aws partition ARN in any template", () => {
    for (const synthesized of [china, prod, test]) {
      for (const [name, t] of Object.entries(synthesized.templates)) {
        expect(JSON.stringify(t.toJSON()), name).not.toContain("arn:aws:");
      }
    }
  });
});

describe("deploy bundling", () => {
  it("finds a source file for every handler named by routes, queues and schedules", () => {
    expect(missingHandlers).toEqual([]);
  });

  // Runs only when every handler file exists (the test above lists the missing ones). One esbuild
  // build for all handlers; `npm run bench -- bundles` bundles and cold-starts each one separately.
  it.skipIf(missingHandlers.length > 0)("compiles every handler with SST's esbuild and deploy options, each exporting its handler", async () => {
    const { inputs } = await compileHandlers(allHandlers);
    expect(inputs).toBeGreaterThan(new Set(allHandlers.map(handlerFile)).size);
  }, 120_000);

  // least privilege follows the code: an area is granted the bucket / the queues exactly when its
  // bundle contains the S3 client or the S3 signing modules / the SQS client, and the registry key only if its bundle can use KMS
  it.skipIf(missingHandlers.length > 0)("grants each area function what its bundled code uses, no more", async () => {
    const esbuild = createRequire(fileURLToPath(import.meta.resolve("sst/constructs")))("esbuild") as typeof import("esbuild");
    for (const area of deployedAreas().keys()) {
      const out = await esbuild.build({
        entryPoints: [fileURLToPath(new URL(`../${handlerFile(areaHandler(area))}`, import.meta.url))],
        bundle: true, write: false, platform: "node", format: "esm", metafile: true, logLevel: "silent", outfile: "out.mjs",
      });
      const inputs = Object.keys(out.metafile!.inputs);
      const uses = (pkg: string) => inputs.some((i) => i.includes(`node_modules/${pkg}/`));
      const spec = areaAccess(area);
      // S3 through the client (core/s3.ts: the workbook and unit export puts), or signed without it (core/s3-presign.ts, core/s3-object.ts)
      const usesBucket = uses("@aws-sdk/client-s3") || inputs.some((i) => /core\/s3-(presign|object)\.ts$/.test(i));
      expect(usesBucket, `${area} S3 (client or signed requests) vs bucket grant`).toBe(spec.bucket);
      // SQS through signed requests (core/sqs.ts), never the client
      expect(inputs.some((i) => i.endsWith("core/sqs.ts")), `${area} SQS calls vs queue grant`).toBe(spec.queues);
      expect(uses("@aws-sdk/client-sqs"), `${area}: no SQS client`).toBe(false);
      // KMS through signed requests (core/crypto/kms.ts), never the client
      if (spec.registryKey) expect(inputs.some((i) => i.endsWith("core/crypto/kms.ts")), `${area} KMS calls`).toBe(true);
      expect(uses("@aws-sdk/client-kms"), `${area}: no KMS client`).toBe(false);
      expect(uses("@aws-sdk/client-ssm"), `${area}: no SSM client on the request path`).toBe(false);
    }
  }, 120_000);

  const jobHandlers = schedules.map((s) => s.handler);
  it.skipIf(missing(jobHandlers).length > 0)("bundles the functions of a stack (Jobs) with SST like `sst deploy`, for Node.js 22 on arm64", async () => {
    const bundled = await synth({ stage: "test", region: "cn-northwest-1", bundle: ["Jobs"] });
    const jobs = bundled.functions.filter((f) => f.stack === "Jobs");
    expect(jobs).toHaveLength(jobHandlers.length);
    for (const { stack, logicalId } of jobs) {
      const p = bundled.templates[stack].toJSON().Resources[logicalId].Properties;
      expect(p.Runtime, logicalId).toBe("nodejs22.x");
      expect(p.Architectures).toEqual(["arm64"]);
      expect(p.Code.S3Key, logicalId).toMatch(/\.zip$/);
      expect(p.Handler, logicalId).toMatch(/\.handler$/);
    }
    for (const [name, t] of Object.entries(bundled.templates)) expect(JSON.stringify(t.toJSON()), name).not.toContain("arn:aws:");
  }, 240_000);
});
