import { blindIndex, decryptField, encryptField, sealedVersion } from "./field.ts";
import { currentFieldKey, fieldKey, searchFieldKey } from "./keyring.ts";

/**
 * What the registry uses: seal/open a field value bound to its record and field, and the blind
 * index of a normalized value. Plaintext lives only in memory, never in the table or the logs.
 */
export async function seal(plaintext: string, aad: string): Promise<string> {
  const k = await currentFieldKey();
  return encryptField(k.enc, k.version, plaintext, aad);
}

export async function open(token: string, aad: string): Promise<string> {
  const k = await fieldKey(sealedVersion(token));
  return decryptField(k.enc, token, aad);
}

export async function searchHash(kind: "id" | "phone", normalized: string): Promise<string> {
  return blindIndex((await searchFieldKey()).mac, kind, normalized);
}

export const aadOf = (entity: string, id: string, field: string) => `${entity}:${id}:${field}`;
