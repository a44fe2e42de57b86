import type { IncomingHttpHeaders } from "node:http";
import { beforeEach, describe, expect, it } from "vitest";
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { amzDate, signedHeaders, useCaptureServer, type Captured, type Scripted } from "../test/aws-capture.ts";
import { isUnavailable } from "./faults/transient.ts";
import { crc32Base64, deleteS3Object, getS3Object, headS3Object, putS3Object, signS3Request } from "./s3-object.ts";

/**
 * GetObject, PutObject (with its content type and disposition), HeadObject and DeleteObject of
 * core/s3-object.ts against the SDK's S3 client as core/s3.ts configured it until it went (path-style at an
 * endpoint, 4 attempts, default checksums), both sending to one local server that records each
 * request and answers what the test asks: the same request line and headers (but the SDK's user
 * agent and invocation ids), the same Authorization when our signer signs the SDK's request at its
 * time, and the same errors for S3's error answers (issue #15).
 */

type Seen = Captured;
type Answer = Scripted;

const BUCKET = "huli-wangge-files";
/** what only the SDK sends (telemetry, its retry bookkeeping) and what differs per request (time, signature) */
const SDK_ONLY = new Set(["user-agent", "x-amz-user-agent", "amz-sdk-invocation-id", "amz-sdk-request", "authorization", "x-amz-date", "x-amz-content-sha256", "connection", "host"]);
// (until 2026-12-05 our requests went through fetch, which added accept, accept-encoding, accept-language and
// sec-fetch-mode of its own; through the DynamoDB client's handler, core/aws-send.ts, they are the SDK's header for header)
const compared = (h: IncomingHttpHeaders) => Object.fromEntries(Object.entries(h).filter(([k]) => !SDK_ONLY.has(k)));

