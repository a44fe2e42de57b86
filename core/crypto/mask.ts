/**
 * Masks for lists, reads, exports and audit diffs (pure; issue #19): the **last 4 characters only**,
 * every other character a `*` (the length stays): `**************1234`, `*******5678`. The
 * region and birth-date digits of an ID number and the carrier prefix of a phone are never shown
 * (with them, ~33 guesses with a valid check digit recovered an ID number). Values of 4 characters
 * or fewer are all stars.
 */
export function lastFour(value: string): string {
  if (value.length <= 4) return "*".repeat(value.length);
  return "*".repeat(value.length - 4) + value.slice(-4);
}

export const maskIdNumber = (id: string): string => lastFour(id);
export const maskPhone = (phone: string): string => lastFour(phone);

/**
 * A stored masked form shown under today's rule. Records written before #19 stored a mask that
 * kept more (`3101**********1234`, `138****5678`); it always ends with the value's last 4, so
 * re-masking the stored form shows them exactly like new records.
 */
export const remask = (stored: string): string => lastFour(stored);

/** Birth dates keep the year only. */
export function maskDate(date: string): string {
  return `${date.slice(0, 4)}-**-**`;
}
