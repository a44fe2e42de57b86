import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { verifySignature } from "../core/webhook/sign.ts";

/** One POST the receiver took: its delivery id and event header, and whether its signature checked out. */
export interface Received {
  deliveryId: string;
  eventType: string;
  signed: boolean;
}

export interface WebhookReceiver {
  /** `http://127.0.0.1:<port>/hooks/wangge`: the URL a partner subscribes (http to loopback: the local stage only, core/webhook/url.ts) */
  url: string;
  /** the subscription's signing secret, once created (the receiver checks each delivery's signature with it) */
  secret?: string;
  /** every delivery POSTed, by delivery id (the last attempt of each) */
  received: Map<string, Received>;
  close(): Promise<void>;
}

const bodyOf = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });

/**
 * A partner's webhook endpoint for the bundles bench (the webhooks consumer's cold run POSTs here):
 * listens on 127.0.0.1 only, answers every POST 200 and records its delivery id, event type and
 * whether its `x-wangge-signature` matches the subscription's secret (as a partner checks it).
 */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received = new Map<string, Received>();
  const receiver: WebhookReceiver = { url: "", received, close: async () => {} };
  const server = createServer(async (req, res) => {
    const body = await bodyOf(req).catch(() => "");
    const h = (name: string) => String(req.headers[name] ?? "");
    if (req.method === "POST" && h("x-wangge-delivery")) {
      const signed = receiver.secret !== undefined && verifySignature({ secret: receiver.secret, body, timestamp: h("x-wangge-timestamp"), signature: h("x-wangge-signature"), nowSeconds: Math.floor(Date.now() / 1000) });
      received.set(h("x-wangge-delivery"), { deliveryId: h("x-wangge-delivery"), eventType: h("x-wangge-event"), signed });
    }
    res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/wangge`;
  receiver.close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return receiver;
}
