import { DEFAULT_MASKS, showIdNumber, showPhone, type MaskStyle } from "../crypto/mask.ts";
import { getSettings, privacyOf } from "../settings/settings.ts";
import type { HouseholdRecord, KeyEntry, PersonRecord, PlaceRecord } from "./schema.ts";

/**
 * What the API shows: personal fields masked under the county's mask style (`privacy.masks`,
 * core/crypto/mask.ts); sealed values and blind indexes never leave core. Every answer, list,
 * search hit, conflict body and audit diff of the registry goes through these views.
 */
export async function currentMasks(): Promise<MaskStyle> {
  return privacyOf(await getSettings()).masks ?? DEFAULT_MASKS;
}

export function householdView(h: HouseholdRecord, m: MaskStyle) {
  const { contactPhoneSealed: _s, contactPhoneHash: _h, contactPhoneMasked, ...rest } = h;
  return { ...rest, contactPhone: contactPhoneMasked ? showPhone(contactPhoneMasked, m) : null };
}
export type HouseholdView = ReturnType<typeof householdView>;

export function personView(p: PersonRecord, m: MaskStyle) {
  const { idNumberSealed: _a, idNumberHash: _b, idNumberMasked, phoneSealed: _c, phoneHash: _d, phoneMasked, birthDateSealed: _e, ...rest } = p;
  return { ...rest, idNumber: showIdNumber(idNumberMasked, m), phone: phoneMasked ? showPhone(phoneMasked, m) : null, birthDate: `${p.birthYear}-**-**` };
}
export type PersonView = ReturnType<typeof personView>;

export function placeView(p: PlaceRecord, m: MaskStyle) {
  const { ownerPhoneSealed: _s, ownerPhoneHash: _h, ownerPhoneMasked, ...rest } = p;
  return { ...rest, ownerPhone: showPhone(ownerPhoneMasked, m) };
}
export type PlaceView = ReturnType<typeof placeView>;

export const keyEntryView = (e: KeyEntry) => e;
