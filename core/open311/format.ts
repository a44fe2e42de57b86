import { offsetMsAt } from "../calendar/time.ts";

/**
 * GeoReport v2 wire formats. JSON follows the spec's examples; XML is the same data with the
 * spec's element names (a root list element, one child element per item), UTF-8, with the
 * XML declaration, no namespace.
 */

export type Format = "json" | "xml";

/** `services.json` → json; `services.xml` → xml; anything else → undefined. */
export function formatOf(name: string): Format | undefined {
  const m = /\.(json|xml)$/i.exec(name);
  return m ? (m[1].toLowerCase() as Format) : undefined;
}

/** Split `033.json` into its id and format (the id may contain dots). */
export function splitFile(file: string): { id: string; format: Format } | undefined {
  const format = formatOf(file);
  if (!format) return undefined;
  const id = file.slice(0, -(format.length + 1));
  return id ? { id, format } : undefined;
}

export const CONTENT_TYPE: Record<Format, string> = {
  json: "application/json; charset=utf-8",
  xml: "text/xml; charset=utf-8",
};

/** An instant as w3c datetime with the county's offset, e.g. 2026-03-01T09:30:00+08:00. */
export function w3cTime(iso: string | undefined, timeZone: string): string | null {
  if (!iso) return null;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return null;
  const off = offsetMsAt(timeZone, ms);
  const local = new Date(Math.floor(ms / 1000) * 1000 + off).toISOString().slice(0, 19);
  if (off === 0) return `${local}Z`;
  const sign = off < 0 ? "-" : "+";
  const abs = Math.abs(off) / 60_000;
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}

/** Singular element names of the spec's lists. */
const ITEM: Record<string, string> = {
  services: "service",
  service_requests: "request",
  attributes: "attribute",
  values: "value",
  endpoints: "endpoint",
  formats: "format",
  errors: "error",
  service_request_updates: "request_update",
};

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c]!);
// characters XML 1.0 cannot carry at all
const clean = (s: string) => s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, "");

function element(name: string, value: unknown, indent: string): string {
  if (value === null || value === undefined || value === "") return `${indent}<${name}></${name}>\n`;
  if (Array.isArray(value)) {
    const item = ITEM[name] ?? "item";
    if (!value.length) return `${indent}<${name}></${name}>\n`;
    return `${indent}<${name}>\n${value.map((v) => element(item, v, `${indent}  `)).join("")}${indent}</${name}>\n`;
  }
  if (typeof value === "object") {
    const inner = Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => element(k, v, `${indent}  `))
      .join("");
    return `${indent}<${name}>\n${inner}${indent}</${name}>\n`;
  }
  return `${indent}<${name}>${esc(clean(String(value)))}</${name}>\n`;
}

/** XML document of a value: `root` names the top element (a list's items get the spec's singular names). */
export function toXml(root: string, value: unknown): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n${element(root, value, "")}`;
}

/** The body of a response in either format. */
export function render(format: Format, root: string, value: unknown): string {
  return format === "json" ? JSON.stringify(value) : toXml(root, value);
}

export interface Open311Error {
  code: number | string;
  description: string;
}
