import { randomBytes, scrypt as scryptCb, timingSafeEqual, type BinaryLike, type ScryptOptions } from "node:crypto";

const scrypt = (pw: BinaryLike, salt: BinaryLike, len: number, opts: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) => scryptCb(pw, salt, len, opts, (e, k) => (e ? reject(e) : resolve(k))));

/**
 * OWASP Password Storage Cheat Sheet (scrypt): N=2^14, r=8, p=5 — one of its equivalent settings of
 * the minimum (same work as N=2^17, p=1 with an eighth of the memory: 16 MiB, fine for a 512 MB
 * Lambda). Hashes made with weaker parameters are upgraded at the next successful login (`needsRehash`).
 */
export const PARAMS = { N: 16384, r: 8, p: 5, maxmem: 64 * 1024 * 1024 };

/** scrypt hash in a self-describing string: `scrypt$N$r$p$salt$hash` (base64url). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, 32, PARAMS);
  return ["scrypt", PARAMS.N, PARAMS.r, PARAMS.p, salt.toString("base64url"), key.toString("base64url")].join("$");
}

/** A stored hash made with other (older) parameters than today's: rehash after a successful login. */
export function needsRehash(stored: string): boolean {
  const [alg, n, r, p] = stored.split("$");
  return alg !== "scrypt" || Number(n) !== PARAMS.N || Number(r) !== PARAMS.r || Number(p) !== PARAMS.p;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [alg, n, r, p, salt, hash] = stored.split("$");
  if (alg !== "scrypt" || !salt || !hash) return false;
  const expected = Buffer.from(hash, "base64url");
  const key = await scrypt(password, Buffer.from(salt, "base64url"), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: PARAMS.maxmem,
  });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A random secret for API keys, refresh tokens and generated passwords. */
export function randomSecret(bytes = 24): string {
  return randomBytes(bytes).toString("base64url");
}
