import { existsSync } from "node:fs";
import { describe, it, expect, beforeAll } from "vitest";
import { Match, type Template } from "aws-cdk-lib/assertions";
import { keyAttributes, table as schema } from "../core/db/table.ts";
import { routeKey, routes } from "../functions/routes.ts";
import { queueEnvName, queues } from "../functions/queues.ts";
import { schedules } from "../functions/schedules.ts";
import { apiRoutePlan, deployedRoutes, THROTTLE } from "./Api.ts";
import { DLQ_RETENTION_DAYS } from "./Queues.ts";
import { API_STACK_OVERHEAD, RESOURCES_PER_ROUTE, ROUTE_STACK_OVERHEAD, routeArea, STACK_BUDGET } from "./routing.ts";
import { EXPORTS_EXPIRE_DAYS } from "./Storage.ts";
import { compileHandlers, handlerFile, synth, type Synth } from "./synth.ts";

// app.finish() looks up the SST bootstrap bucket (an AWS call) unless NODE_ENV is "test".
process.env.NODE_ENV = "test";
delete process.env.WANGGE_CONSOLE_ORIGIN;
delete process.env.COUNTY_TZ;

const resources = (t: Template, type: string) =>
  Object.values(t.findResources(type)) as { Properties: any; DeletionPolicy?: string }[];

const allHandlers = [...deployedRoutes().map((r) => r.handler), ...queues.map((q) => q.consumer), ...schedules.map((s) => s.handler)];
const missing = (handlers: string[]) => [...new Set(handlers.map(handlerFile))].filter((f) => !existsSync(new URL(`../${f}`, import.meta.url)));
const missingHandlers = missing(allHandlers);

/** The stacks holding the HTTP API's routes: `Api`, `ApiRoutes1`, … */
const apiStacks = (s: Synth) => Object.keys(s.templates).filter((n) => n === "Api" || /^ApiRoutes\d+$/.test(n));
const routeKeysOf = (s: Synth, stack: string) =>
  resources(s.templates[stack], "AWS::ApiGatewayV2::Route").map((r) => r.Properties.RouteKey as string);

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
    const alarms = resources(test.templates.Queues, "AWS::CloudWatch::Alarm");
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

describe("API stacks", () => {
  it("creates exactly one route per deployed entry of the route table, across the API stacks", () => {
    const keys = apiStacks(test).flatMap((n) => routeKeysOf(test, n));
    const expected = routes.filter((r) => !r.path.includes("/_local")).map(routeKey);
    expect(keys).toHaveLength(expected.length);
    expect(new Set(keys)).toEqual(new Set(expected));
  });

  it("never deploys a /_local route", () => {
    const keys = apiStacks(test).flatMap((n) => routeKeysOf(test, n));
    expect(keys.filter((k) => k.includes("/_local"))).toEqual([]);
    const withLocal = [...routes, { method: "POST" as const, path: "/_local/reset", handler: "functions/x.handler", permission: "public" as const }];
    expect(deployedRoutes(withLocal)).toEqual(deployedRoutes());
  });

  it("attaches every route to the one HTTP API of the Api stack (one URL for partners)", () => {
    const all = Object.values(test.templates).flatMap((t) => Object.entries(t.findResources("AWS::ApiGatewayV2::Api")));
    expect(all).toHaveLength(1);
    const [[apiId]] = all;
    expect(Object.keys(test.templates.Api.findResources("AWS::ApiGatewayV2::Api"))).toEqual([apiId]);
    for (const name of apiStacks(test)) {
      for (const type of ["AWS::ApiGatewayV2::Route", "AWS::ApiGatewayV2::Integration"]) {
        for (const r of resources(test.templates[name], type)) {
          if (name === "Api") expect(r.Properties.ApiId).toEqual({ Ref: apiId });
          else expect(r.Properties.ApiId["Fn::ImportValue"], `${name} ${type}`).toMatch(/^test-wangge-Api:/);
        }
      }
    }
  });

  it("places the routes as planned, keeping each area of the route table in one stack", () => {
    const plan = apiRoutePlan();
    expect(apiStacks(test)).toEqual(plan.map((p) => p.name));
    const stackOfArea = new Map<string, string>();
    for (const p of plan) {
      expect(new Set(routeKeysOf(test, p.name)), p.name).toEqual(new Set(p.routes.map(routeKey)));
      for (const key of routeKeysOf(test, p.name)) {
        const area = routeArea(key.split(" ")[1]);
        expect(stackOfArea.get(area) ?? p.name, area).toBe(p.name);
        stackOfArea.set(area, p.name);
      }
    }
    // the same plan for every stage
    expect(apiStacks(prod)).toEqual(apiStacks(test));
    expect(apiStacks(china)).toEqual(apiStacks(test));
  });

  it("deploys each route stack after the previous one, so routes moving to a new last stack are deleted first", () => {
    const names = apiStacks(test);
    for (let i = 1; i < names.length; i++) expect(test.dependencies[names[i]], names[i]).toContain(names[i - 1]);
    expect(test.dependencies.Console).toContain("Api");
  });

  it("stays within API Gateway's quotas per HTTP API: 300 routes (raisable) and 300 integrations (fixed)", () => {
    const count = (type: string) => apiStacks(test).reduce((n, name) => n + resources(test.templates[name], type).length, 0);
    expect(count("AWS::ApiGatewayV2::Route")).toBeLessThanOrEqual(300);
    expect(count("AWS::ApiGatewayV2::Integration")).toBeLessThanOrEqual(300);
  });

  it("deletes a route, its integration, permission and function when they leave the template, even on a county stage that retains data", () => {
    for (const name of apiStacks(prod)) {
      const all = Object.entries(prod.templates[name].toJSON().Resources as Record<string, { Type: string; DeletionPolicy?: string }>);
      const routeFunctions = new Set(prod.functions.filter((f) => f.stack === name).map((f) => f.logicalId));
      const routePart = all.filter(([id, r]) => routeFunctions.has(id) || /^AWS::(ApiGatewayV2::(Route|Integration)|Lambda::Permission)$/.test(r.Type));
      expect(routePart, name).toHaveLength(RESOURCES_PER_ROUTE * routeFunctions.size);
      for (const [id, r] of routePart) expect(r.DeletionPolicy, `${name} ${id}`).toBe("Delete");
    }
    const [table] = resources(prod.templates.Storage, "AWS::DynamoDB::Table");
    expect(table.DeletionPolicy).toBe("Retain");
  });

  it("throttles the default stage, keeps access logs six months and answers CORS preflights", () => {
    const t = test.templates.Api;
    t.hasResourceProperties("AWS::ApiGatewayV2::Stage", {
      StageName: "$default",
      DefaultRouteSettings: { ThrottlingBurstLimit: THROTTLE.burst, ThrottlingRateLimit: THROTTLE.rate },
      AccessLogSettings: Match.objectLike({ DestinationArn: Match.anyValue() }),
    });
    t.hasResourceProperties("AWS::Logs::LogGroup", { RetentionInDays: 180 });
    t.hasResourceProperties("AWS::ApiGatewayV2::Api", {
      ProtocolType: "HTTP",
      CorsConfiguration: Match.objectLike({ AllowOrigins: ["*"], AllowHeaders: Match.arrayWith(["authorization", "content-type"]) }),
    });
  });
});

