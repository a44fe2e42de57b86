/**
 * JSON access log line of the HTTP API (one object per request; CloudWatch Logs Insights parses
 * it): who, what, status, latencies, and API Gateway's own error if the function was not reached.
 * A module of its own (no CDK) so that the cost bench renders the same line (core/ops/cost/log-lines.ts).
 */
export const ACCESS_LOG_FIELDS: Record<string, string> = {
  requestId: "$context.requestId",
  time: "$context.requestTime",
  ip: "$context.identity.sourceIp",
  method: "$context.httpMethod",
  path: "$context.path",
  routeKey: "$context.routeKey",
  status: "$context.status",
  protocol: "$context.protocol",
  responseLength: "$context.responseLength",
  latencyMs: "$context.responseLatency",
  integrationLatencyMs: "$context.integrationLatency",
  integrationStatus: "$context.integrationStatus",
  integrationError: "$context.integrationErrorMessage",
  error: "$context.error.message",
  userAgent: "$context.identity.userAgent",
};
export const ACCESS_LOG_FORMAT = JSON.stringify(ACCESS_LOG_FIELDS);
