import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { DecryptCommand, GenerateDataKeyCommand, KMSClient } from "@aws-sdk/client-kms";
import { SDK_BOOKKEEPING as BOOKKEEPING, signedHeaders, useCaptureServer, type Scripted } from "../../test/aws-capture.ts";
import { isUnavailable } from "../faults/transient.ts";
import { kmsBody, kmsEndpoint, signKmsRequest } from "./kms.ts";
import { currentWrapper, kmsWrapper, wrapperFor } from "./wrap.ts";

/**
 * The registry's KMS calls without `@aws-sdk/client-kms` (core/crypto/kms.ts, issue #15) against the
 * SDK client as core/crypto/wrap.ts used it until then (a devDependency, for this test only): both
 * sent to one local capturing server, at the same fixed time, with the same credentials and region.
 * - the request: same method, path, body, content type, target, payload hash, date and token; our
 *   signed headers are the SDK's minus its bookkeeping ones (invocation id, attempt counter, user
 *   agent), and re-signing the SDK's captured request with our signer gives its Authorization byte for byte;
 * - the answers: a data key, a decrypt, and for each kind of failure (a client error, one named only by
 *   the x-amzn-errortype header, throttling, a 5xx then success, a non-JSON 5xx, a refused connection)
 *   the same result or error name, fault, status and number of attempts.
 * (The embedded stack has no KMS: locally data keys are wrapped by a key file, core/crypto/wrap.ts.)
 */

let answers: Scripted[] = [];

const CONTEXT = { app: "wangge", purpose: "registry" };
const KEY = "arn:aws-cn:kms:cn-north-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const DATA_KEY = Buffer.alloc(32, 7);
const BLOB = Buffer.from("wrapped-data-key-blob-from-kms-0123456789");

const json = (status: number, value: unknown, headers?: Record<string, string>) => ({ status, body: JSON.stringify(value), headers });

const cap = useCaptureServer({
  endpoints: ["AWS_ENDPOINT_URL_KMS"],
  token: "tok/en+=",
  answer: () => {
    const a = answers.shift() ?? json(500, { __type: "KMSInternalException", message: "no answer scripted" });
    // Date as the (possibly fixed) clock: the SDK corrects its clock by a server's Date more than 5 minutes off
    return { ...a, headers: { "content-type": "application/x-amz-json-1.1", "x-amzn-requestid": `req-${cap.seen.length}`, date: new Date().toUTCString(), ...a.headers } };
  },
});
const seen = cap.seen;
afterEach(() => {
  vi.useRealTimers();
  seen.length = 0;
  answers = [];
});

/** The SDK client exactly as core/crypto/wrap.ts created and called it before issue #15. */
let client: KMSClient | undefined;
const sdk = { send: ((cmd: never) => (client ??= new KMSClient({ maxAttempts: 4 })).send(cmd)) as KMSClient["send"] };
const sdkGenerate = async () => {
  const out = await sdk.send(new GenerateDataKeyCommand({ KeyId: KEY, KeySpec: "AES_256", EncryptionContext: CONTEXT }));
  return { plaintext: Buffer.from(out.Plaintext!), wrapped: Buffer.from(out.CiphertextBlob!).toString("base64") };
};
const sdkUnwrap = async (wrapped: string) => Buffer.from((await sdk.send(new DecryptCommand({ KeyId: KEY, CiphertextBlob: Buffer.from(wrapped, "base64"), EncryptionContext: CONTEXT }))).Plaintext!);

const ours = kmsWrapper(KEY);

async function outcome(run: () => Promise<unknown>): Promise<Record<string, unknown>> {
  const before = seen.length;
  try {
    const value = await run();
    return { ok: Buffer.isBuffer(value) ? value.toString("hex") : value, attempts: seen.length - before };
  } catch (e) {
    const err = e as Error & { $fault?: string; code?: string; $metadata?: { httpStatusCode?: number } };
    return { name: err.name, fault: err.$fault, status: err.$metadata?.httpStatusCode, unavailable: isUnavailable(err), attempts: seen.length - before };
  }
}

