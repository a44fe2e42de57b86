/** The new key's secret, shown once, with a copy button. */
import { Alert, Box, Button, Dialog, DialogActions, DialogContent, DialogTitle, IconButton, Tooltip } from "@mui/material";
import ContentCopyIcon from "@mui/icons-material/ContentCopy";
import { useNotify, useTranslate } from "react-admin";

export const SecretDialog = ({ secret, onDone }: { secret: string | undefined; onDone: () => void }) => {
  const translate = useTranslate();
  const notify = useNotify();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret ?? "");
      notify("app.api_keys.copied", { type: "success" });
    } catch {
      notify("app.api_keys.copy_failed", { type: "warning" });
    }
  };
  return (
    <Dialog open={secret !== undefined} maxWidth="sm" fullWidth aria-labelledby="api-key-secret-title">
      <DialogTitle id="api-key-secret-title">{translate("app.api_keys.secret_title")}</DialogTitle>
      <DialogContent>
        <Alert severity="warning" sx={{ mb: 2 }}>
          {translate("app.api_keys.secret_warning")}
        </Alert>
        <Box sx={{ display: "flex", alignItems: "center", gap: 1 }}>
          <Box
            component="code"
            data-testid="api-key-secret"
            sx={{ flex: 1, p: 1.5, bgcolor: "action.hover", borderRadius: 1, fontFamily: "monospace", wordBreak: "break-all", userSelect: "all" }}
          >
            {secret}
          </Box>
          <Tooltip title={translate("app.api_keys.copy")}>
            <IconButton onClick={copy} aria-label={translate("app.api_keys.copy")} data-testid="api-key-copy">
              <ContentCopyIcon />
            </IconButton>
          </Tooltip>
        </Box>
      </DialogContent>
      <DialogActions>
        <Button variant="contained" onClick={onDone} data-testid="api-key-secret-done">
          {translate("app.api_keys.done")}
        </Button>
      </DialogActions>
    </Dialog>
  );
};
