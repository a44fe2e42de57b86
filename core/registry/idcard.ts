/**
 * Resident identity numbers (GB 11643-1999) and phone numbers: validation and normalization (pure).
 *
 * An ID number is 18 characters: 6-digit address code, 8-digit birth date, 3-digit sequence (odd
 * for men, even for women) and a check character computed over the first 17 digits
 * (ISO 7064 MOD 11-2: weights 2^(17-i) mod 11, `1 0 X 9 8 7 6 5 4 3 2`).
 */
/** The API's messages for an invalid ID number or phone (the console shows the same, translated by key). */
export const ID_NUMBER_MESSAGE = "not a valid resident ID number (18 characters, GB 11643 check digit)";
export const PHONE_MESSAGE = "not a valid phone number (mainland mobile, or landline with area code)";

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = "10X98765432";

/** The check character of the first 17 digits. */
export function idCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK[sum % 11];
}

/** A real Gregorian calendar date `YYYY-MM-DD` (1900 or later). */
export function isRealDate(date: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1900 || mo < 1 || mo > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, mo, 0)).getUTCDate();
}

export function normalizeIdNumber(raw: string): string {
  return raw.trim().toUpperCase();
}

/** Structure, embedded birth date and check character. (Not-in-the-future is checked with `now` by the caller.) */
export function validIdNumber(id: string): boolean {
  if (!/^[1-9]\d{16}[\dX]$/.test(id)) return false;
  if (!isRealDate(`${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`)) return false;
  return idCheckChar(id.slice(0, 17)) === id[17];
}

export interface IdInfo {
  birthDate: string;
  gender: "male" | "female";
  region: string;
}

/** What an ID number says about its holder (call on a valid number). */
export function idInfo(id: string): IdInfo {
  return {
    birthDate: `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`,
    gender: Number(id[16]) % 2 === 1 ? "male" : "female",
    region: id.slice(0, 6),
  };
}

/** Digits only; a mainland mobile loses its +86 / 0086 / 86 prefix. */
export function normalizePhone(raw: string): string {
  const digits = raw.trim().replace(/[\s()-]/g, "").replace(/^\+/, "");
  const m = /^(?:0086|86)(1\d{10})$/.exec(digits);
  return m ? m[1] : digits;
}

/** Mainland mobile (1[3-9] + 9 digits) or landline with area code (0 + 2–3 digits, then 7–8 digits). */
export function validPhone(phone: string): boolean {
  return /^1[3-9]\d{9}$/.test(phone) || /^0[1-9]\d{1,2}[2-9]\d{6,7}$/.test(phone);
}
