import { deriveKeys, type PurposeKeys } from "./field.ts";
import { createFirstDataKey, getWrappedDataKey, movePointer, putDataKey, readPointer, type Pointer } from "./repo-keys.ts";
import { currentWrapper, wrapperFor } from "./wrap.ts";

/**
 * The registry's data keys, stored wrapped in the table (`CRYPTO / DATAKEY#<version>`), unwrapped
 * once per warm container and kept in memory only.
 *
 * - `CRYPTO / CURRENT` = `{version, searchVersion}`: new values are sealed with `version`; blind
 *   indexes are computed with `searchVersion`'s key (it stays fixed across rotations, since an
 *   index must compare equal over the whole table; moving it means re-indexing).
 * - The first use creates version 1 (conditional writes: concurrent first users agree).
 * - `rotateDataKey` adds a version and makes it current; older versions keep opening old values.
 */
export interface FieldKey extends PurposeKeys {
  version: number;
  keyId: string;
}

const unwrapped = new Map<number, Promise<FieldKey>>();
let pointer: { at: number; value: Promise<Pointer> } | undefined;
const POINTER_TTL_MS = 5 * 60_000;

async function loadPointer(): Promise<Pointer> {
  const found = await readPointer(false);
  if (found) return found;
  // first use in this table: create version 1
  const wrapper = currentWrapper();
  const { plaintext, wrapped } = await wrapper.generate();
  if (await createFirstDataKey(wrapper.keyId, wrapped)) {
    unwrapped.set(1, Promise.resolve({ version: 1, keyId: wrapper.keyId, ...deriveKeys(plaintext) }));
    return { version: 1, searchVersion: 1 };
  }
  const now = await readPointer(true);
  if (!now) throw new Error("data key pointer missing after a conflicting create");
  return now;
}

function currentPointer(): Promise<Pointer> {
  const t = performance.now();
  if (!pointer || t - pointer.at > POINTER_TTL_MS) {
    const value = loadPointer();
    pointer = { at: t, value };
    value.catch(() => {
      if (pointer?.value === value) pointer = undefined;
    });
  }
  return pointer.value;
}

/** The key of one version (unwrapped once, then cached). */
export function fieldKey(version: number): Promise<FieldKey> {
  let p = unwrapped.get(version);
  if (!p) {
    p = (async () => {
      const stored = await getWrappedDataKey(version);
      if (!stored) throw new Error(`data key version ${version} not found`);
      const keyId = stored.keyId;
      const plaintext = await wrapperFor(keyId).unwrap(stored.wrapped);
      return { version, keyId, ...deriveKeys(plaintext) };
    })();
    unwrapped.set(version, p);
    p.catch(() => unwrapped.delete(version));
  }
  return p;
}

/** The key new values are sealed with. */
export async function currentFieldKey(): Promise<FieldKey> {
  return fieldKey((await currentPointer()).version);
}

/** The key blind indexes are computed with. */
export async function searchFieldKey(): Promise<FieldKey> {
  return fieldKey((await currentPointer()).searchVersion);
}

/** Make a new data key current (wrapped by the current wrapper: KMS when configured). Returns its version. */
export async function rotateDataKey(): Promise<number> {
  const now = await readPointer(true);
  if (!now) return (await loadPointer()).version;
  const next = now.version + 1;
  const wrapper = currentWrapper();
  const { plaintext, wrapped } = await wrapper.generate();
  await putDataKey(next, wrapper.keyId, wrapped);
  await movePointer(now.version, next);
  unwrapped.set(next, Promise.resolve({ version: next, keyId: wrapper.keyId, ...deriveKeys(plaintext) }));
  pointer = undefined;
  return next;
}

/** Drop cached keys (tests; a container that must re-read the pointer now). */
export function forgetKeys(): void {
  unwrapped.clear();
  pointer = undefined;
}
