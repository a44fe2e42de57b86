/**
 * Writing zip files on node:zlib (raw deflate and CRC-32 in the runtime, nothing bundled): the
 * container of an .xlsx (core/xlsx/ooxml-write.ts, and an edited upload: ooxml-read.ts). Issue #15:
 * fflate's JavaScript deflate was part of the 12.9 KB it added to every function that wrote a
 * workbook. Deflated entries with a fixed time, so the same parts give the same bytes; the reader
 * is core/unzip.ts.
 */
import { crc32, deflateRawSync } from "node:zlib";

/** 2020-01-01 00:00 as a DOS date and time (the entries' fixed time). */
const DOS_TIME = 0;
const DOS_DATE = ((2020 - 1980) << 9) | (1 << 5) | 1;

/**
 * A zip of `parts` (text as UTF-8), each deflated at `level`: 6 for exports and edited uploads, 1 for
 * the empty templates (#15: with fflate, level 1 took a warm zip of the units template 34 → 20 ms;
 * core/xlsx/template-deflate.test.ts opens a level-1 template in exceljs).
 */
export function zip(parts: Record<string, string | Uint8Array>, level: 1 | 6 = 6): Uint8Array {
  const chunks: Uint8Array[] = [];
  const directory: Uint8Array[] = [];
  let offset = 0;
  const names = Object.keys(parts);
  for (const name of names) {
    const body = parts[name];
    const raw = typeof body === "string" ? Buffer.from(body, "utf8") : body;
    const packed = deflateRawSync(raw, { level });
    const nameBytes = Buffer.from(name, "utf8");
    const crc = crc32(raw);
    const head = (central: boolean) => {
      const b = Buffer.alloc((central ? 46 : 30) + nameBytes.length);
      let i = 0;
      const u16 = (v: number) => (i = b.writeUInt16LE(v, i));
      const u32 = (v: number) => (i = b.writeUInt32LE(v >>> 0, i));
      u32(central ? 0x02014b50 : 0x04034b50);
      if (central) u16(20); // made by
      u16(20); // version needed
      u16(0x800); // UTF-8 names
      u16(8); // deflate
      u16(DOS_TIME);
      u16(DOS_DATE);
      u32(crc);
      u32(packed.length);
      u32(raw.length);
      u16(nameBytes.length);
      u16(0); // extra
      if (central) {
        u16(0); // comment
        u16(0); // disk
        u16(0); // internal attributes
        u32(0); // external attributes
        u32(offset);
      }
      nameBytes.copy(b, i);
      return b;
    };
    const local = head(false);
    directory.push(head(true));
    chunks.push(local, packed);
    offset += local.length + packed.length;
  }
  const size = directory.reduce((a, d) => a + d.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(names.length, 8);
  end.writeUInt16LE(names.length, 10);
  end.writeUInt32LE(size, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...chunks, ...directory, end]));
}
