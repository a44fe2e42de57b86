import { Aspects, CfnResource, RemovalPolicy, Stack as CdkStack, ArnFormat, type IAspect } from "aws-cdk-lib";
import { CfnRoute, HttpIntegration, HttpIntegrationType, PayloadFormatVersion } from "aws-cdk-lib/aws-apigatewayv2";
import { ServicePrincipal } from "aws-cdk-lib/aws-iam";
import type { IConstruct } from "constructs";
import { Api as HttpApi, Function as SstFunction, getStack, use, type StackContext } from "sst/constructs";
import { areaHandler, servedRoutes } from "../functions/areas.ts";
import { API_DOCS_BUILD_DIR, API_DOCS_DEPLOYED_DIR } from "../functions/docs/static.ts";
import { routeKey, routes, type Route } from "../functions/routes.ts";
import { grantFunction, FULL_ACCESS, type Access } from "./access.ts";
import { ACCESS_LOG_FORMAT } from "./access-log.ts";
import { functionAlarms } from "./alarms.ts";
import { areaAccess, deployedAreas } from "./areas.ts";
import { Queues } from "./Queues.ts";
import { corsOrigins } from "./settings.ts";
import { Storage } from "./Storage.ts";

/** Default stage throttling of the HTTP API (requests per second, burst). */
export const THROTTLE = { burst: 200, rate: 100 } as const;

/** Routes served by API Gateway: every entry of functions/routes.ts except local-only `/_local` ones. */
export function deployedRoutes(all: readonly Route[] = routes): Route[] {
  return servedRoutes(all);
}

export { ACCESS_LOG_FIELDS, ACCESS_LOG_FORMAT } from "./access-log.ts";

/**
 * Stacks that held routes before the area functions (`ApiRoutes1..N`), named in
 * WANGGE_API_BRIDGE while an existing stage moves to the new shape (docs/deploy.md "Moving a
 * stage to area functions"). Empty unless that variable is set.
 */
