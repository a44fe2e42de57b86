/**
 * What the embedded stack's handlers log, and the API calls the bench makes, for the capacity
 * bench's log figures (core/ops/cost/log-lines.ts, docs/cost.md "Logs"). The stack runs in this
 * process, so its handlers' log lines (core/log.ts: one JSON line per entry, stdout and stderr) are
 * what this process writes while a call or its consumers run; the bench writes nothing then.
 */

/** While started, every line written to stdout or stderr is kept (not shown); `stop` returns them, each with its newline. */
export function logCapture(): { start(): void; stop(): string[] } {
  const original = { out: process.stdout.write, err: process.stderr.write };
  let lines: string[] = [];
  let partial = "";
  const keep = function (chunk: unknown, ...rest: unknown[]): boolean {
    const text = partial + (typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString("utf8"));
    const parts = text.split("\n");
    partial = parts.pop()!;
    for (const p of parts) lines.push(`${p}\n`);
    const done = rest.find((r) => typeof r === "function") as (() => void) | undefined;
    done?.();
    return true;
  };
  return {
    start() {
      lines = [];
      partial = "";
      process.stdout.write = keep as typeof process.stdout.write;
      process.stderr.write = keep as typeof process.stderr.write;
    },
    stop() {
      process.stdout.write = original.out;
      process.stderr.write = original.err;
      if (partial) lines.push(partial);
      partial = "";
      return lines;
    },
  };
}

export interface CallSeen {
  method: string;
  path: string;
  status: number;
  /** the response body's bytes */
  bytes: number;
  ms: number;
}

/** While started, each `fetch` this process makes is noted (method, path, status, response size, time); `stop` returns them. */
export function callRecorder(): { start(): void; stop(): CallSeen[] } {
  const original = globalThis.fetch;
  let seen: CallSeen[] = [];
  return {
    start() {
      seen = [];
      globalThis.fetch = async (input: string | URL | Request, init?: RequestInit) => {
        const t0 = performance.now();
        const res = await original(input, init);
        const body = await res.clone().arrayBuffer();
        const url = new URL(typeof input === "string" || input instanceof URL ? input : input.url);
        seen.push({ method: (init?.method ?? (input instanceof Request ? input.method : "GET")).toUpperCase(), path: url.pathname, status: res.status, bytes: body.byteLength, ms: performance.now() - t0 });
        return res;
      };
    },
    stop() {
      globalThis.fetch = original;
      return seen;
    },
  };
}
