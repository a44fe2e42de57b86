import type { ReactNode } from "react";
import { Layout } from "react-admin";
import { AppMenu } from "./Menu.tsx";
import { useHtmlLang } from "./useHtmlLang.ts";

/** The default layout (its app bar carries the language switcher) with our menu. */
export const AppLayout = ({ children }: { children: ReactNode }) => {
  useHtmlLang();
  return <Layout menu={AppMenu}>{children}</Layout>;
};
