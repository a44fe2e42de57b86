import { Fn } from "aws-cdk-lib";
import {
  AllowedMethods,
  CachePolicy,
  Function as CloudFrontFunction,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  ViewerProtocolPolicy,
  type Distribution,
} from "aws-cdk-lib/aws-cloudfront";
import { HttpOrigin } from "aws-cdk-lib/aws-cloudfront-origins";
import type { Construct } from "constructs";

/**
 * The console calls the API on its own origin: the console's CloudFront distribution forwards
 * `/v1/*` to the HTTP API (issue #19). The staff refresh token is then a first-party cookie
 * (`wg_srt`, SameSite=Strict, Path=/v1/auth; core/user/cookie.ts) — the console's site is
 * `*.cloudfront.net` and the API's `*.execute-api.*.amazonaws.com(.cn)`, both public suffixes, so
 * a cookie set by the API's own URL would be a third-party cookie that browsers block.
 *
 * Never cached; every method; every viewer header except Host (API Gateway routes by its own host
 * name), cookies and query strings forwarded. A viewer-request function passes the host the
 * browser called as `X-Forwarded-Host`, which the cookie's CSRF check compares with `Origin`.
 * Partners keep calling the API's own URL.
 */
export function addApiBehaviour(scope: Construct, distribution: Distribution, apiUrl: string): void {
  const forwardedHost = new CloudFrontFunction(scope, "consoleApiHost", {
    comment: "wangge: pass the console's host to the API as X-Forwarded-Host (session cookie Origin check)",
    runtime: FunctionRuntime.JS_2_0,
    code: FunctionCode.fromInline(
      [
        "function handler(event) {",
        "  var request = event.request;",
        "  request.headers['x-forwarded-host'] = { value: request.headers.host.value };",
        "  return request;",
        "}",
      ].join("\n"),
    ),
  });
  distribution.addBehavior("/v1/*", new HttpOrigin(Fn.parseDomainName(apiUrl), { protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY }), {
    viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
    allowedMethods: AllowedMethods.ALLOW_ALL,
    cachePolicy: CachePolicy.CACHING_DISABLED,
    originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
    functionAssociations: [{ function: forwardedHost, eventType: FunctionEventType.VIEWER_REQUEST }],
  });
}
