import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { GetParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { amzDate, SDK_BOOKKEEPING, signedHeaders, useCaptureServer, type Captured, type Scripted } from "../test/aws-capture.ts";
import { getParameter } from "./auth/secret.ts";
import { signAwsJson } from "./aws-json.ts";
import { awsSend } from "./aws-send.ts";
import { clientAddress, getSecretValue, ORIGIN_PROOF_HEADER, resetOriginProof, VIEWER_ADDRESS_HEADER } from "./web/client-address.ts";

/**
 * The two reads of a secret without their SDK clients (core/aws-json.ts: SSM GetParameter of the JWT
 * secret, Secrets Manager GetSecretValue of the origin proof; until 2026-12-05 signed by aws4fetch
 * and sent with fetch) against the SDK clients (devDependencies, for this test only), both sent to
 * one capturing server at the same fixed time with the same credentials and region: the same
 * method, path, body, content type, target, payload hash, date and token; our signed headers are
 * the SDK's minus its bookkeeping ones, and our signer gives the SDK's captured request its
 * Authorization byte for byte. Then the retries (throttling, 5xx, a refused connection) and the
 * transport's timeout (core/aws-send.ts: the DynamoDB client's node:http handler, not fetch).
 */

let script: Scripted[] = [];
const json = (status: number, value: unknown, headers?: Record<string, string>): Scripted => ({ status, body: JSON.stringify(value), headers: { "content-type": "application/x-amz-json-1.1", "x-amzn-requestid": "req-1", date: new Date().toUTCString(), ...headers } });
const scripted = () => script.shift() ?? json(500, { __type: "InternalServerError", message: "no answer scripted" });
const cap = useCaptureServer({ endpoints: ["AWS_ENDPOINT_URL_SSM", "AWS_ENDPOINT_URL_SECRETS_MANAGER"], token: "tok/en+=", answer: scripted });
afterEach(() => {
  vi.useRealTimers();
  cap.seen.length = 0;
  script = [];
  delete process.env.WANGGE_ORIGIN_PROOF_ARN;
  resetOriginProof();
});

const AT = new Date("2026-12-05T03:04:05Z");
const PARAM = "/sst/wangge/huli/Secret/JWT_SECRET/value";
const ARN = "arn:aws-cn:secretsmanager:cn-north-1:111122223333:secret:wangge-huli-OriginProof-AbCdEf";
const ssm = () => new SSMClient({ maxAttempts: 4 });
const secrets = () => new SecretsManagerClient({ maxAttempts: 4 });
const parameterAnswer = (value: string) => json(200, { Parameter: { Name: PARAM, Type: "SecureString", Value: value, Version: 3 } });
const secretAnswer = (value: string) => json(200, { ARN, Name: "wangge-huli-OriginProof", SecretString: value, VersionId: "v1", VersionStages: ["AWSCURRENT"] });

/** The SDK's request and ours: the same but for the SDK's bookkeeping, and our signer signs the SDK's as it did. */
async function sameRequest(sdkReq: Captured, ourReq: Captured, service: string, target: string) {
  expect(ourReq.method).toBe("POST");
  expect(ourReq.method).toBe(sdkReq.method);
  expect(ourReq.url).toBe(sdkReq.url);
  expect(ourReq.text).toBe(sdkReq.text);
  for (const h of ["content-type", "x-amz-target", "content-length", "host", "x-amz-date", "x-amz-security-token", "x-amz-content-sha256"]) expect(ourReq.headers[h], h).toBe(sdkReq.headers[h]);
  expect(ourReq.headers["x-amz-target"]).toBe(target);
  expect(ourReq.headers["x-amz-date"]).toBe("20261205T030405Z");
  expect(ourReq.headers["x-amz-security-token"]).toBe("tok/en+=");
  const scope = (r: Captured) => /Credential=([^,]+)/.exec(String(r.headers.authorization))![1];
  expect(scope(ourReq)).toBe(`AKIDEXAMPLE/20261205/cn-north-1/${service}/aws4_request`);
  expect(scope(ourReq)).toBe(scope(sdkReq));
  expect(signedHeaders(ourReq.headers)).toEqual(signedHeaders(sdkReq.headers).filter((h) => !SDK_BOOKKEEPING.includes(h)));
  const sdkSigned = Object.fromEntries(signedHeaders(sdkReq.headers).filter((h) => !["host", "x-amz-date", "x-amz-security-token", "x-amz-content-sha256"].includes(h)).map((h) => [h, String(sdkReq.headers[h])]));
  const resigned = await signAwsJson(service, `${cap.url()}/`, target, sdkReq.text, { signingDate: amzDate(String(sdkReq.headers["x-amz-date"])), headers: sdkSigned });
  expect(resigned.headers.authorization).toBe(sdkReq.headers.authorization);
}

describe("SSM and Secrets Manager reads without their SDK clients", () => {
  it("GetParameter (the JWT secret): the SDK client's request, signature included, and the same value read", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(AT);
    script = [parameterAnswer("k".repeat(40)), parameterAnswer("k".repeat(40))];
    const theirs = (await ssm().send(new GetParameterCommand({ Name: PARAM, WithDecryption: true }))).Parameter?.Value;
    const mine = await getParameter(PARAM);
    expect(mine).toBe(theirs);
    expect(mine).toBe("k".repeat(40));
    expect(cap.seen).toHaveLength(2);
    await sameRequest(cap.seen[0], cap.seen[1], "ssm", "AmazonSSM.GetParameter");
    expect(JSON.parse(cap.seen[1].text)).toEqual({ Name: PARAM, WithDecryption: true });
  });

  it("GetSecretValue (the origin proof): the SDK client's request, signature included, and the same value read", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(AT);
    script = [secretAnswer("proof-1"), secretAnswer("proof-1")];
    const theirs = (await secrets().send(new GetSecretValueCommand({ SecretId: ARN, VersionStage: "AWSPREVIOUS" }))).SecretString;
    const mine = await getSecretValue(ARN, "AWSPREVIOUS");
    expect(mine).toBe(theirs);
    expect(cap.seen).toHaveLength(2);
    await sameRequest(cap.seen[0], cap.seen[1], "secretsmanager", "secretsmanager.GetSecretValue");
    expect(JSON.parse(cap.seen[1].text)).toEqual({ SecretId: ARN, VersionStage: "AWSPREVIOUS" });
  });

  it("retries as the SDK client does: a 5xx then the value, throttling four times, a client error once", async () => {
    const attempts = async (run: () => Promise<unknown>) => {
      const before = cap.seen.length;
      const out = await run().then(
        (v) => ({ value: v }),
        (e: Error) => ({ error: e.name }),
      );
      return { ...out, attempts: cap.seen.length - before };
    };
    const cases: Array<[string, () => Scripted[]]> = [
      ["5xx then the value", () => [json(500, { __type: "InternalServerError", message: "oops" }), parameterAnswer("v".repeat(40))]],
      ["throttled four times", () => Array.from({ length: 4 }, () => json(400, { __type: "ThrottlingException", message: "Rate exceeded" }))],
      ["throttled by header", () => [json(400, {}, { "x-amzn-errortype": "ThrottlingException:http://internal.amazon.com/" }), parameterAnswer("w".repeat(40))]],
      ["not found", () => [json(400, { __type: "ParameterNotFound", message: "gone" })]],
    ];
    for (const [label, answers] of cases) {
      script = answers();
      const theirs = await attempts(async () => (await ssm().send(new GetParameterCommand({ Name: PARAM, WithDecryption: true }))).Parameter?.Value);
      script = answers();
      const mine = await attempts(() => getParameter(PARAM));
      expect(mine.attempts, label).toBe(theirs.attempts);
      expect("value" in mine ? mine.value : undefined, label).toBe("value" in theirs ? theirs.value : undefined);
      // an error the SDK throws is an error of ours too (ours says the status: core/auth/secret.ts keeps its last good key)
      expect("error" in mine, label).toBe("error" in theirs);
    }
    script = [json(400, { __type: "ParameterNotFound", message: "gone" })];
    await expect(getParameter(PARAM)).rejects.toThrow(/SSM GetParameter .*: HTTP 400 .*ParameterNotFound/);
  }, 60_000);

  it("the origin proof read from Secrets Manager (current and previous) admits the viewer address", async () => {
    process.env.WANGGE_ORIGIN_PROOF_ARN = ARN;
    cap.answer = (r) => (JSON.parse(r.text).VersionStage === "AWSCURRENT" ? secretAnswer("proof-new") : secretAnswer("proof-old"));
    try {
      expect(await clientAddress({ [ORIGIN_PROOF_HEADER]: "proof-old", [VIEWER_ADDRESS_HEADER]: "203.0.113.7" }, "198.51.100.1")).toBe("203.0.113.7");
      expect(await clientAddress({ [ORIGIN_PROOF_HEADER]: "proof-new", [VIEWER_ADDRESS_HEADER]: "203.0.113.8" }, "198.51.100.1")).toBe("203.0.113.8");
      expect(await clientAddress({ [ORIGIN_PROOF_HEADER]: "proof-forged", [VIEWER_ADDRESS_HEADER]: "203.0.113.9" }, "198.51.100.1")).toBe("198.51.100.1");
      expect(cap.seen.map((r) => r.headers["x-amz-target"])).toEqual(["secretsmanager.GetSecretValue", "secretsmanager.GetSecretValue"]);
    } finally {
      cap.answer = scripted;
    }
  });
});

