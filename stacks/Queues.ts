import { Duration } from "aws-cdk-lib";
import { Alarm, ComparisonOperator, TreatMissingData } from "aws-cdk-lib/aws-cloudwatch";
import { Queue as SqsQueue, QueueEncryption } from "aws-cdk-lib/aws-sqs";
import { Queue, use, type Function as SstFunction, type StackContext } from "sst/constructs";
import { queues as definitions, type QueueDef } from "../functions/queues.ts";
import { withAccess } from "./access.ts";
import { functionAlarms } from "./alarms.ts";
import { workerAccess } from "./areas.ts";
import { Storage } from "./Storage.ts";

export const DLQ_RETENTION_DAYS = 14;

/**
 * One SQS queue per entry of functions/queues.ts, each with a dead-letter queue (and an alarm when
 * anything lands there) and its consumer Lambda reporting partial batch failures.
 * Returns the queues by name.
 */
export function Queues({ stack, app }: StackContext): Record<string, Queue> {
  const storage = use(Storage);
  const queues: Record<string, Queue> = {};

  for (const def of definitions) {
    assertValid(def);
    const dlq = new SqsQueue(stack, `${def.name}-dlq`, {
      queueName: app.logicalPrefixedName(`${def.name}-dlq`),
      retentionPeriod: Duration.days(DLQ_RETENTION_DAYS),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    new Alarm(stack, `${def.name}-dlq-alarm`, {
      alarmName: app.logicalPrefixedName(`${def.name}-dlq-not-empty`),
      alarmDescription: `Messages of queue "${def.name}" failed ${def.maxReceiveCount} times and wait in its dead-letter queue`,
      metric: dlq.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: "Maximum" }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    queues[def.name] = new Queue(stack, def.name, {
      cdk: {
        queue: {
          visibilityTimeout: Duration.seconds(def.visibilityTimeoutSeconds),
          deadLetterQueue: { queue: dlq, maxReceiveCount: def.maxReceiveCount },
          encryption: QueueEncryption.SQS_MANAGED,
          enforceSSL: true,
        },
      },
    });
  }

  // Consumers are added once every queue exists, so each gets every WANGGE_QUEUE_<NAME>_URL.
  const handlerOf = (fn: SstFunction) => (fn as unknown as { props: { handler?: string } }).props.handler ?? "";
  withAccess(stack, { ...storage, queues }, () => {
    for (const def of definitions) {
      queues[def.name].addConsumer(stack, {
        function: { handler: def.consumer, timeout: def.timeoutSeconds, description: `Consumer of queue ${def.name}` },
        cdk: {
          eventSource: {
            batchSize: def.batchSize,
            // Lambda requires a batching window for batches above 10 messages.
            maxBatchingWindow: def.batchSize > 10 ? Duration.seconds(1) : undefined,
            reportBatchItemFailures: true,
          },
        },
      });
    }
  }, (fn) => workerAccess(handlerOf(fn)));
  for (const def of definitions) functionAlarms(stack, app, `${def.name}-consumer`, queues[def.name].consumerFunction as SstFunction);

  return queues;
}

function assertValid(def: QueueDef): void {
  if (def.timeoutSeconds > def.visibilityTimeoutSeconds) {
    throw new Error(
      `Queue "${def.name}": consumer timeout ${def.timeoutSeconds}s exceeds visibility timeout ${def.visibilityTimeoutSeconds}s`,
    );
  }
}
