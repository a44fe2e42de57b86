import { Duration } from "aws-cdk-lib";
import { Alarm, ComparisonOperator, TreatMissingData } from "aws-cdk-lib/aws-cloudwatch";
import { Queue as SqsQueue, QueueEncryption } from "aws-cdk-lib/aws-sqs";
import { Cron, use, type CronProps, type StackContext } from "sst/constructs";
import { schedules } from "../functions/schedules.ts";
import { withAccess } from "./access.ts";
import { accountAlarms, functionAlarms } from "./alarms.ts";
import { workerAccess } from "./areas.ts";
import { DLQ_RETENTION_DAYS } from "./Queues.ts";
import { Queues } from "./Queues.ts";
import { Storage } from "./Storage.ts";

/** EventBridge retries of a failed scheduled invocation, and how long it keeps trying. */
export const SCHEDULE_RETRY = { attempts: 2, maxEventAgeMinutes: 60 } as const;

/**
 * One EventBridge rule + Lambda per entry of functions/schedules.ts (expressions are UTC, used as
 * is). Each target retries a failed delivery (throttling, service errors) and sends the event to
 * the schedules' dead-letter queue when it gives up; the function's own failures go to the same
 * queue after Lambda's asynchronous retries. An alarm fires on the first message there, and on
 * each function's errors and throttles.
 */
export function Jobs({ stack, app }: StackContext) {
  const storage = use(Storage);
  const queues = use(Queues);

  const deadLetters = new SqsQueue(stack, "schedules-dlq", {
    queueName: app.logicalPrefixedName("schedules-dlq"),
    retentionPeriod: Duration.days(DLQ_RETENTION_DAYS),
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
  });
  new Alarm(stack, "schedules-dlq-alarm", {
    alarmName: app.logicalPrefixedName("schedules-dlq-not-empty"),
    alarmDescription: "A scheduled job could not be started by EventBridge after its retries and waits in the schedules' dead-letter queue",
    metric: deadLetters.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: "Maximum" }),
    threshold: 0,
    comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });

  const crons = withAccess(
    stack,
    { ...storage, queues },
    () => {
      const out: Record<string, Cron> = {};
      for (const s of schedules) {
        out[s.name] = new Cron(stack, s.name, {
          schedule: s.schedule as CronProps["schedule"],
          job: {
            // failures of the function itself, after Lambda's own asynchronous retries, land in the same queue
            function: { handler: s.handler, timeout: s.timeoutSeconds, description: s.description, deadLetterQueue: deadLetters },
            cdk: { target: { retryAttempts: SCHEDULE_RETRY.attempts, maxEventAge: Duration.minutes(SCHEDULE_RETRY.maxEventAgeMinutes), deadLetterQueue: deadLetters } },
          },
          cdk: { rule: { description: s.description } },
        });
      }
      return out;
    },
    (fn) => workerAccess(schedules.find((s) => fn.node.path.includes(`/${s.name}/`))?.handler ?? ""),
  );
  for (const s of schedules) functionAlarms(stack, app, s.name, crons[s.name].jobFunction);
  // WANGGE_FUNCTION_ALARMS=account: the account-wide function alarms, once (stacks/alarms.ts)
  accountAlarms(stack, app);

  return { crons, deadLetters };
}
