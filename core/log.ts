/*
 * Structured JSON logs, one line per entry, in the line shape of the AWS Powertools Logger we used
 * until 2026-12-05 (about 20 KB minified in every function; docs/deploy.md "Cold path" says what
 * was given up): `level`, `message`, `timestamp` (ISO, UTC), `service`, `xray_trace_id` (the Root
 * of `_X_AMZN_TRACE_ID`, in Lambda), then the entry's own keys; an Error anywhere in them as
 * `{ name, location, message, stack, cause?, ...its own fields }`; keys whose value is undefined,
 * null or "" left out; DEBUG and INFO to stdout, WARN and ERROR to stderr. The level: Lambda's
 * `AWS_LAMBDA_LOG_LEVEL` (advanced logging controls) when set — `setLogLevel` then changes nothing,
 * as with Powertools —, else `POWERTOOLS_LOG_LEVEL` or `LOG_LEVEL`, else INFO. core/log.test.ts pins
 * the shape against Powertools' (a devDependency). Secrets never go in here: log ids, not tokens.
 */

const LEVELS = { TRACE: 6, DEBUG: 8, INFO: 12, WARN: 16, ERROR: 20, CRITICAL: 24, SILENT: 28 } as const;
export type LogLevel = keyof typeof LEVELS;
// the keys an entry may not set (Powertools drops them, with a warning of its own; we drop them silently)
const RESERVED = new Set(["level", "message", "timestamp", "service", "sampling_rate"]);

// names as Powertools takes them: upper case only ("debug" is no level)
const valid = (v: string | undefined): LogLevel | undefined => (v && Object.hasOwn(LEVELS, v) ? (v as LogLevel) : undefined);

/** An error as Powertools formats it: where it was thrown (the first `(file:line:col)` of its stack), its cause, its own fields. */
function formatError(e: Error): Record<string, unknown> {
  const m = (e.stack ?? "").split("\n").map((l) => /\(([^()]*?):(\d+?):(\d+?)\)\\?$/.exec(l)).find(Boolean);
  const out: Record<string, unknown> = { name: e.name, location: m ? `${m[1]}:${Number(m[2])}` : "", message: e.message, stack: e.stack, cause: e.cause instanceof Error ? formatError(e.cause) : e.cause };
  for (const k in e) if (!["name", "message", "stack", "cause"].includes(k)) out[k] = (e as unknown as Record<string, unknown>)[k];
  return out;
}

/** JSON.stringify's replacer: errors formatted, bigints as text, a circular reference left out. */
function replacer(): (this: unknown, key: string, value: unknown) => unknown {
  const ancestors: unknown[] = [];
  return function (this: unknown, _key, value) {
    const v = value instanceof Error ? formatError(value) : value;
    if (typeof v === "bigint") return v.toString();
    if (typeof v === "object" && v !== null) {
      while (ancestors.length > 0 && ancestors.at(-1) !== this) ancestors.pop();
      if (ancestors.includes(v)) return undefined;
      ancestors.push(v);
    }
    return v;
  };
}

export class Logger {
  readonly service: string;
  private level: number;
  /** Lambda's own level (advanced logging controls), which wins over ours */
  private readonly lambdaLevel?: LogLevel;

  constructor(opts: { serviceName: string }) {
    this.service = opts.serviceName;
    const lambda = process.env.AWS_LAMBDA_LOG_LEVEL === "FATAL" ? "CRITICAL" : process.env.AWS_LAMBDA_LOG_LEVEL;
    this.lambdaLevel = valid(lambda);
    this.level = LEVELS[this.lambdaLevel ?? valid(process.env.POWERTOOLS_LOG_LEVEL || process.env.LOG_LEVEL) ?? "INFO"];
  }

  /** Change the level (ignored while Lambda's advanced logging controls set one); an unknown name throws. */
  setLogLevel(level: string): void {
    if (this.lambdaLevel) return;
    const l = valid(level);
    if (!l) throw new Error(`Invalid log level: ${level}`);
    this.level = LEVELS[l];
  }

  getLevelName(): LogLevel {
    return (Object.keys(LEVELS) as LogLevel[]).find((k) => LEVELS[k] === this.level)!;
  }

  debug(message: string, ...extra: unknown[]): void {
    this.write("DEBUG", message, extra);
  }
  info(message: string, ...extra: unknown[]): void {
    this.write("INFO", message, extra);
  }
  warn(message: string, ...extra: unknown[]): void {
    this.write("WARN", message, extra);
  }
  error(message: string, ...extra: unknown[]): void {
    this.write("ERROR", message, extra);
  }

  private write(level: "DEBUG" | "INFO" | "WARN" | "ERROR", message: string, extra: unknown[]): void {
    if (LEVELS[level] < this.level) return;
    const line: Record<string, unknown> = { level, message, timestamp: new Date().toISOString(), service: this.service, xray_trace_id: /Root=([^;]+)/.exec(process.env._X_AMZN_TRACE_ID ?? "")?.[1] };
    for (const x of extra) {
      const attrs = x instanceof Error ? { error: x } : typeof x === "string" ? { extra: x } : (x as Record<string, unknown>);
      for (const k in attrs) if (!RESERVED.has(k)) line[k] = attrs[k];
    }
    for (const k in line) if (line[k] === undefined || line[k] === null || line[k] === "") delete line[k];
    (LEVELS[level] >= LEVELS.WARN ? process.stderr : process.stdout).write(`${JSON.stringify(line, replacer())}\n`);
  }
}

export const logger = new Logger({ serviceName: "wangge" });
