/**
 * A new one-time activation code for a user (`POST /v1/users/{id}/activation`): a lost code sheet,
 * an expired code, a forgotten password. The code is shown once, here; the earlier one stops working.
 */
import { useState } from "react";
import { Alert, Button as MuiButton, Dialog, DialogActions, DialogContent, DialogTitle, Typography } from "@mui/material";
import KeyIcon from "@mui/icons-material/Key";
import { Button, useCanAccess, useNotify, useRecordContext, useTranslate } from "react-admin";
import { buildUrl, sessionFetch } from "../http.ts";
import { toHttpError, type ApiErrorBody } from "../errors.ts";
import { currentLocale } from "../i18n/index.ts";
import { notifyError } from "../common/notifyError.ts";

export const ReissueActivationButton = () => {
  const record = useRecordContext();
  const translate = useTranslate();
  const notify = useNotify();
  const { canAccess } = useCanAccess({ resource: "users", action: "password", record });
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [issued, setIssued] = useState<{ code: string; expiresAt: string }>();
  if (!record || !canAccess || record.active === false) return null;

  const issue = async () => {
    setBusy(true);
    try {
      const res = await sessionFetch(new Request(new URL(buildUrl(`/v1/users/${encodeURIComponent(String(record.id))}/activation`), location.href), { method: "POST", headers: { accept: "application/json", "content-type": "application/json" }, body: "{}" }));
      const json = await res.json().catch(() => undefined);
      if (!res.ok) throw toHttpError(res.status, json as ApiErrorBody | undefined, currentLocale());
      setIssued(json as { code: string; expiresAt: string });
    } catch (e) {
      notifyError(notify, e);
    } finally {
      setBusy(false);
    }
  };
  const close = () => {
    setOpen(false);
    setIssued(undefined);
  };

  return (
    <>
      <Button label="app.activation.reissue" onClick={() => setOpen(true)} data-testid="user-reissue-activation">
        <KeyIcon />
      </Button>
      <Dialog open={open} onClose={close} fullWidth maxWidth="xs" aria-labelledby="user-activation-title">
        <DialogTitle id="user-activation-title">{translate("app.activation.reissue_title", { name: record.displayName ?? record.username })}</DialogTitle>
        <DialogContent>
          {issued ? (
            <>
              <Alert severity="success" sx={{ mb: 1 }}>
                {translate("app.activation.reissued_help", { until: new Date(issued.expiresAt).toLocaleString(currentLocale() === "en" ? "en" : "zh-CN", { timeZone: "Asia/Shanghai" }) })}
              </Alert>
              <Typography variant="h5" sx={{ fontFamily: "monospace", textAlign: "center", letterSpacing: 2 }} data-testid="user-activation-code">
                {issued.code}
              </Typography>
            </>
          ) : (
            <Typography variant="body2">{translate("app.activation.reissue_confirm")}</Typography>
          )}
        </DialogContent>
        <DialogActions>
          <MuiButton onClick={close}>{translate(issued ? "ra.action.close" : "ra.action.cancel")}</MuiButton>
          {issued ? null : (
            <MuiButton variant="contained" onClick={issue} disabled={busy} data-testid="user-reissue-submit">
              {translate("app.activation.reissue")}
            </MuiButton>
          )}
        </DialogActions>
      </Dialog>
    </>
  );
};
