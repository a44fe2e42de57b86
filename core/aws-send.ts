import type { HttpRequest, HttpResponse } from "@smithy/types";
import { db } from "./db/client.ts";

/*
 * The transport of our signed AWS requests (core/sqs.ts, core/crypto/kms.ts, core/s3-object.ts and the
 * SSM / Secrets Manager reads of core/aws-json.ts): the DynamoDB client's own request handler
 * (`@smithy/node-http-handler` over node:http / node:https, already in every bundle and, after the
 * first DynamoDB call, already holding a kept-alive connection pool) instead of `fetch`. Node's
 * fetch is undici, loaded on its first use: about 45 ms of a cold function's first signed request
 * (docs/deploy.md "Cold path"). The answer is read whole (every call we send reads or writes one
 * small document or object) and offered with the few members of a fetch Response we use.
 * No `accept-encoding` is sent, so nothing is compressed on the way back (fetch decoded it; none of
 * our objects is stored with a Content-Encoding).
 */

/** The answer of one request: status, headers (lower-case names) and the whole body. */
export interface AwsAnswer {
  status: number;
  ok: boolean;
  headers: { get(name: string): string | null };
  bytes: Uint8Array;
  text(): Promise<string>;
}

export interface AwsRequest {
  method: "GET" | "HEAD" | "PUT" | "POST" | "DELETE";
  /** the signed headers (Host is taken from the URL, as signed) */
  headers: Record<string, string>;
  body?: string | Uint8Array;
  /** for the whole exchange, answer body included: a `TimeoutError` when it runs out */
  timeoutMs: number;
}

/** A transport failure, named as fetch's were (`TimeoutError`, else the socket error with its `code`). */
function timeoutError(url: URL, ms: number): Error {
  const e = new Error(`${url.host}: no answer within ${ms} ms`);
  e.name = "TimeoutError";
  return e;
}

/** Send one signed request to `url` through the DynamoDB client's HTTP handler; every status comes back, only transport failures throw. */
export async function awsSend(url: string, req: AwsRequest): Promise<AwsAnswer> {
  const at = new URL(url);
  // the client's NodeHttpHandler (its `handle` takes a smithy HttpRequest: these fields)
  const handler = db().config.requestHandler as unknown as { handle(r: HttpRequest, o: { abortSignal: AbortSignal }): Promise<{ response: HttpResponse }> };
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), req.timeoutMs);
  try {
    const { response } = await handler.handle(
      {
        method: req.method,
        protocol: at.protocol,
        hostname: at.hostname,
        port: at.port ? Number(at.port) : undefined,
        path: `${at.pathname}${at.search}`,
        query: {},
        headers: { ...req.headers, host: at.host },
        body: req.body,
      },
      { abortSignal: abort.signal },
    );
    const chunks: Buffer[] = [];
    if (response.body) for await (const c of response.body as AsyncIterable<Buffer>) chunks.push(c);
    const bytes = new Uint8Array(Buffer.concat(chunks));
    const headers = response.headers;
    return {
      status: response.statusCode,
      ok: response.statusCode >= 200 && response.statusCode < 300,
      headers: { get: (name) => headers[name.toLowerCase()] ?? null },
      bytes,
      text: async () => Buffer.from(bytes).toString("utf8"),
    };
  } catch (e) {
    if (abort.signal.aborted) throw timeoutError(at, req.timeoutMs);
    throw e;
  } finally {
    clearTimeout(timer);
  }
}
