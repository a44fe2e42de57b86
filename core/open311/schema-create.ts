import * as z from "zod/mini";

/*
 * GeoReport v2's POST Service Request input, the common query and the field shapes the Open311
 * schemas share (core/open311/schema.ts re-exports the input and the query and builds the rest from
 * these): apart so that POST requests (core/open311/create.ts) and the catalog methods
 * (core/open311/service-list.ts) do not load the query and answer schemas of the read side and the
 * API reference (partner area, issue #15).
 */

export const Str = (max: number) => z.string().check(z.trim(), z.maxLength(max));
const Num = z.string().check(z.trim(), z.maxLength(32), z.regex(/^-?\d+(?:\.\d+)?$/, "a decimal number"));

/** Common to every method: only checked when given (one jurisdiction per endpoint). */
export const Jurisdiction = { jurisdiction_id: z.optional(Str(64)), api_key: z.optional(Str(200)) };

/** The query of the methods that take only the common parameters (discovery, services, a service, a request, a token): core/open311/service-list.ts reads it without the rest of schema.ts. */
export const JurisdictionQuery = z.object(Jurisdiction);

/** POST Service Request (form-encoded). `attribute[code]` fields are read separately. */
export const CreateRequestInput = z.catchall(z.object({
    ...Jurisdiction,
    service_code: Str(32).check(z.minLength(1, "required"), z.regex(/^[A-Za-z0-9._-]+$/, "a service_code from GET services")),
    lat: z.optional(Num),
    long: z.optional(Num),
    address_string: z.optional(Str(500)),
    address_id: z.optional(Str(128)),
    email: z.optional(z.string().check(z.trim(), z.maxLength(254), z.email())),
    device_id: z.optional(Str(128)),
    account_id: z.optional(Str(128)),
    first_name: z.optional(Str(64)),
    last_name: z.optional(Str(64)),
    phone: z.optional(z.string().check(z.trim(), z.maxLength(32), z.regex(/^\+?[\d\s()-]{5,32}$/, "a phone number"))),
    description: z.optional(Str(4000)),
    media_url: z.optional(z.string().check(z.trim(), z.maxLength(2000), z.url(), z.refine((u) => /^https?:\/\//i.test(u), "an http(s) URL"))),
  }), z.string().check(z.maxLength(4000)));
export type CreateRequestInput = z.infer<typeof CreateRequestInput>;