export function bridgeStacks(): string[] {
  return (process.env.WANGGE_API_BRIDGE ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

/** A route answered from the built docs files (functions/docs/static.ts). */
export const servesApiDocs = (r: Pick<Route, "handler">) => r.handler.startsWith("functions/docs/");

/** `cases` → `AreaCases`: the construct id of an area function (stable logical ids). */
export const areaFunctionId = (area: string) => `Area${area.replace(/(^|[^a-zA-Z0-9])([a-zA-Z0-9])/g, (_m, _s, c: string) => c.toUpperCase())}`;

/**
 * The one HTTP API (one URL for partners), served by one Lambda per area of the route table
 * (functions/areas.ts). Per area: a function with its own role and only its area's grants
 * (stacks/areas.ts), one Lambda integration and one invoke permission; per route: only the API
 * Gateway route, pointing at its area's integration. ~160 routes + 3 resources per area fit one
 * stack (stacks.test.ts checks the count).
 */
export function Api({ stack, app }: StackContext) {
  // browsers may call the API only from the console's origin (WANGGE_CONSOLE_ORIGIN; see corsOrigins)
  const origins = corsOrigins(stack.stage);
  const api = new HttpApi(stack, "api", {
    cors: origins.length
      ? {
          allowOrigins: origins,
          allowMethods: ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
          // "*" does not cover Authorization in browsers: list the headers the API reads.
          allowHeaders: ["authorization", "content-type", "x-api-key", "x-request-id", "idempotency-key", "x-wangge-session"],
          // the resident page's refresh token is an HttpOnly cookie (core/resident/cookie.ts): credentialed requests
          // from the console origin (browsers refuse credentials with "*", which development stages use)
          allowCredentials: !origins.includes("*"),
          exposeHeaders: ["x-request-id", "retry-after"],
          maxAge: "1 day",
        }
      : false,
    // JSON lines; China's Cybersecurity Law asks network logs to be kept at least six months.
    accessLog: { format: ACCESS_LOG_FORMAT, retention: "six_months" },
    defaults: { throttle: { burst: THROTTLE.burst, rate: THROTTLE.rate } },
  });
  const access: Access = { ...use(Storage), queues: use(Queues) };
  const httpApi = api.cdk.httpApi;
  const functions: Record<string, SstFunction> = {};
  const created: IConstruct[] = [];

  const areaFunction = (area: string, handler: string, description: string, served: readonly Route[], spec = areaAccess(area)) => {
    const id = areaFunctionId(area);
    // the API reference and OpenAPI document, built by sst.config.ts, beside the code of the function serving them (functions/docs/static.ts)
    const copyFiles = served.some(servesApiDocs) ? [{ from: API_DOCS_BUILD_DIR, to: API_DOCS_DEPLOYED_DIR }] : undefined;
    const fn = new SstFunction(stack, id, { handler, description, ...(copyFiles ? { copyFiles } : {}) });
    grantFunction(fn, access, spec);
    // one invoke permission for the whole API (per-route permissions would overflow the
    // function's 20 KB resource policy with ~40 routes)
    fn.addPermission(`${id}Invoke`, {
      principal: new ServicePrincipal("apigateway.amazonaws.com"),
      sourceArn: CdkStack.of(stack).formatArn({ service: "execute-api", resource: httpApi.apiId, resourceName: "*/*", arnFormat: ArnFormat.SLASH_RESOURCE_NAME }),
    });
    const integration = new HttpIntegration(stack, `${id}Integration`, {
      httpApi,
      integrationType: HttpIntegrationType.AWS_PROXY,
      integrationUri: fn.functionArn,
      payloadFormatVersion: PayloadFormatVersion.VERSION_2_0,
    });
    functionAlarms(stack, app, id, fn);
    functions[area] = fn;
    created.push(fn, integration);
    return integration;
  };

  const bridge = bridgeStacks().length > 0;
  if (bridge) {
    // the move of an existing stage: every request reaches one bridge function through `$default`
    // until the old route stacks have given up their route keys (docs/deploy.md)
    // it serves the sign-in routes too: the console CloudFront's origin proof like the auth area (core/web/client-address.ts)
    const integration = areaFunction("bridge", areaHandler("_bridge"), "All routes during the move to area functions", servedRoutes(), { ...FULL_ACCESS, originProof: true });
    created.push(new CfnRoute(stack, "BridgeRoute", { apiId: httpApi.apiId, routeKey: "$default", target: `integrations/${integration.integrationId}` }));
  } else {
    for (const [area, list] of deployedAreas()) {
      const integration = areaFunction(area, areaHandler(area), `Area ${area}: ${list.length} routes of functions/routes.ts`, list);
      for (const r of list) {
        created.push(new CfnRoute(stack, routeConstructId(r), { apiId: httpApi.apiId, routeKey: routeKey(r), target: `integrations/${integration.integrationId}` }));
      }
    }
  }
  for (const c of created) Aspects.of(c).add(DELETE_WHEN_REMOVED);
  stack.addOutputs({ ApiUrl: api.url });
  return { api, functions };
}

/** `GET /v1/units/{id}` → `RouteGETv1unitsid` plus a short hash (ids must be unique and stable). */
export function routeConstructId(r: Pick<Route, "method" | "path">): string {
  const key = routeKey(r);
  let h = 0;
  for (let i = 0; i < key.length; i++) h = (Math.imul(h, 31) + key.charCodeAt(i)) | 0;
  return `Route${key.replace(/[^A-Za-z0-9]/g, "")}${(h >>> 0).toString(36)}`;
}

/**
 * An old route stack kept, empty, for the one deploy that moves a stage to area functions: its
 * routes and functions are deleted (requests fall through to the bridge's `$default`); a wait
 * condition handle keeps the template valid. Delete the stack afterwards (docs/deploy.md).
 */
export function retiredRouteStack(name: string): (ctx: StackContext) => void {
  const fn = ({ stack }: StackContext) => {
    // deploys after Api, whose `$default` bridge route then already serves what these routes served
    stack.addDependency(getStack(Api));
    new CfnResource(stack, "Retired", { type: "AWS::CloudFormation::WaitConditionHandle" });
  };
  Object.defineProperty(fn, "name", { value: name });
  return fn;
}

/**
 * Routes, integrations, invoke permissions, area functions and their roles hold no data and are
 * rebuilt by every deploy. SST's "retain" removal policy of county stages would leave a removed
 * route serving in API Gateway. An aspect runs at synthesis, after SST applied the app's policy.
 */
const DELETE_WHEN_REMOVED: IAspect = {
  visit(node: IConstruct) {
    if (node instanceof CfnResource) node.applyRemovalPolicy(RemovalPolicy.DESTROY);
  },
};
