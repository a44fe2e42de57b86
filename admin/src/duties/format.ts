/** Dates and times in the console's language, 24-hour, county time. */
import { useLocaleState } from "react-admin";
import { intlLocale } from "../i18n/index.ts";

export function useFormat() {
  const [locale] = useLocaleState();
  const dt = new Intl.DateTimeFormat(intlLocale(locale), { dateStyle: "medium", timeStyle: "short", hourCycle: "h23", timeZone: "Asia/Shanghai" });
  const d = new Intl.DateTimeFormat(intlLocale(locale), { dateStyle: "medium", timeZone: "Asia/Shanghai" });
  return {
    dateTime: (iso: string | undefined | null) => (iso ? dt.format(new Date(iso)) : "—"),
    /** A due time at the end of a county day (24:00, i.e. the next day's 00:00) shown as that day. */
    dueDay: (iso: string | undefined | null) => (iso ? d.format(new Date(Date.parse(iso) - 1)) : "—"),
  };
}
