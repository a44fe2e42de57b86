import { beforeAll, describe, expect, it } from "vitest";
import { synth, type Synth } from "../../../stacks/synth.ts";
import { deployment } from "./deployment.ts";

/** The stacks synthesized with one deploy setting (stacks/settings.ts) set, as `sst deploy` would read it. */
async function synthWith(name: string, value: string): Promise<Synth> {
  const before = process.env[name];
  process.env[name] = value;
  try {
    return await synth({ stage: "county-a", region: "cn-northwest-1" });
  } finally {
    if (before === undefined) delete process.env[name];
    else process.env[name] = before;
  }
}

/** The fixed-cost figures `npm run cost` uses, checked against the synthesized stacks (offline, no bundling). */
describe("the deployment the cost model prices is the one the stacks synthesize", () => {
  let app: Synth;
  beforeAll(async () => {
    app = await synth({ stage: "county-a", region: "cn-northwest-1" });
  }, 120_000);

  const resources = (type: string) =>
    Object.values(app.templates).flatMap((t) => Object.values(t.toJSON().Resources as Record<string, { Type: string; Properties?: Record<string, unknown> }>).filter((r) => r.Type === type));

  it("counts the CloudWatch alarms, all standard resolution with one metric each (default: 9, the two Lambda ones account-wide)", () => {
    const alarms = resources("AWS::CloudWatch::Alarm");
    expect(alarms.length).toBe(deployment({}).alarms);
    expect(alarms.length).toBe(9);
    const lambda = alarms.filter((a) => a.Properties?.Namespace === "AWS/Lambda");
    expect(lambda.map((a) => a.Properties?.MetricName).sort()).toEqual(["Errors", "Throttles"]);
    // no FunctionName: Lambda's sum over every function of the account and region, this stack's included
    for (const a of lambda) expect(a.Properties?.Dimensions, "the whole account: no FunctionName").toBeUndefined();
    for (const a of alarms) {
      expect(a.Properties?.MetricName, "one metric, no metric math").toBeTypeOf("string");
      expect(a.Properties?.Period).toBeGreaterThanOrEqual(60);
    }
  });

  it("bills Lambda at the memory every function is deployed with (SST's deploy-time custom resource handlers aside)", () => {
    const fns = Object.values(app.templates).flatMap((t) => Object.entries(t.toJSON().Resources as Record<string, { Type: string; Properties: { MemorySize?: number } }>)).filter(([id, r]) => r.Type === "AWS::Lambda::Function" && !id.startsWith("CustomResourceHandler"));
    expect(fns).toHaveLength(deployment({}).functions);
    for (const [id, f] of fns) expect(f.Properties.MemorySize, id).toBe(deployment({}).lambdaMemoryMb);
  });

  it("counts the customer-managed KMS keys", () => {
    expect(resources("AWS::KMS::Key").length).toBe(deployment({}).ownKmsKeys);
    expect(deployment({}).kmsKeys).toBe(1);
  });

  it("prices the schedules the EventBridge rules run", () => {
    const expressions = resources("AWS::Events::Rule").map((r) => r.Properties?.ScheduleExpression);
    expect(expressions.sort()).toEqual([...deployment().schedules].sort());
  });

  it("keeps logs as long as the model assumes", () => {
    const days = resources("AWS::Logs::LogGroup").map((g) => g.Properties?.RetentionInDays);
    expect(days.length).toBeGreaterThan(0);
    for (const d of days) expect(d).toBe(deployment().logRetentionDays);
  });
});