describe("KMS without the KMS client", () => {
  it("sends the SDK's request: same method, path, body, content type, target, payload hash and signature, at a fixed time", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-12-05T03:04:05Z"));
    const gen = { ...json(200, { CiphertextBlob: BLOB.toString("base64"), KeyId: KEY, Plaintext: DATA_KEY.toString("base64") }) };
    const dec = json(200, { EncryptionAlgorithm: "SYMMETRIC_DEFAULT", KeyId: KEY, Plaintext: DATA_KEY.toString("base64") });
    answers = [gen, gen, dec, dec];
    const theirs = { generate: await sdkGenerate() };
    const mine = { generate: await ours.generate() };
    expect(mine.generate.plaintext.equals(theirs.generate.plaintext)).toBe(true);
    expect(mine.generate.wrapped).toBe(theirs.generate.wrapped);
    expect(mine.generate.wrapped).toBe(BLOB.toString("base64"));
    expect((await sdkUnwrap(mine.generate.wrapped)).equals(DATA_KEY)).toBe(true);
    expect((await ours.unwrap(mine.generate.wrapped)).equals(DATA_KEY)).toBe(true);
    expect(seen).toHaveLength(4);

    for (const [sdkReq, ourReq, op] of [[seen[0], seen[1], "GenerateDataKey"], [seen[2], seen[3], "Decrypt"]] as const) {
      expect(ourReq.method, op).toBe("POST");
      expect(ourReq.method, op).toBe(sdkReq.method);
      expect(ourReq.url, op).toBe(sdkReq.url);
      expect(ourReq.text, op).toBe(sdkReq.text);
      for (const h of ["content-type", "x-amz-target", "content-length", "host", "x-amz-date", "x-amz-security-token", "x-amz-content-sha256"]) expect(ourReq.headers[h], `${op} ${h}`).toBe(sdkReq.headers[h]);
      expect(ourReq.headers["x-amz-target"]).toBe(`TrentService.${op}`);
      expect(ourReq.headers["x-amz-date"]).toBe("20261205T030405Z");
      // the same credential scope; our signed headers are the SDK's without its bookkeeping ones
      const scope = (h: IncomingHttpHeaders) => /Credential=([^,]+)/.exec(String(h.authorization))![1];
      expect(scope(ourReq.headers)).toBe("AKIDEXAMPLE/20261205/cn-north-1/kms/aws4_request");
      expect(scope(ourReq.headers)).toBe(scope(sdkReq.headers));
      expect(signedHeaders(ourReq.headers)).toEqual(signedHeaders(sdkReq.headers).filter((h) => !BOOKKEEPING.includes(h)));
      // and our signer gives the SDK's own request its Authorization
      const sdkSigned = Object.fromEntries(signedHeaders(sdkReq.headers).filter((h) => !["host", "x-amz-date", "x-amz-security-token", "x-amz-content-sha256"].includes(h)).map((h) => [h, String(sdkReq.headers[h])]));
      const resigned = await signKmsRequest(op, sdkReq.text, { signingDate: new Date("2026-12-05T03:04:05Z"), headers: sdkSigned });
      expect(resigned.headers.authorization, op).toBe(sdkReq.headers.authorization);
    }
    // the body's members in the SDK's order, blobs in base64
    expect(seen[1].text).toBe(kmsBody("GenerateDataKey", { KeyId: KEY, EncryptionContext: CONTEXT, KeySpec: "AES_256" }));
    expect(JSON.parse(seen[3].text)).toEqual({ CiphertextBlob: BLOB.toString("base64"), EncryptionContext: CONTEXT, KeyId: KEY });
  });

  it("answers each kind of failure as the SDK client did: error name, fault, status, retries", async () => {
    const cases: Array<[string, Array<{ status: number; body: string; headers?: Record<string, string> }>]> = [
      ["not found (no retry)", [json(400, { __type: "NotFoundException", message: `Key '${KEY}' does not exist` })]],
      ["namespaced type", [json(400, { __type: "com.amazonaws.kms#InvalidCiphertextException", message: "bad" })]],
      ["named by header", [{ status: 400, body: "{}", headers: { "x-amzn-errortype": "AccessDeniedException:http://internal.amazon.com/coral/com.amazon.coral.service/" } }]],
      ["disabled key", [json(400, { __type: "DisabledException", message: "disabled" })]],
      ["throttled four times", Array.from({ length: 4 }, () => json(400, { __type: "ThrottlingException", message: "Rate exceeded" }))],
      ["request quota", [json(400, { __type: "LimitExceededException", message: "quota" }), json(200, { KeyId: KEY, Plaintext: DATA_KEY.toString("base64") })]],
      ["5xx then success", [json(500, { __type: "KMSInternalException", message: "oops" }), json(200, { KeyId: KEY, Plaintext: DATA_KEY.toString("base64") })]],
      ["5xx without JSON", Array.from({ length: 4 }, () => ({ status: 503, body: "<html>Service Unavailable</html>", headers: { "content-type": "text/html" } }))],
    ];
    for (const [label, script] of cases) {
      answers = [...script];
      const theirs = await outcome(() => sdkUnwrap(BLOB.toString("base64")));
      answers = [...script];
      const mine = await outcome(() => ours.unwrap(BLOB.toString("base64")));
      if (label === "5xx without JSON") {
        // the one named difference: the SDK fails to parse the page (SyntaxError, no fault); ours names the status
        expect({ ...mine, name: undefined, fault: undefined }, label).toEqual({ ...theirs, name: undefined, fault: undefined });
        expect([theirs.name, mine.name, mine.fault]).toEqual(["SyntaxError", "Http503", "server"]);
      } else expect(mine, label).toEqual(theirs);
    }
    // two of them spelled out, so the comparison is not of two equal mistakes
    answers = [json(400, { __type: "com.amazonaws.kms#NotFoundException", message: "gone" })];
    expect(await outcome(() => ours.unwrap("AQID"))).toEqual({ name: "NotFoundException", fault: "client", status: 400, unavailable: false, attempts: 1 });
    answers = Array.from({ length: 4 }, () => json(400, { __type: "ThrottlingException", message: "Rate exceeded" }));
    expect(await outcome(() => ours.unwrap("AQID"))).toEqual({ name: "ThrottlingException", fault: "client", status: 400, unavailable: true, attempts: 4 });
  }, 60_000);

  it("retries a refused connection four times, then fails with an error the API answers 503", async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const dead = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    process.env.AWS_ENDPOINT_URL_KMS = `http://127.0.0.1:${dead}`;
    try {
      const theirs = await new KMSClient({ maxAttempts: 4 }).send(new DecryptCommand({ KeyId: KEY, CiphertextBlob: BLOB, EncryptionContext: CONTEXT })).then(
        () => undefined,
        (e: Error & { code?: string; $metadata?: { attempts?: number } }) => e,
      );
      const mine = await ours.unwrap(BLOB.toString("base64")).then(
        () => undefined,
        (e: Error & { code?: string }) => e,
      );
      expect(theirs?.code).toBe("ECONNREFUSED");
      expect(theirs?.$metadata?.attempts).toBe(4);
      expect(mine?.code).toBe("ECONNREFUSED");
      expect(isUnavailable(mine)).toBe(true);
      expect(isUnavailable(theirs)).toBe(true);
    } finally {
      process.env.AWS_ENDPOINT_URL_KMS = cap.url();
    }
  }, 60_000);

  it("with a key shared by several counties (WANGGE_KMS_CONTEXT_COUNTY), makes and opens data keys under a context naming the county, which the stored key id carries", async () => {
    const prev = { id: process.env.WANGGE_KMS_KEY_ID, county: process.env.WANGGE_KMS_CONTEXT_COUNTY };
    try {
      process.env.WANGGE_KMS_KEY_ID = KEY;
      process.env.WANGGE_KMS_CONTEXT_COUNTY = "siming";
      const gen = json(200, { CiphertextBlob: BLOB.toString("base64"), KeyId: KEY, Plaintext: DATA_KEY.toString("base64") });
      const dec = json(200, { EncryptionAlgorithm: "SYMMETRIC_DEFAULT", KeyId: KEY, Plaintext: DATA_KEY.toString("base64") });
      answers = [gen, dec, dec];
      const w = currentWrapper();
      expect(w.keyId).toBe(`${KEY}|county=siming`);
      const made = await w.generate();
      // stored with the data key: a later container (even after the setting changed) opens it under the same context
      delete process.env.WANGGE_KMS_CONTEXT_COUNTY;
      expect((await wrapperFor(w.keyId).unwrap(made.wrapped)).equals(DATA_KEY)).toBe(true);
      // a data key stored without the suffix (a county's own key) is opened without it
      expect((await wrapperFor(KEY).unwrap(made.wrapped)).equals(DATA_KEY)).toBe(true);
      const bodies = seen.map((r) => JSON.parse(r.text));
      expect(bodies[0]).toEqual({ KeyId: KEY, EncryptionContext: { ...CONTEXT, county: "siming" }, KeySpec: "AES_256" });
      expect(bodies[1]).toEqual({ CiphertextBlob: BLOB.toString("base64"), EncryptionContext: { ...CONTEXT, county: "siming" }, KeyId: KEY });
      expect(bodies[2]).toEqual({ CiphertextBlob: BLOB.toString("base64"), EncryptionContext: CONTEXT, KeyId: KEY });
    } finally {
      for (const [k, v] of [["WANGGE_KMS_KEY_ID", prev.id], ["WANGGE_KMS_CONTEXT_COUNTY", prev.county]] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });

  it("finds KMS where the SDK does: the override variables, else the region's endpoint (.com.cn in China)", () => {
    const prev = process.env.AWS_ENDPOINT_URL_KMS;
    try {
      delete process.env.AWS_ENDPOINT_URL_KMS;
      expect(kmsEndpoint("cn-northwest-1").href).toBe("https://kms.cn-northwest-1.amazonaws.com.cn/");
      expect(kmsEndpoint("ap-east-1").href).toBe("https://kms.ap-east-1.amazonaws.com/");
      process.env.AWS_ENDPOINT_URL = "http://localhost:4566";
      expect(kmsEndpoint("cn-north-1").href).toBe("http://localhost:4566/");
    } finally {
      delete process.env.AWS_ENDPOINT_URL;
      process.env.AWS_ENDPOINT_URL_KMS = prev;
    }
  });
});
