import { Duration } from "aws-cdk-lib";
import { HeadersFrameOption, HeadersReferrerPolicy, ResponseHeadersPolicy } from "aws-cdk-lib/aws-cloudfront";
import { StaticSite, use, type StackContext } from "sst/constructs";
import { consoleCsp, tileOrigin } from "../core/web/console-headers.ts";
import { Api } from "./Api.ts";
import { Storage } from "./Storage.ts";

/**
 * The admin console (admin/, Vite), served from S3 + CloudFront, pointed at the API, with the
 * security headers of core/web/console-headers.ts (strict CSP, no framing, HSTS, nosniff).
 */
export function Console({ stack }: StackContext) {
  const { api } = use(Api);
  const { bucket } = use(Storage);
  const tiles = tileOrigin(process.env.VITE_TILE_URL);
  const headers = new ResponseHeadersPolicy(stack, "consoleHeaders", {
    comment: "wangge console: CSP without inline scripts, no framing, HSTS",
    securityHeadersBehavior: {
      contentSecurityPolicy: {
        contentSecurityPolicy: consoleCsp({ api: api.url, files: [`https://${bucket.cdk.bucket.bucketRegionalDomainName}`], tiles: tiles ? [tiles] : [] }),
        override: true,
      },
      strictTransportSecurity: { accessControlMaxAge: Duration.days(730), includeSubdomains: true, override: true },
      contentTypeOptions: { override: true },
      frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
      referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN, override: true },
    },
  });
  const site = new StaticSite(stack, "console", {
    path: "admin",
    buildCommand: "npx vite build",
    buildOutput: "dist",
    environment: { VITE_API_URL: api.url },
    cdk: { distribution: { defaultBehavior: { responseHeadersPolicy: headers } } },
  });
  stack.addOutputs({ ConsoleUrl: site.url });
  return { site };
}
