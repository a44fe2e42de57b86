/**
 * The i18n provider: Simplified Chinese by default (bundled), English loaded on demand.
 * Both message files are complete; `i18n.test.ts` keeps their key trees identical.
 */
import polyglotI18nProvider from "ra-i18n-polyglot";
import zh from "./zh.ts";

export const LOCALES = [
  { locale: "zh", name: "简体中文" },
  { locale: "en", name: "English" },
];

export const i18nProvider = polyglotI18nProvider(
  (locale) => (locale === "en" ? import("./en.ts").then((m) => m.default) : zh),
  "zh",
  LOCALES,
);

/** The console's current language ("zh" or "en"). */
export const currentLocale = (): string => i18nProvider.getLocale();

/** BCP 47 tag for Intl formatting in the current language. */
export const intlLocale = (locale: string = currentLocale()): string => (locale === "en" ? "en-GB" : "zh-CN");
