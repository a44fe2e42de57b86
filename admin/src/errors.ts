/**
 * The API error model `{error:{code,message,details}}` → react-admin's HttpError. Field issues
 * (`details.fields[{path,message,code}]`) become `body.errors` keyed by the field path, so forms
 * show them under their inputs. The texts are in the console's language: in English the server's
 * own message; otherwise a translation key chosen by the error or issue code (the server speaks English).
 */
import { HttpError } from "react-admin";
import { ID_NUMBER_MESSAGE, PHONE_MESSAGE } from "../../core/registry/idcard.ts";

export interface ApiErrorBody {
  error?: { code?: string; message?: string; details?: unknown };
}

export interface FieldIssue {
  path: string;
  message: string;
  code?: string;
}

/** What the console keeps of a failed call, in `HttpError.body`. */
export interface ErrorInfo {
  code: string;
  /** the server's message, untranslated */
  serverMessage: string;
  details: unknown;
  /** field path → message or translation key */
  errors?: Record<string, string>;
}

const KNOWN_CODES = new Set([
  "invalid",
  "unauthorized",
  "forbidden",
  "not_found",
  "conflict",
  "stale",
  "payload_too_large",
  "unsupported_media_type",
  "rate_limited",
  "locked",
  "internal",
  "unavailable",
  "network",
]);

const ISSUE_CODES = new Set([
  "invalid_type",
  "too_big",
  "too_small",
  "invalid_format",
  "not_multiple_of",
  "unrecognized_keys",
  "invalid_union",
  "invalid_key",
  "invalid_element",
  "invalid_value",
  "custom",
]);

const codeForStatus = (status: number): string =>
  status === 400
    ? "invalid"
    : status === 401
      ? "unauthorized"
      : status === 403
        ? "forbidden"
        : status === 404
          ? "not_found"
          : status === 409
            ? "conflict"
            : status === 413
              ? "payload_too_large"
              : status === 429
                ? "rate_limited"
                : status >= 500
                  ? "internal"
                  : "invalid";

function fieldIssues(details: unknown): FieldIssue[] {
  const fields = (details as { fields?: unknown } | null)?.fields;
  if (!Array.isArray(fields)) return [];
  return fields.filter((f): f is FieldIssue => !!f && typeof f === "object" && typeof (f as FieldIssue).message === "string");
}

/** Server messages the console knows word for word: shown through the same key as its own inline check. */
const KNOWN_MESSAGES: Record<string, string> = {
  [ID_NUMBER_MESSAGE]: "app.registry.validation.id_number",
  [PHONE_MESSAGE]: "app.registry.validation.phone",
};

const isEnglish = (locale: string) => locale.toLowerCase().startsWith("en");

/** A field issue's text: the server's message in English, else the translation key of its issue code. */
export function issueMessage(issue: FieldIssue, locale: string): string {
  if (isEnglish(locale)) return issue.message;
  if (KNOWN_MESSAGES[issue.message]) return KNOWN_MESSAGES[issue.message];
  return `app.validation.${issue.code && ISSUE_CODES.has(issue.code) ? issue.code : "custom"}`;
}

/** Build the HttpError for a failed response. */
export function toHttpError(status: number, body: ApiErrorBody | undefined, locale: string): HttpError {
  const apiCode = body?.error?.code ?? codeForStatus(status);
  const serverMessage = body?.error?.message ?? "";
  const details = body?.error?.details ?? null;
  // a stale version carries the record as it is now
  const code = apiCode === "conflict" && (details as { current?: unknown } | null)?.current ? "stale" : apiCode;
  const info: ErrorInfo = { code, serverMessage, details };
  const issues = fieldIssues(details);
  if (issues.length) {
    info.errors = {};
    for (const issue of issues) {
      const path = issue.path || "root";
      info.errors[path] ??= issueMessage(issue, locale);
    }
  }
  const key = `app.errors.${KNOWN_CODES.has(code) ? code : codeForStatus(status)}`;
  const message = isEnglish(locale) && serverMessage ? serverMessage : key;
  return new HttpError(message, status, info);
}

/** The error for a request that never got a response. */
export function networkError(): HttpError {
  return new HttpError("app.errors.network", 0, { code: "network", serverMessage: "", details: null } satisfies ErrorInfo);
}

export const errorInfo = (e: unknown): ErrorInfo | undefined => (e instanceof HttpError ? (e.body as ErrorInfo) : undefined);
