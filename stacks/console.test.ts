import { beforeAll, describe, expect, it } from "vitest";
import { Match } from "aws-cdk-lib/assertions";
import { synth, type Synth } from "./synth.ts";

process.env.NODE_ENV = "test";

let s: Synth;
beforeAll(async () => {
  s = await synth({ stage: "county-a", region: "cn-northwest-1" });
}, 240_000);

describe("Console stack", () => {
  it("serves the console through CloudFront with a strict CSP, no framing, HSTS, nosniff and a referrer policy", () => {
    const t = s.templates.Console;
    t.hasResourceProperties("AWS::CloudFront::ResponseHeadersPolicy", {
      ResponseHeadersPolicyConfig: Match.objectLike({
        SecurityHeadersConfig: {
          ContentSecurityPolicy: { ContentSecurityPolicy: Match.anyValue(), Override: true },
          StrictTransportSecurity: { AccessControlMaxAgeSec: 63072000, IncludeSubdomains: true, Override: true },
          ContentTypeOptions: { Override: true },
          FrameOptions: { FrameOption: "DENY", Override: true },
          ReferrerPolicy: { ReferrerPolicy: "strict-origin-when-cross-origin", Override: true },
        },
      }),
    });
    const policy = Object.values(t.findResources("AWS::CloudFront::ResponseHeadersPolicy")).find((p: any) => p.Properties.ResponseHeadersPolicyConfig.Comment.startsWith("wangge console")) as any;
    const csp = JSON.stringify(policy.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy);
    expect(csp).toContain("script-src 'self';");
    expect(csp).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("RegionalDomainName"); // presigned photo URLs go to the files bucket
    // (the distribution itself is only synthesized when the Console stack is active, i.e. with a Vite
    // build; stacks/Console.ts attaches this policy as its default behaviour's responseHeadersPolicy)
  });

  it("gives the resident page its own, stricter CSP than the console's (#19)", () => {
    const policies = Object.values(s.templates.Console.findResources("AWS::CloudFront::ResponseHeadersPolicy")) as any[];
    const resident = policies.find((p) => p.Properties.ResponseHeadersPolicyConfig.Comment.startsWith("wangge resident page"));
    const config = resident.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    const csp = JSON.stringify(config.ContentSecurityPolicy.ContentSecurityPolicy);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("style-src 'self';");
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(config.ReferrerPolicy).toEqual({ ReferrerPolicy: "no-referrer", Override: true });
    // (attached to the distribution's /resident/* behaviour when the site is built: stacks/Console.ts)
  });
});
