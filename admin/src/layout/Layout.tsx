import type { ReactNode } from "react";
import { AppBar, Layout, LoadingIndicator, LocalesMenuButton, Logout, UserMenu } from "react-admin";
import { AppMenu } from "./Menu.tsx";
import { NotificationsBell } from "./NotificationsBell.tsx";
import { useHtmlLang } from "./useHtmlLang.ts";

/** The app bar: notifications, the language switcher, the loading indicator. */
const AppToolbar = () => (
  <>
    <NotificationsBell />
    <LocalesMenuButton />
    <LoadingIndicator />
  </>
);

const AppUserMenu = () => (
  <UserMenu>
    <Logout data-testid="logout" />
  </UserMenu>
);

const AppAppBar = () => <AppBar toolbar={<AppToolbar />} userMenu={<AppUserMenu />} />;

/** The default layout with our app bar and menu. */
export const AppLayout = ({ children }: { children: ReactNode }) => {
  useHtmlLang();
  return (
    <Layout menu={AppMenu} appBar={AppAppBar}>
      {children}
    </Layout>
  );
};
