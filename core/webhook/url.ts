import { isIP } from "node:net";

/** 127.0.0.0/8, ::1 and `localhost`: the only http targets allowed, and only on the local stage. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  if (h === "localhost" || h.endsWith(".localhost")) return true;
  if (isIP(h) === 4) return h.startsWith("127.");
  if (isIP(h) === 6) return h === "::1" || h === "0:0:0:0:0:0:0:1" || /^::ffff:127\./.test(h) || /^::ffff:7f[0-9a-f]{2}:/.test(h);
  return false;
}

function privateV4(ip: string): boolean {
  const [a, b] = ip.split(".").map(Number);
  return (
    a === 0 ||
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b <= 127) ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    a >= 224
  );
}

/** An IP literal that is not a public unicast address (private, loopback, link-local, metadata, multicast…). */
export function isNonPublicIp(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  const v = isIP(h);
  if (v === 4) return privateV4(h);
  if (v === 6) {
    if (h === "::" || h === "::1") return true;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(h);
    if (mapped) return privateV4(mapped[1]);
    if (h.startsWith("::ffff:")) return true; // mapped v4 in hex form: refuse rather than decode
    return /^f[cd]/.test(h) || /^fe[89ab]/.test(h) || h.startsWith("ff");
  }
  return false;
}

/**
 * Why a webhook URL is refused, or undefined when it is fine: https to a public host; http only to
 * loopback and only when `allowLoopbackHttp` (the local stack). No credentials in the URL; IP
 * literals of private networks are refused (hostnames are not resolved here).
 */
export function urlProblem(raw: string, allowLoopbackHttp: boolean): string | undefined {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return "not a valid URL";
  }
  if (u.username || u.password) return "must not contain credentials";
  if (u.protocol === "http:") {
    if (allowLoopbackHttp && isLoopbackHost(u.hostname)) return undefined;
    return allowLoopbackHttp ? "must use https (http only to 127.0.0.1/localhost on the local stage)" : "must use https";
  }
  if (u.protocol !== "https:") return "must use https";
  if (isLoopbackHost(u.hostname)) return allowLoopbackHttp ? undefined : "must not point at this machine";
  if (isNonPublicIp(u.hostname)) return "must not point at a private network address";
  return undefined;
}
