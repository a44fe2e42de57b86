import { remask } from "../crypto/mask.ts";
import type { HouseholdRecord, KeyEntry, PersonRecord, PlaceRecord } from "./schema.ts";

/** What the API shows: personal fields masked; sealed values and blind indexes never leave core. */
export function householdView(h: HouseholdRecord) {
  const { contactPhoneSealed: _s, contactPhoneHash: _h, contactPhoneMasked, ...rest } = h;
  return { ...rest, contactPhone: contactPhoneMasked ? remask(contactPhoneMasked) : null };
}
export type HouseholdView = ReturnType<typeof householdView>;

export function personView(p: PersonRecord) {
  const { idNumberSealed: _a, idNumberHash: _b, idNumberMasked, phoneSealed: _c, phoneHash: _d, phoneMasked, birthDateSealed: _e, ...rest } = p;
  return { ...rest, idNumber: remask(idNumberMasked), phone: phoneMasked ? remask(phoneMasked) : null, birthDate: `${p.birthYear}-**-**` };
}
export type PersonView = ReturnType<typeof personView>;

export function placeView(p: PlaceRecord) {
  const { ownerPhoneSealed: _s, ownerPhoneHash: _h, ownerPhoneMasked, ...rest } = p;
  return { ...rest, ownerPhone: remask(ownerPhoneMasked) };
}
export type PlaceView = ReturnType<typeof placeView>;

export const keyEntryView = (e: KeyEntry) => e;
