import { createHash } from "node:crypto";
import type {
  DeleteMessageBatchRequest,
  DeleteMessageBatchResult,
  GetQueueAttributesRequest,
  GetQueueAttributesResult,
  Message,
  MessageAttributeValue,
  ReceiveMessageRequest,
  ReceiveMessageResult,
  SendMessageBatchRequest,
  SendMessageBatchResult,
  SendMessageRequest,
  SendMessageResult,
} from "@aws-sdk/client-sqs";
import { SignatureV4 } from "@smithy/signature-v4";
import { backoff, MAX_ATTEMPTS, retryable, THROTTLING, transportError, type AttemptError } from "./aws-retry.ts";
import { awsSend } from "./aws-send.ts";
import { db } from "./db/client.ts";
import { requestCounts } from "./db/metrics.ts";
import { faultDecision, faultError, lostAnswerError } from "./faults/inject.ts";

/*
 * SQS without `@aws-sdk/client-sqs` (issue #15, docs/deploy.md "Cold path", docs/async.md).
 *
 * The functions send, count and (the operations page, redrive) read messages with five operations:
 * SendMessage, SendMessageBatch, GetQueueAttributes, ReceiveMessage, DeleteMessageBatch. The SQS
 * client brought about 28 KB minified into every function that publishes (its command classes,
 * schemas, MD5 middlewares and endpoint rules). Each call is one signed POST of SQS's AWS JSON 1.0
 * protocol (`X-Amz-Target: AmazonSQS.<Op>`, `application/x-amz-json-1.0`, and `x-amzn-query-mode:
 * true` as the SDK sends for this query-compatible service), signed with the signer, credentials,
 * region and SHA-256 the DynamoDB client already carries (as core/crypto/kms.ts and
 * core/s3-object.ts), sent through its HTTP handler (core/aws-send.ts). Queue URLs are data (the SDK's `useQueueUrlAsEndpoint:
 * false`): the endpoint is `AWS_ENDPOINT_URL_SQS` (fauxqs locally), else `AWS_ENDPOINT_URL`, else
 * `https://sqs.<region>.amazonaws.com` (`.amazonaws.com.cn` in China). What it keeps from the SDK
 * client (maxAttempts 4, standard retry mode), checked by core/sqs.test.ts against the SDK:
 * - the request: same method, path, body (members in the SDK's order, binary attribute values in
 *   base64), content type, target, query mode and signed `x-amz-content-sha256`; the SDK's
 *   bookkeeping headers (`amz-sdk-invocation-id`, `amz-sdk-request`, user agents) are left out;
 * - retries: 4 attempts for throttling (RequestThrottled, ThrottlingException…, 429), 5xx and network
 *   errors or timeouts, with the SDK's backoff (random × min(20 s, base × 2^attempt), base 100 ms,
 *   500 ms when throttled); the SDK's retry quota (a token bucket per client) is not kept;
 * - errors: shaped like the SDK's (`name` the modelled error, found from the `x-amzn-query-error`
 *   code as the SDK does, e.g. `AWS.SimpleQueueService.NonExistentQueue` → QueueDoesNotExist, else
 *   from `__type`; `message`, `$fault`, `$metadata.httpStatusCode/requestId/attempts`, `Code`), so
 *   isUnavailable (core/faults/transient.ts) and the logs read them as before;
 * - the MD5 checks of the SDK's SQS middleware: a sent body (SendMessage, each successful entry of
 *   SendMessageBatch) and a received one whose MD5 differs throws, unretried, as the SDK did;
 * - partial batch failures: a SendMessageBatch/DeleteMessageBatch answer is returned whole
 *   (`Successful`, `Failed` with `Id`, `SenderFault`, `Code`), callers retry or report the failed ids;
 * - request counts (`sqs:<Operation>Command` in core/db/metrics.ts, once per call as the SDK
 *   middleware counted) and the reliability tests' fault injection (WANGGE_FAULTS `sqs`, `sqs-lost`,
 *   armed faults; core/faults/inject.ts `faultDecision`), applied to every attempt below the retries.
 * Each attempt has a timeout of 10 s plus the long poll's wait (the SDK client had none; the Lambda
 * timeout bounded it). Local tooling (local/*.ts pollers, benches, tests) may keep the SDK client.
 */

