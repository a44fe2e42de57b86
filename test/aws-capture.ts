import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll } from "vitest";
import { resetDb } from "../core/db/client.ts";

/**
 * The setting of the signing-equivalence tests (core/crypto/kms.test.ts, core/sqs.test.ts,
 * core/s3-object-sdk.test.ts, core/s3-list.test.ts, core/aws-json.test.ts): one local server that
 * records every request and answers what the test scripts, and the fixed credentials and region our
 * requests and the SDK client's are both signed with. Registers its own beforeAll/afterAll: the
 * environment's AWS_* variables are replaced for the file (the endpoint variables point at the
 * server) and restored after, and the DynamoDB client (whose signer and credentials we use) is
 * created again on both sides.
 */
export interface Captured {
  method: string;
  /** path and query as sent */
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** the body as UTF-8 text */
  text: string;
}

export interface Scripted {
  status: number;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
}

export const ACCESS_KEY_ID = "AKIDEXAMPLE";
export const SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

export interface CaptureServer {
  /** every request so far (tests empty it with `seen.length = 0`) */
  readonly seen: Captured[];
  /** the answer to the next request (a test sets it) */
  answer: (req: Captured) => Scripted;
  port(): number;
  url(): string;
}

/**
 * Start the capture server for this test file. `endpoints` are the variables that point at it
 * (AWS_ENDPOINT_URL_KMS…); `env` adds variables for the file; `token` is the session token.
 */
export function useCaptureServer(opts: { endpoints: string[]; token?: string; region?: string; env?: Record<string, string>; answer?: (req: Captured) => Scripted }): CaptureServer {
  let server: Server;
  const saved = { ...process.env };
  const cap: CaptureServer = {
    seen: [],
    answer: opts.answer ?? (() => ({ status: 200 })),
    port: () => (server.address() as AddressInfo).port,
    url: () => `http://127.0.0.1:${cap.port()}`,
  };
  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const body = Buffer.concat(chunks);
        const r: Captured = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body, text: body.toString("utf8") };
        cap.seen.push(r);
        const a = cap.answer(r);
        const out = a.body === undefined ? Buffer.alloc(0) : Buffer.from(a.body);
        res.writeHead(a.status, { "content-length": String(out.length), ...a.headers });
        res.end(req.method === "HEAD" ? undefined : out);
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    for (const k of Object.keys(process.env)) if (k.startsWith("AWS_")) delete process.env[k];
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: ACCESS_KEY_ID,
      AWS_SECRET_ACCESS_KEY: SECRET_ACCESS_KEY,
      ...(opts.token ? { AWS_SESSION_TOKEN: opts.token } : {}),
      AWS_REGION: opts.region ?? "cn-north-1",
      ...Object.fromEntries(opts.endpoints.map((e) => [e, cap.url()])),
      ...opts.env,
    });
    resetDb();
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
    resetDb();
  });
  return cap;
}

/** The headers an SDK request signed (its Authorization's SignedHeaders). */
export const signedHeaders = (h: IncomingHttpHeaders): string[] => /SignedHeaders=([^,]+)/.exec(String(h.authorization))![1].split(";");

/** The SDK's own bookkeeping headers, which our requests leave out. */
export const SDK_BOOKKEEPING = ["amz-sdk-invocation-id", "amz-sdk-request", "x-amz-user-agent", "user-agent"];

/** The time an `x-amz-date` names (to re-sign a captured request at its own time). */
export const amzDate = (d: string): Date => new Date(`${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 11)}:${d.slice(11, 13)}:${d.slice(13, 15)}Z`);
