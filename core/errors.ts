/** Errors that are safe to show to the caller. Anything else becomes a 500 without internals. */
export class VisibleError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;
  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

export class InvalidError extends VisibleError {
  constructor(message: string, details?: unknown) {
    super(400, "invalid", message, details);
  }
}
export class UnauthorizedError extends VisibleError {
  constructor(message = "Authentication required", details?: unknown) {
    super(401, "unauthorized", message, details);
  }
}
export class ForbiddenError extends VisibleError {
  constructor(message = "You do not have permission to do this", details?: unknown) {
    super(403, "forbidden", message, details);
  }
}
export class NotFoundError extends VisibleError {
  constructor(message = "Not found", details?: unknown) {
    super(404, "not_found", message, details);
  }
}
export class ConflictError extends VisibleError {
  constructor(message: string, details?: unknown) {
    super(409, "conflict", message, details);
  }
}
export class TooLargeError extends VisibleError {
  constructor(message: string, details?: unknown) {
    super(413, "payload_too_large", message, details);
  }
}
export class RateLimitedError extends VisibleError {
  readonly retryAfterSeconds: number;
  constructor(retryAfterSeconds: number, message = "Too many requests", extra?: Record<string, unknown>) {
    super(429, "rate_limited", message, { retryAfterSeconds, ...extra });
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
export class UnavailableError extends VisibleError {
  readonly retryAfterSeconds: number;
  constructor(retryAfterSeconds = 2, message = "Service temporarily unavailable, retry later") {
    super(503, "unavailable", message, { retryAfterSeconds });
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
