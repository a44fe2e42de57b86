import { SignatureV4 } from "@smithy/signature-v4";
import { db } from "./db/client.ts";

/*
 * Presigned S3 URLs without the S3 client (issue #15, docs/deploy.md "Cold path").
 *
 * A presigned URL is one SigV4 signature over the request's method, path, query and a few headers;
 * no request is sent. `@aws-sdk/s3-request-presigner` needs `@aws-sdk/client-s3` for that (about
 * 170 KB minified with its checksum and S3 middlewares), which made client-s3 the heaviest chunk of
 * every area that hands out upload or download links. The signer itself, `@smithy/signature-v4`,
 * is already in every function: the DynamoDB client signs with it. So this module signs with that
 * class, the DynamoDB client's own credential provider (the default chain: the execution role's
 * credentials in Lambda), its region and its SHA-256, and adds nothing to a bundle.
 *
 * It does what the S3 presigner does for a plain GetObject/PutObject (S3RequestPresigner +
 * getSignedUrl): virtual-hosted URL (path-style when AWS_ENDPOINT_URL_S3 points at an emulator,
 * as the S3 client did with forcePathStyle), path not escaped again (S3's rule), payload UNSIGNED-PAYLOAD,
 * `x-amz-*` headers moved to the query, `content-type` (and `content-length` of a PUT) signed, so
 * a PUT must send exactly that type and size. s3-presign.test.ts checks that it gives the same URL
 * as the SDK's presigner, byte for byte, and the upload tests send files through it to fauxqs.
 *
 * Reading and writing objects goes without the client too (core/s3-object.ts): no deployed function
 * bundles @aws-sdk/client-s3 (a devDependency for the tests).
 */

/**
 * The files bucket (WANGGE_BUCKET, set per function by stacks/access.ts and by the embedded stack).
 * Kept beside the S3 endpoint: the S3 modules import nothing that reaches the SQS code (issue #15:
 * when it came from the old core/aws.ts, its lazy SQS client counted in every function that reads
 * or writes an object: the registry area's duty tasks 459 -> 431 KB loaded, retention 324 -> 292 KB).
 */
export function bucketName(): string {
  const b = process.env.WANGGE_BUCKET;
  if (!b) throw new Error("WANGGE_BUCKET is not set");
  return b;
}

export interface PresignS3Options {
  /** seconds the URL stays valid */
  expiresIn: number;
  /** request headers the client must send as signed: content-type, content-length */
  headers?: Record<string, string>;
  /** extra query parameters, e.g. response-content-disposition of a download */
  query?: Record<string, string>;
  /** the signing time (tests); the real clock by default: S3 compares it with its own */
  signingDate?: Date;
  bucket?: string;
}

/** RFC 3986 escaping as S3 wants it (encodeURIComponent leaves ! ' ( ) * alone). */
export const escapeUri = (s: string): string => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** S3's endpoint for a bucket: the emulator's (path-style) when AWS_ENDPOINT_URL_S3 is set, else the region's (`.amazonaws.com.cn` in China). */
export function s3Location(bucket: string, region: string): { protocol: string; hostname: string; port?: number; pathPrefix: string } {
  const override = process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL;
  if (override) {
    const u = new URL(override);
    return { protocol: u.protocol, hostname: u.hostname, port: u.port ? Number(u.port) : undefined, pathPrefix: `${u.pathname.replace(/\/$/, "")}/${bucket}` };
  }
  const suffix = region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
  // as the SDK's endpoint rules: virtual-hosted only for a DNS-compatible name without dots (a name
  // with dots does not match the virtual hosts' wildcard certificate), else path-style
  if (!/^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(bucket)) return { protocol: "https:", hostname: `s3.${region}.${suffix}`, pathPrefix: `/${bucket}` };
  return { protocol: "https:", hostname: `${bucket}.s3.${region}.${suffix}`, pathPrefix: "" };
}

/** Built per URL (cheap): it shares the DynamoDB client's memoized credentials, and follows that client when tests replace it. */
function s3Signer(): SignatureV4 {
  const config = db().config;
  return new SignatureV4({ service: "s3", region: config.region, credentials: config.credentials, sha256: config.sha256, uriEscapePath: false, applyChecksum: false });
}

/** A presigned URL for one GetObject or PutObject of `key` (see above). */
export async function presignS3(method: "GET" | "PUT", key: string, opts: PresignS3Options): Promise<string> {
  const region = await db().config.region();
  const bucket = opts.bucket ?? bucketName();
  const at = s3Location(bucket, region);
  const path = `${at.pathPrefix}/${key.split("/").map(escapeUri).join("/")}`;
  const headers: Record<string, string> = { ...opts.headers, host: `${at.hostname}${at.port != null ? `:${at.port}` : ""}`, "X-Amz-Content-Sha256": "UNSIGNED-PAYLOAD" };
  const query: Record<string, string> = { ...opts.query, "x-id": method === "GET" ? "GetObject" : "PutObject" };
  const signed = await s3Signer().presign(
    { method, protocol: at.protocol, hostname: at.hostname, port: at.port, path, query, headers },
    {
      expiresIn: opts.expiresIn,
      signingDate: opts.signingDate,
      // as S3RequestPresigner: content-type is signed only when asked for (a PUT asks)
      unsignableHeaders: new Set(["content-type"]),
      signableHeaders: new Set(Object.keys(opts.headers ?? {}).map((h) => h.toLowerCase())),
    },
  );
  const signedQuery = signed.query ?? {};
  const q = Object.keys(signedQuery)
    .sort()
    .map((k) => `${escapeUri(k)}=${escapeUri(String(signedQuery[k]))}`)
    .join("&");
  return `${at.protocol}//${headers.host}${path}?${q}`;
}
