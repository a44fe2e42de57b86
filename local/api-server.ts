import { createServer, type IncomingMessage, type ServerResponse, type Server } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { extname, join, normalize } from "node:path";
import { randomUUID } from "node:crypto";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { routes, routeKey, type Route } from "../functions/routes.ts";
import { writeAreaEntries } from "../functions/area-entries.ts";
import { registerRoutes } from "../functions/route-registry.ts";
import { areaHandler, areaOf } from "../functions/areas.ts";
import { compileRoute, compileRoutes, matchRoute, type CompiledRoute } from "../functions/match.ts";
import { loadHandler } from "./handlers.ts";

export interface ControlRoutes {
  [key: string]: (body: any, params: Record<string, string>) => Promise<unknown>;
}

let apiDocs: Promise<unknown> | undefined;

/**
 * Builds the docs files once per process, from the code as it is now (functions/docs/build.ts),
 * into a folder of this process's own (parallel stacks share the checkout), which its handlers read.
 */
function ensureApiDocs(): Promise<unknown> {
  apiDocs ??= import("../functions/docs/build.ts").then(async ({ writeApiDocs }) => {
    const dir = mkdtempSync(join(tmpdir(), "wangge-apidocs-"));
    process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
    process.env.WANGGE_DOCS_DIR = writeApiDocs(dir);
    (await import("../functions/docs/static.ts")).resetApiDocs();
  });
  apiDocs.catch(() => (apiDocs = undefined));
  return apiDocs;
}

/** The one matcher of the route table (functions/match.ts), also used by the area functions. */
function compile(route: Route): CompiledRoute {
  return compileRoute(route);
}

const MAX_REQUEST = 12 * 1024 * 1024;
const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".css": "text/css",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".json": "application/json",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
};

/**
 * The local API Gateway: turns HTTP requests into APIGatewayProxyEventV2 events for the
 * handlers of the route table, serves the built console at `/`, and local-only control routes
 * under `/_local` (never deployed).
 */
export function startApiServer(opts: { port: number; host?: string; staticDir?: string; control: ControlRoutes; isReady?: () => boolean; staticHeaders?: Record<string, string>; residentHeaders?: Record<string, string> }): Promise<Server> {
  // the entry files of the area functions, generated from the route table as `sst deploy` does
  writeAreaEntries();
  // each area function registers its slice of the table when it is first loaded; the whole table here, so a handler this
  // process calls directly (tests, tools) is served by the same wrapper with the same declarations (functions/route-registry.ts)
  registerRoutes(routes);
  // static segments first so `/v1/units/locate` wins over `/v1/units/{id}`
  const compiled = compileRoutes(routes);

  const server = createServer(async (req, res) => {
    try {
      await handle(req, res);
    } catch (e) {
      if (!res.headersSent) send(res, 500, { error: { code: "internal", message: "Internal error", details: null } });
      console.error(e);
    }
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", "http://local");
    const method = (req.method ?? "GET").toUpperCase();
    if (method === "OPTIONS") return cors(res, 204);
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of req) {
      size += c.length;
      if (size > MAX_REQUEST) return send(res, 413, { error: { code: "payload_too_large", message: "Request too large", details: null } });
      chunks.push(c);
    }
    const raw = Buffer.concat(chunks);

    if (url.pathname.startsWith("/_local/")) {
      const key = `${method} ${url.pathname}`;
      for (const [pattern, fn] of Object.entries(opts.control)) {
        const c = compile({ method: pattern.split(" ")[0] as Route["method"], path: pattern.split(" ")[1], handler: "", permission: "public" });
        const m = c.re.exec(url.pathname);
        if (m && key.startsWith(`${pattern.split(" ")[0]} `)) {
          const params = Object.fromEntries(c.names.map((n, i) => [n, decodeURIComponent(m[i + 1])]));
          try {
            const body = raw.length ? JSON.parse(raw.toString("utf8")) : {};
            return send(res, 200, (await fn(body, params)) ?? { ok: true });
          } catch (e) {
            return send(res, 400, { error: { code: "invalid", message: (e as Error).message, details: null } });
          }
        }
      }
      return send(res, 404, { error: { code: "not_found", message: "No such local control route", details: null } });
    }

    // until the stack says it is ready (demo county seeded), the API answers 503 so a client that polls
    // /v1/health never logs in against a half-seeded county
    if (opts.isReady && !opts.isReady() && (url.pathname.startsWith("/v1/") || url.pathname.startsWith("/open311/"))) {
      res.setHeader("retry-after", "1");
      return send(res, 503, { error: { code: "starting", message: "The local stack is starting (seeding the demo county)", details: null } });
    }

    const matched = matchRoute(compiled, method, url.pathname);
    if (matched) {
      const event = toEvent(req, url, raw, matched.route, matched.params);
      // the API reference and OpenAPI document are built files, as sst.config.ts builds them before a deploy (functions/docs/static.ts)
      if (matched.route.handler.startsWith("functions/docs/")) await ensureApiDocs();
      // the deployed shape: the route's area function (functions/_areas, functions/router.ts) serves it
      const fn = await loadHandler(areaHandler(areaOf(matched.route)));
      const out = await fn(event, lambdaContext(event.requestContext.requestId));
      res.statusCode = out.statusCode ?? 200;
      for (const [k, v] of Object.entries(out.headers ?? {})) res.setHeader(k, String(v));
      corsHeaders(res);
      return res.end(out.body ?? "", out.isBase64Encoded ? "base64" : "utf8");
    }

    if (url.pathname.startsWith("/v1/") || url.pathname.startsWith("/open311/")) {
      return send(res, 404, { error: { code: "not_found", message: `No route for ${method} ${url.pathname}`, details: null } });
    }
    // the resident page has its own, stricter headers (core/web/console-headers.ts residentCsp)
    const pageHeaders = url.pathname.startsWith("/resident/") && opts.residentHeaders ? opts.residentHeaders : opts.staticHeaders;
    if (opts.staticDir && (method === "GET" || method === "HEAD")) return serveStatic(opts.staticDir, url.pathname, res, pageHeaders);
    send(res, 404, { error: { code: "not_found", message: "Not found", details: null } });
  }

  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host ?? "127.0.0.1", () => resolve(server));
  });
}