describe("WANGGE_FUNCTION_ALARMS=function, alarms that name their function", () => {
  let app: Synth;
  beforeAll(async () => {
    app = await synthWith("WANGGE_FUNCTION_ALARMS", "function");
  }, 120_000);

  it("deploys an errors and a throttles alarm on each function of the stacks (each with its FunctionName) + the 7 dead-letter queues: 55", () => {
    const resources = Object.values(app.templates).flatMap((t) => Object.entries(t.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, any> }>));
    const alarms = resources.filter(([, r]) => r.Type === "AWS::CloudWatch::Alarm").map(([, r]) => r.Properties);
    expect(alarms.length).toBe(deployment({ WANGGE_FUNCTION_ALARMS: "function" }).alarms);
    expect(alarms.length).toBe(55);
    const functionIds = new Set(resources.filter(([, r]) => r.Type === "AWS::Lambda::Function").map(([id]) => id));
    const lambda = alarms.filter((a) => a.Namespace === "AWS/Lambda");
    expect(lambda).toHaveLength(2 * deployment({ WANGGE_FUNCTION_ALARMS: "function" }).functions);
    for (const a of lambda) expect(a.Dimensions.map((d: { Name: string }) => d.Name), "one function each").toEqual(["FunctionName"]);
    const watched = new Set(lambda.map((a) => a.Dimensions[0].Value.Ref));
    expect(watched.size).toBe(deployment({ WANGGE_FUNCTION_ALARMS: "function" }).functions);
    for (const id of watched) expect(functionIds.has(id), `${id} is a function of the stacks`).toBe(true);
    expect(alarms.filter((a) => a.Namespace === "AWS/SQS")).toHaveLength(7);
  });
});

describe("WANGGE_REGISTRY_KEY_ARN, a registry key several county stacks share (docs/cost.md \"Idle\")", () => {
  const ARN = "arn:aws-cn:kms:cn-northwest-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
  let app: Synth;
  beforeAll(async () => {
    app = await synthWith("WANGGE_REGISTRY_KEY_ARN", ARN);
  }, 120_000);

  it("makes no key of its own; the cost model bills the county its share of the shared key", () => {
    const keys = Object.values(app.templates).flatMap((t) => Object.values(t.findResources("AWS::KMS::Key")));
    expect(keys).toHaveLength(deployment({ WANGGE_REGISTRY_KEY_ARN: ARN }).ownKmsKeys);
    expect(keys).toHaveLength(0);
    expect(deployment({ WANGGE_REGISTRY_KEY_ARN: ARN, WANGGE_REGISTRY_KEY_SHARED_BY: "4" }).kmsKeys).toBe(0.25);
    expect(deployment({ WANGGE_REGISTRY_KEY_ARN: ARN }).kmsKeys).toBe(1);
    expect(() => deployment({ WANGGE_REGISTRY_KEY_ARN: ARN, WANGGE_REGISTRY_KEY_SHARED_BY: "0" })).toThrow(/SHARED_BY/);
    expect(() => deployment({ WANGGE_REGISTRY_KEY_ARN: "alias/wangge" })).toThrow(/KMS key ARN/);
  });

  it("lets only the registry function and the exports consumer call the key, and only under this county's encryption context", () => {
    const withKey: string[] = [];
    for (const f of app.functions) {
      const t = app.templates[f.stack].toJSON().Resources as Record<string, any>;
      const env = t[f.logicalId].Properties.Environment.Variables;
      const statements = Object.values(t)
        .filter((r: any) => r.Type === "AWS::IAM::Policy" && r.Properties.Roles.some((x: any) => x.Ref === f.roleLogicalId))
        .flatMap((p: any) => p.Properties.PolicyDocument.Statement as any[]);
      const kms = statements.filter((s) => [s.Action].flat().some((a: string) => a.startsWith("kms:")));
      if (!kms.length) {
        expect(env.WANGGE_KMS_KEY_ID, f.logicalId).toBeUndefined();
        expect(env.WANGGE_KMS_CONTEXT_COUNTY, f.logicalId).toBeUndefined();
        continue;
      }
      withKey.push(f.props.handler ?? "");
      expect(env.WANGGE_KMS_KEY_ID).toBe(ARN);
      expect(env.WANGGE_KMS_CONTEXT_COUNTY).toBe("county-a");
      for (const s of kms) {
        expect([s.Action].flat().sort()).toEqual(["kms:Decrypt", "kms:GenerateDataKey"]);
        expect(s.Resource).toBe(ARN);
        expect(s.Condition).toEqual({ StringEquals: { "kms:EncryptionContext:county": "county-a" } });
      }
    }
    expect(withKey.sort()).toEqual(["functions/_areas/registry.handler", "functions/exports/consume.handler"]);
  });
});
