import * as z from "zod/mini";

/** A unit's code (the national statistical division code or a county's own): digits, 6 to 24. Apart from schema.ts so that a reader of codes (the registry's workbook) loads no boundary schema. */
export const Code = z.string().check(z.maxLength(24), z.regex(/^\d{6,24}$/, "digits only, 6 to 24"));