export interface SqsOperations {
  SendMessage: [SendMessageRequest, SendMessageResult];
  SendMessageBatch: [SendMessageBatchRequest, SendMessageBatchResult];
  GetQueueAttributes: [GetQueueAttributesRequest, GetQueueAttributesResult];
  ReceiveMessage: [ReceiveMessageRequest, ReceiveMessageResult];
  DeleteMessageBatch: [DeleteMessageBatchRequest, DeleteMessageBatchResult];
}
export type SqsOperation = keyof SqsOperations;


/**
 * The modelled errors by their query-compatible code (the SDK's `awsQueryError` traits of
 * @aws-sdk/client-sqs 3.1160): an `x-amzn-query-error` code maps to the error's name.
 */
const QUERY_CODES: Record<string, string> = {
  "AWS.SimpleQueueService.BatchEntryIdsNotDistinct": "BatchEntryIdsNotDistinct",
  "AWS.SimpleQueueService.BatchRequestTooLong": "BatchRequestTooLong",
  "AWS.SimpleQueueService.EmptyBatchRequest": "EmptyBatchRequest",
  "AWS.SimpleQueueService.InvalidBatchEntryId": "InvalidBatchEntryId",
  "KMS.AccessDeniedException": "KmsAccessDenied",
  "KMS.DisabledException": "KmsDisabled",
  "KMS.InvalidKeyUsageException": "KmsInvalidKeyUsage",
  "KMS.InvalidStateException": "KmsInvalidState",
  "KMS.NotFoundException": "KmsNotFound",
  "KMS.OptInRequired": "KmsOptInRequired",
  "KMS.ThrottlingException": "KmsThrottled",
  "AWS.SimpleQueueService.MessageNotInflight": "MessageNotInflight",
  "AWS.SimpleQueueService.PurgeQueueInProgress": "PurgeQueueInProgress",
  "AWS.SimpleQueueService.QueueDeletedRecently": "QueueDeletedRecently",
  "AWS.SimpleQueueService.NonExistentQueue": "QueueDoesNotExist",
  QueueAlreadyExists: "QueueNameExists",
  "AWS.SimpleQueueService.TooManyEntriesInBatchRequest": "TooManyEntriesInBatchRequest",
  "AWS.SimpleQueueService.UnsupportedOperation": "UnsupportedOperation",
};
/** Every modelled error of SQS (the others are named by their code, as the SDK's base exception). */
const MODELLED = new Set([
  ...Object.values(QUERY_CODES),
  "InvalidAddress",
  "InvalidSecurity",
  "OverLimit",
  "ReceiptHandleIsInvalid",
  "RequestThrottled",
  "ResourceNotFoundException",
  "InvalidAttributeName",
  "InvalidAttributeValue",
  "InvalidIdFormat",
  "InvalidMessageContents",
]);

/** An SQS error answer, shaped like the SDK's service exceptions. */
export class SqsError extends Error {
  $fault: "client" | "server";
  $metadata: { httpStatusCode?: number; requestId?: string; attempts: number; totalRetryDelay: number };
  $retryable?: { throttling: boolean };
  /** the query-compatible code (`x-amzn-query-error`), as the SDK sets it */
  Code?: string;
  Type?: string;
  constructor(name: string, message: string, status: number | undefined, requestId?: string, fault?: "client" | "server") {
    super(message);
    this.name = name;
    this.$fault = fault ?? (status !== undefined && status >= 500 ? "server" : "client");
    this.$metadata = { httpStatusCode: status, requestId, attempts: 1, totalRetryDelay: 0 };
    if (THROTTLING.has(name)) this.$retryable = { throttling: true };
  }
}

/** SQS's endpoint: the override variables the SDK reads, else the region's. */
export function sqsEndpoint(region: string): URL {
  const override = process.env.AWS_ENDPOINT_URL_SQS ?? process.env.AWS_ENDPOINT_URL;
  if (override) return new URL(override);
  return new URL(`https://sqs.${region}.${region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com"}`);
}

// ------------------------------------------------------------------ the body, as the SDK writes it

type Json = Record<string, unknown>;
const b64 = (v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString("base64") : v);

