import { describe, it, expect } from "vitest";
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { localWrapper, readOrCreateKeyFile, wrapperFor } from "./wrap.ts";

describe("local key wrapping (no KMS)", () => {
  it("creates a 32-byte key file on first use with mode 0600, and reads the same key after", () => {
    const file = join(mkdtempSync(join(tmpdir(), "wangge-key-")), "sub", "registry.key");
    const a = readOrCreateKeyFile(file);
    expect(a).toHaveLength(32);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readOrCreateKeyFile(file).equals(a)).toBe(true);
    expect(readFileSync(file, "utf8").trim()).toBe(a.toString("base64url"));
  });

  it("wraps data keys so only the same master key unwraps them", async () => {
    const dir = mkdtempSync(join(tmpdir(), "wangge-key-"));
    const w = localWrapper(readOrCreateKeyFile(join(dir, "a.key")));
    const other = localWrapper(readOrCreateKeyFile(join(dir, "b.key")));
    const { plaintext, wrapped } = await w.generate();
    expect(plaintext).toHaveLength(32);
    expect(Buffer.from(wrapped, "base64").includes(plaintext)).toBe(false);
    expect((await w.unwrap(wrapped)).equals(plaintext)).toBe(true);
    await expect(other.unwrap(wrapped)).rejects.toThrow();
    expect(w.keyId).toMatch(/^local:[0-9a-f]{16}$/);
    expect(w.keyId).not.toBe(other.keyId);
  });

  it("refuses to open a data key wrapped by another local key file", () => {
    const prev = process.env.WANGGE_LOCAL_KEY_FILE;
    process.env.WANGGE_LOCAL_KEY_FILE = join(mkdtempSync(join(tmpdir(), "wangge-key-")), "x.key");
    try {
      expect(() => wrapperFor("local:0000000000000000")).toThrow(/holds/);
      expect(wrapperFor("arn:aws:kms:cn-north-1:1:key/abc").keyId).toBe("arn:aws:kms:cn-north-1:1:key/abc");
    } finally {
      if (prev === undefined) delete process.env.WANGGE_LOCAL_KEY_FILE;
      else process.env.WANGGE_LOCAL_KEY_FILE = prev;
    }
  });
});
