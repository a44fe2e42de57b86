/**
 * Masks for lists and exports (pure). They keep the ends people use to recognise a record and
 * hide the middle: `3101**********1234`, `138****5678`, `1956-**-**`.
 */
export function maskIdNumber(id: string): string {
  if (id.length <= 8) return "*".repeat(id.length);
  return id.slice(0, 4) + "*".repeat(id.length - 8) + id.slice(-4);
}

export function maskPhone(phone: string): string {
  if (phone.length === 11 && phone.startsWith("1")) return `${phone.slice(0, 3)}****${phone.slice(-4)}`;
  if (phone.length <= 7) return "*".repeat(phone.length);
  // landline with area code: keep the area code (3–4 digits) and the last 4
  const head = phone.startsWith("01") || phone.startsWith("02") ? 3 : 4;
  return phone.slice(0, head) + "*".repeat(phone.length - head - 4) + phone.slice(-4);
}

/** Birth dates keep the year only. */
export function maskDate(date: string): string {
  return `${date.slice(0, 4)}-**-**`;
}
