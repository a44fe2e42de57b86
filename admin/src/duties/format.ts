/** Dates and times in the console's language, 24-hour, county time. */
import { useLocaleState } from "react-admin";
import { intlLocale } from "../i18n/index.ts";

export function useFormat() {
  const [locale] = useLocaleState();
  const dt = new Intl.DateTimeFormat(intlLocale(locale), { dateStyle: "medium", timeStyle: "short", hourCycle: "h23", timeZone: "Asia/Shanghai" });
  return {
    dateTime: (iso: string | undefined | null) => (iso ? dt.format(new Date(iso)) : "—"),
  };
}
