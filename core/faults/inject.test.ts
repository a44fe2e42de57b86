import { describe, it, expect } from "vitest";
import { Readable } from "node:stream";
import { DynamoDBClient, GetItemCommand, TransactWriteItemsCommand } from "@aws-sdk/client-dynamodb";
import { HttpResponse } from "@smithy/protocol-http";
import { armFaults, disarmFaults, faultError, injectedFaults, installFaults, lostAnswerError, LOST_KINDS, parseFaults, seededRandom } from "./inject.ts";
import { requestToken } from "../db/request-token.ts";
import { errorResponse } from "../../functions/http.ts";

/** A client whose "network" answers an empty GetItem and counts the requests that reached it. */
function fakeClient() {
  const sent = { n: 0 };
  const client = new DynamoDBClient({
    region: "us-east-1",
    endpoint: "http://127.0.0.1:9",
    credentials: { accessKeyId: "x", secretAccessKey: "x" },
    maxAttempts: 4,
    requestHandler: {
      handle: async () => {
        sent.n++;
        return { response: new HttpResponse({ statusCode: 200, headers: { "content-type": "application/x-amz-json-1.0" }, body: Readable.from([Buffer.from("{}")]) }) };
      },
    } as any,
  });
  return { client, sent };
}

const get = new GetItemCommand({ TableName: "t", Key: { pk: { S: "a" }, sk: { S: "b" } } });

describe("parseFaults", () => {
  it("reads service:rate pairs and rejects unknown services or rates outside [0, 1]", () => {
    expect(parseFaults("dynamodb:0.05, sqs:0.1,s3:0")).toEqual({ dynamodb: 0.05, sqs: 0.1, s3: 0 });
    expect(parseFaults(undefined)).toEqual({});
    expect(parseFaults("")).toEqual({});
    expect(() => parseFaults("dynamo:0.1")).toThrow(/unknown service/);
    expect(() => parseFaults("sqs:2")).toThrow(/\[0, 1\]/);
    expect(() => parseFaults("sqs")).toThrow(/rate/);
  });
});

describe("installFaults", () => {
  it("installs nothing when the flag is absent or does not name the service", () => {
    const { client } = fakeClient();
    expect(installFaults(client, "dynamodb", {})).toBe(0);
    expect(installFaults(client, "dynamodb", { WANGGE_FAULTS: "sqs:0.5" })).toBe(0);
  });

  it("fails calls inside the retry loop: a faulted first attempt is retried by the SDK and succeeds", async () => {
    const { client, sent } = fakeClient();
    const draws = [0, 0.99, 0.99, 0.99]; // attempt 1: fault (kind 0); attempt 2: pass
    let i = 0;
    expect(installFaults(client, "dynamodb", { WANGGE_FAULTS: "dynamodb:0.5" }, () => draws[i++ % draws.length])).toBe(0.5);
    const before = injectedFaults.get("dynamodb:GetItem") ?? 0;
    const out = await client.send(get);
    expect(out.$metadata.attempts).toBe(2);
    expect(sent.n).toBe(1); // the faulted attempt never reached the service
    expect(injectedFaults.get("dynamodb:GetItem")).toBe(before + 1);
  });

  it("gives up after maxAttempts with the service's error, which the API turns into 503 + Retry-After", async () => {
    const { client, sent } = fakeClient();
    installFaults(client, "dynamodb", { WANGGE_FAULTS: "dynamodb:1" }, () => 0.9); // always a fault, kind InternalServerError
    const err = await client.send(get).then(
      () => undefined,
      (e) => e,
    );
    expect(err?.name).toBe("InternalServerError");
    expect(err.$metadata.attempts).toBe(4);
    expect(sent.n).toBe(0);
    const res = errorResponse(err, "req-1");
    expect(res.statusCode).toBe(503);
    expect(res.headers?.["retry-after"]).toMatch(/^\d+$/);
    expect(JSON.parse(res.body!).error.code).toBe("unavailable");
  }, 30_000);
});

describe("faultError", () => {
  it("looks like the SDK's own throttling and server errors", () => {
    const throttle = faultError("dynamodb", "Query", () => 0) as any;
    expect(throttle.name).toBe("ThrottlingException");
    expect(throttle.$retryable).toEqual({ throttling: true });
    const server = faultError("s3", "HeadObject", () => 0.9) as any;
    expect(server.name).toBe("InternalError");
    expect(server.$metadata.httpStatusCode).toBe(500);
    expect(server.$fault).toBe("server");
  });
});

describe("errorResponse", () => {
  it("answers 503 + Retry-After for network failures and keeps unknown errors 500 without internals", () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:8000"), { code: "ECONNREFUSED" });
    expect(errorResponse(refused, "r").statusCode).toBe(503);
    const bug = errorResponse(new TypeError("x is undefined"), "r");
    expect(bug.statusCode).toBe(500);
    expect(bug.body).not.toContain("TypeError");
    const validation = Object.assign(new Error("Nesting too deep"), { name: "ValidationException", $metadata: { httpStatusCode: 400 } });
    expect(errorResponse(validation, "r").statusCode).toBe(500);
  });
});

