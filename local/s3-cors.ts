import { createServer, request, type Server } from "node:http";
import { freePort } from "./ports.ts";

const CORS = {
  "access-control-allow-origin": "*",
  "access-control-allow-methods": "GET,PUT,POST,HEAD,DELETE",
  "access-control-allow-headers": "*",
  "access-control-expose-headers": "ETag,x-amz-request-id",
  "access-control-max-age": "600",
};

/**
 * fauxqs' S3 sends no CORS headers, so a browser cannot PUT to a presigned URL (the deployed
 * bucket has a CORS rule: stacks/Storage.ts). This small pass-through in front of it answers
 * preflights and adds the headers; bodies are streamed untouched (fauxqs does not check signatures).
 */
export async function startS3Cors(target: string): Promise<{ url: string; stop(): Promise<void> }> {
  const upstream = new URL(target);
  const port = await freePort();
  const server: Server = createServer((req, res) => {
    if (req.method === "OPTIONS") {
      res.writeHead(204, CORS);
      res.end();
      return;
    }
    const proxied = request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, { ...up.headers, ...CORS });
        up.pipe(res);
      },
    );
    proxied.on("error", () => {
      if (!res.headersSent) res.writeHead(502, CORS);
      res.end();
    });
    req.pipe(proxied);
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () => new Promise<void>((resolve) => { server.closeAllConnections?.(); server.close(() => resolve()); }),
  };
}
