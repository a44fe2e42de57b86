import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inflateSync } from "node:zlib";
import { dataCodewords, encodeQr, finalCodewords, formatBits, MAX_VERSION, penalty, reedSolomon, versionBits, versionFor } from "./qr.ts";
import { crc32, qrPng, qrSvg } from "./qr-image.ts";
import { requireTool } from "../../test/tools.ts";

const hasZbar = requireTool(
  "zbarimg",
  (() => {
    try {
      execFileSync("zbarimg", ["--version"], { stdio: "ignore" });
      return true;
    } catch {
      return false;
    }
  })(),
  "apt-get install zbar-tools",
);

describe("QR encoder", () => {
  it("computes the Reed–Solomon codewords of the standard's HELLO WORLD 1-M example", () => {
    const data = [32, 91, 11, 120, 209, 114, 220, 77, 67, 64, 236, 17, 236, 17, 236, 17];
    expect(reedSolomon(data, 10)).toEqual([196, 35, 39, 119, 235, 215, 231, 226, 93, 23]);
  });

  it("produces the published format strings of level M and the version strings of 7 and 10", () => {
    expect(formatBits(0).toString(2).padStart(15, "0")).toBe("101010000010010");
    expect(formatBits(1).toString(2).padStart(15, "0")).toBe("101000100100101");
    expect(formatBits(7).toString(2).padStart(15, "0")).toBe("100101010100000");
    expect(versionBits(7)).toBe(0x07c94);
    expect(versionBits(10)).toBe(0x0a4d3);
  });

  it("picks the smallest version that holds the payload and refuses payloads over version 10", () => {
    expect(versionFor(14)).toBe(1);
    expect(versionFor(15)).toBe(2);
    expect(versionFor(62)).toBe(4);
    expect(versionFor(63)).toBe(5);
    expect(versionFor(213)).toBe(MAX_VERSION);
    expect(() => versionFor(214)).toThrow(RangeError);
  });

  it("pads data codewords to the capacity with 0xEC 0x11 and interleaves blocks of unequal length", () => {
    const d = dataCodewords(new TextEncoder().encode("ab"), 1);
    expect(d).toHaveLength(16);
    expect(d.slice(-4)).toEqual([236, 17, 236, 17]);
    const v9 = dataCodewords(new Uint8Array(150).fill(97), 9);
    expect(finalCodewords(v9, 9)).toHaveLength(292);
  });

  it("draws finder patterns, timing lines and the dark module on every symbol", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 200 }).filter((s) => new TextEncoder().encode(s).length <= 213), (text) => {
        const q = encodeQr(text);
        const n = q.size;
        expect(n).toBe(q.version * 4 + 17);
        for (const [x0, y0] of [[0, 0], [n - 7, 0], [0, n - 7]]) {
          for (let i = 0; i < 7; i++) {
            expect(q.modules[y0][x0 + i]).toBe(true);
            expect(q.modules[y0 + 6][x0 + i]).toBe(true);
            expect(q.modules[y0 + i][x0]).toBe(true);
          }
          expect(q.modules[y0 + 3][x0 + 3]).toBe(true);
          expect(q.modules[y0 + 1][x0 + 1]).toBe(false);
        }
        for (let i = 8; i < n - 8; i++) {
          expect(q.modules[6][i]).toBe(i % 2 === 0);
          expect(q.modules[i][6]).toBe(i % 2 === 0);
        }
        expect(q.modules[n - 8][8]).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it("chooses the mask with the lowest penalty", () => {
    const text = "https://console.example.cn/resident/?grid=350206001001001";
    const chosen = encodeQr(text);
    const scores = Array.from({ length: 8 }, (_, m) => penalty(encodeQr(text, { mask: m }).modules));
    expect(penalty(chosen.modules)).toBe(Math.min(...scores));
  });

  it.runIf(hasZbar)("produces symbols a real decoder reads back at every version and mask (zbarimg present)", () => {
    const dir = mkdtempSync(join(tmpdir(), "qr-"));
    try {
      const cases = [1, 14, 26, 42, 62, 84, 106, 122, 152, 180, 213].map((len, i) => ({ text: Array.from({ length: len }, (_, j) => String.fromCharCode(33 + ((j * 7 + len) % 90))).join(""), mask: i % 8 }));
      cases.push({ text: "网格化便民服务码 https://console.example.cn/resident/?grid=350206001001001", mask: 5 });
      for (const [i, c] of cases.entries()) {
        const file = join(dir, `${i}.png`);
        writeFileSync(file, qrPng(encodeQr(c.text, { mask: c.mask }), 4));
        const out = execFileSync("zbarimg", ["-q", "--raw", file], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
        expect(out.replace(/\n$/, "")).toBe(c.text);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("QR images", () => {
  it("renders an SVG with a quiet zone and one path of dark modules", () => {
    const q = encodeQr("https://example.cn/resident/?grid=1");
    const svg = qrSvg(q, { title: "第1网格 <&>" });
    const full = q.size + 8;
    expect(svg).toContain(`viewBox="0 0 ${full} ${full}"`);
    expect(svg).toContain("<title>第1网格 &lt;&amp;&gt;</title>");
    expect(svg.match(/<path /g)).toHaveLength(1);
  });

  it("writes a valid grayscale PNG whose pixels match the modules", () => {
    const q = encodeQr("PNG check");
    const scale = 3;
    const png = qrPng(q, scale);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const px = (q.size + 8) * scale;
    expect(png.readUInt32BE(16)).toBe(px);
    // every chunk's CRC is right
    let at = 8;
    let idat = Buffer.alloc(0);
    while (at < png.length) {
      const len = png.readUInt32BE(at);
      const body = png.subarray(at + 4, at + 8 + len);
      expect(png.readUInt32BE(at + 8 + len)).toBe(crc32(body));
      if (body.subarray(0, 4).toString("ascii") === "IDAT") idat = Buffer.concat([idat, body.subarray(4)]);
      at += 12 + len;
    }
    const raw = inflateSync(idat);
    const pixel = (x: number, y: number) => raw[y * (px + 1) + 1 + x];
    expect(pixel(0, 0)).toBe(255); // quiet zone
    expect(pixel(4 * scale, 4 * scale)).toBe(0); // finder corner
    for (let y = 0; y < q.size; y++) for (let x = 0; x < q.size; x++) expect(pixel((x + 4) * scale + 1, (y + 4) * scale + 1)).toBe(q.modules[y][x] ? 0 : 255);
  });
});
