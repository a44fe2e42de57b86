import { randomUUID } from "node:crypto";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { useStackEnv } from "../test/client.ts";
import { resetDb } from "./db/client.ts";
import { requestCounts } from "./db/metrics.ts";
import { armFaults, disarmFaults, FAULTS_ENV, injectedFaults } from "./faults/inject.ts";
import { isUnavailable } from "./faults/transient.ts";
import { AwsV4Signer } from "aws4fetch";
import { deleteS3Object, getS3Object, headS3Object, putS3Object, signS3Request } from "./s3-object.ts";

/**
 * HeadObject/GetObject/PutObject without the S3 client (core/s3-object.ts, issue #15), against the
 * embedded stack's S3 (fauxqs) through real signed requests, with the retries and injected faults
 * the SDK client gave them.
 */
beforeAll(() => {
  useStackEnv();
  resetDb();
});
afterEach(() => {
  disarmFaults();
  delete process.env[FAULTS_ENV];
});

const key = () => `test/s3-object/${randomUUID()}/a b+(1).bin`;

describe("S3 objects without the S3 client", () => {
  it("signs as an independent SigV4 implementation does (aws4fetch), so S3 accepts it (fauxqs does not check signatures)", async () => {
    const saved = { ...process.env };
    try {
      Object.assign(process.env, { AWS_ACCESS_KEY_ID: "AKIDEXAMPLE", AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", AWS_SESSION_TOKEN: "tok/en+=", AWS_REGION: "cn-northwest-1" });
      delete process.env.AWS_ENDPOINT_URL_S3;
      delete process.env.AWS_ENDPOINT_URL;
      resetDb();
      const at = new Date("2026-12-05T03:04:05Z");
      for (const [method, body] of [["HEAD", undefined], ["GET", undefined], ["PUT", new Uint8Array([1, 2, 3])]] as const) {
        const ours = await signS3Request(method, "index/locate/f2/v7 (x).bin", { bucket: "huli-wangge-files", body, contentType: body ? "application/octet-stream" : undefined, signingDate: at });
        expect(ours.url).toBe("https://huli-wangge-files.s3.cn-northwest-1.amazonaws.com.cn/index/locate/f2/v7%20%28x%29.bin");
        const headers = Object.fromEntries(Object.entries(ours.headers).filter(([k]) => !/^(authorization|x-amz-date|x-amz-security-token)$/i.test(k)));
        const theirs = await new AwsV4Signer({ method, url: ours.url, headers, accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", sessionToken: "tok/en+=", service: "s3", region: "cn-northwest-1", datetime: "20261205T030405Z", allHeaders: true }).sign();
        expect(ours.headers.authorization, method).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20261205\/cn-northwest-1\/s3\/aws4_request, SignedHeaders=.*host.*x-amz-content-sha256/);
        expect(ours.headers.authorization, method).toBe(theirs.headers.get("authorization"));
      }
    } finally {
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
      resetDb();
    }
  });

  it("puts an object, reads it back byte for byte, heads its size and type; a missing one is undefined", async () => {
    const k = key();
    const bytes = new Uint8Array(70_000).map((_, i) => (i * 31) % 256);
    const before = requestCounts.get("s3:PutObjectCommand") ?? 0;
    await putS3Object(k, bytes, "application/octet-stream");
    expect(requestCounts.get("s3:PutObjectCommand")).toBe(before + 1);
    expect(await getS3Object(k)).toEqual(bytes);
    expect(await headS3Object(k)).toEqual({ size: 70_000, contentType: "application/octet-stream" });
    expect(await headS3Object(`${k}.missing`)).toBeUndefined();
    expect(await getS3Object(`${k}.missing`)).toBeUndefined();
    await deleteS3Object(k);
    expect(await headS3Object(k)).toBeUndefined();
    await deleteS3Object(k); // again: harmless
  });

  it("retries a refused attempt as the SDK did, and gives up after 4 with an error the API answers 503", async () => {
    process.env[FAULTS_ENV] = "";
    const k = key();
    await putS3Object(k, new Uint8Array([1, 2, 3]), "image/png");
    const faults = injectedFaults.get("s3:HeadObject") ?? 0;
    armFaults("s3", { operation: "HeadObject", count: 1 });
    expect(await headS3Object(k)).toEqual({ size: 3, contentType: "image/png" });
    expect(injectedFaults.get("s3:HeadObject")).toBe(faults + 1);

    armFaults("s3", { operation: "GetObject", count: 4 });
    const err = await getS3Object(k).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isUnavailable(err)).toBe(true);
    expect(disarmFaults()).toBe(0); // all four attempts were refused
  });

  it("a put whose answer is lost is applied, sent again and succeeds", async () => {
    process.env[FAULTS_ENV] = "";
    const k = key();
    const lost = injectedFaults.get("s3-lost:PutObject") ?? 0;
    armFaults("s3-lost", { operation: "PutObject", lost: "reset" });
    await putS3Object(k, new Uint8Array([9, 8, 7]), "application/octet-stream");
    expect(injectedFaults.get("s3-lost:PutObject")).toBe(lost + 1);
    expect(await getS3Object(k)).toEqual(new Uint8Array([9, 8, 7]));
  });
});
