import { aadOf, open, seal, searchHash } from "../crypto/sealed.ts";
import { storedIdNumberMask, storedPhoneMask } from "../crypto/mask.ts";

/**
 * A personal field as stored: sealed value, masked form for lists (the widest the mask bounds
 * allow; every answer narrows it to the county's style, core/registry/views.ts), blind index for
 * exact search.
 */
export interface Protected {
  sealed: string;
  masked: string;
  hash: string;
}

export async function protectPhone(entity: string, id: string, field: string, phone: string): Promise<Protected> {
  const [sealed, hash] = await Promise.all([seal(phone, aadOf(entity, id, field)), searchHash("phone", phone)]);
  return { sealed, masked: storedPhoneMask(phone), hash };
}

export async function protectIdNumber(personId: string, idNumber: string): Promise<Protected> {
  const [sealed, hash] = await Promise.all([seal(idNumber, aadOf("person", personId, "idNumber")), searchHash("id", idNumber)]);
  return { sealed, masked: storedIdNumberMask(idNumber), hash };
}

export const sealBirthDate = (personId: string, date: string) => seal(date, aadOf("person", personId, "birthDate"));

/** Open one sealed field of a record (only reveal, exports approved unmasked, and internal checks call this). */
export const openField = (entity: string, id: string, field: string, sealed: string) => open(sealed, aadOf(entity, id, field));