/** Members of `value` in the order `order` names them (the SDK's schema order), undefined ones left out. */
function ordered(value: Json | undefined, order: readonly string[], map: Record<string, (v: any) => unknown> = {}): Json | undefined {
  if (!value) return undefined;
  const out: Json = {};
  for (const k of order) if (value[k] !== undefined && value[k] !== null) out[k] = map[k] ? map[k](value[k]) : value[k];
  return out;
}
const ATTRIBUTE = ["DataType", "StringValue", "BinaryValue", "StringListValues", "BinaryListValues"];
const attribute = (v: Json) => ordered(v, ATTRIBUTE, { BinaryValue: b64, BinaryListValues: (l: unknown[]) => l.map(b64) });
const attributes = (m: Record<string, Json>) => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, attribute(v)]));
const ENTRY_MAP = { MessageAttributes: attributes, MessageSystemAttributes: attributes };
const SEND = ["MessageBody", "DelaySeconds", "MessageAttributes", "MessageSystemAttributes", "MessageDeduplicationId", "MessageGroupId"];

/** The request body of an operation, members in the order the SDK writes them. */
export function sqsBody<Op extends SqsOperation>(op: Op, input: SqsOperations[Op][0]): string {
  const i = input as unknown as Json;
  switch (op) {
    case "SendMessage":
      return JSON.stringify(ordered(i, ["QueueUrl", ...SEND], ENTRY_MAP));
    case "SendMessageBatch":
      return JSON.stringify(ordered(i, ["QueueUrl", "Entries"], { Entries: (l: Json[]) => l.map((e) => ordered(e, ["Id", ...SEND], ENTRY_MAP)) }));
    case "GetQueueAttributes":
      return JSON.stringify(ordered(i, ["QueueUrl", "AttributeNames"]));
    case "ReceiveMessage":
      return JSON.stringify(ordered(i, ["QueueUrl", "AttributeNames", "MessageSystemAttributeNames", "MessageAttributeNames", "MaxNumberOfMessages", "VisibilityTimeout", "WaitTimeSeconds", "ReceiveRequestAttemptId"]));
    case "DeleteMessageBatch":
      return JSON.stringify(ordered(i, ["QueueUrl", "Entries"], { Entries: (l: Json[]) => l.map((e) => ordered(e, ["Id", "ReceiptHandle"])) }));
  }
  throw new Error(`SQS operation ${String(op)} is not sent by this module`);
}

/**
 * Sign one SQS request: its URL and the headers to send (Host is the URL's). `headers` adds headers
 * to sign (the equivalence test passes the SDK's own to re-sign its request).
 */
export async function signSqsRequest(op: SqsOperation | string, body: string, opts: { signingDate?: Date; headers?: Record<string, string> } = {}): Promise<{ url: string; headers: Record<string, string> }> {
  const config = db().config;
  const region = await config.region();
  const at = sqsEndpoint(region);
  const path = at.pathname.endsWith("/") ? at.pathname : `${at.pathname}/`;
  const host = at.host;
  const headers: Record<string, string> = {
    "content-type": "application/x-amz-json-1.0",
    "x-amz-target": `AmazonSQS.${op}`,
    "x-amzn-query-mode": "true",
    "content-length": String(Buffer.byteLength(body)),
    ...opts.headers,
    host,
  };
  const signer = new SignatureV4({ service: "sqs", region, credentials: config.credentials, sha256: config.sha256 });
  const signed = await signer.sign({ method: "POST", protocol: at.protocol, hostname: at.hostname, port: at.port ? Number(at.port) : undefined, path, query: {}, headers, body }, { signingDate: opts.signingDate });
  const { host: _host, ...send } = signed.headers;
  return { url: `${at.protocol}//${host}${path}`, headers: send };
}

// ------------------------------------------------------------------ answers

function errorOf(status: number, headers: { get(name: string): string | null }, text: string): SqsError {
  let parsed: { __type?: string; code?: string; message?: string; Message?: string } = {};
  try {
    parsed = (JSON.parse(text) as typeof parsed) ?? {};
  } catch {
    // not JSON (a proxy's answer): named by the status
  }
  const [queryCode, queryType] = (headers.get("x-amzn-query-error") ?? "").split(";");
  // the SDK's order for a query-compatible service: the code (the query error's first), the x-amzn-errortype header, __type
  const raw = queryCode || parsed.code || headers.get("x-amzn-errortype") || parsed.__type || "";
  const code = raw.split(":")[0].split("#").pop() ?? "";
  const name = QUERY_CODES[code] ?? (code || "Unknown");
  // a modelled error carries its model's fault (every SQS error is a client error); others the status's
  const err = new SqsError(name, parsed.message ?? parsed.Message ?? "UnknownError", status, headers.get("x-amzn-requestid") ?? undefined, MODELLED.has(name) ? "client" : undefined);
  if (queryCode) {
    err.Code = queryCode;
    err.Type = queryType;
  }
  return err;
}

