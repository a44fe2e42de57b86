import { describe, it, expect, beforeAll } from "vitest";
import { writeAreaEntries } from "../functions/area-entries.ts";
import { synth, type Synth } from "./synth.ts";

// app.finish() looks up the SST bootstrap bucket (an AWS call) unless NODE_ENV is "test".
process.env.NODE_ENV = "test";

/**
 * The resident channel's provider secrets reach only the function that uses them: SMS_CONFIG the
 * `sms` area (POST /v1/residents/code), WECHAT_CONFIG the `partner` area (POST /v1/residents/wechat).
 */
let test: Synth;
beforeAll(async () => {
  writeAreaEntries();
  test = await synth({ stage: "test", region: "cn-northwest-1" });
}, 240_000);

const area = (f: { props: { handler?: string } }) => /_areas\/([^.]+)\.handler$/.exec(f.props.handler ?? "")?.[1] ?? f.props.handler ?? "";

function readers(secret: string): string[] {
  return test.functions
    .filter((f) => {
      const t = test.templates[f.stack].toJSON();
      const statements = Object.values(t.Resources as Record<string, any>)
        .filter((r) => r.Type === "AWS::IAM::Policy" && r.Properties.Roles.some((x: any) => x.Ref === f.roleLogicalId))
        .flatMap((p) => p.Properties.PolicyDocument.Statement as any[]);
      return statements.some((s) => JSON.stringify(s.Resource).includes(`Secret/${secret}/value`) && [s.Action].flat().includes("ssm:GetParameter"));
    })
    .map(area)
    .sort();
}

const envOf = (f: Synth["functions"][number]) => test.templates[f.stack].toJSON().Resources[f.logicalId].Properties.Environment.Variables as Record<string, string>;

describe("provider secrets", () => {
  it("SMS_CONFIG is readable by the sms area function only, which alone is told it is configured", () => {
    expect(readers("SMS_CONFIG")).toEqual(["sms"]);
    expect(test.functions.filter((f) => "SMS_CONFIGURED" in envOf(f)).map(area)).toEqual(["sms"]);
  });

  it("WECHAT_CONFIG is readable by the partner area function only", () => {
    expect(readers("WECHAT_CONFIG")).toEqual(["partner"]);
    expect(test.functions.filter((f) => "WECHAT_CONFIGURED" in envOf(f)).map(area)).toEqual(["partner"]);
  });

  it("no function's configuration holds a provider credential", () => {
    for (const f of test.functions) expect(JSON.stringify(envOf(f))).not.toMatch(/accessKeySecret|appSecret|secretKey/);
  });
});
