import { inject } from "vitest";

/** A tiny HTTP client for integration tests against the embedded stack. */
let override: string | undefined;
export const apiUrl = () => override ?? inject("apiUrl");

/** Point this test file at another stack (one it started itself, e.g. to move the clock freely). */
export function useApi(url: string | undefined): void {
  override = url;
}

/** Make this test process talk to the same emulators as the stack (for raw reads of the table). */
export function useStackEnv(): void {
  Object.assign(process.env, inject("stackEnv"));
}

export interface Res<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

let renew: ((token: string) => Promise<string | undefined>) | undefined;

/** How to renew an expired test token (test/fixtures.ts registers it). */
export function onExpiredToken(fn: (token: string) => Promise<string | undefined>): void {
  renew = fn;
}

/** A replacement for an expired test token (undefined when it is not a fixture's): test/api.ts uses it too. */
export const renewToken = (token: string): Promise<string | undefined> => renew?.(token) ?? Promise.resolve(undefined);

export async function call<T = any>(method: string, path: string, opts: { token?: string; body?: unknown; headers?: Record<string, string>; raw?: string } = {}): Promise<Res<T>> {
  let res = await send<T>(method, path, opts);
  // the replacement itself may have expired meanwhile (another file moved the clock again): renew until one is accepted
  let token = opts.token;
  for (let attempt = 0; attempt < 3 && res.status === 401 && token && (res.body as any)?.error?.details?.reason === "expired" && renew; attempt++) {
    const fresh: string | undefined = await renew(token);
    if (!fresh) break;
    token = fresh;
    res = await send<T>(method, path, { ...opts, token });
  }
  return res;
}

async function send<T>(method: string, path: string, opts: { token?: string; body?: unknown; headers?: Record<string, string>; raw?: string }): Promise<Res<T>> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: string | undefined = opts.raw;
  if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers["content-type"] ??= "application/json";
  }
  const r = await fetch(apiUrl() + path, { method, headers, body });
  const text = await r.text();
  let parsed: any = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    /* not JSON */
  }
  return { status: r.status, body: parsed, headers: r.headers };
}

export async function login(username: string, password: string): Promise<string> {
  const r = await call("POST", "/v1/auth/login", { body: { username, password } });
  if (r.status !== 200) throw new Error(`login ${username} failed: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.accessToken;
}

/** Move the stack's clock. */
export async function advanceClock(minutes: number): Promise<string> {
  return (await call("POST", "/_local/clock", { body: { advanceMinutes: minutes } })).body.now;
}

/** Move the stack's clock to a given instant (forward only, other tests share it). */
export async function setClock(at: string | number | Date): Promise<string> {
  return (await call("POST", "/_local/clock", { body: { set: new Date(at).toISOString() } })).body.now;
}

export async function runJob(name: string): Promise<unknown> {
  const r = await call("POST", `/_local/jobs/${name}`);
  if (r.status !== 200) throw new Error(`job ${name}: ${JSON.stringify(r.body)}`);
  return r.body.result;
}

export async function queuesIdle(): Promise<void> {
  const r = await call("POST", "/_local/queues/idle", { body: { timeoutMs: 30_000 } });
  if (r.status !== 200) throw new Error(`queues not idle: ${JSON.stringify(r.body)}`);
}
