import { useEffect } from "react";
import { useLocaleState, useTranslate } from "react-admin";

/** Keep `<html lang>` and the window title in the console's language (screen readers, fonts). */
export function useHtmlLang(): void {
  const [locale] = useLocaleState();
  const translate = useTranslate();
  useEffect(() => {
    document.documentElement.lang = locale === "en" ? "en" : "zh-CN";
    document.title = translate("app.title");
  }, [locale, translate]);
}
