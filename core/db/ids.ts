import * as z from "zod/mini";

/**
 * What an id the API takes as input looks like: the ULIDs the services make, the readable ids of
 * seeded and imported records (`dept-city`, `comm1`) and the API's composite ids (`<case>:<v>:<n>`):
 * letters, digits and `_ . : -`. Anything else names no record; refusing it at the edge keeps key
 * separators (`#`), paths and control characters out of every key built from an input.
 */
export const ID_PATTERN = /^[A-Za-z0-9_.:-]+$/;
const MESSAGE = "an id: letters, digits and _ . : - only";

/** A required id reference of at most `max` characters. */
export const IdRef = (max = 40) => z.string().check(z.minLength(1), z.maxLength(max), z.regex(ID_PATTERN, MESSAGE));

/** An id in a query filter: may be empty (`?unitId=` is the same as no filter). */
export const IdFilter = (max = 40) =>
  z.string().check(z.maxLength(max), z.regex(/^[A-Za-z0-9_.:-]*$/, MESSAGE));

/** A page cursor: the `nextCursor` of the previous page, base64url as the API issues it (core/db/items.ts `encodeCursor`). */
export const Cursor = z.string().check(z.maxLength(4000), z.regex(/^[A-Za-z0-9_-]*$/, "a cursor this API issued (base64url)"));

/** An object key of the files bucket as the API issues it (`uploads/<caller>/<ulid>-<tag>.<ext>`, `cases/<id>/…`). */
export const S3_KEY = /^[A-Za-z0-9_.:\/-]+$/;
