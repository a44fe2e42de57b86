import { SignatureV4 } from "@smithy/signature-v4";
import { backoff, MAX_ATTEMPTS, retryable, THROTTLING, transportError, type AttemptError } from "../aws-retry.ts";
import { awsSend } from "../aws-send.ts";
import { db } from "../db/client.ts";

/*
 * KMS without `@aws-sdk/client-kms` (issue #15, docs/deploy.md "Cold path").
 *
 * The registry wraps its data keys with two KMS calls, GenerateDataKey and Decrypt (core/crypto/wrap.ts).
 * The KMS client brought about 130 KB minified into the registry function (its whole command set,
 * the JSON protocol's schema serde, the endpoint rule set). Each call is one signed POST of the KMS
 * JSON protocol (`X-Amz-Target: TrentService.<Op>`, `application/x-amz-json-1.1`), signed with the
 * signer, credentials, region and SHA-256 the DynamoDB client already carries (as core/s3-object.ts),
 * sent through its HTTP handler (core/aws-send.ts). What it keeps from the SDK client (maxAttempts 4, standard retry mode):
 * - the request: same method, path, body (members in the SDK's order), content type, target and
 *   signed `x-amz-content-sha256`; the SDK's own bookkeeping headers (`amz-sdk-invocation-id`,
 *   `amz-sdk-request`, user agents) are left out. kms.test.ts captures both on a local server at a
 *   fixed time and compares them, and re-signs the SDK's request with this signer to the same Authorization;
 * - the endpoint: `AWS_ENDPOINT_URL_KMS`, else `AWS_ENDPOINT_URL`, else `https://kms.<region>.amazonaws.com`
 *   (`.amazonaws.com.cn` in China). FIPS and dual-stack endpoints are not handled (not used);
 * - retries: 4 attempts for throttling (LimitExceededException, ThrottlingException…, 429), 5xx and
 *   network errors or timeouts, with the SDK's backoff (random × min(20 s, base × 2^attempt), base
 *   100 ms, 500 ms when throttled); the SDK's retry quota (a token bucket per client) is not kept;
 * - errors: shaped like the SDK's (`name` from `x-amzn-errortype` or `__type` without namespace,
 *   `message`, `$fault`, `$metadata.httpStatusCode/requestId/attempts`), so isUnavailable
 *   (core/faults/transient.ts) and the logs read them as before.
 * Each attempt has a 10 s timeout (the SDK client had none; the Lambda timeout bounded it).
 */

export type KmsOperation = "GenerateDataKey" | "Decrypt";

/** A KMS error answer, shaped like the SDK's service exceptions. */
export class KmsError extends Error {
  $fault: "client" | "server";
  $metadata: { httpStatusCode?: number; requestId?: string; attempts: number; totalRetryDelay: number };
  $retryable?: { throttling: boolean };
  code?: string;
  constructor(name: string, message: string, status: number | undefined, requestId?: string) {
    super(message);
    this.name = name;
    this.$fault = status !== undefined && status >= 500 ? "server" : "client";
    this.$metadata = { httpStatusCode: status, requestId, attempts: 1, totalRetryDelay: 0 };
    if (THROTTLING.has(name)) this.$retryable = { throttling: true };
  }
}

/** KMS's endpoint: the override variables the SDK reads, else the region's. */
export function kmsEndpoint(region: string): URL {
  const override = process.env.AWS_ENDPOINT_URL_KMS ?? process.env.AWS_ENDPOINT_URL;
  if (override) return new URL(override);
  return new URL(`https://kms.${region}.${region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com"}`);
}

/** The request body of an operation, members in the order the SDK writes them. */
export function kmsBody(op: KmsOperation, input: { KeyId: string; EncryptionContext: Record<string, string>; CiphertextBlob?: Uint8Array; KeySpec?: "AES_256" }): string {
  if (op === "GenerateDataKey") return JSON.stringify({ KeyId: input.KeyId, EncryptionContext: input.EncryptionContext, KeySpec: input.KeySpec });
  return JSON.stringify({ CiphertextBlob: Buffer.from(input.CiphertextBlob ?? new Uint8Array()).toString("base64"), EncryptionContext: input.EncryptionContext, KeyId: input.KeyId });
}

