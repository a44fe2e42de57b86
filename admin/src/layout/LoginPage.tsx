import { lazy, Suspense, useState } from "react";
import { Box, Button } from "@mui/material";
import { LocalesMenuButton, Login, LoginForm, useTranslate } from "react-admin";
import { useHtmlLang } from "./useHtmlLang.ts";

const ActivateForm = lazy(() => import("../activation/ActivateForm.tsx").then((m) => ({ default: m.ActivateForm })));

/**
 * The sign-in page, with the language switcher (the app bar is not shown here) and the first
 * sign-in of an imported account with its activation code (`#/login?activate`).
 */
export const LoginPage = () => {
  useHtmlLang();
  const translate = useTranslate();
  const [activate, setActivate] = useState(() => /[?&]activate\b/.test(window.location.hash));
  return (
    <>
      <Box sx={{ position: "fixed", top: 8, right: 8, zIndex: 2, color: "common.white" }} data-testid="login-locale">
        <LocalesMenuButton />
      </Box>
      <Login>
        {activate ? (
          <Suspense fallback={null}>
            <ActivateForm onBack={() => setActivate(false)} />
          </Suspense>
        ) : (
          <>
            <LoginForm />
            <Box sx={{ textAlign: "center", pb: 2 }}>
              <Button size="small" onClick={() => setActivate(true)} data-testid="activate-link">
                {translate("app.activation.link")}
              </Button>
            </Box>
          </>
        )}
      </Login>
    </>
  );
};
