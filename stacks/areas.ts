import type { Route } from "../functions/routes.ts";
import { areas } from "../functions/areas.ts";

/**
 * What each deployed function may reach besides the table (every function reads and writes the
 * one table). Least privilege per function: an area function gets the bucket, the queues or the
 * registry key only when its code uses them (stacks.test.ts checks each area's bundle against
 * this list, and the synthesized policies against it).
 */
export interface AccessSpec {
  /** object read/write on the files bucket (uploads, imports, exports, photos) */
  bucket: boolean;
  /** SendMessage on every queue (outbox events, jobs, timers, webhooks) */
  queues: boolean;
  /** GetQueueAttributes on the queues and their dead-letter queues (operations view) */
  queueDepths: boolean;
  /** GenerateDataKey/Decrypt on the registry KMS key (residents' ID numbers and phones) */
  registryKey: boolean;
  /** read of the SMS_CONFIG secret (the area serving POST /v1/residents/code: residents) */
  smsConfig?: boolean;
  /** read of the WECHAT_CONFIG secret (the area serving POST /v1/residents/wechat: residents) */
  wechatConfig?: boolean;
  /** read of the ORIGIN_PROOF secret: trusts the console CloudFront's viewer address (sign-in limits per person, not per edge) */
  originProof?: boolean;
}

const NONE: AccessSpec = { bucket: false, queues: false, queueDepths: false, registryKey: false };

/** Access of each area function (functions/areas.ts). An area not listed gets the table only. */
export const AREA_ACCESS: Readonly<Record<string, Partial<AccessSpec>>> = {
  // POST /v1/auth/login and /activate count failures per address: the viewer's when the console's CloudFront proves it (core/web/client-address.ts)
  auth: { originProof: true },
  cases: { bucket: true, queues: true },
  config: { bucket: true, queues: true },
  // the only API function that may use the registry KMS key; no queues since SQS left core/aws.ts (#15, core/sqs.ts): its bundle
  // carried the SQS client only through core/aws.ts's sqs(), no registry route sends a message
  registry: { bucket: true, registryKey: true },
  // no S3 since the S3 client left core/aws.ts (#15): appraisals never read or wrote a file
  appraisals: { queues: true },
  // Open311, webhooks, API keys, API reference: no provider secret since the resident sign-in routes left for `residents`
  partner: { bucket: true, queues: true },
  // the resident channel's sign-in (POST /v1/residents/code sends the SMS, /wechat exchanges a WeChat code): the SMS and
  // WeChat secrets stay out of every other role; no bucket, no queues (its routes store no file and send no message)
  residents: { smsConfig: true, wechatConfig: true },
  ops: { bucket: true, queues: true, queueDepths: true },
  // Excel templates, imports and exports (#20): the only API function whose upload carries exceljs
  excel: { bucket: true, queues: true },
};

export function areaAccess(area: string): AccessSpec {
  return { ...NONE, ...(AREA_ACCESS[area] ?? {}) };
}

/** Queue consumers and schedules: bucket and queues; the registry key only for the exports consumer (CSV of registry data). */
export function workerAccess(handler: string): AccessSpec {
  return { bucket: true, queues: true, queueDepths: false, registryKey: handler === "functions/exports/consume.handler" };
}

/** The deployed area functions: name → routes. */
export function deployedAreas(list?: readonly Route[]): Map<string, Route[]> {
  return areas(list);
}