/**
 * Sign one KMS request: its URL and the headers to send (Host is the URL's). `headers` adds
 * headers to sign (the equivalence test passes the SDK's own to re-sign its request).
 */
export async function signKmsRequest(op: KmsOperation | string, body: string, opts: { signingDate?: Date; headers?: Record<string, string> } = {}): Promise<{ url: string; headers: Record<string, string> }> {
  const config = db().config;
  const region = await config.region();
  const at = kmsEndpoint(region);
  const path = at.pathname || "/";
  const host = at.host;
  const headers: Record<string, string> = { "content-type": "application/x-amz-json-1.1", "x-amz-target": `TrentService.${op}`, "content-length": String(Buffer.byteLength(body)), ...opts.headers, host };
  const signer = new SignatureV4({ service: "kms", region, credentials: config.credentials, sha256: config.sha256 });
  const signed = await signer.sign({ method: "POST", protocol: at.protocol, hostname: at.hostname, port: at.port ? Number(at.port) : undefined, path, query: {}, headers, body }, { signingDate: opts.signingDate });
  const { host: _host, ...send } = signed.headers;
  return { url: `${at.protocol}//${host}${path}`, headers: send };
}

function errorOf(status: number, headers: { get(name: string): string | null }, text: string): KmsError {
  let parsed: { __type?: string; code?: string; message?: string; Message?: string } = {};
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    // not JSON (a proxy's answer): named by the status
  }
  const raw = headers.get("x-amzn-errortype") ?? parsed.__type ?? parsed.code ?? `Http${status}`;
  const name = raw.split(":")[0].split("#").pop() || `Http${status}`;
  return new KmsError(name, parsed.message ?? parsed.Message ?? `KMS answered ${status}`, status, headers.get("x-amzn-requestid") ?? undefined);
}

/** One KMS operation with the SDK client's retries; the parsed JSON answer, or a KmsError. */
export async function kmsCall<T>(op: KmsOperation, body: string): Promise<T> {
  let last: AttemptError | undefined;
  let delay = 0;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    if (attempt > 1) delay += await backoff(attempt, last!);
    try {
      const { url, headers } = await signKmsRequest(op, body);
      const res = await awsSend(url, { method: "POST", headers, body, timeoutMs: 10_000 });
      const text = await res.text();
      if (res.ok) return JSON.parse(text) as T;
      last = errorOf(res.status, res.headers, text);
    } catch (e) {
      if (e instanceof KmsError) throw e;
      last = transportError(`KMS ${op}`, e);
    }
    if (last instanceof KmsError) Object.assign(last.$metadata, { attempts: attempt, totalRetryDelay: delay });
    if (!retryable(last)) throw last;
  }
  throw last;
}

const b64 = (s: string | undefined) => Buffer.from(s ?? "", "base64");

/** GenerateDataKey (AES_256): the data key in plaintext and encrypted under the KMS key. */
export async function kmsGenerateDataKey(keyId: string, context: Record<string, string>): Promise<{ plaintext: Buffer; ciphertext: Buffer }> {
  const out = await kmsCall<{ Plaintext?: string; CiphertextBlob?: string }>("GenerateDataKey", kmsBody("GenerateDataKey", { KeyId: keyId, EncryptionContext: context, KeySpec: "AES_256" }));
  return { plaintext: b64(out.Plaintext), ciphertext: b64(out.CiphertextBlob) };
}

/** Decrypt: the plaintext of a blob encrypted under `keyId` with `context`. */
export async function kmsDecrypt(keyId: string, ciphertext: Uint8Array, context: Record<string, string>): Promise<Buffer> {
  const out = await kmsCall<{ Plaintext?: string }>("Decrypt", kmsBody("Decrypt", { KeyId: keyId, CiphertextBlob: ciphertext, EncryptionContext: context }));
  return b64(out.Plaintext);
}
