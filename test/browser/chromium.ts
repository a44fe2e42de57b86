/**
 * Headless Chromium for browser tests and benches: the Debian binary (never a downloaded one),
 * a PNG made on the spot, and a stand-in for the bucket's CORS rules.
 */
import { existsSync } from "node:fs";
import { deflateSync } from "node:zlib";
import { chromium, type Browser, type Page } from "playwright-core";
import { requireTool } from "../tools.ts";

export const CHROMIUM = "/usr/bin/chromium";
/** Chromium present? Under CI=true a missing one throws (the browser tests fail, never skip). */
export const hasChromium = (): boolean => requireTool("Chromium", existsSync(CHROMIUM), "apt-get install chromium fonts-noto-cjk");

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
  });
}

/**
 * The bucket in AWS allows browser PUTs and GETs from any origin (stacks/Storage.ts CORS rules);
 * the local S3 emulator answers no CORS preflight. Requests to presigned URLs are therefore
 * forwarded from Node, with the CORS headers the real bucket would add.
 */
export async function bridgePresignedUrls(page: Page): Promise<void> {
  await page.route(/[?&]X-Amz-Signature=/, async (route) => {
    const req = route.request();
    const cors = { "access-control-allow-origin": "*", "access-control-allow-methods": "GET,PUT,HEAD", "access-control-allow-headers": "*" };
    if (req.method() === "OPTIONS") return route.fulfill({ status: 204, headers: cors });
    const headers = { ...(await req.allHeaders()) };
    for (const h of ["host", "origin", "referer", "connection", "content-length"]) delete headers[h];
    for (const h of Object.keys(headers)) if (h.startsWith(":") || h.startsWith("sec-")) delete headers[h];
    const body = req.postDataBuffer();
    const res = await fetch(req.url(), { method: req.method(), headers, body: body && body.length ? new Uint8Array(body) : undefined });
    const out: Record<string, string> = { ...cors };
    res.headers.forEach((v, k) => {
      if (!["content-length", "content-encoding", "transfer-encoding", "connection"].includes(k)) out[k] = v;
    });
    await route.fulfill({ status: res.status, headers: out, body: Buffer.from(await res.arrayBuffer()) });
  });
}

/** A small valid PNG (RGB gradient), for photo uploads. */
export function makePng(width = 64, height = 48): Buffer {
  const table = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Buffer) => {
    let c = 0xffffffff;
    for (const x of b) c = table[(c ^ x) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, sum]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // truecolor
  const stride = width * 3 + 1;
  const raw = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = y * stride + 1 + x * 3;
      raw[o] = Math.round((x / width) * 255);
      raw[o + 1] = 140;
      raw[o + 2] = Math.round((y / height) * 255);
    }
  }
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk("IHDR", ihdr), chunk("IDAT", deflateSync(raw)), chunk("IEND", Buffer.alloc(0))]);
}
