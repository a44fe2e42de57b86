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

/**
 * The public resident page (`/resident/`, the QR landing page) gets its own, stricter policy than
 * the console: nothing by default, scripts and styles only from its own files (it sets no inline
 * styles; its map is Leaflet from its own vendor/ folder), images only from the base-map tile
 * server besides its own, no fonts, requests only to the API and the file bucket (photo uploads), no
 * framing, no <base>. A flaw in the console cannot widen what the resident page may load, and the
 * other way round. Its refresh token lives in an HttpOnly cookie (core/resident/cookie.ts).
 */
export function residentCsp(o: ConsoleOrigins = {}): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    `img-src ${list("'self'", "data:", "blob:", o.files, o.tiles)}`,
    `connect-src ${list("'self'", o.api, o.files)}`,
    "form-action 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}

export function residentHeaders(o: ConsoleOrigins = {}): Record<string, string> {
  return { ...consoleHeaders(o), "content-security-policy": residentCsp(o), "referrer-policy": "no-referrer" };
}

/** `https://t{s}.tianditu.gov.cn/vec_w/...` → `https://*.tianditu.gov.cn` (tile templates use subdomains). */
export function tileOrigin(template: string | undefined): string | undefined {
  if (!template?.trim()) return undefined;
  const m = /^(https?:\/\/)([^/]+)/.exec(template.trim());
  if (!m) return undefined;
  const host = m[2].includes("{") ? m[2].replace(/^[^.]*\{[^}]*\}[^.]*\./, "*.") : m[2];
  return `${m[1]}${host}`;
}

/**
 * The tile origin of a served `tiles.json` (admin/src/map/plugin.ts writes it from `VITE_TILE_*`;
 * the local server reads the one it serves, so its CSP follows the file), else of `fallback`.
 */
export function tileOriginOfJson(text: string | undefined, fallback?: string): string | undefined {
  try {
    const url = (JSON.parse(text ?? "") as { url?: unknown }).url;
    if (typeof url === "string") return tileOrigin(url);
    if (text !== undefined) return undefined;
  } catch {
    /* no file, or not JSON */
  }
  return tileOrigin(fallback);
}
