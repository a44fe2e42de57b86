/**
 * First sign-in with an activation code (docs/security.md "Activation codes"): an account made by a
 * staff import has no password; its holder enters the username, the code from the sheet the admin
 * handed out and a password of their own. `POST /v1/auth/activate` sets it (hashed once on the
 * server), then the console signs in with it. A wrong, used or expired code reads like a wrong password.
 */
import { useState } from "react";
import { Alert, Box, Button, CardContent, CircularProgress, TextField, Typography } from "@mui/material";
import { useLogin, useTranslate } from "react-admin";
import { API_URL } from "../config.ts";

const MIN_PASSWORD = 10;

export const ActivateForm = ({ onBack }: { onBack: () => void }) => {
  const translate = useTranslate();
  const login = useLogin();
  const [username, setUsername] = useState("");
  const [code, setCode] = useState("");
  const [password, setPassword] = useState("");
  const [repeat, setRepeat] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const tooShort = password.length > 0 && password.length < MIN_PASSWORD;
  const mismatch = repeat.length > 0 && repeat !== password;
  const ready = username.trim() && code.trim() && password.length >= MIN_PASSWORD && repeat === password;

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!ready) return;
    setBusy(true);
    setError(undefined);
    try {
      let res: Response;
      try {
        res = await fetch(`${API_URL}/v1/auth/activate`, {
          method: "POST",
          headers: { "content-type": "application/json", accept: "application/json" },
          body: JSON.stringify({ username: username.trim(), code: code.trim(), password }),
        });
      } catch {
        setError("app.errors.network");
        return;
      }
      if (res.status === 204) {
        await login({ username: username.trim(), password });
        return;
      }
      setError(res.status === 429 ? "app.auth.locked" : res.status === 400 ? "app.activation.invalid" : res.status === 401 ? "app.activation.refused" : "app.errors.internal");
    } catch {
      setError("app.activation.signin_failed");
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} noValidate data-testid="activate-form">
      <CardContent sx={{ display: "flex", flexDirection: "column", gap: 1.5, minWidth: 280, maxWidth: 340 }}>
        <Typography variant="subtitle1">{translate("app.activation.title")}</Typography>
        <Typography variant="body2" color="text.secondary">
          {translate("app.activation.help")}
        </Typography>
        <TextField name="username" label={translate("ra.auth.username")} value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="username" required size="small" />
        <TextField
          name="code"
          label={translate("app.activation.code")}
          value={code}
          onChange={(e) => setCode(e.target.value.toUpperCase())}
          placeholder="XXXX-XXXX-XXXX-XXXX"
          autoComplete="one-time-code"
          slotProps={{ htmlInput: { spellCheck: false, style: { fontFamily: "monospace", letterSpacing: 1 } } }}
          required
          size="small"
        />
        <TextField
          name="new-password"
          type="password"
          label={translate("app.activation.password")}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          autoComplete="new-password"
          error={tooShort}
          helperText={translate("app.activation.password_help", { min: MIN_PASSWORD })}
          required
          size="small"
        />
        <TextField
          name="repeat-password"
          type="password"
          label={translate("app.activation.repeat")}
          value={repeat}
          onChange={(e) => setRepeat(e.target.value)}
          autoComplete="new-password"
          error={mismatch}
          helperText={mismatch ? translate("app.activation.mismatch") : " "}
          required
          size="small"
        />
        {error && (
          <Alert severity="error" data-testid="activate-error">
            {translate(error)}
          </Alert>
        )}
        <Button type="submit" variant="contained" disabled={!ready || busy} data-testid="activate-submit" startIcon={busy ? <CircularProgress size={16} /> : undefined}>
          {translate("app.activation.submit")}
        </Button>
        <Box sx={{ textAlign: "center" }}>
          <Button size="small" onClick={onBack} data-testid="activate-back">
            {translate("app.activation.back")}
          </Button>
        </Box>
      </CardContent>
    </form>
  );
};
