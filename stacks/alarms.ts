import { Duration } from "aws-cdk-lib";
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from "aws-cdk-lib/aws-cloudwatch";
import type { Construct } from "constructs";
import type { App, Function as SstFunction } from "sst/constructs";
import { functionAlarmScope } from "./settings.ts";

/**
 * Two alarms per deployed function: any error (unhandled exception, timeout, out of memory: the
 * wrapper turns every expected failure into a 4xx, so an error metric is a bug or an outage), and
 * any throttle (the account's or function's concurrency exhausted). 5-minute periods, one
 * datapoint, missing data is fine (a quiet county sends none).
 * Only with WANGGE_FUNCTION_ALARMS=function (stacks/settings.ts); by default `accountAlarms` watches every function instead.
 */
const common = {
  threshold: 0,
  comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
  evaluationPeriods: 1,
  treatMissingData: TreatMissingData.NOT_BREACHING,
};

export function functionAlarms(scope: Construct, app: App, id: string, fn: SstFunction): Alarm[] {
  if (functionAlarmScope() === "account") return [];
  return [
    new Alarm(scope, `${id}-errors`, {
      ...common,
      alarmName: app.logicalPrefixedName(`${id}-errors`),
      alarmDescription: `Function ${id} failed (error, timeout or out of memory)`,
      metric: fn.metricErrors({ period: Duration.minutes(5), statistic: "Sum" }),
    }),
    new Alarm(scope, `${id}-throttles`, {
      ...common,
      alarmName: app.logicalPrefixedName(`${id}-throttles`),
      alarmDescription: `Function ${id} was throttled (concurrency exhausted)`,
      metric: fn.metricThrottles({ period: Duration.minutes(5), statistic: "Sum" }),
    }),
  ];
}

/**
 * WANGGE_FUNCTION_ALARMS=account (the default): the same two alarms on the Lambda metrics of the whole
 * account and region (no FunctionName dimension), instead of two per function. Lambda adds every
 * function's errors and throttles into these, so every function of this stack is caught; so is any other
 * function of the account and region: a single-metric alarm cannot be scoped to a stack (docs/cost.md
 * "Alarms"). None with WANGGE_FUNCTION_ALARMS=function.
 */
export function accountAlarms(scope: Construct, app: App): Alarm[] {
  if (functionAlarmScope() !== "account") return [];
  const metric = (metricName: string) => new Metric({ namespace: "AWS/Lambda", metricName, period: Duration.minutes(5), statistic: "Sum" });
  return [
    new Alarm(scope, "functions-errors", {
      ...common,
      alarmName: app.logicalPrefixedName("functions-errors"),
      alarmDescription: "A function of this account and region failed (error, timeout or out of memory; this stack's or another's): see the functions' log groups (docs/deploy.md)",
      metric: metric("Errors"),
    }),
    new Alarm(scope, "functions-throttles", {
      ...common,
      alarmName: app.logicalPrefixedName("functions-throttles"),
      alarmDescription: "A function of this account and region was throttled (concurrency exhausted)",
      metric: metric("Throttles"),
    }),
  ];
}
