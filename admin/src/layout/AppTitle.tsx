import { useTranslate } from "react-admin";

/** The console's name in the current language (the default page title). */
export const AppTitle = () => {
  const translate = useTranslate();
  return <>{translate("app.title")}</>;
};
