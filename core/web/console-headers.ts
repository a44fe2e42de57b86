/**
 * Security headers of the staff console, one definition for both homes: the CloudFront response
 * headers policy of the Console stack (stacks/Console.ts) and the local server (local/api-server.ts).
 *
 * The CSP allows scripts only from the console's own origin (no inline scripts, no eval); styles
 * may be inline because MUI (emotion) and Leaflet set them at run time. Images and requests may go
 * to the API, the file bucket (presigned photo uploads/downloads) and the base-map tile server.
 */
export interface ConsoleOrigins {
  /** the API origin when it is not the console's own (AWS: the API Gateway URL) */
  api?: string;
  /** where presigned file URLs point (AWS: the bucket's regional domain; locally the S3 endpoint) */
  files?: string[];
  /** base-map tile servers (VITE_TILE_URL's origin, with `*` for its subdomains) */
  tiles?: string[];
}

const list = (...parts: Array<string | undefined | string[]>) => parts.flat().filter((p): p is string => !!p).join(" ");

export function consoleCsp(o: ConsoleOrigins = {}): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    `img-src ${list("'self'", "data:", "blob:", o.files, o.tiles)}`,
    `connect-src ${list("'self'", o.api, o.files)}`,
    "font-src 'self' data:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** The header set (names in lower case). */
export function consoleHeaders(o: ConsoleOrigins = {}): Record<string, string> {
  return {
    "content-security-policy": consoleCsp(o),
    "strict-transport-security": "max-age=63072000; includeSubDomains",
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "strict-origin-when-cross-origin",
  };
}

/** `https://t{s}.tianditu.gov.cn/vec_w/...` → `https://*.tianditu.gov.cn` (tile templates use subdomains). */
export function tileOrigin(template: string | undefined): string | undefined {
  if (!template?.trim()) return undefined;
  const m = /^(https?:\/\/)([^/]+)/.exec(template.trim());
  if (!m) return undefined;
  const host = m[2].includes("{") ? m[2].replace(/^[^.]*\{[^}]*\}[^.]*\./, "*.") : m[2];
  return `${m[1]}${host}`;
}
