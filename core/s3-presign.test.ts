import { S3Client, GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { resetDb } from "./db/client.ts";
import { presignS3 } from "./s3-presign.ts";

/**
 * core/s3-presign.ts signs presigned URLs without @aws-sdk/client-s3 (issue #15). It must give the
 * URL the SDK's own presigner gives for the same request, credentials and time, byte for byte:
 * then S3 (and fauxqs, which the upload tests send files to) accepts it exactly as before.
 */
const ENV = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_REGION", "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"] as const;
const saved: Partial<Record<(typeof ENV)[number], string>> = {};
const at = new Date("2026-12-05T03:04:05Z");
const credentials = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", sessionToken: "session/token+=" };

function use(region: string, endpoint?: string) {
  process.env.AWS_ACCESS_KEY_ID = credentials.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = credentials.secretAccessKey;
  process.env.AWS_SESSION_TOKEN = credentials.sessionToken;
  process.env.AWS_REGION = region;
  delete process.env.AWS_ENDPOINT_URL;
  if (endpoint) process.env.AWS_ENDPOINT_URL_S3 = endpoint;
  else delete process.env.AWS_ENDPOINT_URL_S3;
  resetDb();
  // the SDK presigner as core/aws.ts configured it before (checksums only when required)
  return new S3Client({ region, credentials, forcePathStyle: Boolean(endpoint), requestChecksumCalculation: "WHEN_REQUIRED", responseChecksumValidation: "WHEN_REQUIRED" });
}

describe("presigned S3 URLs without the S3 client", () => {
  beforeEach(() => {
    for (const k of ENV) saved[k] = process.env[k];
  });
  afterEach(() => {
    for (const k of ENV) if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    resetDb();
  });

  it("a PUT signs content-type and content-length as the SDK does (China region, virtual-hosted)", async () => {
    const client = use("cn-northwest-1");
    const key = "cases/01JX/01M922EXFHKF4SDCNHSWAEWECQ-before.jpg";
    const sdk = await getSignedUrl(client, new PutObjectCommand({ Bucket: "huli-wangge-files", Key: key, ContentType: "image/jpeg", ContentLength: 1234 }), {
      expiresIn: 900,
      signableHeaders: new Set(["content-type"]),
      signingDate: at,
    });
    const ours = await presignS3("PUT", key, { bucket: "huli-wangge-files", expiresIn: 900, headers: { "content-type": "image/jpeg", "content-length": "1234" }, signingDate: at });
    expect(ours).toBe(sdk);
    expect(new URL(ours).host).toBe("huli-wangge-files.s3.cn-northwest-1.amazonaws.com.cn");
    expect(new URL(ours).searchParams.get("X-Amz-SignedHeaders")).toBe("content-length;content-type;host");
  });

  it("a GET with response headers and a key that needs escaping gives the SDK's URL (us-east-1)", async () => {
    const client = use("us-east-1");
    const key = "exports/导出 (1)+x's*.csv";
    const disposition = `attachment; filename="案件导出-2026-12.csv"`;
    const sdk = await getSignedUrl(client, new GetObjectCommand({ Bucket: "b", Key: key, ResponseContentDisposition: disposition, ResponseContentType: "text/csv; charset=utf-8" }), { expiresIn: 300, signingDate: at });
    const ours = await presignS3("GET", key, { bucket: "b", expiresIn: 300, query: { "response-content-disposition": disposition, "response-content-type": "text/csv; charset=utf-8" }, signingDate: at });
    expect(ours).toBe(sdk);
    expect(new URL(ours).searchParams.get("X-Amz-SignedHeaders")).toBe("host");
  });

  it("uses the emulator's endpoint path-style when AWS_ENDPOINT_URL_S3 is set, as the S3 client did (forcePathStyle)", async () => {
    const client = use("cn-north-1", "http://127.0.0.1:4566");
    const sdk = await getSignedUrl(client, new GetObjectCommand({ Bucket: "wangge-files", Key: "duties/p/1.jpg" }), { expiresIn: 60, signingDate: at });
    const ours = await presignS3("GET", "duties/p/1.jpg", { bucket: "wangge-files", expiresIn: 60, signingDate: at });
    expect(ours).toBe(sdk);
    expect(ours.startsWith("http://127.0.0.1:4566/wangge-files/duties/p/1.jpg?")).toBe(true);
  });

  it("signs with the time it is given: another second, another signature", async () => {
    use("cn-northwest-1");
    const a = await presignS3("GET", "k", { bucket: "b", expiresIn: 60, signingDate: at });
    const b = await presignS3("GET", "k", { bucket: "b", expiresIn: 60, signingDate: new Date(at.getTime() + 1000) });
    expect(new URL(a).searchParams.get("X-Amz-Signature")).not.toBe(new URL(b).searchParams.get("X-Amz-Signature"));
  });
});
