import { describe, it, expect, beforeAll } from "vitest";
import { writeAreaEntries } from "../functions/area-entries.ts";
import { synth, type Synth } from "./synth.ts";

// app.finish() looks up the SST bootstrap bucket (an AWS call) unless NODE_ENV is "test".
process.env.NODE_ENV = "test";

/**
 * The resident channel's provider secrets reach only the function that uses them: the `residents`
 * area (POST /v1/residents/code sends the SMS, POST /v1/residents/wechat exchanges a WeChat code).
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
  it("SMS_CONFIG is readable by the residents area function only, which alone is told it is configured", () => {
    expect(readers("SMS_CONFIG")).toEqual(["residents"]);
    expect(test.functions.filter((f) => "SMS_CONFIGURED" in envOf(f)).map(area)).toEqual(["residents"]);
  });

  it("WECHAT_CONFIG is readable by the residents area function only (no longer by partner, since the resident sign-in left it)", () => {
    expect(readers("WECHAT_CONFIG")).toEqual(["residents"]);
    expect(test.functions.filter((f) => "WECHAT_CONFIGURED" in envOf(f)).map(area)).toEqual(["residents"]);
  });

  it("ORIGIN_PROOF (the console CloudFront's proof, Secrets Manager) is readable by the auth area function only, which alone gets its ARN and never its value", () => {
    const storage = test.templates.Storage.toJSON().Resources as Record<string, any>;
    const [secretId] = Object.entries(storage).filter(([, r]) => r.Type === "AWS::SecretsManager::Secret").map(([id]) => id);
    expect(secretId).toMatch(/^ORIGINPROOF/);
    const proofReaders = test.functions
      .filter((f) => {
        const t = test.templates[f.stack].toJSON();
        return Object.values(t.Resources as Record<string, any>)
          .filter((r) => r.Type === "AWS::IAM::Policy" && r.Properties.Roles.some((x: any) => x.Ref === f.roleLogicalId))
          .flatMap((p) => p.Properties.PolicyDocument.Statement as any[])
          .some((st) => JSON.stringify(st.Resource).includes(secretId) || [st.Action].flat().some((a: string) => a.startsWith("secretsmanager:")));
      })
      .map(area)
      .sort();
    expect(proofReaders).toEqual(["auth"]);
    expect(test.functions.filter((f) => "WANGGE_ORIGIN_PROOF_ARN" in envOf(f)).map(area)).toEqual(["auth"]);
    for (const f of test.functions) expect(JSON.stringify(envOf(f))).not.toContain("resolve:secretsmanager");
  });

  it("no function's configuration holds a provider credential", () => {
    for (const f of test.functions) expect(JSON.stringify(envOf(f))).not.toMatch(/accessKeySecret|appSecret|secretKey/);
  });
});
