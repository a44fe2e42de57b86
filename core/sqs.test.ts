import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import type { IncomingHttpHeaders } from "node:http";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { CreateQueueCommand, DeleteMessageBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { resetDb } from "./db/client.ts";
import { SDK_BOOKKEEPING as BOOKKEEPING, signedHeaders, useCaptureServer } from "../test/aws-capture.ts";
import { requestCounts } from "./db/metrics.ts";
import { armFaults, disarmFaults, FAULTS_ENV, injectedFaults, installFaults } from "./faults/inject.ts";
import { isUnavailable } from "./faults/transient.ts";
import { signSqsRequest, sqsBody, sqsSend, type SqsOperation, type SqsOperations } from "./sqs.ts";
import { startQueuesAndFiles } from "../local/emulators.ts";

/**
 * SQS without `@aws-sdk/client-sqs` (core/sqs.ts, issue #15) against the SDK client as core/aws.ts
 * created it until then (`useQueueUrlAsEndpoint: false, maxAttempts: 4`; the SDK stays for this test
 * and local tooling): both sent to one local capturing server, at the same fixed time, with the same
 * credentials and region.
 * - the request of each operation the functions send: same method, path, body bytes, content type,
 *   target, query mode, payload hash, date and token; our signed headers are the SDK's minus its
 *   bookkeeping ones, and re-signing the SDK's captured request with our signer gives its Authorization;
 * - the answers: the same output (a partial batch failure, binary attributes), and for each kind of
 *   failure the same error name, fault, status, code and number of attempts;
 * - the fault injection of the reliability tests: an armed refusal and a lost answer reach the
 *   server as often as through the SDK client with installFaults, and are counted;
 * - and the real thing against fauxqs.
 */

type Answer = { status: number; body: string | ((req: string) => string); headers?: Record<string, string> };
let answers: Answer[] = [];
const md5 = (s: string) => createHash("md5").update(s, "utf8").digest("hex");
const QUEUE = "https://sqs.cn-north-1.amazonaws.com.cn/111122223333/wangge-prod-events";

const json = (status: number, value: unknown, headers?: Record<string, string>): Answer => ({ status, body: JSON.stringify(value), headers });
/** SendMessageBatch's answer: the entries whose ids are in `failed` refused, the others sent (with their MD5). */
const batchAnswer = (failed: string[] = []): Answer => ({
  status: 200,
  body: (req) => {
    const entries = (JSON.parse(req) as { Entries: Array<{ Id: string; MessageBody: string }> }).Entries;
    return JSON.stringify({
      Successful: entries.filter((e) => !failed.includes(e.Id)).map((e) => ({ Id: e.Id, MessageId: `m-${e.Id}`, MD5OfMessageBody: md5(e.MessageBody) })),
      ...(failed.length ? { Failed: failed.map((Id) => ({ Id, SenderFault: false, Code: "InternalError", Message: "try again" })) } : {}),
    });
  },
});
const sendAnswer: Answer = { status: 200, body: (req) => JSON.stringify({ MessageId: "m-1", MD5OfMessageBody: md5((JSON.parse(req) as { MessageBody: string }).MessageBody) }) };

const cap = useCaptureServer({
  endpoints: ["AWS_ENDPOINT_URL_SQS"],
  token: "tok/en+=",
  answer: (req) => {
    const a = answers.shift() ?? json(500, { __type: "com.amazonaws.sqs#InternalError", message: "no answer scripted" });
    // Date as the (possibly fixed) clock: the SDK corrects its clock by a server's Date more than 5 minutes off
    return { status: a.status, headers: { "content-type": "application/x-amz-json-1.0", "x-amzn-requestid": `req-${cap.seen.length}`, date: new Date().toUTCString(), ...a.headers }, body: typeof a.body === "function" ? a.body(req.text) : a.body };
  },
});
const seen = cap.seen;
beforeAll(() => {
  delete process.env[FAULTS_ENV];
});
afterEach(() => {
  vi.useRealTimers();
  seen.length = 0;
  answers = [];
  delete process.env[FAULTS_ENV];
  disarmFaults();
});

/** The SDK client exactly as core/aws.ts `sqs()` created it before (a new one per test: the fault middleware is read at creation). */
const sdkClient = (faults = false) => {
  const c = new SQSClient({ useQueueUrlAsEndpoint: false, maxAttempts: 4 });
  if (faults) installFaults(c, "sqs");
  return c;
};
const COMMANDS = { SendMessage: SendMessageCommand, SendMessageBatch: SendMessageBatchCommand, GetQueueAttributes: GetQueueAttributesCommand, ReceiveMessage: ReceiveMessageCommand, DeleteMessageBatch: DeleteMessageBatchCommand };
const sdkSend = <Op extends SqsOperation>(op: Op, input: SqsOperations[Op][0], client = sdkClient()): Promise<SqsOperations[Op][1]> => client.send(new (COMMANDS[op] as any)(input)) as Promise<SqsOperations[Op][1]>;
const withoutMetadata = (o: object) => {
  const { $metadata: _m, ...rest } = o as { $metadata?: unknown };
  return rest;
};


async function outcome(run: () => Promise<unknown>): Promise<Record<string, unknown>> {
  const before = seen.length;
  try {
    const value = await run();
    return { ok: withoutMetadata(value as object), attempts: seen.length - before };
  } catch (e) {
    const err = e as Error & { $fault?: string; Code?: string; $metadata?: { httpStatusCode?: number } };
    return { name: err.name, message: err.message, fault: err.$fault, status: err.$metadata?.httpStatusCode, code: err.Code, unavailable: isUnavailable(err), attempts: seen.length - before };
  }
}

// inputs with members out of the schema's order, attributes of each kind, so the body's order and encodings are checked
const REQUESTS: { [Op in SqsOperation]: [SqsOperations[Op][0], Answer] } = {
  SendMessage: [{ MessageAttributes: { kind: { StringValue: "unit-import", DataType: "String" }, raw: { BinaryValue: new Uint8Array([0, 1, 254, 255]), DataType: "Binary" } }, DelaySeconds: 30, MessageBody: '{"jobId":"j-1","note":"网格 ✓"}', QueueUrl: QUEUE }, sendAnswer],
  SendMessageBatch: [{ QueueUrl: QUEUE, Entries: [{ MessageBody: '{"id":"e1"}', Id: "0", MessageAttributes: { eventId: { DataType: "String", StringValue: "e1" } } }, { Id: "1", MessageBody: '{"id":"e2"}', DelaySeconds: 5 }] }, batchAnswer()],
  GetQueueAttributes: [{ AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesDelayed"], QueueUrl: QUEUE }, json(200, { Attributes: { ApproximateNumberOfMessages: "3", ApproximateNumberOfMessagesDelayed: "0" } })],
  ReceiveMessage: [{ WaitTimeSeconds: 0, VisibilityTimeout: 30, MessageAttributeNames: ["All"], MaxNumberOfMessages: 10, QueueUrl: QUEUE }, json(200, { Messages: [] })],
  DeleteMessageBatch: [{ QueueUrl: QUEUE, Entries: [{ ReceiptHandle: "rh-0", Id: "0" }, { Id: "1", ReceiptHandle: "rh+/=1" }] }, json(200, { Successful: [{ Id: "0" }, { Id: "1" }] })],
};

describe("SQS without the SQS client", () => {
  it("sends the SDK's request for each operation the functions use: same method, path, body, headers and signature, at a fixed time", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-12-05T03:04:05Z"));
    const client = sdkClient();
    for (const op of Object.keys(REQUESTS) as SqsOperation[]) {
      const [input, answer] = REQUESTS[op];
      answers = [answer, answer];
      const theirs = await sdkSend(op, input as never, client);
      const mine = await sqsSend(op, input as never);
      expect(withoutMetadata(mine as object), op).toEqual(withoutMetadata(theirs as object));
      expect(seen, op).toHaveLength(2);
      const [sdkReq, ourReq] = seen;
      seen.length = 0;
      expect(ourReq.method, op).toBe("POST");
      expect(ourReq.method, op).toBe(sdkReq.method);
      expect(ourReq.url, op).toBe(sdkReq.url);
      expect(ourReq.text, op).toBe(sdkReq.text);
      expect(ourReq.text, op).toBe(sqsBody(op, input as never));
      for (const h of ["content-type", "x-amz-target", "x-amzn-query-mode", "content-length", "host", "x-amz-date", "x-amz-security-token", "x-amz-content-sha256"]) expect(ourReq.headers[h], `${op} ${h}`).toBe(sdkReq.headers[h]);
      expect(ourReq.headers["x-amz-target"]).toBe(`AmazonSQS.${op}`);
      expect(ourReq.headers["content-type"]).toBe("application/x-amz-json-1.0");
      expect(ourReq.headers["x-amz-date"]).toBe("20261205T030405Z");
      const scope = (h: IncomingHttpHeaders) => /Credential=([^,]+)/.exec(String(h.authorization))![1];
      expect(scope(ourReq.headers)).toBe("AKIDEXAMPLE/20261205/cn-north-1/sqs/aws4_request");
      expect(scope(ourReq.headers)).toBe(scope(sdkReq.headers));
      expect(signedHeaders(ourReq.headers), op).toEqual(signedHeaders(sdkReq.headers).filter((h) => !BOOKKEEPING.includes(h)));
      // and our signer gives the SDK's own request its Authorization
      const sdkSigned = Object.fromEntries(signedHeaders(sdkReq.headers).filter((h) => !["host", "x-amz-date", "x-amz-security-token", "x-amz-content-sha256"].includes(h)).map((h) => [h, String(sdkReq.headers[h])]));
      const resigned = await signSqsRequest(op, sdkReq.text, { signingDate: new Date("2026-12-05T03:04:05Z"), headers: sdkSigned });
      expect(resigned.headers.authorization, op).toBe(sdkReq.headers.authorization);
    }
    // the members in the schema's order, a binary attribute in base64
    expect(sqsBody("SendMessage", REQUESTS.SendMessage[0])).toBe(
      JSON.stringify({ QueueUrl: QUEUE, MessageBody: '{"jobId":"j-1","note":"网格 ✓"}', DelaySeconds: 30, MessageAttributes: { kind: { DataType: "String", StringValue: "unit-import" }, raw: { DataType: "Binary", BinaryValue: "AAH+/w==" } } }),
    );
  });

  it("answers as the SDK client did: a partial batch failure returned whole, received binary attributes as bytes", async () => {
    const input = { QueueUrl: QUEUE, Entries: ["0", "1", "2"].map((Id) => ({ Id, MessageBody: `{"n":${Id}}` })) };
    answers = [batchAnswer(["1"]), batchAnswer(["1"])];
    const theirs = await sdkSend("SendMessageBatch", input);
    const mine = await sqsSend("SendMessageBatch", input);
    expect(withoutMetadata(mine)).toEqual(withoutMetadata(theirs));
    expect(mine.Failed?.map((f) => f.Id)).toEqual(["1"]);
    expect(mine.Successful?.map((s) => s.Id)).toEqual(["0", "2"]);

    const body = '{"caseId":"c-1"}';
    const received = json(200, { Messages: [{ MessageId: "m-9", ReceiptHandle: "rh-9", MD5OfBody: md5(body), Body: body, Attributes: { ApproximateReceiveCount: "4" }, MessageAttributes: { eventId: { DataType: "String", StringValue: "e9" }, raw: { DataType: "Binary", BinaryValue: "AAH+/w==" } } }] });
    answers = [received, received];
    const rTheirs = await sdkSend("ReceiveMessage", { QueueUrl: QUEUE, MessageAttributeNames: ["All"] });
    const rMine = await sqsSend("ReceiveMessage", { QueueUrl: QUEUE, MessageAttributeNames: ["All"] });
    expect(withoutMetadata(rMine)).toEqual(withoutMetadata(rTheirs));
    expect(Buffer.from(rMine.Messages![0].MessageAttributes!.raw.BinaryValue!).toString("hex")).toBe("0001feff");
  });

  it("answers each kind of failure as the SDK client did: error name, fault, status, code, retries", async () => {
    const q = (code: string, type: string, status: number, body: unknown): Answer => json(status, body, { "x-amzn-query-error": `${code};${type}` });
    const cases: Array<[string, Answer[]]> = [
      ["queue does not exist (query error header)", [q("AWS.SimpleQueueService.NonExistentQueue", "Sender", 400, { __type: "com.amazonaws.sqs#QueueDoesNotExist", message: "The specified queue does not exist." })]],
      ["named by __type only", [json(400, { __type: "com.amazonaws.sqs#InvalidAddress", message: "bad address" })]],
      ["unmodelled error", [json(400, { __type: "com.amazon.coral.service#AccessDeniedException", message: "denied" })]],
      ["throttled four times", Array.from({ length: 4 }, () => q("RequestThrottled", "Sender", 400, { __type: "com.amazonaws.sqs#RequestThrottled", message: "Rate exceeded" }))],
      ["throttled then sent", [q("RequestThrottled", "Sender", 400, { __type: "com.amazonaws.sqs#RequestThrottled", message: "Rate exceeded" }), sendAnswer]],
      ["5xx then sent", [json(500, { __type: "com.amazonaws.sqs#InternalError", message: "oops" }), sendAnswer]],
      ["5xx without JSON", Array.from({ length: 4 }, () => ({ status: 503, body: "<html>Service Unavailable</html>", headers: { "content-type": "text/html" } }))],
      ["MD5 of the body differs", [json(200, { MessageId: "m-1", MD5OfMessageBody: md5("something else") })]],
    ];
    const input = { QueueUrl: QUEUE, MessageBody: '{"exportId":"x-1"}' };
    for (const [label, script] of cases) {
      answers = [...script];
      const theirs = await outcome(() => sdkSend("SendMessage", input));
      answers = [...script];
      const mine = await outcome(() => sqsSend("SendMessage", input));
      expect(answers, label).toEqual([]);
      if (label === "5xx without JSON") {
        // the SDK names an unparsable answer by its own parser's failure; ours by the status: both retried four times, unavailable
        expect({ ...mine, name: undefined, message: undefined }, label).toEqual({ ...theirs, name: undefined, message: undefined, code: undefined, fault: "server" });
        continue;
      }
      expect(mine, label).toEqual(theirs);
    }
  }, 60_000);

  it("counts each call once and injects the reliability tests' faults per attempt, as the SDK client's middlewares did", async () => {
    process.env[FAULTS_ENV] = "";
    const input = { QueueUrl: QUEUE, MessageBody: '{"jobId":"j-2"}' };
    const counted = () => requestCounts.get("sqs:SendMessageCommand") ?? 0;
    const injected = (k: string) => injectedFaults.get(k) ?? 0;
    for (const [label, send] of [["sdk", (i: typeof input) => sdkSend("SendMessage", i, sdkClient(true))], ["ours", (i: typeof input) => sqsSend("SendMessage", i)]] as const) {
      // a refused attempt never reaches SQS; the retry does
      armFaults("sqs", { operation: "SendMessage" });
      const refusedBefore = injected("sqs:SendMessage");
      answers = [sendAnswer];
      expect((await outcome(() => send(input))).attempts, label).toBe(1);
      expect(injected("sqs:SendMessage") - refusedBefore, label).toBe(1);
      // a lost answer: the message was sent, the retry sends it again
      armFaults("sqs-lost", { operation: "SendMessage", lost: "reset" });
      const lostBefore = injected("sqs-lost:SendMessage");
      answers = [sendAnswer, sendAnswer];
      const r = await outcome(() => send(input));
      expect(r.attempts, label).toBe(2);
      expect(r.ok, label).toEqual({ MessageId: "m-1", MD5OfMessageBody: md5(input.MessageBody) });
      expect(injected("sqs-lost:SendMessage") - lostBefore, label).toBe(1);
      // armed four times: the error reaches the caller, unavailable (503 upstream)
      armFaults("sqs", { operation: "SendMessage", count: 4 });
      const failed = await outcome(() => send(input));
      expect({ attempts: failed.attempts, unavailable: failed.unavailable }, label).toEqual({ attempts: 0, unavailable: true });
    }
    const before = counted();
    answers = [sendAnswer];
    await sqsSend("SendMessage", input);
    expect(counted() - before).toBe(1);
  }, 60_000);
});

describe("SQS without the SQS client, on fauxqs", () => {
  let faux: Awaited<ReturnType<typeof startQueuesAndFiles>>;
  let endpoint: string | undefined;
  beforeAll(async () => {
    faux = await startQueuesAndFiles();
    endpoint = process.env.AWS_ENDPOINT_URL_SQS;
    Object.assign(process.env, { AWS_ENDPOINT_URL_SQS: faux.address, AWS_REGION: "us-east-1", AWS_ACCESS_KEY_ID: "local", AWS_SECRET_ACCESS_KEY: "local" });
    delete process.env.AWS_SESSION_TOKEN;
    resetDb();
  });
  afterAll(async () => {
    await faux.stop();
    process.env.AWS_ENDPOINT_URL_SQS = endpoint;
    resetDb();
  });

  it("sends, counts, receives and deletes through the real protocol; a refused batch entry comes back in Failed; errors are named as the SDK names them", async () => {
    const admin = sdkClient();
    const url = (await admin.send(new CreateQueueCommand({ QueueName: "sqs-test" }))).QueueUrl!;
    expect((await sqsSend("SendMessage", { QueueUrl: url, MessageBody: "one", MessageAttributes: { kind: { DataType: "String", StringValue: "k" } } })).MessageId).toBeTruthy();
    const batch = await sqsSend("SendMessageBatch", { QueueUrl: url, Entries: [{ Id: "a", MessageBody: "two" }, { Id: "b", MessageBody: "three", DelaySeconds: 0 }, { Id: "c", MessageBody: "not allowed \u0001" }] });
    expect(batch.Successful?.map((s) => s.Id).sort()).toEqual(["a", "b"]);
    expect(batch.Failed?.map((f) => f.Id)).toEqual(["c"]);
    const attrs = await sqsSend("GetQueueAttributes", { QueueUrl: url, AttributeNames: ["ApproximateNumberOfMessages"] });
    expect(attrs.Attributes?.ApproximateNumberOfMessages).toBe("3");
    const got = await sqsSend("ReceiveMessage", { QueueUrl: url, MaxNumberOfMessages: 10, VisibilityTimeout: 30, WaitTimeSeconds: 0, MessageAttributeNames: ["All"] });
    expect(got.Messages?.map((m) => m.Body).sort()).toEqual(["one", "three", "two"]);
    expect(got.Messages?.find((m) => m.Body === "one")?.MessageAttributes?.kind.StringValue).toBe("k");
    const del = await sqsSend("DeleteMessageBatch", { QueueUrl: url, Entries: got.Messages!.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) });
    expect(del.Successful).toHaveLength(3);
    const left = await admin.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"] }));
    expect(left.Attributes).toEqual({ ApproximateNumberOfMessages: "0", ApproximateNumberOfMessagesNotVisible: "0" });

    const missing = { QueueUrl: `${faux.address}/000000000000/no-such-queue`, MessageBody: "x" };
    const theirs = await outcome(() => sdkSend("SendMessage", missing));
    const mine = await outcome(() => sqsSend("SendMessage", missing));
    expect(mine).toEqual(theirs);
    expect(mine.name).toBe("QueueDoesNotExist");
    admin.destroy();
  });
});

describe("no deployed function bundles the SQS client", () => {
  it("no server source imports @aws-sdk/client-sqs but for types; it is a devDependency (tests and local tooling)", () => {
    const root = fileURLToPath(new URL("../", import.meta.url));
    const out: string[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory()) {
          if (e.name !== "node_modules" && e.name !== "_areas") walk(p);
        } else if (e.name.endsWith(".ts") && !e.name.endsWith(".test.ts") && !e.name.endsWith(".d.ts")) out.push(relative(root, p));
      }
    };
    walk(join(root, "core"));
    walk(join(root, "functions"));
    const importing = out.filter((f) => {
      const text = readFileSync(join(root, f), "utf8");
      return /import\(\s*["']@aws-sdk\/client-sqs["']/.test(text) || [...text.matchAll(/^import (type )?\{([^}]*)\} from "@aws-sdk\/client-sqs";$/gm)].some(([, typeOnly, names]) => !typeOnly && names.split(",").some((n) => n.trim() && !n.trim().startsWith("type ")));
    });
    expect(importing).toEqual([]);
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
    expect(pkg.dependencies["@aws-sdk/client-sqs"]).toBeUndefined();
    expect(pkg.devDependencies["@aws-sdk/client-sqs"]).toBeDefined();
  });
});
