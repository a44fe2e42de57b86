/** 24-hour times of day ("HH:MM"), as the calendar's time fields take them (see TimeField.tsx). */
export const TIME_24H = /^([01]\d|2[0-3]):[0-5]\d$/;

/** Is `value` a 24-hour time (or "24:00" when `endOfDay`)? */
export const isTime24 = (value: string, endOfDay = false): boolean => TIME_24H.test(value) || (endOfDay && value === "24:00");

/** "9:5" → "09:05", "930" → "09:30", "0930" → "09:30"; anything else unchanged. */
export function normalizeTime(raw: string): string {
  const v = raw.trim().replace("：", ":");
  let m = /^(\d{1,2}):(\d{1,2})$/.exec(v);
  if (!m) m = /^(\d{1,2})(\d{2})$/.exec(v);
  if (!m) return v;
  return `${m[1].padStart(2, "0")}:${m[2].padStart(2, "0")}`;
}

