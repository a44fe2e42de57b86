import { crc32 } from "node:zlib";
import { SignatureV4 } from "@smithy/signature-v4";
import { MAX_ATTEMPTS, NETWORK, transportError } from "./aws-retry.ts";
import { awsSend, type AwsAnswer } from "./aws-send.ts";
import { db } from "./db/client.ts";
import { requestCounts } from "./db/metrics.ts";
import { faultDecision, faultError, lostAnswerError } from "./faults/inject.ts";
import { bucketName, escapeUri, s3Location } from "./s3-presign.ts";

/*
 * The small S3 calls without the S3 client (issue #15, docs/deploy.md "Cold path"): HeadObject
 * (is an attachment there, how big, what type), GetObject and PutObject of one whole object (the
 * packed locate index, job files: core/job/files.ts), DeleteObject (expired uploads,
 * core/attachment/pending.ts, whose module is also on the request path; retention), CopyObject
 * (a unit import's upload into the job's file) and ListObjectsV2 (retention lists `imports/`, a page
 * of up to 1,000 keys read from the XML answer with three regular expressions). `@aws-sdk/client-s3` is about 170 KB minified with its checksum and S3
 * middlewares; these calls are one signed HTTPS request each, signed with the signer, credentials,
 * region and SHA-256 the DynamoDB client already carries (as core/s3-presign.ts), sent through
 * its HTTP handler (core/aws-send.ts). What they keep from the SDK client they replace:
 * - retries: 4 attempts for throttling (503 SlowDown, 429), 5xx and network errors, with
 *   exponential backoff and jitter; an error that survives them is one `isUnavailable` (503 upstream);
 * - request counts (`s3:<Operation>Command`, as the SDK middleware counts) and the fault injection
 *   of the reliability tests (WANGGE_FAULTS `s3`, `s3-lost`, armed faults), applied per attempt;
 * - the payload: UNSIGNED-PAYLOAD over TLS, as the SDK's S3 client signs by default, with the
 *   integrity checks its default checksum configuration adds: a PUT sends the body's CRC32
 *   (`x-amz-checksum-crc32`, S3 refuses the object when it differs: BadDigest), a GET asks for the
 *   stored checksum (`x-amz-checksum-mode: ENABLED`) and refuses a whole-object body that does not
 *   match its CRC32;
 * - the request line: the SDK's `x-id=<Operation>` query on GetObject/PutObject/DeleteObject/CopyObject
 *   (S3 ignores it), so each request is the SDK's, header for header, but its user agent and
 *   invocation ids (core/s3-object-sdk.test.ts compares them).
 * What it does not do like the SDK: a body S3 answers with a `Content-Encoding` is returned as
 * stored (the SDK does not decode it either; none of our objects has one: our puts set none and
 * presigned uploads sign only type and length). Every S3 call of every deployed function
 * goes through here or core/s3-presign.ts: `s3()` (core/s3.ts) is gone and @aws-sdk/client-s3 is a
 * devDependency, kept for these modules' equivalence tests and the embedded stack's bucket.
 */

const RETRYABLE = new Set([429, 500, 502, 503, 504]);

/** An S3 error answer, shaped like the SDK's (`name`, `$metadata.httpStatusCode`, `$fault`) for the error model. */
export class S3ObjectError extends Error {
  $metadata: { httpStatusCode: number };
  $fault: "client" | "server";
  constructor(name: string, status: number, message: string) {
    super(message);
    this.name = name;
    this.$metadata = { httpStatusCode: status };
    this.$fault = status >= 500 ? "server" : "client";
  }
}

/** The operations whose request the SDK marks with `?x-id=<Operation>` (HeadObject and ListObjectsV2 have none). */
const X_ID = new Set(["GetObject", "PutObject", "DeleteObject", "CopyObject"]);

const NAMES: Record<number, string> = { 403: "AccessDenied", 404: "NotFound", 429: "SlowDown", 500: "InternalError", 503: "SlowDown" };

function signer(): SignatureV4 {
  const config = db().config;
  return new SignatureV4({ service: "s3", region: config.region, credentials: config.credentials, sha256: config.sha256, uriEscapePath: false, applyChecksum: false });
}