function toEvent(req: IncomingMessage, url: URL, raw: Buffer, route: Route, pathParameters: Record<string, string>): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(",") : v;
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = k in query ? `${query[k]},${v}` : v;
  const type = headers["content-type"] ?? "";
  const textual = !raw.length || /json|text|x-www-form-urlencoded|xml/.test(type);
  const now = Date.now();
  const requestId = randomUUID();
  return {
    version: "2.0",
    routeKey: routeKey(route),
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    queryStringParameters: Object.keys(query).length ? query : undefined,
    pathParameters: Object.keys(pathParameters).length ? pathParameters : undefined,
    body: raw.length ? (textual ? raw.toString("utf8") : raw.toString("base64")) : undefined,
    isBase64Encoded: raw.length > 0 && !textual,
    requestContext: {
      accountId: "000000000000",
      apiId: "local",
      domainName: headers.host ?? "localhost",
      domainPrefix: "local",
      http: {
        method: route.method,
        path: url.pathname,
        protocol: "HTTP/1.1",
        sourceIp: req.socket.remoteAddress ?? "127.0.0.1",
        userAgent: headers["user-agent"] ?? "",
      },
      requestId,
      routeKey: routeKey(route),
      stage: "$default",
      time: new Date(now).toISOString(),
      timeEpoch: now,
    },
  } as APIGatewayProxyEventV2;
}

export function lambdaContext(requestId: string) {
  return {
    awsRequestId: requestId,
    functionName: "local",
    functionVersion: "$LATEST",
    invokedFunctionArn: "arn:aws:lambda:local:000000000000:function:local",
    memoryLimitInMB: "512",
    logGroupName: "local",
    logStreamName: "local",
    callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => 30_000,
    done() {},
    fail() {},
    succeed() {},
  };
}

function corsHeaders(res: ServerResponse) {
  res.setHeader("access-control-allow-origin", "*");
  res.setHeader("access-control-allow-headers", "authorization,content-type,idempotency-key,x-api-key,if-match,x-wangge-session");
  res.setHeader("access-control-allow-methods", "GET,POST,PUT,PATCH,DELETE,OPTIONS");
}

function cors(res: ServerResponse, status: number) {
  corsHeaders(res);
  res.statusCode = status;
  res.end();
}

function send(res: ServerResponse, status: number, body: unknown) {
  res.statusCode = status;
  res.setHeader("content-type", "application/json; charset=utf-8");
  res.end(JSON.stringify(body));
}

async function serveStatic(dir: string, pathname: string, res: ServerResponse, headers: Record<string, string> = {}) {
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  const clean = normalize(decodeURIComponent(pathname)).replace(/^(\.\.[/\\])+/, "");
  let file = join(dir, clean);
  if (!file.startsWith(dir)) return send(res, 404, { error: { code: "not_found", message: "Not found", details: null } });
  try {
    if ((await stat(file)).isDirectory()) file = join(file, "index.html");
  } catch {
    file = join(dir, "index.html"); // single-page app fallback
  }
  try {
    const data = await readFile(file);
    res.setHeader("content-type", TYPES[extname(file)] ?? "application/octet-stream");
    res.end(data);
  } catch {
    res.statusCode = 404;
    res.setHeader("content-type", "text/plain; charset=utf-8");
    res.end("The console is not built yet: run `npm run build:admin`.");
  }
}