const md5 = (s: string) => createHash("md5").update(s, "utf8").digest("hex");

/** The SDK's SQS middleware checks: the MD5 of each body sent or received is the one SQS computed. */
function checkMd5(op: SqsOperation, input: Json, out: Json): void {
  if (op === "SendMessage") {
    if (out.MD5OfMessageBody !== md5(String(input.MessageBody ?? ""))) throw new Error("InvalidChecksumError");
    return;
  }
  const bad: string[] = [];
  if (op === "SendMessageBatch") {
    const sent = new Map(((input.Entries as Json[]) ?? []).map((e) => [e.Id, String(e.MessageBody ?? "")]));
    for (const s of (out.Successful as Json[] | undefined) ?? []) if (sent.has(s.Id) && s.MD5OfMessageBody !== md5(sent.get(s.Id)!)) bad.push(String(s.MessageId));
  } else if (op === "ReceiveMessage") {
    for (const m of (out.Messages as Json[] | undefined) ?? []) if (m.MD5OfBody !== md5(String(m.Body ?? ""))) bad.push(String(m.MessageId));
  }
  if (bad.length) throw new Error(`Invalid MD5 checksum on messages: ${bad.join(", ")}`);
}

const bytes = (base64: string) => new Uint8Array(Buffer.from(base64, "base64"));

/** Binary attribute values of received messages as bytes (the SDK's deserialization of blobs). */
function readMessages(out: ReceiveMessageResult): ReceiveMessageResult {
  for (const m of (out.Messages ?? []) as Message[]) {
    for (const v of Object.values(m.MessageAttributes ?? {}) as MessageAttributeValue[]) {
      if (typeof v.BinaryValue === "string") v.BinaryValue = bytes(v.BinaryValue);
      if (v.BinaryListValues) v.BinaryListValues = v.BinaryListValues.map((b) => (typeof b === "string" ? bytes(b) : b));
    }
  }
  return out;
}

/** One SQS operation with the SDK client's retries, counts, MD5 checks and injected faults; the answer, or an SqsError. */
export async function sqsSend<Op extends SqsOperation>(op: Op, input: SqsOperations[Op][0]): Promise<SqsOperations[Op][1]> {
  const counter = `sqs:${op}Command`;
  requestCounts.set(counter, (requestCounts.get(counter) ?? 0) + 1);
  const body = sqsBody(op, input);
  const wait = Number((input as ReceiveMessageRequest).WaitTimeSeconds ?? 0);
  let last: AttemptError | undefined;
  let delay = 0;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    if (attempt > 1) delay += await backoff(attempt, last!);
    // the reliability tests' faults, on every attempt as the SDK middleware below the retries did
    const fault = faultDecision("sqs", op, body);
    if (fault?.refuse) {
      last = faultError("sqs", op);
      continue;
    }
    try {
      const { url, headers } = await signSqsRequest(op, body);
      const res = await awsSend(url, { method: "POST", headers, body, timeoutMs: 10_000 + wait * 1000 });
      const text = await res.text();
      if (fault?.lost) {
        last = lostAnswerError("sqs", op, undefined, fault.lost === true ? undefined : fault.lost); // applied, then the answer is lost
        continue;
      }
      if (res.ok) {
        const out = (text ? JSON.parse(text) : {}) as Json;
        checkMd5(op, input as unknown as Json, out);
        return (op === "ReceiveMessage" ? readMessages(out as ReceiveMessageResult) : out) as SqsOperations[Op][1];
      }
      last = errorOf(res.status, res.headers, text);
    } catch (e) {
      if (e instanceof SqsError || (e as Error).message === "InvalidChecksumError" || (e as Error).message.startsWith("Invalid MD5 checksum")) throw e;
      last = transportError(`SQS ${op}`, e);
    }
    if (last instanceof SqsError) Object.assign(last.$metadata, { attempts: attempt, totalRetryDelay: delay });
    if (!retryable(last)) throw last;
  }
  throw last;
}
