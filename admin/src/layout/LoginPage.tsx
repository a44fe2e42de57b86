import { Box } from "@mui/material";
import { LocalesMenuButton, Login, LoginForm } from "react-admin";
import { useHtmlLang } from "./useHtmlLang.ts";

/** The sign-in page, with the language switcher (the app bar is not shown here). */
export const LoginPage = () => {
  useHtmlLang();
  return (
    <>
      <Box sx={{ position: "fixed", top: 8, right: 8, zIndex: 2, color: "common.white" }} data-testid="login-locale">
        <LocalesMenuButton />
      </Box>
      <Login>
        <LoginForm />
      </Login>
    </>
  );
};
