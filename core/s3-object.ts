import { SignatureV4 } from "@smithy/signature-v4";
import { bucketName } from "./aws.ts";
import { db } from "./db/client.ts";
import { requestCounts } from "./db/metrics.ts";
import { faultDecision, faultError, lostAnswerError } from "./faults/inject.ts";
import { escapeUri, s3Location } from "./s3-presign.ts";

/*
 * Four small S3 calls without the S3 client (issue #15, docs/deploy.md "Cold path"): HeadObject
 * (is an attachment there, how big, what type), GetObject and PutObject of one whole object (the
 * packed locate index), DeleteObject (expired uploads, core/attachment/pending.ts, whose module
 * is also on the request path). `@aws-sdk/client-s3` is about 170 KB minified with its checksum and S3
 * middlewares; these calls are one signed HTTPS request each, signed with the signer, credentials,
 * region and SHA-256 the DynamoDB client already carries (as core/s3-presign.ts), sent with
 * Node's fetch. What they keep from the SDK client they replace:
 * - retries: 4 attempts for throttling (503 SlowDown, 429), 5xx and network errors, with
 *   exponential backoff and jitter; an error that survives them is one `isUnavailable` (503 upstream);
 * - request counts (`s3:<Operation>Command`, as the SDK middleware counts) and the fault injection
 *   of the reliability tests (WANGGE_FAULTS `s3`, `s3-lost`, armed faults), applied per attempt;
 * - the payload: UNSIGNED-PAYLOAD over TLS, as the SDK's S3 client signs by default.
 * Everything else (exports, jobs, Excel and unit files, deletes, copies) keeps `s3()` (core/s3.ts).
 */

const MAX_ATTEMPTS = 4;
const RETRYABLE = new Set([429, 500, 502, 503, 504]);
const NETWORK = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EAI_AGAIN", "UND_ERR_SOCKET", "UND_ERR_CONNECT_TIMEOUT"]);

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

const NAMES: Record<number, string> = { 403: "AccessDenied", 404: "NotFound", 429: "SlowDown", 500: "InternalError", 503: "SlowDown" };

function signer(): SignatureV4 {
  const config = db().config;
  return new SignatureV4({ service: "s3", region: config.region, credentials: config.credentials, sha256: config.sha256, uriEscapePath: false, applyChecksum: false });
}

/** The signed request of one call (header authorization, SigV4): its URL and the headers to send (Host is fetch's). */
export async function signS3Request(method: "GET" | "HEAD" | "PUT" | "DELETE", key: string, opts: { body?: Uint8Array; contentType?: string; signingDate?: Date; bucket?: string } = {}): Promise<{ url: string; headers: Record<string, string> }> {
  const region = await db().config.region();
  const at = s3Location(opts.bucket ?? bucketName(), region);
  const path = `${at.pathPrefix}/${key.split("/").map(escapeUri).join("/")}`;
  const host = `${at.hostname}${at.port != null ? `:${at.port}` : ""}`;
  const headers: Record<string, string> = { host, "x-amz-content-sha256": "UNSIGNED-PAYLOAD" };
  if (opts.body) {
    headers["content-length"] = String(opts.body.byteLength);
    if (opts.contentType) headers["content-type"] = opts.contentType;
  }
  const signed = await signer().sign({ method, protocol: at.protocol, hostname: at.hostname, port: at.port, path, query: {}, headers }, { signingDate: opts.signingDate });
  const { host: _host, ...send } = signed.headers; // fetch sets Host itself
  return { url: `${at.protocol}//${host}${path}`, headers: send };
}

async function once(method: "GET" | "HEAD" | "PUT" | "DELETE", key: string, body?: Uint8Array, contentType?: string): Promise<Response> {
  const { url, headers } = await signS3Request(method, key, { body, contentType });
  return fetch(url, { method, headers, body: body as Uint8Array<ArrayBuffer> | undefined, signal: AbortSignal.timeout(10_000) });
}

/** One call with the SDK client's retries, counts and injected faults; answers 2xx, 304 and the statuses `accept` names come back, others throw. */
async function call(method: "GET" | "HEAD" | "PUT" | "DELETE", key: string, operation: string, accept: number[], body?: Uint8Array, contentType?: string): Promise<Response> {
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
    let res: Response;
    try {
      res = await once(method, key, body, contentType);
    } catch (e) {
      const cause = (e as { cause?: { code?: string } }).cause;
      const err = new Error(`S3 ${operation} ${key}: ${(e as Error).message}`) as Error & { code?: string };
      err.name = (e as Error).name === "TimeoutError" ? "TimeoutError" : "Error";
      err.code = cause?.code;
      last = err;
      if (err.name === "TimeoutError" || NETWORK.has(err.code ?? "")) continue;
      throw err;
    }
    if (fault?.lost) {
      await res.arrayBuffer().catch(() => undefined); // sent and applied, then the answer is lost
      last = lostAnswerError("s3", operation, undefined, fault.lost === true ? undefined : fault.lost);
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

/** The whole object, or undefined when it is not there. */
export async function getS3Object(key: string): Promise<Uint8Array | undefined> {
  const res = await call("GET", key, "GetObject", [404]);
  if (res.status === 404) {
    await res.arrayBuffer().catch(() => undefined);
    return undefined;
  }
  return new Uint8Array(await res.arrayBuffer());
}

/** Delete one object (S3 answers 204 whether or not it was there: a repeated delete is harmless). */
export async function deleteS3Object(key: string): Promise<void> {
  const res = await call("DELETE", key, "DeleteObject", []);
  await res.arrayBuffer().catch(() => undefined);
}

/** Store one object (a repeated put of the same content is harmless). */
export async function putS3Object(key: string, body: Uint8Array, contentType: string): Promise<void> {
  const res = await call("PUT", key, "PutObject", [], body, contentType);
  await res.arrayBuffer().catch(() => undefined);
}
