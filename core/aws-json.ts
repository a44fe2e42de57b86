import { SignatureV4 } from "@smithy/signature-v4";
import { backoff, MAX_ATTEMPTS, retryable, transportError, type AttemptError } from "./aws-retry.ts";
import { awsSend, type AwsAnswer } from "./aws-send.ts";
import { db } from "./db/client.ts";

/*
 * One call of an AWS JSON 1.1 protocol service without its SDK client: the SSM `GetParameter` of the
 * JWT secret (core/auth/secret.ts) and the Secrets Manager `GetSecretValue` of the origin proof
 * (core/web/client-address.ts). Signed with the signer, credentials, region and SHA-256 the DynamoDB
 * client already carries (as core/crypto/kms.ts; until 2026-12-05 aws4fetch, about 7 KB in every
 * function), sent through its HTTP handler (core/aws-send.ts). The request is the SDK client's but
 * its bookkeeping headers (core/aws-json.test.ts compares it with @aws-sdk/client-ssm's and
 * @aws-sdk/client-secrets-manager's at a fixed time, Authorization included). Retries as the SDK
 * client's (core/aws-retry.ts: 4 attempts for throttling, 5xx, timeouts and network errors); each
 * attempt has a 10 s timeout. Every other answer comes back as it is: the callers read the status.
 */

/** The endpoint's URL and the headers to send (Host is the URL's) of one signed call; `headers` adds headers to sign (the test re-signs the SDK's request). */
export async function signAwsJson(service: string, endpoint: string, target: string, body: string, opts: { signingDate?: Date; headers?: Record<string, string> } = {}): Promise<{ url: string; headers: Record<string, string> }> {
  const config = db().config;
  const region = await config.region();
  const at = new URL(endpoint);
  const path = at.pathname || "/";
  const headers: Record<string, string> = { "content-type": "application/x-amz-json-1.1", "x-amz-target": target, "content-length": String(Buffer.byteLength(body)), ...opts.headers, host: at.host };
  const signer = new SignatureV4({ service, region, credentials: config.credentials, sha256: config.sha256 });
  const signed = await signer.sign({ method: "POST", protocol: at.protocol, hostname: at.hostname, port: at.port ? Number(at.port) : undefined, path, query: {}, headers, body }, { signingDate: opts.signingDate });
  const { host: _host, ...send } = signed.headers;
  return { url: `${at.protocol}//${at.host}${path}`, headers: send };
}

/** POST one call (`target`, e.g. `AmazonSSM.GetParameter`) to `endpoint`, signed for `service`; the answer after the SDK's retries. */
export async function awsJsonCall(service: string, endpoint: string, target: string, body: string): Promise<AwsAnswer> {
  let last: AttemptError | undefined;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    if (attempt > 1) await backoff(attempt, last!);
    let res: AwsAnswer;
    try {
      const { url, headers } = await signAwsJson(service, endpoint, target, body);
      res = await awsSend(url, { method: "POST", headers, body, timeoutMs: 10_000 });
    } catch (e) {
      last = transportError(`${target}`, e);
      if (!retryable(last)) throw last;
      continue;
    }
    if (res.ok || attempt === MAX_ATTEMPTS) return res;
    // a throttling answer (400 ThrottlingException…) or a 5xx is tried again, as the SDK does
    const text = await res.text();
    let type = res.headers.get("x-amzn-errortype") ?? "";
    try {
      type ||= String((JSON.parse(text) as { __type?: string }).__type ?? "");
    } catch {
      // not JSON: named by the status
    }
    last = Object.assign(new Error(text.slice(0, 200)), { name: type.split(":")[0].split("#").pop() || `Http${res.status}`, $metadata: { httpStatusCode: res.status } });
    if (!retryable(last)) return res;
  }
  throw last;
}
