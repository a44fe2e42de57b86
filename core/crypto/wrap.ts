import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { DATA_KEY_BYTES } from "./field.ts";

/**
 * Who wraps data keys (envelope encryption).
 *
 * - AWS: a KMS key (`WANGGE_KMS_KEY_ID`, id, ARN or alias). `GenerateDataKey` returns the data key
 *   in plaintext (kept only in memory) and encrypted under the KMS key (stored); `Decrypt` unwraps
 *   it. The encryption context `{app: wangge, purpose: registry}` must match on decrypt. With a key
 *   shared by several county stacks (WANGGE_REGISTRY_KEY_ARN at deploy, stacks/settings.ts) the
 *   stack sets `WANGGE_KMS_CONTEXT_COUNTY` and the context also names the county: its functions may
 *   call the key only under that context (an IAM condition). The stored key id is then
 *   `<key ARN>|county=<county>`, so a data key is always opened under the context it was made with.
 * - Local (no `WANGGE_KMS_KEY_ID`): a 32-byte master key in a file, created on first use with mode
 *   0600: `WANGGE_LOCAL_KEY_FILE`, else `<WANGGE_DATA_DIR or the OS temp dir>/registry.key`.
 *   Data keys are wrapped with AES-256-GCM under it. Losing that file loses the local data.
 *
 * The key id is stored with every wrapped data key, so a county can move to a new KMS key (or
 * from local to KMS) and still open data written under the old one.
 */
export interface KeyWrapper {
  keyId: string;
  generate(): Promise<{ plaintext: Buffer; wrapped: string }>;
  unwrap(wrapped: string): Promise<Buffer>;
}

const CONTEXT = { app: "wangge", purpose: "registry" };
const LOCAL_AAD = Buffer.from("wangge/registry/data-key");

export function localKeyFile(): string {
  return process.env.WANGGE_LOCAL_KEY_FILE ?? join(process.env.WANGGE_DATA_DIR ?? tmpdir(), "registry.key");
}

/** Read the local master key, creating it on first use (concurrent creators agree: `wx` + re-read). */
export function readOrCreateKeyFile(file = localKeyFile()): Buffer {
  const parse = (text: string) => {
    const key = Buffer.from(text.trim(), "base64url");
    if (key.length !== DATA_KEY_BYTES) throw new Error(`${file} does not hold a 32-byte key (base64url)`);
    return key;
  };
  try {
    return parse(readFileSync(file, "utf8"));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
  }
  mkdirSync(dirname(file), { recursive: true });
  try {
    writeFileSync(file, `${randomBytes(DATA_KEY_BYTES).toString("base64url")}\n`, { mode: 0o600, flag: "wx" });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
  }
  return parse(readFileSync(file, "utf8"));
}

export function localWrapper(master: Buffer = readOrCreateKeyFile()): KeyWrapper {
  const keyId = `local:${createHash("sha256").update(master).digest("hex").slice(0, 16)}`;
  return {
    keyId,
    async generate() {
      const plaintext = randomBytes(DATA_KEY_BYTES);
      const iv = randomBytes(12);
      const c = createCipheriv("aes-256-gcm", master, iv);
      c.setAAD(LOCAL_AAD);
      const ct = Buffer.concat([c.update(plaintext), c.final()]);
      return { plaintext, wrapped: Buffer.concat([iv, c.getAuthTag(), ct]).toString("base64") };
    },
    async unwrap(wrapped) {
      const raw = Buffer.from(wrapped, "base64");
      const d = createDecipheriv("aes-256-gcm", master, raw.subarray(0, 12));
      d.setAAD(LOCAL_AAD);
      d.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([d.update(raw.subarray(28)), d.final()]);
    },
  };
}

/** The KMS key id and the encryption context of a stored key id (`<key>` or `<key>|county=<county>`). */
export function kmsKeyOf(storedKeyId: string): { keyId: string; context: Record<string, string> } {
  const at = storedKeyId.indexOf(COUNTY_SUFFIX);
  if (at < 0) return { keyId: storedKeyId, context: CONTEXT };
  return { keyId: storedKeyId.slice(0, at), context: { ...CONTEXT, county: storedKeyId.slice(at + COUNTY_SUFFIX.length) } };
}
const COUNTY_SUFFIX = "|county=";

/** KMS through signed requests of its JSON protocol (core/crypto/kms.ts; no `@aws-sdk/client-kms`, loaded on first use, so local runs never need it). */
export function kmsWrapper(storedKeyId: string): KeyWrapper {
  const kms = () => import("./kms.ts");
  const { keyId, context } = kmsKeyOf(storedKeyId);
  return {
    keyId: storedKeyId,
    async generate() {
      const out = await (await kms()).kmsGenerateDataKey(keyId, context);
      return { plaintext: out.plaintext, wrapped: out.ciphertext.toString("base64") };
    },
    async unwrap(wrapped) {
      return (await kms()).kmsDecrypt(keyId, Buffer.from(wrapped, "base64"), context);
    },
  };
}

/** The wrapper new data keys are made with: KMS when configured, else the local key file. */
export function currentWrapper(): KeyWrapper {
  const id = process.env.WANGGE_KMS_KEY_ID;
  const county = process.env.WANGGE_KMS_CONTEXT_COUNTY;
  if (!id) return localWrapper();
  return kmsWrapper(county ? `${id}${COUNTY_SUFFIX}${county}` : id);
}

/** The wrapper that opens a data key wrapped under `keyId`. */
export function wrapperFor(keyId: string): KeyWrapper {
  if (!keyId.startsWith("local:")) return kmsWrapper(keyId);
  const w = localWrapper();
  if (w.keyId !== keyId) throw new Error(`data key was wrapped by local key ${keyId} but ${localKeyFile()} holds ${w.keyId}`);
  return w;
}
