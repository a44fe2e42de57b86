import * as z from "zod/mini";

/**
 * Masks for lists, reads, search hits, exports and audit diffs (pure; issue #19). One function,
 * {@link mask}, shows a value (or a stored masked form) under the county's mask style
 * (`privacy.masks`, core/settings/settings.ts): `leading` characters kept at the start,
 * `trailing` at the end, every other character a `*` (the length stays).
 *
 * Safe bounds (zod, so a county cannot configure an unsafe mask):
 * - **ID numbers**: trailing 0–4, never a leading character. The region digits and the birth date
 *   are what an attacker lacks: with 4 + 4 digits and the birth year shown, ~33 guesses with a
 *   valid check digit recovered an ID number (the finding). Default: last 4.
 * - **Phones**: leading 0 or 3 (the carrier prefix, the usual 138****5678), trailing 0–4, so at
 *   least 4 digits of an 11-digit mobile stay hidden. Default: last 4.
 * - A value too short to hide at least 4 characters under the style is all stars.
 *
 * Stored masked forms (beside each sealed value, so lists never decrypt) keep the widest the bounds
 * allow ({@link STORED}: phones first 3 + last 4, ID numbers last 4); every answer narrows them with
 * {@link mask}. Forms stored earlier (pre-#19 `3101**********1234`, interim `*******5678`) end with
 * the last 4 too; a style asking for the first 3 of a phone stored as `*******5678` shows stars there.
 */
export const MIN_HIDDEN = 4;

export const IdNumberMask = z.strictObject({ trailing: z._default(z.number().check(z.int(), z.gte(0), z.lte(4)), 4) });
export const PhoneMask = z.strictObject({
    leading: z._default(z.union([z.literal(0), z.literal(3)]), 0),
    trailing: z._default(z.number().check(z.int(), z.gte(0), z.lte(4)), 4),
  });

/** The county's mask style (`privacy.masks`): how ID numbers and phones are shown. */
export const MaskStyle = z.strictObject({
    idNumber: z._default(IdNumberMask, { trailing: 4 }),
    phone: z._default(PhoneMask, { leading: 0, trailing: 4 }),
  });
export type MaskStyle = z.infer<typeof MaskStyle>;

/** Last 4 only, for ID numbers and phones: the default. */
export const DEFAULT_MASKS: MaskStyle = { idNumber: { trailing: 4 }, phone: { leading: 0, trailing: 4 } };

export interface MaskRule {
  leading: number;
  trailing: number;
}

/** `value` (plain or a stored masked form) with `leading` and `trailing` characters kept, the rest `*`. */
export function mask(value: string, rule: MaskRule): string {
  const { leading, trailing } = rule;
  if (value.length - leading - trailing < MIN_HIDDEN) return "*".repeat(value.length);
  return value.slice(0, leading) + "*".repeat(value.length - leading - trailing) + (trailing ? value.slice(-trailing) : "");
}

export const idRule = (m: MaskStyle): MaskRule => ({ leading: 0, trailing: m.idNumber.trailing });
export const phoneRule = (m: MaskStyle): MaskRule => ({ leading: m.phone.leading, trailing: m.phone.trailing });

/** What is stored beside the sealed value: the widest form the bounds allow (never shown as is). */
export const STORED = { idNumber: { leading: 0, trailing: 4 }, phone: { leading: 3, trailing: 4 } } as const satisfies Record<string, MaskRule>;

export const storedIdNumberMask = (id: string): string => mask(id, STORED.idNumber);
export const storedPhoneMask = (phone: string): string => mask(phone, STORED.phone);

/** A stored masked ID number shown under the county's style. */
export const showIdNumber = (stored: string, m: MaskStyle): string => mask(stored, idRule(m));
/** A stored masked phone shown under the county's style. */
export const showPhone = (stored: string, m: MaskStyle): string => mask(stored, phoneRule(m));

/** Birth dates keep the year only. */
export function maskDate(date: string): string {
  return `${date.slice(0, 4)}-**-**`;
}
