/**
 * A tiny server for browser tests and benches: the built console (admin/dist, single-page app
 * fallback to index.html) on one origin, `/v1/*` proxied to an API (the shared embedded stack).
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import type { AddressInfo } from "node:net";

export const consoleDist = process.env.WANGGE_CONSOLE_DIST ? `${process.env.WANGGE_CONSOLE_DIST.replace(/\/$/, "")}/` : fileURLToPath(new URL("../../admin/dist/", import.meta.url));

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
};

/** Hop-by-hop and length headers that must not be copied between the two legs. */
const SKIP = new Set(["host", "connection", "content-length", "transfer-encoding", "content-encoding", "keep-alive"]);

async function body(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

async function proxy(api: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined && !SKIP.has(k)) headers[k] = Array.isArray(v) ? v.join(",") : v;
  // the host the browser called, as the console's CloudFront passes it to the API (the session cookie's Origin check, core/user/cookie.ts)
  if (req.headers.host) headers["x-forwarded-host"] = req.headers.host;
  const method = req.method ?? "GET";
  const payload = method === "GET" || method === "HEAD" ? undefined : await body(req);
  const upstream = await fetch(api + (req.url ?? "/"), { method, headers, body: payload?.length ? new Uint8Array(payload) : undefined });
  res.statusCode = upstream.status;
  upstream.headers.forEach((v, k) => {
    if (!SKIP.has(k)) res.setHeader(k, v);
  });
  res.end(Buffer.from(await upstream.arrayBuffer()));
}

async function file(dir: string, pathname: string, res: ServerResponse): Promise<void> {
  const clean = normalize(decodeURIComponent(pathname)).replace(/^(\.\.[/\\])+/, "");
  let path = join(dir, clean);
  if (!path.startsWith(dir)) path = join(dir, "index.html");
  try {
    if ((await stat(path)).isDirectory()) path = join(path, "index.html");
  } catch {
    path = join(dir, "index.html");
  }
  const data = await readFile(path);
  res.setHeader("content-type", TYPES[extname(path)] ?? "application/octet-stream");
  if (path.includes(`${join(dir, "assets")}`)) res.setHeader("cache-control", "public, max-age=31536000, immutable");
  res.end(data);
}

export interface ConsoleServer {
  url: string;
  close(): Promise<void>;
}

/** Serve `dir` (default admin/dist) on a free port, `/v1/*` proxied to `api`. */
export function serveConsole(api: string, dir = consoleDist): Promise<ConsoleServer> {
  const server = createServer((req, res) => {
    const pathname = new URL(req.url ?? "/", "http://local").pathname;
    const work = pathname.startsWith("/v1/") ? proxy(api.replace(/\/+$/, ""), req, res) : file(dir, pathname, res);
    work.catch((e: Error) => {
      if (!res.headersSent) res.statusCode = 502;
      res.end(String(e.message));
    });
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () => new Promise<void>((r) => server.close(() => r())),
      });
    });
  });
}