describe("the transport (core/aws-send.ts)", () => {
  it("a refused connection is tried four times and fails with the socket's code, as the SDK's", async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const dead = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const prev = process.env.AWS_ENDPOINT_URL_SSM;
    process.env.AWS_ENDPOINT_URL_SSM = `http://127.0.0.1:${dead}`;
    try {
      const theirs = await ssm().send(new GetParameterCommand({ Name: PARAM })).then(() => undefined, (e: Error & { code?: string; $metadata?: { attempts?: number } }) => e);
      const mine = await getParameter(PARAM).then(() => undefined, (e: Error & { code?: string }) => e);
      expect([theirs?.code, theirs?.$metadata?.attempts]).toEqual(["ECONNREFUSED", 4]);
      expect(mine?.code).toBe("ECONNREFUSED");
    } finally {
      process.env.AWS_ENDPOINT_URL_SSM = prev;
    }
  }, 60_000);

  it("an answer that does not come within the timeout fails as TimeoutError, its body included", async () => {
    const silent = createServer((socket) => {
      // headers at once, then the body never ends
      socket.once("data", () => socket.write("HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\n12345"));
    });
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
    try {
      const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/`;
      const err = await awsSend(url, { method: "POST", headers: { "content-length": "2" }, body: "{}", timeoutMs: 300 }).then(() => undefined, (e: Error) => e);
      expect(err?.name).toBe("TimeoutError");
      const ok = await awsSend(`${cap.url()}/`, { method: "POST", headers: { "content-length": "2" }, body: "{}", timeoutMs: 5000 });
      expect([ok.status, ok.headers.get("Content-Type"), await ok.text()]).toEqual([500, "application/x-amz-json-1.1", JSON.stringify({ __type: "InternalServerError", message: "no answer scripted" })]);
    } finally {
      silent.close();
    }
  });
});
