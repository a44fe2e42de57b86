/**
 * EventBridge schedule expressions, evaluated in UTC like AWS does:
 * `rate(5 minutes)` and `cron(min hour day-of-month month day-of-week year)` with `* , - / ? L`.
 */
export type Matcher = (at: Date) => boolean;

export function parseSchedule(expr: string): Matcher {
  const rate = /^rate\((\d+)\s+(minute|minutes|hour|hours|day|days)\)$/.exec(expr.trim());
  if (rate) {
    const n = Number(rate[1]);
    const minutes = rate[2].startsWith("minute") ? n : rate[2].startsWith("hour") ? n * 60 : n * 1440;
    return (at) => Math.floor(at.getTime() / 60_000) % minutes === 0;
  }
  const cron = /^cron\((.+)\)$/.exec(expr.trim());
  if (!cron) throw new Error(`Unsupported schedule: ${expr}`);
  const f = cron[1].trim().split(/\s+/);
  if (f.length !== 6) throw new Error(`cron needs 6 fields: ${expr}`);
  const [min, hour, dom, mon, dow, year] = f;
  const mMin = field(min, 0, 59);
  const mHour = field(hour, 0, 23);
  const mMon = field(mon, 1, 12);
  const mYear = field(year, 1970, 2199);
  const mDow = dow === "?" ? undefined : field(dow.replace(/SUN/g, "1").replace(/MON/g, "2").replace(/TUE/g, "3").replace(/WED/g, "4").replace(/THU/g, "5").replace(/FRI/g, "6").replace(/SAT/g, "7"), 1, 7);
  const mDom = dom === "?" ? undefined : dom === "L" ? "L" : field(dom, 1, 31);
  return (at) => {
    const d = at.getUTCDate();
    const last = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 0)).getUTCDate();
    const domOk = mDom === undefined ? true : mDom === "L" ? d === last : mDom(d);
    const dowOk = mDow === undefined ? true : mDow(at.getUTCDay() + 1);
    return mMin(at.getUTCMinutes()) && mHour(at.getUTCHours()) && mMon(at.getUTCMonth() + 1) && mYear(at.getUTCFullYear()) && domOk && dowOk;
  };
}

function field(spec: string, lo: number, hi: number): (v: number) => boolean {
  const allowed = new Set<number>();
  for (const part of spec.split(",")) {
    const [range, stepS] = part.split("/");
    const step = stepS ? Number(stepS) : 1;
    let a = lo;
    let b = hi;
    if (range !== "*" && range !== "?") {
      const [x, y] = range.split("-");
      a = Number(x);
      b = y !== undefined ? Number(y) : stepS ? hi : a;
    }
    if (!Number.isInteger(a) || !Number.isInteger(b) || !Number.isInteger(step) || step < 1) throw new Error(`bad cron field ${spec}`);
    for (let v = a; v <= b; v += step) allowed.add(v);
  }
  return (v) => allowed.has(v);
}