describe("lost answers and seeded draws", () => {
  it("applies the request, then throws a transient error the SDK retries: the service saw both attempts", async () => {
    const { client, sent } = fakeClient();
    const draws = [0, 0, 0.99, 0.99]; // attempt 1: lost (then kind 0: timeout); attempt 2: passes
    let i = 0;
    installFaults(client, "dynamodb", { WANGGE_FAULTS: "dynamodb-lost:0.5" }, () => draws[i++ % draws.length]);
    const before = injectedFaults.get("dynamodb-lost:GetItem") ?? 0;
    const out = await client.send(get);
    expect(out.$metadata.attempts).toBe(2);
    expect(sent.n).toBe(2); // unlike a refusal, the lost attempt reached the service
    expect(injectedFaults.get("dynamodb-lost:GetItem")).toBe(before + 1);
  });

  it("keeps one ClientRequestToken across the SDK's attempts of a transaction", async () => {
    const tokens: string[] = [];
    const client = new DynamoDBClient({
      region: "us-east-1",
      endpoint: "http://127.0.0.1:9",
      credentials: { accessKeyId: "x", secretAccessKey: "x" },
      maxAttempts: 4,
      requestHandler: {
        handle: async (req: { body: string | Uint8Array }) => {
          const text = typeof req.body === "string" ? req.body : new TextDecoder().decode(req.body);
          tokens.push(JSON.parse(text).ClientRequestToken);
          return { response: new HttpResponse({ statusCode: 200, headers: { "content-type": "application/x-amz-json-1.0" }, body: Readable.from([Buffer.from("{}")]) }) };
        },
      } as any,
    });
    let n = 0;
    installFaults(client, "dynamodb", { WANGGE_FAULTS: "dynamodb-lost:0.5" }, () => (n++ < 2 ? 0 : 0.99)); // attempt 1: lost (timeout); attempt 2: answered // the first attempt's answer is lost
    await client.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: "t", Item: { pk: { S: "a" }, sk: { S: "b" } } } }], ClientRequestToken: requestToken(["a"]) }));
    expect(tokens).toEqual([requestToken(["a"]), requestToken(["a"])]);
  });

  it("draws the same faults again from the same seed", () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const xs = Array.from({ length: 5 }, a);
    expect(Array.from({ length: 5 }, b)).toEqual(xs);
    expect(Array.from({ length: 5 }, seededRandom(43))).not.toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it("arms a lost answer of one exact kind: timeout, reset or 500, each every time, without a draw", async () => {
    const expected = {
      timeout: { name: "TimeoutError", code: "ETIMEDOUT", status: undefined },
      reset: { name: "Error", code: "ECONNRESET", status: undefined },
      "500": { name: "InternalServerError", code: undefined, status: 500 },
    } as const;
    for (const lost of LOST_KINDS) {
      const { client, sent } = fakeClient();
      let draws = 0;
      installFaults(client, "dynamodb", { WANGGE_FAULTS: "dynamodb:0" }, () => (draws++, 0.5));
      armFaults("dynamodb-lost", { operation: "GetItem", lost, count: 4 }); // every SDK attempt
      const err = await client.send(get).then(
        () => undefined,
        (e) => e,
      );
      expect(disarmFaults()).toBe(0);
      expect({ name: err?.name, code: err?.code, status: err?.$metadata?.httpStatusCode }, lost).toEqual(expected[lost]);
      expect(err.$metadata.attempts).toBe(4); // each kind is one the SDK retries
      expect(sent.n).toBe(4); // and each attempt was applied
      expect(draws).toBe(0); // the seeded sequence is left as it was
    }
  }, 60_000);

  it("draws the lost kind in the order the seeded runs always used", () => {
    expect(lostAnswerError("sqs", "SendMessage", () => 0).name).toBe("TimeoutError");
    expect((lostAnswerError("sqs", "SendMessage", () => 0.5) as any).code).toBe("ECONNRESET");
    expect((lostAnswerError("sqs", "SendMessage", () => 0.9) as any).$metadata.httpStatusCode).toBe(500);
    expect((lostAnswerError("sqs", "SendMessage", () => 0, "500") as any).$metadata.httpStatusCode).toBe(500);
  });

  it("refuses a lost kind on a refusal or an unknown lost kind", () => {
    expect(() => armFaults("dynamodb", { lost: "reset" })).toThrow(/-lost kind/);
    expect(() => armFaults("dynamodb-lost", { lost: "gone" as never })).toThrow(/unknown lost kind/);
    expect(disarmFaults()).toBe(0);
  });

  it("refuses an unknown kind", () => {
    expect(() => parseFaults("dynamodb-gone:0.1")).toThrow(/unknown service/);
    expect(parseFaults("sqs-lost:0.1")).toEqual({ "sqs-lost": 0.1 });
  });
});
