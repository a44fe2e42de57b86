import * as z from "zod";

/**
 * GeoReport v2 shapes (http://wiki.open311.org/GeoReport_v2). Inputs arrive form-encoded or as
 * query strings, so every field is a string here; numbers are checked after coercion.
 */

const Str = (max: number) => z.string().trim().max(max);
const Num = z.string().trim().max(32).regex(/^-?\d+(?:\.\d+)?$/, "a decimal number");
const W3cDate = z.string().trim().max(40).regex(/^\d{4}-\d{2}-\d{2}(T.*)?$/, "a w3c datetime, e.g. 2010-01-01T00:00:00Z").refine((s) => !Number.isNaN(Date.parse(s)) && /^\d{4}-\d{2}-\d{2}(T.*)?$/.test(s), "a w3c datetime, e.g. 2010-01-01T00:00:00Z");

/** Common to every method: only checked when given (one jurisdiction per endpoint). */
const Jurisdiction = { jurisdiction_id: Str(64).optional(), api_key: Str(200).optional() };

/** POST Service Request (form-encoded). `attribute[code]` fields are read separately. */
export const CreateRequestInput = z
  .object({
    ...Jurisdiction,
    service_code: Str(32).min(1, "required").regex(/^[A-Za-z0-9._-]+$/, "a service_code from GET services"),
    lat: Num.optional(),
    long: Num.optional(),
    address_string: Str(500).optional(),
    address_id: Str(128).optional(),
    email: z.string().trim().max(254).email().optional(),
    device_id: Str(128).optional(),
    account_id: Str(128).optional(),
    first_name: Str(64).optional(),
    last_name: Str(64).optional(),
    phone: z.string().trim().max(32).regex(/^\+?[\d\s()-]{5,32}$/, "a phone number").optional(),
    description: Str(4000).optional(),
    media_url: z.string().trim().max(2000).url().refine((u) => /^https?:\/\//i.test(u), "an http(s) URL").optional(),
  })
  .catchall(z.string().max(4000));
export type CreateRequestInput = z.infer<typeof CreateRequestInput>;

export const RequestsQuery = z.object({
  ...Jurisdiction,
  /** comma-separated; overrides every other filter */
  service_request_id: Str(4000).optional(),
  /** comma-separated */
  service_code: Str(1000).optional(),
  start_date: W3cDate.optional(),
  end_date: W3cDate.optional(),
  /** comma-separated: open, closed */
  status: z.string().trim().max(32).regex(/^(open|closed)(,(open|closed))*$/, "open, closed or both comma-separated").optional(),
  /** extension (GeoReport v2 Extensions: Pagination), 1-based */
  page: z.string().max(4).regex(/^[1-9]\d{0,3}$/, "a page number from 1").optional(),
  page_size: z.string().max(4).regex(/^[1-9]\d{0,3}$/, "1 to 1000").refine((s) => Number(s) <= 1000, "at most 1000").optional(),
});
export type RequestsQuery = z.infer<typeof RequestsQuery>;

export const UpdatesQuery = z.object({
  ...Jurisdiction,
  start_date: W3cDate.optional(),
  end_date: W3cDate.optional(),
});

export const JurisdictionQuery = z.object(Jurisdiction);

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
  datatype_description: z.string().nullable(),
  order: z.number().int().positive(),
  description: z.string(),
  values: z.array(z.object({ key: z.string(), name: z.string() })).optional(),
});

export const ServiceDefinition = z.object({ service_code: z.string(), attributes: z.array(ServiceAttribute) });
export type ServiceDefinition = z.infer<typeof ServiceDefinition>;

export const CreatedRequest = z.object({
  service_request_id: z.string(),
  service_notice: z.string().nullable(),
  account_id: z.string().nullable(),
});

export const ServiceRequest = z.object({
  service_request_id: z.string(),
  status: z.enum(["open", "closed"]),
  status_notes: z.string().nullable(),
  service_name: z.string().nullable(),
  service_code: z.string().nullable(),
  description: z.string().nullable(),
  agency_responsible: z.string().nullable(),
  service_notice: z.string().nullable(),
  requested_datetime: z.string(),
  updated_datetime: z.string(),
  expected_datetime: z.string().nullable(),
  address: z.string().nullable(),
  address_id: z.string().nullable(),
  zipcode: z.string().nullable(),
  lat: z.number(),
  long: z.number(),
  media_url: z.string().nullable(),
});
export type ServiceRequest = z.infer<typeof ServiceRequest>;

export const TokenResult = z.object({ service_request_id: z.string(), token: z.string() });

export const RequestUpdate = z.object({
  update_id: z.string(),
  service_request_id: z.string(),
  status: z.enum(["open", "closed"]),
  updated_datetime: z.string(),
  description: z.string(),
  media_url: z.string().nullable(),
  /** the case's fine state after the update (mySociety extension field) */
  external_status_code: z.string(),
});
export type RequestUpdate = z.infer<typeof RequestUpdate>;

export const Open311Errors = z.array(z.object({ code: z.union([z.number().int(), z.string()]), description: z.string() }));