/** The signed request of one call (header authorization, SigV4): its URL and the headers to send (Host is the URL's). */
export async function signS3Request(
  method: "GET" | "HEAD" | "PUT" | "DELETE",
  key: string,
  opts: { body?: Uint8Array; contentType?: string; signingDate?: Date; bucket?: string; query?: Record<string, string>; headers?: Record<string, string>; payloadHash?: string } = {},
): Promise<{ url: string; headers: Record<string, string> }> {
  const region = await db().config.region();
  const at = s3Location(opts.bucket ?? bucketName(), region);
  const path = `${at.pathPrefix}/${key.split("/").map(escapeUri).join("/")}`;
  const host = `${at.hostname}${at.port != null ? `:${at.port}` : ""}`;
  const headers: Record<string, string> = { ...opts.headers, host, "x-amz-content-sha256": opts.payloadHash ?? "UNSIGNED-PAYLOAD" };
  if (opts.body) {
    headers["content-length"] = String(opts.body.byteLength);
    if (opts.contentType) headers["content-type"] = opts.contentType;
  }
  const query = opts.query ?? {};
  const signed = await signer().sign({ method, protocol: at.protocol, hostname: at.hostname, port: at.port, path, query, headers }, { signingDate: opts.signingDate });
  const { host: _host, ...send } = signed.headers; // core/aws-send.ts sets Host from the URL
  const search = Object.keys(query)
    .sort()
    .map((k) => `${escapeUri(k)}=${escapeUri(query[k])}`)
    .join("&");
  return { url: `${at.protocol}//${host}${path}${search ? `?${search}` : ""}`, headers: send };
}

/** The base64 big-endian CRC32 of a body, as `x-amz-checksum-crc32` carries it (the SDK's flexible checksums). */
export function crc32Base64(body: Uint8Array): string {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(crc32(body));
  return b.toString("base64");
}

interface CallOptions {
  body?: Uint8Array;
  contentType?: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  /** CopyObject: S3 may answer 200 with an <Error> body (the SDK treats it as a 5xx) */
  errorIn200?: boolean;
}

async function once(method: "GET" | "HEAD" | "PUT" | "DELETE", key: string, o: CallOptions): Promise<AwsAnswer> {
  const { url, headers } = await signS3Request(method, key, o);
  return awsSend(url, { method, headers, body: o.body, timeoutMs: 10_000 });
}

/** One call with the SDK client's retries, counts and injected faults; answers 2xx, 304 and the statuses `accept` names come back, others throw. */
async function call(method: "GET" | "HEAD" | "PUT" | "DELETE", key: string, operation: string, accept: number[], o: CallOptions = {}): Promise<AwsAnswer> {
  if (X_ID.has(operation)) o = { ...o, query: { ...o.query, "x-id": operation } };
  const body = o.body;
  const counter = `s3:${operation}Command`;
  requestCounts.set(counter, (requestCounts.get(counter) ?? 0) + 1);
  let last: unknown;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    if (attempt > 1) await new Promise((r) => setTimeout(r, Math.random() * Math.min(2000, 100 * 2 ** attempt)));
    const fault = faultDecision("s3", operation, body);
    if (fault?.refuse) {
      last = faultError("s3", operation);
      continue;
    }
    let res: AwsAnswer;
    try {
      res = await once(method, key, o);
    } catch (e) {
      const err = transportError(`S3 ${operation} ${key}`, e);
      last = err;
      if (err.name === "TimeoutError" || NETWORK.has(err.code ?? "")) continue;
      throw err;
    }
    if (fault?.lost) {
      // sent and applied, then the answer is lost
      last = lostAnswerError("s3", operation, undefined, fault.lost === true ? undefined : fault.lost);
      continue;
    }
    if (o.errorIn200 && res.status === 200) {
      const text = await res.text();
      const code = /<Error>[\s\S]*?<Code>([^<]+)<\/Code>/.exec(text)?.[1];
      if (!code) return res;
      last = new S3ObjectError(code, 500, `S3 ${operation} ${key}: 200 with error ${code}`);
      continue;
    }
    if (res.ok || accept.includes(res.status)) return res;
    const text = method === "HEAD" ? "" : await res.text().catch(() => "");
    const code = /<Code>([^<]+)<\/Code>/.exec(text)?.[1] ?? NAMES[res.status] ?? `Http${res.status}`;
    last = new S3ObjectError(code, res.status, `S3 ${operation} ${key}: ${res.status} ${code}`);
    if (!RETRYABLE.has(res.status)) throw last;
  }
  throw last;
}

/** Size and type of an object, or undefined when it is not there (404; 403 when the role may not list the bucket). */
export async function headS3Object(key: string): Promise<{ size: number; contentType?: string } | undefined> {
  const res = await call("HEAD", key, "HeadObject", [403, 404]);
  if (res.status === 403 || res.status === 404) return undefined;
  return { size: Number(res.headers.get("content-length") ?? 0), contentType: res.headers.get("content-type") ?? undefined };
}

