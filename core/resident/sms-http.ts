import { createHash, createHmac } from "node:crypto";
import type { Agent, IncomingHttpHeaders } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { nodeHttp } from "../node-http.ts";

/**
 * The one HTTP call of the SMS adapters (core/resident/sms-aliyun.ts, sms-tencent.ts), on node:http
 * (through core/node-http.ts) / node:https: no dependency, and nothing a container does not already
 * load (the AWS SDK's request handler uses the same modules). node:https rather than `fetch` because
 * it takes an `Agent` (tests resolve the provider's host name to a loopback fake with one, as they
 * did with the SDKs) and it gives the connect/idle/read timeouts the SDKs had, where `fetch` only has
 * one abort signal and would load undici on first use.
 *
 * Exactly one attempt, never a retry: a failure after the request may have left is ambiguous (the
 * SMS may have been sent), and core/resident/sms.ts decides what may be retried (`notSent`).
 */
export interface Timeouts {
  /** socket idle timeout, from the start (Aliyun's SDK: its connect timeout, set as the socket's timeout) */
  idleMs?: number;
  /** from the socket's connection to the end of the answer's body (Aliyun's SDK: read timeout) */
  afterConnectMs?: number;
  /** from the start to the answer's status line and headers (Tencent's SDK: node-fetch `timeout`) */
  toHeadersMs?: number;
  /** from the headers to the end of the body (Tencent's SDK: node-fetch's body timeout, the same value) */
  bodyMs?: number;
}

export interface Answer {
  status: number;
  statusText: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A transport failure (no answer): `code` is Node's (ECONNREFUSED, ECONNRESET, …) or `timeout`. */
export class TransportError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
  /** the request certainly never reached the provider (nothing was sent): safe to retry */
  get notSent(): boolean {
    return NOT_SENT.has(this.code);
  }
}
const NOT_SENT = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN"]);

/** An answer larger than this is not an SMS API answer (they are a few hundred bytes). */
const MAX_BODY = 1 << 20;

/** keep-alive agents of a warm container (Aliyun's SDK kept connections alive too) */
const keepAlive = { http: new nodeHttp.Agent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };

export function send(url: URL, init: { method: "POST"; headers: Record<string, string>; body?: string; agent?: Agent; keepAlive?: boolean; timeouts: Timeouts }): Promise<Answer> {
  const https = url.protocol === "https:";
  const agent = init.agent ?? (init.keepAlive ? (https ? keepAlive.https : keepAlive.http) : undefined);
  const t = init.timeouts;
  return new Promise<Answer>((resolve, reject) => {
    const timers: NodeJS.Timeout[] = [];
    let done = false;
    const finish = (err: Error | undefined, answer?: Answer) => {
      if (done) return;
      done = true;
      for (const x of timers) clearTimeout(x);
      if (err) {
        req.destroy();
        reject(err);
      } else resolve(answer!);
    };
    const timer = (ms: number | undefined, what: string) => {
      if (ms === undefined) return;
      const x = setTimeout(() => finish(new TransportError("timeout", `${what} (${ms} ms)`)), ms);
      x.unref();
      timers.push(x);
    };
    const options = { method: init.method, headers: init.headers, ...(agent ? { agent } : {}), ...(t.idleMs !== undefined ? { timeout: t.idleMs } : {}) };
    const req = (https ? httpsRequest : nodeHttp.request)(url, options);
    req.on("timeout", () => finish(new TransportError("timeout", `no traffic for ${t.idleMs} ms`)));
    req.on("error", (e: NodeJS.ErrnoException) => finish(new TransportError(e.code ?? "network", e.message)));
    timer(t.toHeadersMs, "no answer in time");
    req.once("socket", (socket) => {
      // a reused keep-alive socket is connected already
      if (socket.connecting) socket.once("connect", () => timer(t.afterConnectMs, "answer not read in time"));
      else timer(t.afterConnectMs, "answer not read in time");
    });
    req.on("response", (res) => {
      timer(t.bodyMs, "answer's body not read in time");
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (c: Buffer) => {
        size += c.length;
        if (size > MAX_BODY) finish(new TransportError("EMSGSIZE", `answer larger than ${MAX_BODY} bytes`));
        else chunks.push(c);
      });
      res.on("error", (e: NodeJS.ErrnoException) => finish(new TransportError(e.code ?? "network", e.message)));
      res.on("end", () => finish(undefined, { status: res.statusCode ?? 0, statusText: res.statusMessage ?? "", headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
    });
    req.end(init.body);
  });
}

export const sha256hex = (s: string | Buffer): string => createHash("sha256").update(s).digest("hex");
export const hmacSha256 = (key: string | Buffer, s: string): Buffer => createHmac("sha256", key).update(s).digest();
