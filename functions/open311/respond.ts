import { VisibleError, InvalidError, RateLimitedError, UnavailableError } from "../../core/errors.ts";
import { logger } from "../../core/log.ts";
import type { Principal } from "../../core/auth/principal.ts";
import { CONTENT_TYPE, formatOf, render, splitFile, type Format } from "../../core/open311/format.ts";
import { publicApi, rawReply, type ApiRequest } from "../http.ts";

export interface Open311Request extends ApiRequest {
  format: Format;
  /** the id before `.json`/`.xml` in the last path segment (`services/{file}` routes) */
  id: string;
  /** the caller: the `api_key` parameter (query or form), else the request's own credentials */
  caller(): Promise<Principal | undefined>;
}

export interface Open311Result {
  /** the XML root element (`services`, `service_requests`, …) */
  root: string;
  value: unknown;
  status?: number;
}

/** Base URL of this API as the client reached it (for discovery). */
export function baseUrl(req: ApiRequest): string {
  const host = req.headers["x-forwarded-host"] ?? req.headers.host ?? "localhost";
  const local = /^(localhost|127\.|\[::1\])/.test(host);
  const proto = req.headers["x-forwarded-proto"] ?? (local ? "http" : "https");
  return `${proto}://${host}`;
}

/**
 * GeoReport v2 handler wrapper: the format from the path (`.json` or `.xml`), the spec's error
 * body (`[{code, description}]`, in the same format) and its status codes: 403 for a missing or
 * bad api_key, 404 for unknown resources, 400 for the rest of the caller's mistakes.
 */
export function open311(fn: (req: Open311Request) => Promise<Open311Result>) {
  return publicApi(async (raw) => {
    // GeoReport clients send empty optional parameters (`start_date=&status=`): empty is absent
    const req = { ...raw, query: withoutEmpty(raw.query), body: isForm(raw.body) ? withoutEmpty(raw.body) : raw.body };
    const file = req.params.file;
    const split = file ? splitFile(file) : undefined;
    const format: Format = file ? (split?.format ?? "xml") : (formatOf(req.route.path) ?? "xml");
    try {
      if (file && !split) throw new VisibleError(404, "not_found", `Unknown format: use ${file}.json or ${file}.xml`);
      let resolved: Promise<Principal | undefined> | undefined;
      const caller = () => {
        resolved ??= (async () => {
          const body = req.body && typeof req.body === "object" ? (req.body as Record<string, unknown>) : {};
          const key = (typeof body.api_key === "string" ? body.api_key : undefined) ?? req.query.api_key;
          if (!key) return req.principal;
          // loaded with the first api_key (as functions/authenticate.ts does): the methods without one do not load the key's reads
          const { authenticateApiKey } = await import("../../core/apikey/authenticate.ts");
          return authenticateApiKey(key.trim(), req.now);
        })();
        return resolved;
      };
      const out = await fn({ ...req, format, id: split?.id ?? "", caller });
      return rawReply(out.status ?? 200, render(format, out.root, out.value), CONTENT_TYPE[format]);
    } catch (err) {
      return errorReply(err, format, req.requestId);
    }
  });
}

const isForm = (b: unknown): b is Record<string, unknown> => b !== null && typeof b === "object" && !Array.isArray(b);

/** The parameters without those that are empty or blank. */
export function withoutEmpty<T extends Record<string, unknown>>(params: T): T {
  return Object.fromEntries(Object.entries(params).filter(([, v]) => !(typeof v === "string" && v.trim() === ""))) as T;
}

export function errorReply(err: unknown, format: Format, requestId: string) {
  let status = 500;
  let description = `Internal error (request ${requestId})`;
  const headers: Record<string, string> = {};
  if (err instanceof VisibleError) {
    status = err.status === 401 ? 403 : err.status;
    description = err.message;
    if (err instanceof InvalidError) {
      const fields = (err.details as { fields?: Array<{ path: string; message: string }> } | undefined)?.fields ?? [];
      if (fields.length) description += `: ${fields.map((f) => `${f.path || "body"}: ${f.message}`).join("; ")}`;
    }
    if (err instanceof RateLimitedError || err instanceof UnavailableError) headers["retry-after"] = String(err.retryAfterSeconds);
  } else {
    logger.error("open311 unhandled error", { requestId, error: err as Error });
  }
  return rawReply(status, render(format, "errors", [{ code: status, description }]), CONTENT_TYPE[format], headers);
}
