import { Duration } from "aws-cdk-lib";
import { Distribution, FunctionEventType, HeadersFrameOption, HeadersReferrerPolicy, ResponseHeadersPolicy, ViewerProtocolPolicy, type IFunction } from "aws-cdk-lib/aws-cloudfront";
import { S3Origin } from "aws-cdk-lib/aws-cloudfront-origins";
import { StaticSite, use, type StackContext } from "sst/constructs";
import { consoleCsp, residentCsp, tileOrigin } from "../core/web/console-headers.ts";
import { Api } from "./Api.ts";
import { addApiBehaviour } from "./console-api.ts";
import { Storage } from "./Storage.ts";

/**
 * The admin console (admin/, Vite), served from S3 + CloudFront, pointed at the API, with the
 * security headers of core/web/console-headers.ts (strict CSP, no framing, HSTS, nosniff).
 */
export function Console({ stack }: StackContext) {
  const { api } = use(Api);
  const { bucket, originProof } = use(Storage);
  // the tile server of the build's tiles.json (admin/src/map/plugin.ts writes it from the same VITE_TILE_URL): both pages may load its images
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
    // "" = the console's own origin: its CloudFront forwards /v1/* to the API (stacks/console-api.ts), so the
    // staff refresh cookie is first-party (docs/security.md "Sessions and login")
    environment: { VITE_API_URL: "" },
    // the resident page's files have no content hash in their names (app.js, style.css, vendor/leaflet.js):
    // revalidated on every load instead of SST's year-long immutable cache for *.js/*.css, so a deploy reaches phones
    assets: { fileOptions: [{ files: "resident/**", cacheControl: "no-cache" }] },
    cdk: { distribution: { defaultBehavior: { responseHeadersPolicy: headers } } },
  });
  // the public resident page (/resident/, behind the grids' QR codes) has its own, stricter CSP (docs/security.md)
  const residentHeaders = new ResponseHeadersPolicy(stack, "residentHeaders", {
    comment: "wangge resident page: default-src 'none', no inline styles, no framing, no referrer",
    securityHeadersBehavior: {
      contentSecurityPolicy: { contentSecurityPolicy: residentCsp({ api: api.url, files: [`https://${bucket.cdk.bucket.bucketRegionalDomainName}`], tiles: tiles ? [tiles] : [] }), override: true },
      strictTransportSecurity: { accessControlMaxAge: Duration.days(730), includeSubdomains: true, override: true },
      contentTypeOptions: { override: true },
      frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
      referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
    },
  });
  // the distribution exists only when the site is built (sst deploy): the same bucket and index rewrite, the resident headers
  const distribution = site.cdk?.distribution;
  if (distribution instanceof Distribution && site.cdk?.bucket) {
    const rewrite = site.node.tryFindChild("CloudFrontFunction") as IFunction | undefined;
    distribution.addBehavior("/resident/*", new S3Origin(site.cdk.bucket), {
      viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      responseHeadersPolicy: residentHeaders,
      functionAssociations: rewrite ? [{ function: rewrite, eventType: FunctionEventType.VIEWER_REQUEST }] : [],
    });
    addApiBehaviour(stack, distribution, api.url, originProof);
  }
  stack.addOutputs({ ConsoleUrl: site.url });
  return { site };
}
