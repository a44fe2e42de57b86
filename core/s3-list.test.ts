import { randomUUID } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { CopyObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { useStackEnv } from "../test/client.ts";
import { amzDate, signedHeaders, useCaptureServer } from "../test/aws-capture.ts";
import { resetDb } from "./db/client.ts";
import { requestCounts } from "./db/metrics.ts";
import { copyObject, getBytes, getText, headObject, putText } from "./job/files.ts";
import { isMissingObject } from "./job/retention.ts";
import { armFaults, disarmFaults, FAULTS_ENV, injectedFaults } from "./faults/inject.ts";
import { copyS3Object, deleteS3Object, getS3Object, listS3Objects, parseS3ListPage, putS3Object, signS3Request } from "./s3-object.ts";

/**
 * ListObjectsV2, CopyObject and the job files without the S3 client (core/s3-object.ts,
 * core/job/files.ts; issue #15): against the embedded stack's S3 (fauxqs), and against the SDK's own
 * requests and its reading of a list answer, captured on a local server.
 */

describe("S3 listing, copies and job files against the embedded S3 (fauxqs)", () => {
  beforeAll(() => {
    useStackEnv();
    resetDb();
  });

  it("lists a prefix page by page, in key order, keys with spaces, & and non-ASCII read back exactly", async () => {
    const prefix = `test/s3-list/${randomUUID()}/`;
    const names = ["a b.csv", "b&c.json", "c<d>.txt", "d/网格 1.xlsx", "e'f\".bin"];
    for (const n of names) await putS3Object(prefix + n, new Uint8Array([1, 2, 3]), "application/octet-stream");
    await putS3Object(`${prefix.slice(0, -1)}x/outside`, new Uint8Array([1]), "application/octet-stream");
    const counted = requestCounts.get("s3:ListObjectsV2Command") ?? 0;
    const pages: string[][] = [];
    let token: string | undefined;
    do {
      const page = await listS3Objects(prefix, { continuationToken: token, maxKeys: 2 });
      pages.push(page.objects.map((o) => o.key.slice(prefix.length)));
      for (const o of page.objects) {
        expect(o.size).toBe(3);
        expect(o.lastModified?.getTime()).toBeGreaterThan(Date.UTC(2020, 0, 1));
      }
      token = page.next;
    } while (token);
    expect(pages).toEqual([names.slice(0, 2), names.slice(2, 4), names.slice(4)]);
    expect(requestCounts.get("s3:ListObjectsV2Command")).toBe(counted + 3);
    expect(await listS3Objects(`${prefix}nothing/`)).toEqual({ objects: [], next: undefined });
  });

  it("copies an object to another key, byte for byte; copying a missing one fails with 404 NoSuchKey", async () => {
    const dir = `test/s3-list/${randomUUID()}`;
    const bytes = new Uint8Array(5000).map((_, i) => i % 251);
    await putS3Object(`${dir}/from (1)+é.bin`, bytes, "application/zip");
    await copyS3Object(`${dir}/from (1)+é.bin`, `${dir}/to.bin`);
    expect(await getS3Object(`${dir}/to.bin`)).toEqual(bytes);
    const err = await copyS3Object(`${dir}/missing.bin`, `${dir}/to2.bin`).then(
      () => undefined,
      (e: unknown) => e as Error & { $metadata: { httpStatusCode: number } },
    );
    expect(err?.name).toBe("NoSuchKey");
    expect(err?.$metadata.httpStatusCode).toBe(404);
    await deleteS3Object(`${dir}/to.bin`);
    expect(await getS3Object(`${dir}/to.bin`)).toBeUndefined();
  });

  afterEach(() => {
    disarmFaults();
    delete process.env[FAULTS_ENV];
  });

  it("retries a refused list and a copy whose answer was lost, as the SDK client's retries did (the reliability tests' faults)", async () => {
    process.env[FAULTS_ENV] = "";
    const dir = `test/s3-list/${randomUUID()}`;
    await putS3Object(`${dir}/a.bin`, new Uint8Array([4, 5, 6]), "application/octet-stream");
    const refused = injectedFaults.get("s3:ListObjectsV2") ?? 0;
    armFaults("s3", { operation: "ListObjectsV2", count: 2 });
    expect((await listS3Objects(`${dir}/`)).objects.map((o) => o.key)).toEqual([`${dir}/a.bin`]);
    expect(injectedFaults.get("s3:ListObjectsV2")).toBe(refused + 2);
    const lost = injectedFaults.get("s3-lost:CopyObject") ?? 0;
    armFaults("s3-lost", { operation: "CopyObject", lost: "reset" });
    await copyS3Object(`${dir}/a.bin`, `${dir}/b.bin`);
    expect(injectedFaults.get("s3-lost:CopyObject")).toBe(lost + 1);
    expect(await getS3Object(`${dir}/b.bin`)).toEqual(new Uint8Array([4, 5, 6]));
  });

  it("job files: text kept with its BOM, bytes, head, copy; a missing file throws what isMissingObject recognises", async () => {
    const dir = `imports/test-${randomUUID()}`;
    const text = "\uFEFF编码,名称\r\nA1,东城网格\r\n";
    await putText(`${dir}/a.csv`, text, "text/csv; charset=utf-8");
    expect(await getText(`${dir}/a.csv`)).toBe(text);
    expect(await headObject(`${dir}/a.csv`)).toEqual({ size: Buffer.byteLength(text), contentType: "text/csv; charset=utf-8" });
    await copyObject(`${dir}/a.csv`, `${dir}/b.csv`);
    expect(await getBytes(`${dir}/b.csv`)).toEqual(new Uint8Array(Buffer.from(text)));
    expect(await headObject(`${dir}/none.csv`)).toBeUndefined();
    for (const read of [getText, getBytes]) {
      const e = await read(`${dir}/none.csv`).then(
        () => undefined,
        (x: unknown) => x,
      );
      expect((e as Error).name).toBe("NoSuchKey");
      expect(isMissingObject(e)).toBe(true);
    }
  });
});

describe("S3 listing and copies against the SDK client's requests", () => {
  let answer = "";
  const cap = useCaptureServer({ endpoints: ["AWS_ENDPOINT_URL_S3"], answer: () => ({ status: 200, headers: { "content-type": "application/xml" }, body: answer }) });
  const seen = cap.seen;

  const BUCKET = "huli-wangge-files";
  const sdk = () => new S3Client({ forcePathStyle: true, maxAttempts: 4 });
  const resign = async (req: { method: string; url: string; headers: IncomingHttpHeaders }, key: string) => {
    const headers = Object.fromEntries(signedHeaders(req.headers).filter((h) => !["host", "x-amz-date", "x-amz-content-sha256"].includes(h)).map((h) => [h, String(req.headers[h])]));
    const query = Object.fromEntries(new URL(req.url, "http://x").searchParams);
    return signS3Request(req.method as "GET" | "PUT", key, { bucket: BUCKET, query, headers, payloadHash: String(req.headers["x-amz-content-sha256"]), signingDate: amzDate(String(req.headers["x-amz-date"])) });
  };

  it("ListObjectsV2: the same path and query as the SDK's, and our signer gives the SDK's request its Authorization", async () => {
    answer = `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><IsTruncated>false</IsTruncated></ListBucketResult>`;
    seen.length = 0;
    await sdk().send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: "imports/", ContinuationToken: "1a+b/c=", MaxKeys: 1000 }));
    const ours = await signS3Request("GET", "", { bucket: BUCKET, query: { "list-type": "2", prefix: "imports/", "max-keys": "1000", "continuation-token": "1a+b/c=" } });
    expect(seen[0].method).toBe("GET");
    expect(ours.url).toBe(`${cap.url()}${seen[0].url}`);
    expect(seen[0].url).toBe(`/${BUCKET}/?continuation-token=1a%2Bb%2Fc%3D&list-type=2&max-keys=1000&prefix=imports%2F`);
    expect((await resign(seen[0], "")).headers.authorization).toBe(seen[0].headers.authorization);
  });

  it("CopyObject: the same copy source header as the SDK's, and the same Authorization when re-signed", async () => {
    answer = `<?xml version="1.0" encoding="UTF-8"?><CopyObjectResult><ETag>"x"</ETag></CopyObjectResult>`;
    seen.length = 0;
    const from = "imports/uploads/u1/a b+c(1).zip";
    await sdk().send(new CopyObjectCommand({ Bucket: BUCKET, CopySource: `${BUCKET}/${encodeURIComponent(from).replace(/%2F/g, "/")}`, Key: "imports/01J.shp.zip" }));
    const sdkReq = seen[0];
    expect(sdkReq.method).toBe("PUT");
    expect(sdkReq.url).toBe(`/${BUCKET}/imports/01J.shp.zip?x-id=CopyObject`);
    expect(sdkReq.headers["x-amz-copy-source"]).toBe(`${BUCKET}/imports/uploads/u1/a%20b%2Bc(1).zip`);
    expect((await resign(sdkReq, "imports/01J.shp.zip")).headers.authorization).toBe(sdkReq.headers.authorization);
    // ours sends that header and no body
    const prev = process.env.WANGGE_BUCKET;
    process.env.WANGGE_BUCKET = BUCKET;
    try {
      seen.length = 0;
      await copyS3Object(from, "imports/01J.shp.zip");
      expect(seen[0].method).toBe("PUT");
      expect(seen[0].url).toBe(sdkReq.url); // with the SDK's ?x-id=CopyObject
      expect(seen[0].headers["x-amz-copy-source"]).toBe(sdkReq.headers["x-amz-copy-source"]);
      // a 200 whose body is an <Error> is a failure, retried as a 5xx as the SDK does
      answer = `<?xml version="1.0" encoding="UTF-8"?><Error><Code>InternalError</Code><Message>We encountered an internal error.</Message></Error>`;
      seen.length = 0;
      const err = await copyS3Object(from, "imports/01J.shp.zip").then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      expect(err?.name).toBe("InternalError");
      expect(seen).toHaveLength(4);
    } finally {
      if (prev === undefined) delete process.env.WANGGE_BUCKET;
      else process.env.WANGGE_BUCKET = prev;
    }
  }, 30_000);

  it("reads a list answer as the SDK does: escaped keys, sizes, dates, the continuation token", async () => {
    answer = `<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${BUCKET}</Name><Prefix>imports/</Prefix><KeyCount>3</KeyCount><MaxKeys>3</MaxKeys><IsTruncated>true</IsTruncated>
<Contents><Key>imports/a &amp; b&lt;1&gt;.csv</Key><LastModified>2026-11-01T02:03:04.000Z</LastModified><ETag>&quot;e1&quot;</ETag><Size>12</Size><StorageClass>STANDARD</StorageClass></Contents>
<Contents><Key>imports/&#x7F51;&#26684;&apos;x&quot;.xlsx</Key><LastModified>2026-11-02T00:00:00.000Z</LastModified><ETag>"e2"</ETag><Size>0</Size><StorageClass>STANDARD</StorageClass></Contents>
<Contents><Key>imports/01JBCDEFGHJKMNPQRSTVWXYZ01.errors.csv</Key><LastModified>2026-11-03T00:00:00.000Z</LastModified><ETag>"e3"</ETag><Size>3456789</Size><StorageClass>STANDARD</StorageClass></Contents>
<NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken><ContinuationToken>abc</ContinuationToken></ListBucketResult>`;
    const theirs = await sdk().send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: "imports/" }));
    const ours = parseS3ListPage(answer);
    expect(ours.objects).toEqual((theirs.Contents ?? []).map((o) => ({ key: o.Key, lastModified: o.LastModified, size: o.Size })));
    expect(ours.objects.map((o) => o.key)).toEqual(["imports/a & b<1>.csv", "imports/网格'x\".xlsx", "imports/01JBCDEFGHJKMNPQRSTVWXYZ01.errors.csv"]);
    expect(ours.next).toBe(theirs.NextContinuationToken);
    expect(parseS3ListPage(answer.replace("<IsTruncated>true", "<IsTruncated>false")).next).toBeUndefined();
  });
});
