import { describe, expect, it } from "vitest";
import { App, Stack } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { Distribution } from "aws-cdk-lib/aws-cloudfront";
import { HttpOrigin } from "aws-cdk-lib/aws-cloudfront-origins";
import { Secret } from "aws-cdk-lib/aws-secretsmanager";
import { addApiBehaviour } from "./console-api.ts";

/**
 * The console's distribution forwards /v1/* to the API (#19: the staff refresh cookie is first-party).
 * stacks/Console.ts adds it only when the site is built (sst deploy), which the stack synth does not
 * do: this test adds it to a bare distribution.
 */
describe("console distribution: /v1/* to the API", () => {
  it("forwards /v1/* uncached, every method, every viewer header but Host, over HTTPS, with X-Forwarded-Host from a viewer-request function", () => {
    const stack = new Stack(new App(), "t", { env: { region: "cn-northwest-1", account: "111111111111" } });
    const distribution = new Distribution(stack, "d", { defaultBehavior: { origin: new HttpOrigin("console.example") } });
    addApiBehaviour(stack, distribution, "https://abc123.execute-api.cn-northwest-1.amazonaws.com.cn", new Secret(stack, "proof"));
    const t = Template.fromStack(stack);
    const config = (Object.values(t.findResources("AWS::CloudFront::Distribution"))[0] as any).Properties.DistributionConfig;
    const behaviour = config.CacheBehaviors.find((b: any) => b.PathPattern === "/v1/*");
    expect(behaviour).toMatchObject({
      ViewerProtocolPolicy: "https-only",
      AllowedMethods: ["GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"],
      CachePolicyId: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad", // Managed-CachingDisabled
      OriginRequestPolicyId: "b689b0a8-53d0-40ab-baf2-68738e2966ac", // Managed-AllViewerExceptHostHeader
    });
    expect(behaviour.FunctionAssociations).toEqual([expect.objectContaining({ EventType: "viewer-request" })]);
    const origin = config.Origins.find((o: any) => o.Id === behaviour.TargetOriginId);
    expect(origin.DomainName).toBe("abc123.execute-api.cn-northwest-1.amazonaws.com.cn");
    expect(origin.CustomOriginConfig.OriginProtocolPolicy).toBe("https-only");
    const fn = Object.values(t.findResources("AWS::CloudFront::Function"))[0] as any;
    expect(fn.Properties.FunctionCode).toContain("request.headers['x-forwarded-host'] = { value: request.headers.host.value }");
    expect(fn.Properties.FunctionConfig.Runtime).toBe("cloudfront-js-2.0");
  });

  /** The distribution's /v1/* behaviour, its origin and its viewer-request function, with the ORIGIN_PROOF secret `proof`. */
  function synthesize(version?: string) {
    const stack = new Stack(new App(), "t", { env: { region: "cn-northwest-1", account: "111111111111" } });
    const distribution = new Distribution(stack, "d", { defaultBehavior: { origin: new HttpOrigin("console.example") } });
    const secret = new Secret(stack, "proof", { generateSecretString: { passwordLength: 48, excludePunctuation: true } });
    addApiBehaviour(stack, distribution, "https://abc123.execute-api.cn-northwest-1.amazonaws.com.cn", secret, version);
    const t = Template.fromStack(stack);
    const secretId = stack.getLogicalId(secret.node.defaultChild as any);
    const config = (Object.values(t.findResources("AWS::CloudFront::Distribution"))[0] as any).Properties.DistributionConfig;
    const behaviour = config.CacheBehaviors.find((b: any) => b.PathPattern === "/v1/*");
    const origin = config.Origins.find((o: any) => o.Id === behaviour.TargetOriginId);
    const fn = Object.values(t.findResources("AWS::CloudFront::Function"))[0] as any;
    return { t, secretId, origin, fn, defaultOrigin: config.Origins.find((o: any) => o.Id === config.DefaultCacheBehavior.TargetOriginId) };
  }

  it("sends the origin proof as a Secrets Manager dynamic reference (never the value) and the viewer's address to the /v1/* origin only", () => {
    const { secretId, origin, fn, defaultOrigin } = synthesize();
    expect(origin.OriginCustomHeaders).toEqual([
      { HeaderName: "x-wangge-origin-proof", HeaderValue: { "Fn::Join": ["", ["{{resolve:secretsmanager:", { Ref: secretId }, ":SecretString:::}}"]] } },
    ]);
    expect(defaultOrigin.OriginCustomHeaders).toBeUndefined(); // the console's files origin is not told the proof
    // the viewer-request function overwrites whatever x-wangge-viewer-address the viewer sent with CloudFront's view of its address
    expect(fn.Properties.FunctionCode).toContain("request.headers['x-wangge-viewer-address'] = { value: event.viewer.ip };");
  });

  it("pins the proof's version when WANGGE_ORIGIN_PROOF_VERSION is given (a rotation changes the reference, so CloudFormation re-reads it)", () => {
    const { secretId, origin } = synthesize("0a1b2c3d-0000-4000-8000-000000000001");
    expect(origin.OriginCustomHeaders[0].HeaderValue).toEqual({
      "Fn::Join": ["", ["{{resolve:secretsmanager:", { Ref: secretId }, ":SecretString:::0a1b2c3d-0000-4000-8000-000000000001}}"]],
    });
  });
});