describe("S3 objects: our signed requests against the SDK client's", () => {
  const cap = useCaptureServer({ endpoints: ["AWS_ENDPOINT_URL_S3"], token: "session/token+=", env: { WANGGE_BUCKET: BUCKET } });
  const seen = cap.seen;
  beforeEach(() => {
    seen.length = 0;
    cap.answer = () => ({ status: 200 });
  });

  // as core/s3.ts created it for the functions (forcePathStyle at an endpoint, 4 attempts, the SDK's default checksums)
  const sdk = () => new S3Client({ forcePathStyle: true, maxAttempts: 4 });

  /** Our signer over the SDK's request (its signed headers, query, payload hash and time): the Authorization it must give. */
  const resign = async (req: Seen, key: string) => {
    const headers = Object.fromEntries(signedHeaders(req.headers).filter((h) => !["host", "x-amz-date", "x-amz-content-sha256", "x-amz-security-token"].includes(h)).map((h) => [h, String(req.headers[h])]));
    const query = Object.fromEntries(new URL(req.url, "http://x").searchParams);
    return signS3Request(req.method as "GET" | "PUT" | "HEAD" | "DELETE", key, { bucket: BUCKET, query, headers, payloadHash: String(req.headers["x-amz-content-sha256"]), signingDate: amzDate(String(req.headers["x-amz-date"])) });
  };

  /** The SDK's request and ours for the same call: same method, path and query, same headers but the SDK's own; our signer signs the SDK's as the SDK did. */
  async function same(key: string, viaSdk: () => Promise<unknown>, viaOurs: () => Promise<unknown>): Promise<[Seen, Seen]> {
    await viaSdk();
    const theirs = seen[seen.length - 1];
    await viaOurs();
    const ours = seen[seen.length - 1];
    expect(seen).toHaveLength(2);
    expect(ours.method).toBe(theirs.method);
    expect(ours.url).toBe(theirs.url);
    expect(compared(ours.headers)).toEqual(compared(theirs.headers));
    // every header both send is signed by both
    expect(signedHeaders(ours.headers)).toEqual(signedHeaders(theirs.headers).filter((h) => !SDK_ONLY.has(h) || ["host", "x-amz-date", "x-amz-content-sha256"].includes(h)));
    expect(ours.body).toEqual(theirs.body);
    expect(ours.headers["x-amz-security-token"]).toBe("session/token+=");
    expect((await resign(theirs, key)).headers.authorization).toBe(theirs.headers.authorization);
    return [theirs, ours];
  }

  it("PutObject: the same request as the SDK's, content type, disposition, length and CRC32 included", async () => {
    const key = "exports/units-网格 1 (a+b).csv";
    const body = new Uint8Array(Buffer.from("\uFEFF编码,名称\r\nA1,东城网格\r\n"));
    const disposition = 'attachment; filename="units-A1.csv"';
    const [theirs] = await same(
      key,
      () => sdk().send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body, ContentType: "text/csv; charset=utf-8", ContentDisposition: disposition })),
      () => putS3Object(key, body, "text/csv; charset=utf-8", { contentDisposition: disposition }),
    );
    expect(theirs.url).toBe(`/${BUCKET}/exports/units-%E7%BD%91%E6%A0%BC%201%20%28a%2Bb%29.csv?x-id=PutObject`);
    expect(theirs.headers["content-disposition"]).toBe(disposition);
    expect(theirs.headers["x-amz-checksum-crc32"]).toBe(crc32Base64(body));
    // without a disposition: none sent, as the SDK
    seen.length = 0;
    await same(
      "index/locate/v7.bin",
      () => sdk().send(new PutObjectCommand({ Bucket: BUCKET, Key: "index/locate/v7.bin", Body: new Uint8Array([0, 1, 2, 255]), ContentType: "application/octet-stream" })),
      () => putS3Object("index/locate/v7.bin", new Uint8Array([0, 1, 2, 255]), "application/octet-stream"),
    );
  });

  it("GetObject, HeadObject and DeleteObject: the same requests as the SDK's, and the same answers read", async () => {
    const key = "imports/01J/a b.xlsx";
    const bytes = new Uint8Array(3000).map((_, i) => (i * 7) % 256);
    cap.answer = (r): Answer => (r.method === "GET" ? { status: 200, headers: { "content-type": "application/zip", "x-amz-checksum-crc32": crc32Base64(bytes), "x-amz-checksum-type": "FULL_OBJECT" }, body: bytes } : r.method === "HEAD" ? { status: 200, headers: { "content-type": "application/zip" } } : { status: 204 });
    let theirBytes: Uint8Array | undefined;
    let ourBytes: Uint8Array | undefined;
    const [get] = await same(
      key,
      async () => {
        theirBytes = await (await sdk().send(new GetObjectCommand({ Bucket: BUCKET, Key: key }))).Body!.transformToByteArray();
      },
      async () => {
        ourBytes = await getS3Object(key);
      },
    );
    expect(get.headers["x-amz-checksum-mode"]).toBe("ENABLED");
    expect(ourBytes).toEqual(theirBytes);
    expect(ourBytes).toEqual(bytes);

    seen.length = 0;
    let theirHead: { size?: number; contentType?: string } = {};
    let ourHead: { size: number; contentType?: string } | undefined;
    await same(
      key,
      async () => {
        const h = await sdk().send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
        theirHead = { size: h.ContentLength, contentType: h.ContentType };
      },
      async () => {
        ourHead = await headS3Object(key);
      },
    );
    expect(ourHead).toEqual(theirHead);

    seen.length = 0;
    await same(
      key,
      () => sdk().send(new DeleteObjectCommand({ Bucket: BUCKET, Key: key })),
      () => deleteS3Object(key),
    );
    expect(seen[0].url).toBe(`/${BUCKET}/imports/01J/a%20b.xlsx?x-id=DeleteObject`);
  });

  /** The SDK's error and ours for one answer to every attempt, and how many attempts each made. */
  async function errors(sdkCall: () => Promise<unknown>, ourCall: () => Promise<unknown>) {
    const fail = (e: unknown) => e as Error & { $metadata?: { httpStatusCode?: number }; $fault?: string };
    seen.length = 0;
    const theirs = await sdkCall().then(() => undefined, fail);
    const theirAttempts = seen.length;
    seen.length = 0;
    const ours = await ourCall().then(() => undefined, fail);
    return { theirs, ours, theirAttempts, ourAttempts: seen.length };
  }

  const xmlError = (code: string) => `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${code} message</Message><RequestId>R1</RequestId></Error>`;

  it("maps S3's error answers as the SDK does: AccessDenied and NoSuchBucket are not retried, SlowDown and InternalError are retried 4 times and then answer 503", async () => {
    const body = new Uint8Array([1, 2, 3]);
    for (const [status, code, attempts] of [
      [403, "AccessDenied", 1],
      [404, "NoSuchBucket", 1],
      [503, "SlowDown", 4],
      [500, "InternalError", 4],
    ] as const) {
      cap.answer = () => ({ status, headers: { "content-type": "application/xml" }, body: xmlError(code) });
      const put = await errors(
        () => sdk().send(new PutObjectCommand({ Bucket: BUCKET, Key: "a.bin", Body: body, ContentType: "application/octet-stream" })),
        () => putS3Object("a.bin", body, "application/octet-stream"),
      );
      expect(put.ours?.name, code).toBe(put.theirs?.name);
      expect(put.ours?.name, code).toBe(code);
      expect(put.ours?.$metadata?.httpStatusCode, code).toBe(put.theirs?.$metadata?.httpStatusCode);
      expect(put.ours?.$fault, code).toBe(put.theirs?.$fault);
      expect([put.ourAttempts, put.theirAttempts], code).toEqual([attempts, attempts]);
      expect(isUnavailable(put.ours), code).toBe(isUnavailable(put.theirs));
      expect(isUnavailable(put.ours), code).toBe(status >= 500);
      const del = await errors(
        () => sdk().send(new DeleteObjectCommand({ Bucket: BUCKET, Key: "a.bin" })),
        () => deleteS3Object("a.bin"),
      );
      expect([del.ours?.name, del.ours?.$metadata?.httpStatusCode, del.ourAttempts], code).toEqual([del.theirs?.name, del.theirs?.$metadata?.httpStatusCode, del.theirAttempts]);
    }
  }, 120_000);

  it("a missing object: the SDK's NoSuchKey (GetObject) and NotFound (HeadObject) are our undefined, after one attempt each", async () => {
    cap.answer = (r): Answer => (r.method === "GET" ? { status: 404, headers: { "content-type": "application/xml" }, body: xmlError("NoSuchKey") } : { status: 404 });
    const get = await errors(
      () => sdk().send(new GetObjectCommand({ Bucket: BUCKET, Key: "gone.bin" })),
      () => getS3Object("gone.bin").then((v) => expect(v).toBeUndefined()),
    );
    expect([get.theirs?.name, get.theirs?.$metadata?.httpStatusCode, get.theirAttempts]).toEqual(["NoSuchKey", 404, 1]);
    expect([get.ours, get.ourAttempts]).toEqual([undefined, 1]);
    const head = await errors(
      () => sdk().send(new HeadObjectCommand({ Bucket: BUCKET, Key: "gone.bin" })),
      () => headS3Object("gone.bin").then((v) => expect(v).toBeUndefined()),
    );
    expect([head.theirs?.name, head.theirs?.$metadata?.httpStatusCode, head.theirAttempts]).toEqual(["NotFound", 404, 1]);
    expect([head.ours, head.ourAttempts]).toEqual([undefined, 1]);
  });

  it("a body that does not match its stored CRC32 fails, as with the SDK; a multipart object's part checksum is not checked", async () => {
    const bytes = new Uint8Array([5, 6, 7, 8]);
    cap.answer = () => ({ status: 200, headers: { "content-type": "application/octet-stream", "x-amz-checksum-crc32": crc32Base64(new Uint8Array([5, 6, 7, 9])), "x-amz-checksum-type": "FULL_OBJECT" }, body: bytes });
    const bad = await errors(
      async () => (await sdk().send(new GetObjectCommand({ Bucket: BUCKET, Key: "x.bin" }))).Body!.transformToByteArray(),
      () => getS3Object("x.bin"),
    );
    expect(bad.theirs).toBeInstanceOf(Error);
    expect(bad.theirs?.message).toMatch(/checksum mismatch/i);
    expect(bad.ours?.name).toBe("ChecksumMismatch");
    cap.answer = () => ({ status: 200, headers: { "content-type": "application/octet-stream", "x-amz-checksum-crc32": `${crc32Base64(new Uint8Array([1]))}-3`, "x-amz-checksum-type": "COMPOSITE" }, body: bytes });
    const parts = await errors(
      async () => (await sdk().send(new GetObjectCommand({ Bucket: BUCKET, Key: "x.bin" }))).Body!.transformToByteArray(),
      () => getS3Object("x.bin").then((v) => expect(v).toEqual(bytes)),
    );
    expect([parts.theirs, parts.ours]).toEqual([undefined, undefined]);
  });
});