describe("stack size", () => {
  // CloudFormation refuses stacks above 500 resources; each API route costs 4 (function,
  // integration, invoke permission, route) and the routes are spread over as many stacks as needed.
  it("keeps every stack well under CloudFormation's 500-resource limit", () => {
    for (const synthesized of [test, prod, china]) {
      for (const [name, t] of Object.entries(synthesized.templates)) {
        const count = Object.keys(t.toJSON().Resources).length;
        expect(count, `${name}: ${count} resources`).toBeLessThanOrEqual(450);
      }
    }
  });

  it("gives the route functions of each API stack one shared execution role, and costs what the plan expects", () => {
    for (const name of apiStacks(test)) {
      const fns = test.functions.filter((f) => f.stack === name);
      const routeCount = routeKeysOf(test, name).length;
      expect(fns, name).toHaveLength(routeCount);
      if (routeCount > 0) expect(new Set(fns.map((f) => f.roleLogicalId)).size, name).toBe(1);
      const count = Object.keys(test.templates[name].toJSON().Resources).length;
      const overhead = ROUTE_STACK_OVERHEAD + (name === "Api" ? API_STACK_OVERHEAD : 0);
      expect(count, name).toBeLessThanOrEqual(RESOURCES_PER_ROUTE * routeCount + overhead);
      expect(count, name).toBeLessThanOrEqual(STACK_BUDGET);
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
});

describe("every function", () => {
  it("exists once per deployed route, queue consumer and schedule", () => {
    expect(test.functions).toHaveLength(deployedRoutes().length + queues.length + schedules.length);
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

  it("gets the table, bucket, every queue URL, the county time zone and the JWT secret binding", () => {
    const names = [
      "WANGGE_TABLE",
      "WANGGE_BUCKET",
      "COUNTY_TZ",
      "SST_APP",
      "SST_STAGE",
      "SST_Secret_value_JWT_SECRET",
      ...queues.map((q) => queueEnvName(q.name)),
    ];
    for (const { stack, logicalId } of test.functions) {
      const env = test.templates[stack].toJSON().Resources[logicalId].Properties.Environment.Variables;
      for (const n of names) expect(env[n], `${logicalId} ${n}`).toBeDefined();
      expect(env.SST_APP).toBe("wangge");
      expect(env.SST_STAGE).toBe("test");
      expect(env.COUNTY_TZ).toBe("Asia/Shanghai");
    }
  });

  it("is granted table, bucket, queue and secret access on named resources only, never `*`", () => {
    for (const { stack, roleLogicalId, logicalId } of test.functions) {
      const statements = resources(test.templates[stack], "AWS::IAM::Policy")
        .filter((p) => p.Properties.Roles.some((r: any) => r.Ref === roleLogicalId))
        .flatMap((p) => p.Properties.PolicyDocument.Statement as any[]);
      const actions = statements.flatMap((s) => [s.Action].flat());
      for (const needed of ["dynamodb:PutItem", "dynamodb:Query", "s3:PutObject", "s3:GetObject*", "sqs:SendMessage", "ssm:GetParameter"]) {
        expect(actions, `${logicalId} ${needed}`).toContain(needed);
      }
      for (const s of statements) expect([s.Resource].flat(), `${logicalId} ${JSON.stringify(s.Action)}`).not.toContain("*");
      expect(JSON.stringify(statements)).toContain("/index/*"); // the table's GSIs
    }
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
