import * as z from "zod/mini";

/**
 * GeoReport v2 shapes (http://wiki.open311.org/GeoReport_v2). Inputs arrive form-encoded or as
 * query strings, so every field is a string here; numbers are checked after coercion.
 */

// the shared field shapes and POST requests' input (core/open311/schema-create.ts, apart so that a report does not load the rest)
import { Jurisdiction, Str } from "./schema-create.ts";
export { CreateRequestInput, JurisdictionQuery } from "./schema-create.ts";

const W3cDate = z.string().check(z.trim(), z.maxLength(40), z.regex(/^\d{4}-\d{2}-\d{2}(T.*)?$/, "a w3c datetime, e.g. 2010-01-01T00:00:00Z"), z.refine((s) => !Number.isNaN(Date.parse(s)) && /^\d{4}-\d{2}-\d{2}(T.*)?$/.test(s), "a w3c datetime, e.g. 2010-01-01T00:00:00Z"));

export const RequestsQuery = z.object({
  ...Jurisdiction,
  /** comma-separated; overrides every other filter */
  service_request_id: z.optional(Str(4000)),
  /** comma-separated */
  service_code: z.optional(Str(1000)),
  start_date: z.optional(W3cDate),
  end_date: z.optional(W3cDate),
  /** comma-separated: open, closed */
  status: z.optional(z.string().check(z.trim(), z.maxLength(32), z.regex(/^(open|closed)(,(open|closed))*$/, "open, closed or both comma-separated"))),
  /** extension (GeoReport v2 Extensions: Pagination), 1-based */
  page: z.optional(z.string().check(z.maxLength(4), z.regex(/^[1-9]\d{0,3}$/, "a page number from 1"))),
  page_size: z.optional(z.string().check(z.maxLength(4), z.regex(/^[1-9]\d{0,3}$/, "1 to 1000"), z.refine((s) => Number(s) <= 1000, "at most 1000"))),
});
export type RequestsQuery = z.infer<typeof RequestsQuery>;

export const UpdatesQuery = z.object({
  ...Jurisdiction,
  start_date: z.optional(W3cDate),
  end_date: z.optional(W3cDate),
});

// ---------------------------------------------------------------- outputs (JSON form)

export const Discovery = z.object({
  changeset: z.string(),
  contact: z.string(),
  key_service: z.string(),
  endpoints: z.array(
    z.object({
      specification: z.string(),
      url: z.string(),
      changeset: z.string(),
      type: z.enum(["production", "test"]),
      formats: z.array(z.string()),
    }),
  ),
});

export const Service = z.object({
  service_code: z.string(),
  service_name: z.string(),
  description: z.string(),
  metadata: z.boolean(),
  type: z.enum(["realtime", "batch", "blackbox"]),
  keywords: z.string(),
  group: z.string(),
});
export type Service = z.infer<typeof Service>;

export const ServiceAttribute = z.object({
  variable: z.boolean(),
  code: z.string(),
  datatype: z.enum(["string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"]),
  required: z.boolean(),
  datatype_description: z.nullable(z.string()),
  order: z.number().check(z.int(), z.positive()),
  description: z.string(),
  values: z.optional(z.array(z.object({ key: z.string(), name: z.string() }))),
});

export const ServiceDefinition = z.object({ service_code: z.string(), attributes: z.array(ServiceAttribute) });
export type ServiceDefinition = z.infer<typeof ServiceDefinition>;

export const CreatedRequest = z.object({
  service_request_id: z.string(),
  service_notice: z.nullable(z.string()),
  account_id: z.nullable(z.string()),
});

export const ServiceRequest = z.object({
  service_request_id: z.string(),
  status: z.enum(["open", "closed"]),
  status_notes: z.nullable(z.string()),
  service_name: z.nullable(z.string()),
  service_code: z.nullable(z.string()),
  description: z.nullable(z.string()),
  agency_responsible: z.nullable(z.string()),
  service_notice: z.nullable(z.string()),
  requested_datetime: z.string(),
  updated_datetime: z.string(),
  expected_datetime: z.nullable(z.string()),
  address: z.nullable(z.string()),
  address_id: z.nullable(z.string()),
  zipcode: z.nullable(z.string()),
  lat: z.number(),
  long: z.number(),
  media_url: z.nullable(z.string()),
});
export type ServiceRequest = z.infer<typeof ServiceRequest>;

export const TokenResult = z.object({ service_request_id: z.string(), token: z.string() });

export const RequestUpdate = z.object({
  update_id: z.string(),
  service_request_id: z.string(),
  status: z.enum(["open", "closed"]),
  updated_datetime: z.string(),
  description: z.string(),
  media_url: z.nullable(z.string()),
  /** the case's fine state after the update (mySociety extension field) */
  external_status_code: z.string(),
});
export type RequestUpdate = z.infer<typeof RequestUpdate>;

export const Open311Errors = z.array(z.object({ code: z.union([z.number().check(z.int()), z.string()]), description: z.string() }));
