import { Fn, SecretValue } from "aws-cdk-lib";
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
import type { ISecret } from "aws-cdk-lib/aws-secretsmanager";
import type { Construct } from "constructs";
import { ORIGIN_PROOF_HEADER, VIEWER_ADDRESS_HEADER } from "../core/web/client-address.ts";

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
 *
 * The API would see the edge's address as the source of every console request, so the failed
 * sign-in window per address would count per edge, for the whole county. The same function passes
 * the viewer's address (`event.viewer.ip`) as `x-wangge-viewer-address` (overwriting one the
 * viewer sent), and the origin adds `x-wangge-origin-proof`, the ORIGIN_PROOF secret (Secrets
 * Manager, generated at deploy) through a CloudFormation dynamic reference: the API trusts the
 * viewer address only with that proof (core/web/client-address.ts). `proofVersion` (from
 * WANGGE_ORIGIN_PROOF_VERSION) pins a version after a rotation: CloudFormation re-reads the secret
 * only when the reference's text changes (docs/deploy.md "Origin proof").
 */
export function addApiBehaviour(scope: Construct, distribution: Distribution, apiUrl: string, originProof: ISecret, proofVersion = process.env.WANGGE_ORIGIN_PROOF_VERSION || undefined): void {
  const forwardedHost = new CloudFrontFunction(scope, "consoleApiHost", {
    comment: "wangge: console host as X-Forwarded-Host (cookie Origin check), viewer address (sign-in limits)",
    runtime: FunctionRuntime.JS_2_0,
    code: FunctionCode.fromInline(
      [
        "function handler(event) {",
        "  var request = event.request;",
        "  request.headers['x-forwarded-host'] = { value: request.headers.host.value };",
        `  request.headers['${VIEWER_ADDRESS_HEADER}'] = { value: event.viewer.ip };`,
        "  return request;",
        "}",
      ].join("\n"),
    ),
  });
  const proof = SecretValue.secretsManager(originProof.secretArn, proofVersion ? { versionId: proofVersion } : {});
  const origin = new HttpOrigin(Fn.parseDomainName(apiUrl), {
    protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
    // resolved by CloudFormation when the distribution is created or updated; never in the template
    customHeaders: { [ORIGIN_PROOF_HEADER]: proof.unsafeUnwrap() },
  });
  distribution.addBehavior("/v1/*", origin, {
    viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
    allowedMethods: AllowedMethods.ALLOW_ALL,
    cachePolicy: CachePolicy.CACHING_DISABLED,
    originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
    functionAssociations: [{ function: forwardedHost, eventType: FunctionEventType.VIEWER_REQUEST }],
  });
}
