import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from "node:crypto";

/**
 * Field-level encryption primitives (pure: node:crypto only, no I/O, no clock).
 *
 * A data key (32 random bytes, wrapped by KMS or the local key file, see keyring.ts) is never used
 * directly: two purpose keys are derived from it with HKDF-SHA256, one for AES-256-GCM and one for
 * the HMAC blind index, so a leak of search hashes says nothing about the encryption key.
 *
 * Sealed value format: `e1.<keyVersion>.<base64url(iv 12 | tag 16 | ciphertext)>`. The additional
 * authenticated data binds a value to its record and field (`person:<id>:idNumber`), so a
 * ciphertext copied into another record or field does not decrypt.
 */
export const DATA_KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const PREFIX = "e1";

export interface PurposeKeys {
  enc: Buffer;
  mac: Buffer;
}

export function deriveKeys(dataKey: Buffer): PurposeKeys {
  if (dataKey.length !== DATA_KEY_BYTES) throw new Error("data key must be 32 bytes");
  const derive = (info: string) => Buffer.from(hkdfSync("sha256", dataKey, Buffer.alloc(0), info, 32));
  return { enc: derive("wangge/registry/aes-256-gcm"), mac: derive("wangge/registry/blind-index") };
}

export function encryptField(enc: Buffer, version: number, plaintext: string, aad: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", enc, iv);
  cipher.setAAD(Buffer.from(aad, "utf8"));
  const ct = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return `${PREFIX}.${version}.${Buffer.concat([iv, cipher.getAuthTag(), ct]).toString("base64url")}`;
}

/** The key version a sealed value was written with (to pick the key that opens it). */
export function sealedVersion(token: string): number {
  const [prefix, v, body] = token.split(".");
  const version = Number(v);
  if (prefix !== PREFIX || !body || !Number.isInteger(version) || version < 1) throw new Error("not a sealed value");
  return version;
}

/** Decrypt and authenticate; throws if the value was tampered with or belongs to another record/field. */
export function decryptField(enc: Buffer, token: string, aad: string): string {
  sealedVersion(token);
  const raw = Buffer.from(token.split(".")[2], "base64url");
  if (raw.length < IV_BYTES + TAG_BYTES) throw new Error("sealed value too short");
  const decipher = createDecipheriv("aes-256-gcm", enc, raw.subarray(0, IV_BYTES));
  decipher.setAAD(Buffer.from(aad, "utf8"));
  decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString("utf8");
}

/**
 * Keyed blind index for exact search: HMAC-SHA256 over `<kind>:<normalized value>`, base64url.
 * Equal inputs give equal hashes (so it can be an index key); without the key it cannot be
 * reversed by enumerating ID numbers or phone numbers.
 */
export function blindIndex(mac: Buffer, kind: string, normalized: string): string {
  return createHmac("sha256", mac).update(`${kind}:${normalized}`, "utf8").digest("base64url");
}
