/**
 * One webhook POST over HTTP(S), safe against server-side request forgery:
 * - the receiver's hostname is resolved once, here, and every address it resolves to must be a
 *   public unicast address (loopback only on the local stage): a name that points at loopback,
 *   a private or link-local network or the cloud metadata address (169.254.169.254) is refused;
 * - the connection then goes to the address that was checked (the request's `lookup` is pinned
 *   to it), so a DNS answer that changes between the check and the connect (DNS rebinding) cannot
 *   redirect the delivery. TLS still verifies the certificate against the hostname (SNI).
 * A hard timeout covers resolve, connect, response and body; redirects are never followed.
 */
import { lookup as dnsLookup } from "node:dns/promises";
import type { IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { isIP, type LookupFunction } from "node:net";
import { nodeHttp } from "../node-http.ts";
import { isLoopbackHost, isNonPublicIp } from "./url.ts";

export const TIMEOUT_MS = 5_000;
const RESPONSE_CHARS = 200;

export interface PostResult {
  ok: boolean;
  statusCode?: number;
  error?: string;
  durationMs: number;
  response?: string;
}

export interface Address {
  address: string;
  family: number;
}

export type Resolve = (host: string) => Promise<Address[]>;

const systemResolve: Resolve = (host) => dnsLookup(host, { all: true, verbatim: true });

/** The address to connect to, or why the host is refused. Every resolved address must be allowed. */
export async function checkedAddress(hostname: string, allowLoopback: boolean, resolve: Resolve = systemResolve): Promise<Address | { refused: string }> {
  const host = hostname.replace(/^\[|\]$/g, "");
  let addresses: Address[];
  if (isIP(host)) addresses = [{ address: host, family: isIP(host) }];
  else {
    try {
      addresses = await resolve(host);
    } catch (e) {
      return { refused: `cannot resolve ${host} (${(e as { code?: string }).code ?? (e as Error).message})` };
    }
  }
  if (!addresses.length) return { refused: `cannot resolve ${host}` };
  for (const a of addresses) {
    if (allowLoopback && isLoopbackHost(a.address)) continue;
    if (isNonPublicIp(a.address) || isLoopbackHost(a.address)) return { refused: `${host} resolves to a non-public address (${a.address})` };
  }
  return addresses[0];
}

/** Read at most `max` characters of a response body, then drop the rest. */
function head(res: IncomingMessage, max: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => resolve(Buffer.concat(chunks).toString("utf8").slice(0, max) || undefined);
    res.on("data", (c: Buffer) => {
      chunks.push(c);
      size += c.length;
      if (size >= max * 4) {
        res.destroy();
        done();
      }
    });
    res.on("end", done);
    res.on("error", done);
    res.on("close", done);
  });
}

export interface PostOptions {
  timeoutMs?: number;
  /** the local stage delivers to loopback receivers */
  allowLoopback?: boolean;
  resolve?: Resolve;
}

/** POST `body` to `url` once, to the checked address; receiver problems are results, never throws. */
export async function postJson(url: string, body: string, headers: Record<string, string>, opts: PostOptions = {}): Promise<PostResult> {
  const timeoutMs = opts.timeoutMs ?? TIMEOUT_MS;
  const t0 = performance.now();
  const ms = () => Math.round(performance.now() - t0);
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { ok: false, durationMs: ms(), error: "not a valid URL" };
  }
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), timeoutMs);
  try {
    const target = await Promise.race([
      checkedAddress(u.hostname, opts.allowLoopback ?? false, opts.resolve),
      new Promise<never>((_, reject) => ac.signal.addEventListener("abort", () => reject(new Error("aborted")))),
    ]);
    if ("refused" in target) return { ok: false, durationMs: ms(), error: `refused: ${target.refused}` };
    const pinned: LookupFunction = (_host, options, cb) => {
      if (options.all) (cb as unknown as (e: null, a: Address[]) => void)(null, [target]);
      else cb(null, target.address, target.family);
    };
    const send = u.protocol === "https:" ? httpsRequest : nodeHttp.request;
    return await new Promise<PostResult>((resolve) => {
      const req = send(u, { method: "POST", headers: { ...headers, "content-length": String(Buffer.byteLength(body)) }, lookup: pinned, signal: ac.signal }, (res) => {
        const statusCode = res.statusCode ?? 0;
        const ok = statusCode >= 200 && statusCode < 300;
        void head(res, RESPONSE_CHARS).then((response) => resolve({ ok, statusCode, durationMs: ms(), response, error: ok ? undefined : `HTTP ${statusCode}` }));
      });
      req.on("error", (e: Error & { code?: string }) =>
        resolve({ ok: false, durationMs: ms(), error: ac.signal.aborted ? `timed out after ${timeoutMs} ms` : `${e.message}${e.code && !e.message.includes(e.code) ? ` (${e.code})` : ""}`.slice(0, 300) }),
      );
      req.end(body);
    });
  } catch (e) {
    return { ok: false, durationMs: ms(), error: ac.signal.aborted ? `timed out after ${timeoutMs} ms` : (e as Error).message.slice(0, 300) };
  } finally {
    clearTimeout(timer);
  }
}
