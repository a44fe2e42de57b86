import { Duration } from "aws-cdk-lib";
import { Alarm, ComparisonOperator, TreatMissingData } from "aws-cdk-lib/aws-cloudwatch";
import type { Construct } from "constructs";
import type { App, Function as SstFunction } from "sst/constructs";

/**
 * Two alarms per deployed function: any error (unhandled exception, timeout, out of memory: the
 * wrapper turns every expected failure into a 4xx, so an error metric is a bug or an outage), and
 * any throttle (the account's or function's concurrency exhausted). 5-minute periods, one
 * datapoint, missing data is fine (a quiet county sends none).
 */
export function functionAlarms(scope: Construct, app: App, id: string, fn: SstFunction): Alarm[] {
  const common = {
    threshold: 0,
    comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  };
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
