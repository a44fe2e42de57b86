import { buildOpenApi } from "../../core/openapi/document.ts";
import { routeDocs } from "../../core/openapi/registry.ts";
import { APP_VERSION } from "../../core/version.ts";
import { routes } from "../routes.ts";

let cached: Record<string, unknown> | undefined;

/** The OpenAPI document of this deployment's route table (built once per warm container). */
export function apiDocument(): Record<string, unknown> {
  cached ??= buildOpenApi(routes, routeDocs, { version: APP_VERSION });
  return cached;
}