/**
 * The whole object, or undefined when it is not there. Checked against the CRC32 S3 stored with it
 * (every object putS3Object writes has one) when S3 answers it for the whole object: a body that
 * does not match throws, as the SDK's checksum validation throws while the body is read (not retried).
 */
export async function getS3Object(key: string): Promise<Uint8Array | undefined> {
  const res = await call("GET", key, "GetObject", [404], { headers: { "x-amz-checksum-mode": "ENABLED" } });
  if (res.status === 404) return undefined;
  const bytes = res.bytes;
  const stored = res.headers.get("x-amz-checksum-crc32");
  // a multipart object's checksum is of its parts (`…-N`, type COMPOSITE), not of the body: skipped, as the SDK does
  if (stored && !stored.includes("-") && res.headers.get("x-amz-checksum-type") !== "COMPOSITE" && crc32Base64(bytes) !== stored) {
    throw new S3ObjectError("ChecksumMismatch", 500, `S3 GetObject ${key}: the body's CRC32 ${crc32Base64(bytes)} is not the stored ${stored}`);
  }
  return bytes;
}

/** Delete one object (S3 answers 204 whether or not it was there: a repeated delete is harmless). */
export async function deleteS3Object(key: string): Promise<void> {
  await call("DELETE", key, "DeleteObject", []);
}

/** Store one object (a repeated put of the same content is harmless). */
export async function putS3Object(key: string, body: Uint8Array, contentType: string, opts: { contentDisposition?: string } = {}): Promise<void> {
  const headers: Record<string, string> = { "x-amz-sdk-checksum-algorithm": "CRC32", "x-amz-checksum-crc32": crc32Base64(body) };
  if (opts.contentDisposition) headers["content-disposition"] = opts.contentDisposition;
  await call("PUT", key, "PutObject", [], { body, contentType, headers });
}

/** Copy an object of the bucket to another key (the source as the SDK's CopySource: `bucket/key`, the key URI-escaped but its slashes). */
export async function copyS3Object(from: string, to: string): Promise<void> {
  const source = `${bucketName()}/${encodeURIComponent(from).replace(/%2F/g, "/")}`;
  await call("PUT", to, "CopyObject", [], { headers: { "x-amz-copy-source": source }, errorIn200: true });
}

export interface S3ListPage {
  objects: Array<{ key: string; lastModified?: Date; size: number }>;
  /** the token of the next page, when the answer was truncated */
  next?: string;
}

/** XML text content: the five predefined entities and character references (S3 escapes keys this way). */
export function xmlText(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|lt|gt|amp|quot|apos);/g, (_, e: string) =>
    e[0] === "#" ? String.fromCodePoint(e[1] === "x" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10)) : ({ lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" } as Record<string, string>)[e],
  );
}

/** Read a ListObjectsV2 answer (ListBucketResult): each Contents' Key, LastModified, Size; the continuation token when truncated. */
export function parseS3ListPage(xml: string): S3ListPage {
  const tag = (within: string, name: string) => {
    const m = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(within);
    return m ? xmlText(m[1]) : undefined;
  };
  const objects = [...xml.matchAll(/<Contents>([\s\S]*?)<\/Contents>/g)].map(([, c]) => {
    const modified = tag(c, "LastModified");
    return { key: tag(c, "Key") ?? "", lastModified: modified ? new Date(modified) : undefined, size: Number(tag(c, "Size") ?? 0) };
  });
  const truncated = tag(xml.replace(/<Contents>[\s\S]*?<\/Contents>/g, ""), "IsTruncated") === "true";
  return { objects, next: truncated ? tag(xml.replace(/<Contents>[\s\S]*?<\/Contents>/g, ""), "NextContinuationToken") : undefined };
}

/** One page (up to `maxKeys`, at most 1,000) of the keys under `prefix`, in key order; pass `next` back for the following page. */
export async function listS3Objects(prefix: string, opts: { continuationToken?: string; maxKeys?: number } = {}): Promise<S3ListPage> {
  const query: Record<string, string> = { "list-type": "2", prefix, "max-keys": String(opts.maxKeys ?? 1000) };
  if (opts.continuationToken) query["continuation-token"] = opts.continuationToken;
  const res = await call("GET", "", "ListObjectsV2", [], { query });
  return parseS3ListPage(await res.text());
}
